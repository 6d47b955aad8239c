"""A learner's text (messages, test ids, file names) never reaches a terminal or a
spreadsheet raw: control characters are shown escaped; --json stays valid JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.classroom.batch import Progress
from qa_arena_desktop.classroom.reports import write_csv, write_json
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.cli.grade_cmd import ProgressLines
from qa_arena_desktop.console.judge import judge_tests
from qa_arena_desktop.domain.judge_models import TestOutcome as Entry
from qa_arena_desktop.domain.judge_models import VariantRun
from qa_arena_desktop.domain.verdicts import Outcome, SubmissionStatus
from tests.classroom.fakes import make_pack, result
from tests.judging.scripted import ScriptedRuns
from tests.packs.factory import write_pack

EVIL = "\x1b[2J\x1b]0;owned\x07 \rfake PASS \x9b31m \u202eevil\u202c \x7f"
RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e", "\u202c", "\x7f")


def assert_no_raw_controls(text: str) -> None:
    found = [ch for ch in RAW if ch in text]
    assert not found, (found, text)


def hostile(request):
    test_id = "test_\x1b[31mred\x1b[0m"
    runs = [VariantRun(variant="golden", golden=True, outcome=Outcome.PASSED,
                       tests=(Entry(id=test_id, outcome="passed"),))]
    for mutant in request.mutants:
        runs.append(VariantRun(variant=mutant.name, outcome=Outcome.FAILED,
                               failed_tests=(test_id,), message=EVIL,
                               tests=(Entry(id=test_id, outcome="failed", message=EVIL),)))
    return runs


def golden_fails(request):
    return [VariantRun(variant="golden", golden=True, outcome=Outcome.FAILED,
                       failed_tests=("test_\x1b[8m",), message="line one\n" + EVIL)]


@pytest.fixture
def judged(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    pack_dir = write_pack(tmp_path / "packs")

    def run(script, as_json: bool) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = judge_tests(b"def test_a():\n    pass\n", catalog, ScriptedRuns(script),
                           pack=str(pack_dir), as_json=as_json, out=out, err=err)
        return code, out.getvalue(), err.getvalue()

    yield run
    catalog.close()


def test_human_judge_output_escapes_control_characters(judged):
    code, out, err = judged(hostile, as_json=False)
    assert code == 0
    assert_no_raw_controls(out + err)
    assert "by test_\\x1b[31mred\\x1b[0m" in out
    code, out, err = judged(golden_fails, as_json=False)
    assert "FAILURE" in out and "\\x1b[2J" in out and "\\r" in out and "\\u202e" in out
    assert "line one\n" in out  # a message's own line breaks are kept
    assert_no_raw_controls(out + err)


def test_json_judge_output_is_valid_and_terminal_safe(judged):
    code, out, _ = judged(hostile, as_json=True)
    assert code == 0
    data = json.loads(out)
    assert data["mutants"][0]["message"] == EVIL  # the same value, only escaped in the text
    assert_no_raw_controls(out)


def test_grade_progress_lines_escape_file_names_and_messages(tmp_path):
    pack = make_pack(tmp_path / "packs")
    row = GradeRow.from_result("class/\x1b]0;x\x07al\rice.py", "", result(
        pack, status=SubmissionStatus.FAILURE, message=EVIL))
    stream = io.StringIO()
    ProgressLines(stream)(Progress(done=1, total=1, row=row))  # type: ignore[arg-type]
    line = stream.getvalue()
    assert line.count("\n") == 1 and line.endswith("\n")
    assert_no_raw_controls(line)
    assert "class/\\x1b]0;x\\x07al\\rice.py FAILURE" in line


def test_csv_and_json_reports_have_no_raw_control_characters(tmp_path):
    pack = make_pack(tmp_path / "packs")
    rows = [GradeRow.from_result("\u202eyxt.py", "", result(
        pack, status=SubmissionStatus.FAILURE, message=EVIL, flags=("a\x1bb",)))]
    write_csv(rows, tmp_path / "g.csv")
    text = (tmp_path / "g.csv").read_text(encoding="utf-8")
    assert_no_raw_controls(text.replace("\r\n", "\n"))  # csv's own line ends
    with (tmp_path / "g.csv").open(newline="", encoding="utf-8") as handle:
        (cells,) = list(csv.DictReader(handle))
    assert cells["file"] == "\\u202eyxt.py" and cells["flags"] == "a\\x1bb"
    assert cells["message"].startswith("\\x1b[2J\\x1b]0;owned\\x07 \\rfake PASS")
    write_json(pack, rows, tmp_path / "g.json")
    report_text = (tmp_path / "g.json").read_text(encoding="utf-8")
    assert_no_raw_controls(report_text)
    assert json.loads(report_text)["students"][0]["message"] == EVIL


def flagged(request):
    runs = [VariantRun(variant="golden", golden=True, outcome=Outcome.PASSED,
                       flags=("introspects-code-under-test",))]
    runs += [VariantRun(variant=m.name, outcome=Outcome.FAILED, failed_tests=("test_a",))
             for m in request.mutants]
    return runs


def test_human_judge_output_names_each_flag_and_what_it_means(judged):
    code, out, _ = judged(flagged, as_json=False)
    assert code == 0
    assert ("flagged introspects-code-under-test: while running, the tests read the code "
            "under test's source, bytecode or internals") in out
    code, out, _ = judged(hostile, as_json=False)
    assert "flagged" not in out
