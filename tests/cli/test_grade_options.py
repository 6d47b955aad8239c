"""`qa-arena grade` with student reports, an LMS export, the class report and --invalid drop."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from qa_arena_desktop.classroom.feedback import PROFILES
from qa_arena_desktop.classroom.invalid_tests import POLICIES
from qa_arena_desktop.classroom.lms_export import FORMATS
from qa_arena_desktop.cli.grade_args import FEEDBACK_PROFILES, INVALID_POLICIES, LMS_FORMATS
from tests.classroom.test_student_reports import Page
from tests.cli.test_grade_command import PARTIAL, read_csv, write_class
from tests.cli.test_judge_command import run_cli
from tests.packs.factory import MUTANTS, REFERENCE, manifest, write_pack

WRONG = "from target import add_one\n\ndef test_wrong():\n    assert add_one(2) == 4\n\n"
HALF_WRONG = WRONG + "def test_zero():\n    assert add_one(0) != 0\n"
ROSTER = ("Student,ID,SIS User ID,SIS Login ID,Section,file\n"
          "Ada,101,S1,ada@x,A,alice_test.py\nBob,102,S2,bob@x,A,bob_test.py\n"
          "Cy,103,S3,cy@x,B,carol_test.py\nDee,104,S4,dee@x,B,dee_test.py\n")


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    text = manifest().replace("time_limit_s = 5", "time_limit_s = 2")
    return write_pack(tmp_path / "packs", toml=text, mutants=MUTANTS)


def test_the_parser_choices_are_the_ones_the_features_know():
    assert FEEDBACK_PROFILES == PROFILES
    assert LMS_FORMATS == FORMATS
    assert INVALID_POLICIES == POLICIES


@pytest.mark.parametrize(("extra", "expected"), [
    (["--feedback", "exam"], "--feedback needs --student-reports DIR"),
    (["--roster", "r.csv"], "--roster and --format go together"),
    (["--format", "canvas"], "--roster and --format go together"),
    (["--roster", "missing.csv", "--format", "moodle"], "cannot read the roster"),
    (["--roster", "bad.csv", "--format", "canvas"], "line 3: duplicate canvas_id '1'"),
    (["--roster", "latin1.csv", "--format", "canvas"], "is not UTF-8"),
    (["--roster", "nofile.csv", "--format", "canvas"], "has no 'file' column"),
    (["--feedback", "everything", "--student-reports", "r"], "invalid choice: 'everything'"),
])
def test_bad_report_options_are_one_line_and_exit_2_before_any_judging(tmp_path, pack, extra,
                                                                        expected):
    folder = write_class(tmp_path / "class", {"a.py": PARTIAL})
    (tmp_path / "bad.csv").write_text("file,ID\na.py,1\nb.py,1\n")
    (tmp_path / "latin1.csv").write_bytes("file,ID\nb\xe9a.py,1\n".encode("latin-1"))
    (tmp_path / "nofile.csv").write_text("Student,ID\nAda,1\n")
    extra = [str(tmp_path / e) if e.endswith(".csv") else e for e in extra]
    completed = run_cli("grade", "--pack", str(pack), str(folder), "--out",
                        str(tmp_path / "g.csv"), *extra,
                        env={"DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock"})  # never reached
    assert completed.returncode == 2, completed.stderr
    assert expected in completed.stderr and "Traceback" not in completed.stderr
    assert not (tmp_path / "g.csv").exists()


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_a_class_gets_student_reports_a_canvas_csv_and_a_class_report(tmp_path, pack):
    folder = write_class(tmp_path / "class", {
        "alice_test.py": REFERENCE, "bob_test.py": PARTIAL, "carol_test.py": HALF_WRONG,
        "erin_test.py": WRONG})
    (tmp_path / "roster.csv").write_text(ROSTER)
    out = tmp_path / "out" / "grades.csv"
    completed = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(out),
                        "--student-reports", str(tmp_path / "reports"), "--feedback", "graded",
                        "--roster", str(tmp_path / "roster.csv"), "--format", "canvas",
                        "--invalid", "drop", "--assignment", "Lab 3", timeout=400)
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    # the gradebook: carol's failing test was dropped, the rest scored
    _, rows = read_csv(out)
    assert (rows["carol_test.py"]["status"], rows["carol_test.py"]["score"]) == ("SUCCESS", "65.0")
    assert "1 test(s) dropped" in rows["carol_test.py"]["message"]
    assert "test_wrong" in rows["carol_test.py"]["message"]
    assert (rows["erin_test.py"]["status"], rows["erin_test.py"]["score"]) == ("FAILURE", "0.0")
    # the LMS file: every roster row, erin (no roster row) listed, never dropped silently
    with (tmp_path / "out" / "grades-canvas.csv").open(newline="", encoding="utf-8") as handle:
        canvas = list(csv.reader(handle))
    assert canvas == [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 3"],
                      ["Ada", "101", "S1", "ada@x", "A", "100.0"],
                      ["Bob", "102", "S2", "bob@x", "A", "65.0"],
                      ["Cy", "103", "S3", "cy@x", "B", "65.0"],
                      ["Dee", "104", "S4", "dee@x", "B", ""]]
    assert "1 graded file(s) match no roster row" in completed.stderr
    assert "erin_test.py: no roster row names this file" in completed.stderr
    assert "1 roster row(s) have no graded file" in completed.stderr
    unmatched = (tmp_path / "out" / "grades-unmatched.csv").read_text()
    assert "erin_test.py" in unmatched and "dee_test.py" in unmatched
    # student reports under the graded profile
    alice = Page((tmp_path / "reports" / "alice_test.html").read_text())
    assert "100.0 / 100" in alice.text and "Every bug caught" in alice.text
    assert "returns-same" not in alice.text and "adds-two" not in alice.text
    carol = Page((tmp_path / "reports" / "carol_test.html").read_text())
    assert "Tests left out" in carol.text and "test_wrong" in carol.text
    assert "assert 3 == 4" not in carol.text  # golden's value, never in a graded report
    assert "Hint: Look closely." in carol.text
    assert (tmp_path / "reports" / "erin_test.md").read_text().startswith("# Add one")
    # the class report
    report = json.loads((tmp_path / "out" / "grades-class-report.json").read_text())
    assert report["graded"] == 4
    assert {b["name"]: b["kill_rate"] for b in report["bugs"]} == {
        "returns-same": 1.0, "adds-two": round(1 / 3, 4)}
    assert report["failed_on_golden"]["students"] == 2
    [group] = report["failed_on_golden"]["groups"]
    assert group["message"] == "assert 3 == 4" and group["students"] == 2
    assert report["dropped_tests"] == [  # erin's only test was dropped too: she still scores 0
        {"file": str(folder / name), "tests": ["test_wrong"]}
        for name in ("carol_test.py", "erin_test.py")]
    page = Page((tmp_path / "out" / "grades-class-report.html").read_text())
    assert "Kill rate per bug" in page.text and "svg" in page.tags
    assert f"class report {tmp_path / 'out' / 'grades-class-report.html'}" in completed.stdout
    # a re-run with the default policy does not reuse the rows graded under drop
    again = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(out), timeout=400)
    assert again.returncode == 0, again.stderr
    assert "(4 judged, 0 unchanged)" in again.stdout
    _, rows = read_csv(out)
    assert (rows["carol_test.py"]["status"], rows["carol_test.py"]["score"]) == ("FAILURE", "0.0")
