"""``qa-arena grade``'s report options: feedback profiles, LMS export, invalid-test policy.

Kept apart from :mod:`.grade_cmd` so the grading loop stays small (the options are added
to the parser by :mod:`.grade_args`): this module checks them (and reads the roster)
before anything is judged, so a typo costs no grading time, and writes the extra reports
once the rows are known:

* ``<report>-class-report.html`` and ``.json`` beside the report, always;
* ``--student-reports DIR [--feedback practice|graded|exam]``: one HTML and one Markdown
  report per student (profile: the option, else the pack's ``feedback``, else graded);
* ``--roster roster.csv --format canvas|moodle [--assignment TITLE]``: the LMS's grade
  import CSV and the list of files no roster row names;
* ``--invalid zero|drop``: what a test that fails on the correct code costs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa_arena_desktop.classroom.class_analytics import class_report
from qa_arena_desktop.classroom.class_report_html import write_class_report
from qa_arena_desktop.classroom.feedback import DEFAULT_PROFILE, pack_default
from qa_arena_desktop.classroom.lms_export import (
    RosterError,
    Student,
    read_roster,
    write_lms_export,
)
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.classroom.student_reports import write_student_reports
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.text_safety import one_line


class BadOption(ValueError):
    """An option combination or a roster that cannot work (exit 2, one line)."""


@dataclass(frozen=True)
class ReportOptions:
    feedback: str | None
    student_reports: Path | None
    lms: str | None
    roster: list[Student]
    assignment: str | None
    invalid: str


def check_report_options(args: argparse.Namespace) -> ReportOptions:
    """The options, checked, with the roster read; raises :class:`BadOption`."""
    feedback = getattr(args, "feedback", None)
    reports = getattr(args, "student_reports", None)
    if feedback and not reports:
        raise BadOption("--feedback needs --student-reports DIR (where the reports go)")
    roster_path, lms = getattr(args, "roster", None), getattr(args, "lms_format", None)
    if bool(roster_path) != bool(lms):
        raise BadOption("--roster and --format go together: --roster roster.csv "
                        "--format canvas|moodle")
    students: list[Student] = []
    if roster_path and lms:
        try:
            students = read_roster(Path(roster_path), lms)
        except RosterError as exc:
            raise BadOption(str(exc)) from None
    if reports:
        try:
            Path(reports).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BadOption(f"cannot create --student-reports {reports}: "
                            f"{exc.strerror or exc}") from None
    return ReportOptions(feedback, Path(reports) if reports else None, lms, students,
                         getattr(args, "assignment", None), getattr(args, "invalid", "zero"))


def write_extra_reports(options: ReportOptions, pack: Pack, rows: Sequence[GradeRow],
                        out: Path) -> list[str]:
    """Write the class report and whatever the options asked for; returns the lines to
    print on stdout. Raises OSError when a file cannot be written."""
    lines: list[str] = []
    _json, html = write_class_report(class_report(pack, rows), out.parent,
                                     f"{out.stem}-class-report")
    lines.append(f"class report {html}")
    if options.student_reports is not None:
        profile = options.feedback or pack_default(pack) or DEFAULT_PROFILE
        written = write_student_reports(options.student_reports, pack, rows, profile)
        lines.append(f"{len(written)} student report(s) ({profile}) in {options.student_reports}")
    if options.lms is not None:
        export, unmatched, matching = write_lms_export(
            out, options.lms, options.roster, rows, options.assignment or pack.title)
        lines.append(f"{options.lms} grade import {export}")
        missing = sum(1 for _, row in matching.pairs if row is None)
        if matching.unmatched:
            sys.stderr.write(f"qa-arena: {len(matching.unmatched)} graded file(s) match no "
                             f"roster row and are NOT in {export.name} (listed in {unmatched}):\n")
            for file, why in matching.unmatched:
                sys.stderr.write(f"  {one_line(file, 200)}: {why}\n")
        if missing:
            sys.stderr.write(f"qa-arena: {missing} roster row(s) have no graded file: their "
                             f"grade cell is empty (listed in {unmatched})\n")
    return lines
