"""Drafts: saved automatically while typing, on a problem switch, and restored after a restart."""

from __future__ import annotations

from qa_arena_desktop.practice.drafts import DraftStore
from tests.ui.conftest import PROBLEM

OTHER = "count-vowels"


def test_typing_is_autosaved_after_a_short_pause(make_window, qtbot):
    window = make_window()
    window.select_problem(PROBLEM)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "# my note")
    assert window.editor_pane.autosave.timer.isActive()
    path = DraftStore().path_for(PROBLEM)
    qtbot.waitUntil(lambda: path.exists() and "# my note" in path.read_text(), timeout=3000)
    assert path.read_text() == window.editor.toPlainText()
    assert window.editor_pane.saved_label.text() == "Draft saved"


def test_switching_problems_saves_at_once_and_loads_the_other_draft(make_window, qtbot):
    DraftStore().save(OTHER, "# the other draft\n")
    window = make_window()
    window.select_problem(PROBLEM)
    window.editor.setPlainText("# unsaved work\n")
    window.select_problem(OTHER)
    assert DraftStore().load(PROBLEM) == "# unsaved work\n"
    assert window.editor.toPlainText() == "# the other draft\n"


def test_a_new_problem_starts_from_its_starter_file(make_window, qtbot):
    window = make_window()
    window.select_problem(OTHER)
    text = window.editor.toPlainText()
    assert "from target import count_vowels" in text
    assert "def test_example_from_the_description" in text


def test_the_draft_and_problem_are_restored_after_a_restart(make_window, qtbot):
    first = make_window()
    first.select_problem(PROBLEM)
    first.editor.setPlainText("def test_restored():\n    assert True\n")
    first.close()  # quitting flushes the pending autosave
    second = make_window()
    assert second.pack is not None and second.pack.slug == PROBLEM
    assert second.editor.toPlainText() == "def test_restored():\n    assert True\n"
