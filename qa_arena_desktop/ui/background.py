"""Small one-shot background jobs (Docker health check, image build) off the GUI thread.

Same rule as judge runs: the runnable gets a plain function, and reports through a
:class:`TaskDispatcher` that lives on the GUI thread and owns the signals. An
exception becomes ``failed(message)``; progress lines (e.g. the image build log)
stream through ``progress``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

log = logging.getLogger(__name__)

Report = Callable[[str], None]


class TaskDispatcher(QObject):
    progress = Signal(str)
    done = Signal(object)
    failed = Signal(str)

    def _safe(self, signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # destroyed at shutdown
            log.debug("background result dropped after shutdown")


class FunctionRunnable(QRunnable):
    """Runs ``function(report)`` once; its return value goes to ``done``."""

    def __init__(self, function: Callable[[Report], Any], dispatcher: TaskDispatcher) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._function = function
        self._dispatcher = dispatcher

    def run(self) -> None:
        dispatcher = self._dispatcher
        try:
            result = self._function(lambda line: dispatcher._safe(dispatcher.progress, line))
        except Exception as exc:  # noqa: BLE001 - errors cross threads as data
            log.exception("background task failed")
            dispatcher._safe(dispatcher.failed, f"{exc}")
            return
        dispatcher._safe(dispatcher.done, result)
