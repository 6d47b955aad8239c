"""The report options of ``qa-arena grade``, added to the parser (standard library only).

``build_parser`` runs on every command, ``qa-arena judge`` included, whose client must
stay light (an import-linter contract): so the choices are written out here, and
``tests/cli/test_grade_options.py`` checks them against the modules that use them.
What they do: :mod:`.grade_options`.
"""

from __future__ import annotations

import argparse

FEEDBACK_PROFILES = ("practice", "graded", "exam")  # classroom.feedback.PROFILES
LMS_FORMATS = ("canvas", "moodle")  # classroom.lms_export.FORMATS
INVALID_POLICIES = ("zero", "drop")  # classroom.invalid_tests.POLICIES


def add_report_options(grade: argparse.ArgumentParser) -> None:
    grade.add_argument("--feedback", choices=FEEDBACK_PROFILES,
                       help="what student reports show (default: the pack's feedback "
                       "setting, else graded)")
    grade.add_argument("--student-reports", metavar="DIR",
                       help="write one HTML and one Markdown report per student here")
    grade.add_argument("--roster", metavar="ROSTER.csv",
                       help="maps test files to student ids, for --format")
    grade.add_argument("--format", choices=LMS_FORMATS, dest="lms_format",
                       help="write this LMS's grade import CSV (needs --roster)")
    grade.add_argument("--assignment", metavar="TITLE",
                       help="the grade column's title in the LMS CSV (default: the problem's "
                       "title)")
    grade.add_argument("--invalid", choices=INVALID_POLICIES, default="zero",
                       help="a test that fails on the correct code: zero scores the file 0 "
                       "(default); drop leaves such tests out one by one and scores the rest")
