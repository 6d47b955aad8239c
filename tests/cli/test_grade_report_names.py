"""Every report ``grade`` writes is named after ``--out``: two problems graded into one
folder each keep their own class report (it was ``class-report.*`` for all of them)."""

from __future__ import annotations

import json
from pathlib import Path

from qa_arena_desktop.classroom.class_analytics import class_report
from qa_arena_desktop.cli.grade_options import ReportOptions, write_extra_reports
from tests.classroom.fakes import make_pack
from tests.classroom.test_class_analytics import class_rows


def test_two_reports_in_one_folder_keep_a_class_report_each(tmp_path: Path):
    pack = make_pack(tmp_path / "pack")
    rows = class_rows(pack)
    options = ReportOptions(None, None, None, [], None, "zero")
    folder = tmp_path / "grades"
    folder.mkdir()
    first = write_extra_reports(options, pack, rows, folder / "lab1.csv")
    second = write_extra_reports(options, pack, rows[:1], folder / "lab2.json")

    assert first == [f"class report {folder / 'lab1-class-report.html'}"]
    assert second == [f"class report {folder / 'lab2-class-report.html'}"]
    graded = json.loads((folder / "lab1-class-report.json").read_text())["graded"]
    assert graded == class_report(pack, rows)["graded"] > 1
    assert json.loads((folder / "lab2-class-report.json").read_text())["graded"] == 1
    assert sorted(p.name for p in folder.iterdir()) == [
        "lab1-class-report.html", "lab1-class-report.json",
        "lab2-class-report.html", "lab2-class-report.json"]
