"""The classroom package and its commands import with PySide6 blocked (they run headless)."""

import subprocess
import sys

from tests.test_layering import BLOCK_QT

CLASSROOM_MODULES = [
    "qa_arena_desktop.classroom.batch",
    "qa_arena_desktop.classroom.state",
    "qa_arena_desktop.classroom.reports",
    "qa_arena_desktop.classroom.mte",
    "qa_arena_desktop.classroom.image_transfer",
    "qa_arena_desktop.cli.grade_cmd",
    "qa_arena_desktop.cli.image_transfer_cmd",
]


def test_classroom_modules_import_with_pyside6_blocked():
    completed = subprocess.run([sys.executable, "-c", BLOCK_QT, *CLASSROOM_MODULES],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"
