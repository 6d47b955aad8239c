"""Gradebook export for an LMS: ``grade --roster roster.csv --format canvas|moodle``.

The roster maps each student's test file to the LMS's identifiers. It is a UTF-8 CSV
(a BOM, as Excel writes, is fine) with a header row; column names are matched without
regard to case, spaces or underscores, so a gradebook exported from the LMS with a
``file`` column added works as it is:

* ``file`` (required): the test file's name (``alice_test.py``) or its stem (``alice_test``);
* Canvas: at least one of ``ID`` (Canvas user id), ``SIS User ID``, ``SIS Login ID``;
  ``Student`` (name) and ``Section`` are copied when present;
* Moodle: at least one of ``ID number``, ``Email address`` (or ``email``), ``Username``.

A bad roster (not UTF-8, no header, a required column missing, a file or an identifier
twice) is refused with the row and the reason (:class:`RosterError`, exit 2). A graded
file that no roster row names is never dropped silently: it is listed (stderr and
``<report-stem>-unmatched.csv``); a roster row with no file gets an empty grade cell (the
LMS leaves an empty cell alone), and is listed too.

Output columns (docs/classroom.md, "Gradebook export", cites the LMS documentation):

* Canvas: ``Student, ID, SIS User ID, SIS Login ID, Section, <assignment>``: the layout
  of Canvas's own gradebook export, which its gradebook import reads back;
* Moodle: ``ID number, Email address, Username, <assignment>``: Moodle's CSV grade
  import maps one identifier column ("Map from") to the user field ("Map to":
  useridnumber, useremail or username) and a column to the grade item.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa_arena_desktop.classroom.reports import safe_cell
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.files import write_atomically
from qa_arena_desktop.text_safety import one_line

FORMATS = ("canvas", "moodle")
MAX_ROSTER_BYTES = 8 * 1024 * 1024

# normalised header -> our field
ALIASES = {
    "file": "file", "filename": "file", "testfile": "file",
    "student": "name", "name": "name", "studentname": "name", "fullname": "name",
    "id": "canvas_id", "canvasid": "canvas_id", "canvasuserid": "canvas_id",
    "sisuserid": "sis_user_id", "sisloginid": "sis_login_id", "section": "section",
    "idnumber": "idnumber", "email": "email", "emailaddress": "email", "username": "username",
}
IDENTIFIERS = {"canvas": ("canvas_id", "sis_user_id", "sis_login_id"),
               "moodle": ("idnumber", "email", "username")}
COLUMNS = {"canvas": ("Student", "ID", "SIS User ID", "SIS Login ID", "Section"),
           "moodle": ("ID number", "Email address", "Username")}
FIELDS = {"canvas": ("name", "canvas_id", "sis_user_id", "sis_login_id", "section"),
          "moodle": ("idnumber", "email", "username")}


class RosterError(ValueError):
    """The roster cannot be used; the message names the row and the problem."""


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


@dataclass(frozen=True)
class Student:
    line: int  # in the roster, for messages
    fields: dict[str, str]

    @property
    def file(self) -> str:
        return self.fields["file"]


def read_roster(path: Path, lms: str) -> list[Student]:
    """The roster's rows; raises :class:`RosterError` naming the problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError(f"cannot read the roster {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_ROSTER_BYTES:
        raise RosterError(f"the roster {path} is over {MAX_ROSTER_BYTES // 2**20} MiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError(f"the roster {path} is not UTF-8 (byte {exc.start}); save it as "
                          "CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise RosterError(f"the roster {path} is empty: it needs a header row")
        fields = [ALIASES.get(_key(cell), "") for cell in header]
        if "file" not in fields:
            raise RosterError(f"the roster {path} has no 'file' column (the test file's name); "
                              f"its columns: {one_line(', '.join(header), 200)}")
        wanted = IDENTIFIERS[lms]
        if not any(name in fields for name in wanted):
            raise RosterError(f"the roster {path} has no student identifier for {lms}: it "
                              f"needs a column {' or '.join(COLUMNS_FOR[lms])}")
        students: list[Student] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            values = {field: "" for field in ALIASES.values()}
            for field, cell in zip(fields, row, strict=False):
                if field:
                    values[field] = cell.strip()
            students.append(Student(reader.line_num, values))
    except csv.Error as exc:
        raise RosterError(f"the roster {path} is not a valid CSV (line {reader.line_num}: "
                          f"{exc})") from None
    _check(path, students, wanted)
    return students


COLUMNS_FOR = {"canvas": ("'ID'", "'SIS User ID'", "'SIS Login ID'"),
               "moodle": ("'ID number'", "'Email address'", "'Username'")}


def _check(path: Path, students: list[Student], identifiers: tuple[str, ...]) -> None:
    files: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for student in students:
        if not student.file:
            raise RosterError(f"the roster {path}, line {student.line}: the 'file' cell is empty")
        key = Path(student.file).stem.lower()
        if key in files:
            raise RosterError(f"the roster {path}, line {student.line}: file "
                              f"{one_line(student.file, 100)!r} is also on line {files[key]}")
        files[key] = student.line
        if not any(student.fields[name] for name in identifiers):
            raise RosterError(f"the roster {path}, line {student.line}: no student identifier "
                              f"({', '.join(identifiers)}) for {one_line(student.file, 100)!r}")
        for name in identifiers:
            value = student.fields[name]
            if value and (name, value.lower()) in seen:
                raise RosterError(f"the roster {path}, line {student.line}: duplicate {name} "
                                  f"{one_line(value, 100)!r} (also on line "
                                  f"{seen[(name, value.lower())]})")
            if value:
                seen[(name, value.lower())] = student.line


@dataclass(frozen=True)
class Matching:
    pairs: list[tuple[Student, GradeRow | None]]  # every roster row, in roster order
    unmatched: list[tuple[str, str]]  # (graded file, why) with no roster row


def match(students: Sequence[Student], rows: Sequence[GradeRow]) -> Matching:
    """Each roster row to its graded file, by file name or stem (case-insensitive)."""
    by_key = {Path(s.file).stem.lower(): s for s in students}
    taken: dict[str, GradeRow] = {}
    unmatched: list[tuple[str, str]] = []
    for row in rows:
        key = Path(row.file).stem.lower()
        student = by_key.get(key)
        if student is None:
            unmatched.append((row.file, "no roster row names this file"))
        elif key in taken:
            unmatched.append((row.file, f"another file with this name ({taken[key].file}) "
                                        "already matched the roster row"))
        else:
            taken[key] = row
    pairs = [(s, taken.get(Path(s.file).stem.lower())) for s in students]
    return Matching(pairs, unmatched)


def grade_cell(row: GradeRow | None) -> str:
    """The LMS's grade: the score out of 100; empty when there is no file or no verdict
    (the judge failed: grade again before importing)."""
    if row is None or not row.is_final:
        return ""
    return f"{row.score:.1f}"


def lms_csv(lms: str, matching: Matching, assignment: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*COLUMNS[lms], safe_cell(assignment)])
    for student, row in matching.pairs:
        cells = [one_line(student.fields[name], 300) for name in FIELDS[lms]]
        if lms == "canvas":  # the display name and section are text a spreadsheet may open
            cells[0], cells[4] = safe_cell(cells[0]), safe_cell(cells[4])
        writer.writerow([*cells, grade_cell(row)])
    return buffer.getvalue()


def unmatched_csv(matching: Matching) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", "problem"])
    for file, why in matching.unmatched:
        writer.writerow([safe_cell(file), why])
    for student, row in matching.pairs:
        if row is None:
            writer.writerow([safe_cell(student.file), f"roster line {student.line}: no such file "
                                                      "was graded (empty grade written)"])
    return buffer.getvalue()


def export_paths(report: Path, lms: str) -> tuple[Path, Path]:
    """``grades.csv`` -> ``grades-canvas.csv`` and ``grades-unmatched.csv`` beside it."""
    return (report.with_name(f"{report.stem}-{lms}.csv"),
            report.with_name(f"{report.stem}-unmatched.csv"))


def write_lms_export(report: Path, lms: str, students: Sequence[Student],
                     rows: Sequence[GradeRow], assignment: str) -> tuple[Path, Path, Matching]:
    matching = match(students, rows)
    out, unmatched = export_paths(report, lms)
    write_atomically(out, lms_csv(lms, matching, assignment))
    write_atomically(unmatched, unmatched_csv(matching))
    return out, unmatched, matching
