"""The Author studio opens a real class report file: its failing groups become mutant suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_arena_desktop.classroom.class_analytics import class_report
from qa_arena_desktop.classroom.class_report_html import write_class_report
from qa_arena_desktop.ui.studio.class_report_dialog import open_class_report
from qa_arena_desktop.ui.studio.studio_window import StudioWindow
from tests.classroom.fakes import make_pack
from tests.classroom.test_class_analytics import class_rows, failing
from tests.classroom.test_student_reports import HOSTILE
from tests.packs.factory import write_pack
from tests.ui.conftest import ScriptedBackend


@pytest.fixture
def studio(qtbot, catalog):  # type: ignore[no-untyped-def]
    window = StudioWindow(catalog, ScriptedBackend())  # type: ignore[arg-type]
    qtbot.addWidget(window)
    yield window
    assert window.shutdown()


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    pack = make_pack(tmp_path / "graded")
    rows = [*class_rows(pack), failing(pack, "z.py", HOSTILE, test="test_hostile")]
    json_path, _ = write_class_report(class_report(pack, rows), tmp_path / "out")
    return json_path


def test_the_groups_are_listed_most_students_first_and_hostile_text_stays_text(
        studio, report_file, qtbot):
    assert studio.open_path(write_pack(report_file.parent.parent / "packs"))
    assert "class_report" in studio.toolbar_actions
    dialog = open_class_report(studio, report_file)
    assert dialog is not None
    qtbot.addWidget(dialog)
    rows = [(dialog.tree.topLevelItem(i).text(0), dialog.tree.topLevelItem(i).text(1))
            for i in range(dialog.tree.topLevelItemCount())]
    assert rows[0] == ("2", "assert add_one(-1) == -2")
    assert len(rows) == 3  # two more assertion groups; the timeout group is no suggestion
    hostile = next(text for _, text in rows if "script" in text)
    assert "\x1b" not in hostile and "\u202e" not in hostile and "\\x1b" in hostile
    assert dialog.start_button.isEnabled()
    assert "e.py" in dialog.detail.text()


def test_start_a_mutant_adds_a_golden_copy_with_the_misreading_on_top(studio, report_file):
    assert studio.open_path(write_pack(report_file.parent.parent / "packs"))
    before = len(studio.draft.mutants)
    dialog = open_class_report(studio, report_file)
    assert dialog is not None
    name = dialog.start_mutant()
    assert name == "misconception" and len(studio.draft.mutants) == before + 1
    mutant = studio.draft.mutants[-1]
    assert mutant.source.endswith(studio.draft.golden_source)
    assert "#   assert add_one(-1) == -2" in mutant.source
    assert studio.tabs.currentWidget() is studio.mutants and studio.is_dirty()
    hostile = next(item for item in dialog.items if "script" in item.text(1))
    dialog.tree.setCurrentItem(hostile)  # the hostile group: comments, never code
    dialog.start_mutant()
    assert "\\x1b[31m" in studio.draft.mutants[-1].source
    header = studio.draft.mutants[-1].source.split(studio.draft.golden_source)[0]
    assert all(line.startswith("#") for line in header.splitlines())
    compile(studio.draft.mutants[-1].source, "m.py", "exec")


def test_a_file_that_is_not_a_class_report_says_why(studio, tmp_path):
    path = tmp_path / "grades.json"
    path.write_text('{"problem": "x"}')
    assert open_class_report(studio, path) is None
    assert "not a class report written by qa-arena grade" in studio.last_message
