"""The app's exception hook (ui/error_hook.py): an uncaught error is written with its traceback
to a log file, and a dialog (no traceback in it) says so and names the file; the app runs on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from qa_arena_desktop import paths
from qa_arena_desktop.ui.error_hook import DIALOG_TITLE, ExceptionHook, install_exception_hook
from qa_arena_desktop.ui.tasks import TaskRunner

pytestmark = pytest.mark.qt_no_exception_capture  # this hook, not pytest-qt's, gets the errors


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """Every error dialog opened, instead of blocking on its modal loop."""
    boxes: list[QMessageBox] = []

    def record(box: QMessageBox) -> int:
        boxes.append(box)
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", record)
    return boxes


@pytest.fixture
def hook(qtbot, isolated_home: Path) -> Iterator[ExceptionHook]:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    installed = install_exception_hook(app)  # as run_app does: the data dir's logs/
    yield installed
    installed.uninstall()
    installed.deleteLater()


def _dialog_words(box: QMessageBox) -> str:
    return f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}\n{box.detailedText()}"


def test_an_error_in_a_slot_is_logged_with_its_traceback_and_said_in_a_dialog(hook, shown,
                                                                             qtbot):
    def broken_slot() -> None:
        raise ZeroDivisionError("the score divided by zero bugs")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: len(shown) == 1)
    logs = list(paths.logs_dir().glob("error-*.log"))
    assert logs == [hook.last_log]
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in broken_slot" in text
    assert "ZeroDivisionError: the score divided by zero bugs" in text
    words = _dialog_words(shown[0])
    assert shown[0].windowTitle() == DIALOG_TITLE and "Something went wrong" in words
    assert str(logs[0]) in words  # the learner can find and send the file
    assert "Traceback" not in words and "broken_slot" not in words  # no internals shown
    assert "keeps running" in words


def test_the_app_keeps_running_after_an_error(hook, shown, qtbot):
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("first")

    QTimer.singleShot(0, broken)
    QTimer.singleShot(20, lambda: ran.append("next"))
    qtbot.waitUntil(lambda: ran == ["next"] and len(shown) == 1)


def test_a_background_error_nobody_handles_is_logged_and_shown(hook, shown, qtbot):
    tasks = TaskRunner()

    def broken_read(_context: object) -> None:
        raise OSError("disk gone")

    tasks.start(broken_read)
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert tasks.shutdown(5000)
    assert hook.last_log is not None
    text = hook.last_log.read_text(encoding="utf-8")
    assert "in broken_read" in text and "OSError: disk gone" in text
    assert str(hook.last_log) in _dialog_words(shown[0])


def test_errors_while_the_dialog_is_open_are_logged_without_stacking_dialogs(hook, qtbot,
                                                                             monkeypatch):
    opened: list[QMessageBox] = []

    def exec_and_fail_again(box: QMessageBox) -> int:
        opened.append(box)
        hook(RuntimeError, RuntimeError("while the dialog is open"), None)
        qtbot.wait(50)  # the second error's dialog request is delivered meanwhile
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", exec_and_fail_again)
    hook(ValueError, ValueError("first"), None)
    qtbot.waitUntil(lambda: len(opened) == 1)
    qtbot.wait(100)
    assert len(opened) == 1
    assert hook.last_log is not None
    assert "while the dialog is open" in hook.last_log.read_text(encoding="utf-8")


def test_when_the_log_cannot_be_written_the_dialog_says_so_and_stderr_gets_the_traceback(
        qtbot, shown, tmp_path, capsys):
    blocked = tmp_path / "logs"
    blocked.write_text("a file where the logs folder should be")
    hook = ExceptionHook(blocked).install()
    try:
        hook(ValueError, ValueError("no disk"), None)
        qtbot.waitUntil(lambda: len(shown) == 1)
    finally:
        hook.uninstall()
    assert hook.last_log is None
    assert "could not be written" in _dialog_words(shown[0])
    assert "ValueError: no disk" in capsys.readouterr().err
