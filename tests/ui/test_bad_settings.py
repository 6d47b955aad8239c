"""A bad QA_ARENA_* value when the app starts: one line on stderr and, for someone who
started it from a menu, a dialog naming the variable; the app does not open."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from qa_arena_desktop.ui.app import settings_refused


def test_a_bad_setting_is_shown_in_a_dialog_and_on_stderr(qapp, monkeypatch, capsys):
    shown: list[tuple[str, str]] = []
    # The modal dialog's exec would block the test: record what it would show instead.
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda _parent, title, text: shown.append((title, text)))
    monkeypatch.setenv("QA_ARENA_HINTS", "sometimes")
    assert settings_refused(show_dialog=True)
    [(title, text)] = shown
    assert "not valid" in title
    assert text.startswith("QA_ARENA_HINTS='sometimes' is not a valid setting (allowed: on: on,")
    assert capsys.readouterr().err.startswith("qa-arena: QA_ARENA_HINTS='sometimes'")


def test_good_settings_open_the_app_without_a_word(qapp, monkeypatch, capsys):
    monkeypatch.setattr(QMessageBox, "critical", lambda *_args: (_ for _ in ()).throw(
        AssertionError("no dialog for good settings")))
    monkeypatch.setenv("QA_ARENA_HINTS", "off")
    assert not settings_refused(show_dialog=True)
    assert capsys.readouterr().err == ""
