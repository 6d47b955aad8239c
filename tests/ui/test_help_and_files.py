"""Help pages (shortcuts, scoring) and File › Open tests… / Save tests as… on a real window."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog

from qa_arena_desktop import paths
from qa_arena_desktop.judging.precheck import MAX_TEST_FILE_BYTES
from qa_arena_desktop.ui.help_pages import SHORTCUTS
from tests.ui.conftest import PROBLEM

REPO_DOCS = Path(__file__).resolve().parents[2] / "docs"


def _menu(window, title: str):  # type: ignore[no-untyped-def]
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title:
            return action.menu()
    raise AssertionError(title)


def _item(window, menu: str, text: str):  # type: ignore[no-untyped-def]
    for action in _menu(window, menu).actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(text)


def test_every_menu_shortcut_is_on_the_shortcuts_page(make_window, qtbot):
    window = make_window()
    listed = {keys for keys, _action in SHORTCUTS}
    for bar_action in window.menuBar().actions():
        for action in bar_action.menu().actions():
            for sequence in action.shortcuts():
                text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
                if text in ("Ctrl+Return", "Ctrl+=", "Ctrl+-"):  # listed with their twins
                    continue
                assert text in listed, (action.text(), text)
    page = window.show_help("shortcuts")
    shown = page.browser.toPlainText()
    for keys, _action in SHORTCUTS:
        assert keys in shown
    assert page.browser.document().rootFrame().childFrames()  # a real table


def test_the_docs_keyboard_table_matches_the_shortcuts_page():
    gui = (REPO_DOCS / "gui.md").read_text(encoding="utf-8")
    section = gui.split("## Keyboard", 1)[1].split("\n## ", 1)[0]
    keys = [row.split("|")[1].strip() for row in section.splitlines()
            if row.startswith("| ") and not row.startswith("| Keys") and "---" not in row]
    assert keys == [keys for keys, _action in SHORTCUTS]


def test_the_scoring_page_is_the_docs_page_rendered(make_window, qtbot):
    window = make_window()
    _item(window, "Help", "How scoring and hints work").trigger()
    page = window.help_pages["scoring"]
    assert page.isVisible() and page.windowTitle() == "How scoring and hints work"
    text = page.browser.toPlainText()
    assert "30 + 70 × (weight of the bugs you killed ÷ weight of all bugs)" in text
    assert "The changed line" in text
    source = (paths.docs_dir() / "scoring-and-hints.md").read_text(encoding="utf-8")
    assert source == (REPO_DOCS / "scoring-and-hints.md").read_text(encoding="utf-8")
    html = page.browser.toHtml()
    assert re.search(r"<ol", html)  # the numbered steps are a list, as in the docs
    assert _item(window, "Help", "Keyboard shortcuts").shortcut().toString() == "F1"


def test_open_tests_loads_a_file_and_undo_brings_the_draft_back(make_window, qtbot, tmp_path,
                                                                  monkeypatch):
    window = make_window()
    window.select_problem(PROBLEM)
    draft = window.editor.toPlainText()
    mine = tmp_path / "test_mine.py"
    mine.write_text("from target import normalize_whitespace\n\ndef test_x():\n    assert 1\n",
                    encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(mine), ""))
    action = _item(window, "File", "Open tests…")
    assert action.shortcut().toString() == "Ctrl+O"
    action.trigger()
    assert window.editor.toPlainText() == mine.read_text(encoding="utf-8")
    window.editor.undo()
    assert window.editor.toPlainText() == draft


def test_a_file_that_is_not_utf8_or_too_big_is_refused_and_the_draft_stays(make_window, qtbot,
                                                                            tmp_path):
    window = make_window()
    window.select_problem(PROBLEM)
    window.editor.replace_text_undoably("def test_my_draft():\n    assert True\n")
    draft = window.editor.toPlainText()
    pane = window.editor_pane
    latin = tmp_path / "latin.py"
    latin.write_bytes("def test_caf\u00e9():\n    assert 'caf\u00e9'\n".encode("latin-1"))
    assert not pane.load_file(latin)
    assert pane.error_box is not None and pane.error_box.isVisible()
    assert "latin.py is not UTF-8 text" in pane.error_box.text()
    assert "Save it as UTF-8" in pane.error_box.text()
    assert window.editor.toPlainText() == draft
    pane.error_box.accept()

    huge = tmp_path / "huge.py"
    huge.write_text("# x\n" * (MAX_TEST_FILE_BYTES // 2), encoding="utf-8")
    assert not pane.load_file(huge)
    assert "at most 256 KiB" in pane.error_box.text()
    assert window.editor.toPlainText() == draft
    assert not pane.load_file(tmp_path / "missing.py")
    assert "missing.py cannot be read" in pane.error_box.text()
    assert not pane.load_file(tmp_path)
    assert "is a folder" in pane.error_box.text()
    assert window.editor.toPlainText() == draft
    window.editor_pane.autosave.flush()
    assert window.drafts.load(PROBLEM) == draft  # the saved draft is the learner's too


def test_save_tests_as_writes_the_editor_text(make_window, qtbot, tmp_path, monkeypatch):
    window = make_window()
    window.select_problem(PROBLEM)
    window.editor.replace_text_undoably("def test_saved():\n    assert 'é'\n")
    target = tmp_path / "out" / "test_saved.py"
    target.parent.mkdir()
    suggested: list[str] = []

    def fake_dialog(_parent, _title, where, _filters):  # type: ignore[no-untyped-def]
        suggested.append(where)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    action = _item(window, "File", "Save tests as…")
    assert action.shortcut().toString() == "Ctrl+Shift+S"
    action.trigger()
    assert suggested[0].endswith("test_normalize_whitespace.py")
    assert target.read_text(encoding="utf-8") == "def test_saved():\n    assert 'é'\n"
    assert not window.editor_pane.save_file(tmp_path / "no-such-folder" / "x.py")
    assert "does not exist" in window.editor_pane.error_box.text()


def test_the_screenshot_command_can_picture_a_help_page(tmp_path):
    """A real process: the app makes its own QApplication, and a process has only one."""
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    out = tmp_path / "help.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DOCKER_HOST="tcp://127.0.0.1:9",
               PYTHONPATH=str(REPO_DOCS.parent))  # this checkout's code
    completed = subprocess.run([sys.executable, "-m", "qa_arena_desktop", "gui", "--screenshot",
                                str(out), "--help-page", "scoring"], capture_output=True,
                               text=True, env=env, timeout=120, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (640, 620)  # the dialog, not the 1400×900 window
