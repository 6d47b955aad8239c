"""Gradebook export: roster checks, then Canvas's and Moodle's import CSVs read back with csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qa_arena_desktop.classroom.lms_export import RosterError, read_roster, write_lms_export
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from tests.classroom.fakes import make_pack, result

CANVAS_ROSTER = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,File\n"   # a Canvas export + a file column
    '"Lovelace, Ada",101,S001,ada@uni.example,CS1-A,alice_test.py\n'
    "Babbage Charles,102,S002,cb@uni.example,CS1-B,bob_test\n"
    "=cmd|' /C calc'!A0,103,S003,dz@uni.example,CS1-A,dora_test.py\n"
)
MOODLE_ROSTER = "file,ID number,email address,username\nalice_test.py,7001,ada@uni.example,ada\n" \
                "bob_test.py,7002,cb@uni.example,cbab\n"


def write(tmp_path: Path, text: str | bytes, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def graded(tmp_path):
    pack = make_pack(tmp_path / "packs")
    return [
        GradeRow.from_result("class/alice_test.py", "a" * 64,
                             result(pack, {"returns-same": MutantStatus.KILLED})),
        GradeRow.from_result("class/bob_test.py", "b" * 64,
                             result(pack, status=SubmissionStatus.FAILURE, message="x")),
        GradeRow.from_result("class/zed_test.py", "c" * 64, result(pack)),
        GradeRow.from_result("late/bob_test.py", "d" * 64, result(pack)),
    ]


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_canvas_csv_has_the_gradebook_columns_and_every_roster_row(tmp_path):
    students = read_roster(write(tmp_path, CANVAS_ROSTER), "canvas")
    out, unmatched, matching = write_lms_export(tmp_path / "grades.csv", "canvas", students,
                                                graded(tmp_path), "Add one (QA Arena)")
    assert out.name == "grades-canvas.csv" and unmatched.name == "grades-unmatched.csv"
    table = read_rows(out)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                        "Add one (QA Arena)"]
    assert table[1:] == [
        ["Lovelace, Ada", "101", "S001", "ada@uni.example", "CS1-A", "53.3"],
        ["Babbage Charles", "102", "S002", "cb@uni.example", "CS1-B", "0.0"],
        ["'=cmd|' /C calc'!A0", "103", "S003", "dz@uni.example", "CS1-A", ""],  # no file: empty
    ]
    assert out.read_bytes().count(b"\r\n") == 4
    problems = read_rows(unmatched)
    assert problems[0] == ["file", "problem"]
    assert problems[1] == ["class/zed_test.py", "no roster row names this file"]
    assert problems[2][0] == "late/bob_test.py" and "already matched" in problems[2][1]
    assert problems[3][0] == "dora_test.py" and "no such file was graded" in problems[3][1]
    assert [file for file, _ in matching.unmatched] == ["class/zed_test.py", "late/bob_test.py"]


def test_moodle_csv_has_an_identifier_per_user_field_and_the_grade(tmp_path):
    students = read_roster(write(tmp_path, MOODLE_ROSTER), "moodle")
    out, _, _ = write_lms_export(tmp_path / "grades.csv", "moodle", students, graded(tmp_path),
                                 "Add one")
    assert read_rows(out) == [
        ["ID number", "Email address", "Username", "Add one"],
        ["7001", "ada@uni.example", "ada", "53.3"],
        ["7002", "cb@uni.example", "cbab", "0.0"],
    ]


def test_an_error_row_gets_an_empty_grade_never_a_zero(tmp_path):
    students = read_roster(write(tmp_path, MOODLE_ROSTER), "moodle")
    rows = [GradeRow.error("alice_test.py", 3, "engine stopped")]
    out, _, _ = write_lms_export(tmp_path / "g.csv", "moodle", students, rows, "A")
    assert read_rows(out)[1] == ["7001", "ada@uni.example", "ada", ""]


@pytest.mark.parametrize(("text", "lms", "expected"), [
    (b"Student,ID\n\xe9t\xe9,1\n", "canvas", "is not UTF-8"),
    ("", "canvas", "is empty: it needs a header row"),
    ("Student,ID\nAda,1\n", "canvas", "has no 'file' column"),
    ("file,Student,Section\na.py,Ada,A\n", "canvas", "no student identifier for canvas"),
    ("file,email\na.py,x@y\n", "canvas", "no student identifier for canvas"),
    ("file,Student,ID\na.py,Ada,1\nb.py,Bob,1\n", "canvas", "line 3: duplicate canvas_id '1'"),
    ("file,ID number\na.py,7\nA.py,8\n", "moodle", "line 3: file 'A.py' is also on line 2"),
    ("file,ID number,email\na.py,,\n", "moodle", "line 2: no student identifier"),
    ("file,email\na.py,Ada@x\nb.py,ada@X\n", "moodle", "duplicate email"),
    ('file,ID\n"a.py,1\n', "canvas", "not a valid CSV"),
])
def test_a_bad_roster_is_refused_naming_the_problem(tmp_path, text, lms, expected):
    with pytest.raises(RosterError, match=expected.replace("(", r"\(")):
        read_roster(write(tmp_path, text), lms)


def test_a_missing_roster_is_refused(tmp_path):
    with pytest.raises(RosterError, match="cannot read the roster"):
        read_roster(tmp_path / "nowhere.csv", "canvas")
