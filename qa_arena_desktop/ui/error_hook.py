"""The app's one exception hook: an uncaught error is written to a log file and said in a dialog.

Without it, an exception in a Qt slot (or in a background task nobody handles, see
ui/tasks.py) is printed on a terminal the learner usually does not have, and the app
goes on as if nothing happened. :func:`install_exception_hook` (called once by
``run_app``) replaces ``sys.excepthook`` and ``threading.excepthook``: the traceback
goes to ``error-<time>.log`` in the data dir's ``logs/`` (the same file the CLI
writes for an internal error), stderr gets two lines, and a dialog says that
something went wrong and where the log is. The dialog shows no traceback (the
learner sees the truth, not internals), and the app keeps running. The dialog is
always opened on the GUI thread (a queued signal), one at a time: errors raised
while it is open are logged but do not stack dialogs.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from qa_arena_desktop import __version__, paths
from qa_arena_desktop.exit_codes import internal_error_text

log = logging.getLogger(__name__)

DIALOG_TITLE = "QA Arena: something went wrong"


def write_error_log(exc_type: type[BaseException], exc: BaseException,
                    tb: TracebackType | None, folder: Path | None = None) -> Path:
    """Append the traceback to this second's ``error-*.log`` in ``folder`` (the data dir's
    logs by default); returns the file's path."""
    now = datetime.now()
    folder = folder if folder is not None else paths.logs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"error-{now:%Y%m%d-%H%M%S}.log"
    with path.open("a", encoding="utf-8") as out:
        out.write(f"QA Arena {__version__}, Python {sys.version.split()[0]}, "
                  f"{now.isoformat(timespec='seconds')}, thread {threading.current_thread().name}\n")
        out.write("".join(traceback.format_exception(exc_type, exc, tb)))
        out.write("\n")
    return path


def error_dialog(log_file: str, parent: QWidget | None = None) -> QMessageBox:
    """The message a learner sees: what happened, that work is kept, where the details are."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(DIALOG_TITLE)
    box.setText("Something went wrong inside QA Arena. This is a bug in the app, not in "
                "your tests.")
    where = (f"The details were written to:\n{log_file}\n\nPlease include that file when you "
             "report the problem." if log_file else
             "The details could not be written to a log file (see the terminal's output).")
    box.setInformativeText("QA Arena keeps running, and your draft is saved as you type. "
                           "If something looks wrong, restart the app.\n\n" + where)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


class ExceptionHook(QObject):
    """Installed as ``sys.excepthook``; lives on the GUI thread (it owns the dialog signal)."""

    dialog_requested = Signal(str)  # the log file's path ("" when it could not be written)

    def __init__(self, folder: Path | None = None, parent: QObject | None = None,
                 show_dialog: bool = True) -> None:
        super().__init__(parent)
        self.folder = folder  # None: the data dir's logs/
        self.show_dialog = show_dialog  # False for screenshots: nobody could close it
        self.last_log: Path | None = None
        self._showing = False
        self._previous = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self.dialog_requested.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def __call__(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        try:
            self.last_log = write_error_log(exc_type, exc, tb, self.folder)
            where = str(self.last_log)
            sys.stderr.write(internal_error_text(exc, self.last_log))
        except Exception:  # noqa: BLE001 - no log file (disk, a bad QA_ARENA_HOME): the
            # terminal gets the whole traceback instead, and the dialog says so
            where = ""
            self._previous(exc_type, exc, tb)
        try:
            self.dialog_requested.emit(where)  # queued: shown on the GUI thread
        except RuntimeError:  # the hook's QObject is gone (the app is exiting)
            log.debug("error dialog skipped after shutdown")

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: a Python thread's uncaught error takes the same path."""
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str)
    def _show(self, log_file: str) -> None:
        if self._showing or not self.show_dialog:
            return  # one dialog at a time; every error is in the log anyway
        self._showing = True
        try:
            error_dialog(log_file, QApplication.activeWindow()).exec()
        finally:
            self._showing = False

    def install(self) -> ExceptionHook:
        sys.excepthook = self
        threading.excepthook = self.thread_hook
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous
        if threading.excepthook == self.thread_hook:
            threading.excepthook = self._previous_thread_hook


def install_exception_hook(app: QApplication, folder: Path | None = None,
                           show_dialog: bool = True) -> ExceptionHook:
    """Route every uncaught exception to a log file and a dialog, for the app's lifetime."""
    return ExceptionHook(folder, app, show_dialog).install()
