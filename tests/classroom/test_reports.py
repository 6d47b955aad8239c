"""The gradebook CSV (a DESIGN.md contract) and the JSON report with its kill matrices."""

from __future__ import annotations

import csv
import json

from qa_arena_desktop.classroom.reports import (
    CSV_COLUMNS,
    kill_matrix,
    safe_cell,
    summarize,
    write_csv,
    write_json,
)
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from tests.classroom.fakes import make_pack, result


def rows_for(pack):
    return [
        GradeRow.from_result("class/alice.py", "a" * 64, result(
            pack, {"returns-same": MutantStatus.KILLED, "adds-two": MutantStatus.MEMORY},
            flags=("reads-target-source", "slow"))),
        GradeRow.from_result("class/bob.py", "b" * 64, result(
            pack, status=SubmissionStatus.FAILURE, message="test_zero failed\non the correct code")),
        GradeRow.error("class/=carol.py", 3, "could not read the file (PermissionError)"),
    ]


def test_csv_has_exactly_the_contract_columns_one_row_per_file(tmp_path):
    pack = make_pack(tmp_path / "packs")
    write_csv(rows_for(pack), tmp_path / "grades.csv")
    with (tmp_path / "grades.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS == (
            "file", "status", "score", "killed_mutants", "total_mutants", "message", "flags")
        table = list(reader)
    assert [r["file"] for r in table] == ["class/alice.py", "class/bob.py", "class/=carol.py"]
    alice, bob, carol = table
    assert (alice["status"], alice["score"], alice["killed_mutants"], alice["total_mutants"]) == (
        "SUCCESS", "76.7", "2", "3")
    assert alice["flags"] == "reads-target-source;slow"
    assert bob["message"] == "test_zero failed on the correct code"
    assert (carol["status"], carol["score"], carol["flags"]) == ("ERROR", "0.0", "")


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused():
    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_cell("+1") == "'+1" and safe_cell("@cmd") == "'@cmd" and safe_cell("-2") == "'-2"
    assert safe_cell("fine = ok") == "fine = ok"
    assert len(safe_cell("x" * 5000)) == 1000


def test_kill_matrix_is_tests_by_mutants_from_the_per_test_outcomes(tmp_path):
    pack = make_pack(tmp_path / "packs")
    matrix = kill_matrix(result(pack, {"adds-two": MutantStatus.KILLED}))
    assert matrix["tests"] == ["test_zero", "test_big"]
    assert matrix["mutants"] == ["returns-same", "adds-two", "subtracts"]
    assert matrix["cells"] == [["passed", "failed", "passed"], ["passed", "passed", "passed"]]
    assert kill_matrix(None) == {"tests": [], "mutants": [], "cells": []}


def test_json_report_has_every_student_with_verdicts_and_kill_matrix(tmp_path):
    pack = make_pack(tmp_path / "packs")
    rows = rows_for(pack)
    write_json(pack, rows, tmp_path / "grades.json", {"class/alice.py": "grades-mte/alice.json"})
    report = json.loads((tmp_path / "grades.json").read_text())
    assert report["problem"] == "add-one" and report["pack_hash"] == pack.content_hash
    assert report["summary"] == {"files": 3, "SUCCESS": 1, "FAILURE": 1, "ERROR": 1,
                                 "unchanged": 0, "mean_score": 38.4}
    alice, bob, carol = report["students"]
    assert set(alice) >= set(CSV_COLUMNS) | {"kill_matrix", "mutants", "golden", "mte_report"}
    assert alice["flags"] == ["reads-target-source", "slow"]
    assert [m["status"] for m in alice["mutants"]] == ["KILLED", "MEMORY", "SURVIVED"]
    assert "tests" not in alice["mutants"][0]
    assert alice["kill_matrix"]["cells"][0] == ["failed", "failed", "passed"]
    assert alice["mte_report"] == "grades-mte/alice.json"
    assert bob["status"] == "FAILURE" and bob["kill_matrix"]["tests"] == []
    assert alice["dropped"] == []
    assert carol["golden"] is None and carol["mte_report"] is None


def test_summary_mean_leaves_out_error_rows(tmp_path):
    pack = make_pack(tmp_path / "packs")
    summary = summarize(rows_for(pack))
    assert (summary.success, summary.failure, summary.error) == (1, 1, 1)
    assert summary.mean_score == round((76.7 + 0.0) / 2, 1)
    assert summarize([]).mean_score is None


def test_json_report_lists_the_tests_dropped_by_invalid_drop(tmp_path):
    pack = make_pack(tmp_path / "packs")
    row = GradeRow.from_result("a.py", "a" * 64, result(pack))
    row = GradeRow(**{**row.__dict__, "dropped": (("test_bad", "assert 2 == 3"),)})
    write_json(pack, [row], tmp_path / "grades.json")
    [student] = json.loads((tmp_path / "grades.json").read_text())["students"]
    assert student["dropped"] == [{"test": "test_bad", "message": "assert 2 == 3"}]
