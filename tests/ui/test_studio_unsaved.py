"""No author edit is lost silently: closing the studio or quitting the app with unsaved
edits asks Save / Discard / Cancel (real windows; the question's answer is injected)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QStatusBar

from qa_arena_desktop.authoring.draft import load_draft
from qa_arena_desktop.ui.studio.studio_window import StudioWindow
from qa_arena_desktop.ui.unsaved import Answer
from tests.packs.factory import write_pack


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "packs")


def _open_studio(window, pack_dir: Path, qtbot, answer: Answer | None):  # type: ignore[no-untyped-def]
    window.show()
    next(a for a in window.menuBar().actions()[0].menu().actions()
         if a.text() == "&Author studio…").trigger()
    studio: StudioWindow = window.studio
    asked: list[str] = []

    def prompt(_parent: object, text: str) -> Answer:
        asked.append(text)
        assert answer is not None, "the studio asked, but this test expected no question"
        return answer

    studio.prompt = prompt  # type: ignore[assignment]
    assert studio.open_path(pack_dir)
    qtbot.keyClicks(studio.form.title, " (edited)")
    assert studio.is_dirty()
    return studio, asked


def test_quitting_with_a_dirty_studio_and_cancel_keeps_both_windows(make_window, pack_dir, qtbot):
    window = make_window()
    studio, asked = _open_studio(window, pack_dir, qtbot, Answer.CANCEL)
    assert not window.close()  # the main window's close (File › Quit does the same)
    assert len(asked) == 1 and "add-one" in asked[0]
    assert window.isVisible() and studio.isVisible() and studio.is_dirty()
    assert studio.draft.title == "Add one (edited)" and not window._shut_down


def test_quitting_and_discard_closes_both_without_saving(make_window, pack_dir, qtbot):
    window = make_window()
    before = (pack_dir / "problem.toml").read_bytes()
    studio, asked = _open_studio(window, pack_dir, qtbot, Answer.DISCARD)
    assert window.close()
    assert len(asked) == 1
    assert not window.isVisible() and not studio.isVisible()
    assert (pack_dir / "problem.toml").read_bytes() == before


def test_quitting_and_save_saves_then_closes_both(make_window, pack_dir, qtbot):
    window = make_window()
    studio, _asked = _open_studio(window, pack_dir, qtbot, Answer.SAVE)
    assert window.close()
    assert load_draft(pack_dir).title == "Add one (edited)"
    assert not window.isVisible() and not studio.isVisible()


def test_a_save_that_fails_keeps_both_windows_open_with_the_reason(make_window, pack_dir,
                                                                   tmp_path, qtbot):
    window = make_window()
    studio, _asked = _open_studio(window, pack_dir, qtbot, Answer.SAVE)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the pack folder should go")
    studio.folder = blocked
    assert not window.close()
    assert window.isVisible() and studio.isVisible() and studio.is_dirty()
    assert studio.last_message.startswith("Could not save")


def test_ctrl_q_in_the_studio_quits_the_app_asking_first(make_window, pack_dir, qtbot):
    window = make_window()
    studio, asked = _open_studio(window, pack_dir, qtbot, Answer.CANCEL)
    quit_action = studio.toolbar_actions["quit"]
    assert quit_action.shortcut().toString() == "Ctrl+Q"
    quit_action.trigger()
    assert len(asked) == 1 and window.isVisible() and studio.isVisible()
    studio.prompt = lambda *_args: Answer.DISCARD  # type: ignore[assignment]
    quit_action.trigger()
    assert not window.isVisible() and not studio.isVisible()


def test_ctrl_w_closes_the_studio_asking_first_and_discard_goes_back_to_the_saved_pack(
        make_window, pack_dir, qtbot):
    window = make_window()
    studio, asked = _open_studio(window, pack_dir, qtbot, Answer.CANCEL)
    close_action = studio.toolbar_actions["close"]
    assert close_action.shortcut().toString() == "Ctrl+W"
    close_action.trigger()
    assert len(asked) == 1 and studio.isVisible()
    studio.prompt = lambda *_args: Answer.DISCARD  # type: ignore[assignment]
    close_action.trigger()
    assert not studio.isVisible() and window.isVisible()
    assert studio.draft.title == "Add one" and not studio.is_dirty()  # the saved pack again


def test_a_clean_studio_closes_without_a_question(make_window, pack_dir, qtbot):
    window = make_window()
    studio, _asked = _open_studio(window, pack_dir, qtbot, None)
    studio.prompt = lambda *_args: pytest.fail("asked with nothing to save")  # type: ignore[assignment]
    assert studio.save()
    assert window.close()
    assert not studio.isVisible()


def test_the_studio_has_one_status_bar(make_window, pack_dir, qtbot):
    window = make_window()
    studio, _asked = _open_studio(window, pack_dir, qtbot, Answer.DISCARD)
    assert len(studio.findChildren(QStatusBar)) == 1


def test_the_main_window_owns_the_one_studio_its_menu_opens(make_window, pack_dir, qtbot):
    window = make_window()
    assert window.studio is None  # created on first use, by the window itself
    studio, asked = _open_studio(window, pack_dir, qtbot, Answer.CANCEL)
    assert isinstance(studio, StudioWindow) and window.studio is studio
    next(a for a in window.menuBar().actions()[0].menu().actions()
         if a.text() == "&Author studio…").trigger()
    assert window.studio is studio and window.open_studio() is studio  # one per window
    assert studio.isVisible() and window.quit_guards == [studio]
    assert not window.close()  # quitting with unsaved edits still asks the studio first
    assert len(asked) == 1 and window.isVisible() and studio.is_dirty()
