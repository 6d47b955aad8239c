"""Judge runs off the GUI thread: a one-shot ``QRunnable`` per run, a dispatcher for its events.

The runnable gets plain, immutable inputs only (a :class:`RunJob`: run id, the frozen
``Pack``, the test text, a ``threading.Event`` for cancel) and a ``judge`` callable; it
never touches a widget. It emits every judge event through a :class:`RunDispatcher`,
a ``QObject`` created on (and owned by) the GUI thread, so the signal's owner outlives
the runnable and Qt queues delivery to the GUI thread (novelWriter #2926 shows why
the runnable must not own its signals). Any exception in the worker becomes a
``RunErrored`` event. The :class:`RunController` tags every run by its submission id
and forwards only the current run's events: results of an older run never overwrite
a newer one.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from qa_arena_desktop.judging.events import (
    JudgeEvent,
    RunErrored,
    RunFinished,
    RunStarted,
    VariantFinished,
)
from qa_arena_desktop.judging.models import JudgeResult
from qa_arena_desktop.packs.model import Pack

log = logging.getLogger(__name__)

Listener = Callable[[JudgeEvent], None]
# (pack, tests, listener, cancel, submission id) -> result; JudgingService.judge fits.
JudgeFunction = Callable[[Pack, str, Listener, threading.Event, str], JudgeResult]

SHUTDOWN_WAIT_MS = 5000


@dataclass(frozen=True)
class RunJob:
    run_id: str
    pack: Pack
    tests: str
    cancel: threading.Event


class RunDispatcher(QObject):
    """Owns the signal workers emit through; lives on the GUI thread."""

    event_emitted = Signal(object)  # a JudgeEvent

    def emit_event(self, event: JudgeEvent) -> None:
        try:
            self.event_emitted.emit(event)
        except RuntimeError:  # the dispatcher was destroyed during shutdown: nobody listens
            log.debug("dropped %s after shutdown", type(event).__name__)


class JudgeRunnable(QRunnable):
    """One judge run; deleted by the pool when ``run`` returns."""

    def __init__(self, job: RunJob, judge: JudgeFunction, dispatcher: RunDispatcher) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job = job
        self._judge = judge
        self._dispatcher = dispatcher

    def run(self) -> None:
        job = self._job
        terminal = threading.Event()

        def listener(event: JudgeEvent) -> None:
            if isinstance(event, RunFinished | RunErrored):
                terminal.set()
            self._dispatcher.emit_event(event)

        try:
            self._judge(job.pack, job.tests, listener, job.cancel, job.run_id)
        except BaseException as exc:  # noqa: BLE001 - errors cross threads as data
            log.exception("judge run %s failed", job.run_id)
            if not terminal.is_set():
                self._dispatcher.emit_event(
                    RunErrored(submission_id=job.run_id, message=f"{type(exc).__name__}: {exc}")
                )
            return
        if not terminal.is_set():
            self._dispatcher.emit_event(
                RunErrored(submission_id=job.run_id, message="the judge ended without a result")
            )


class RunController(QObject):
    """Starts, cancels and tags runs; re-emits the current run's events on the GUI thread."""

    run_started = Signal(object)  # RunStarted
    variant_finished = Signal(object)  # VariantFinished
    run_finished = Signal(object)  # RunFinished
    run_errored = Signal(object)  # RunErrored
    busy_changed = Signal(bool)

    def __init__(self, judge: JudgeFunction, parent: QObject | None = None,
                 max_threads: int = 2) -> None:
        super().__init__(parent)
        self._judge = judge
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.dispatcher = RunDispatcher(self)
        self.dispatcher.event_emitted.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._current: RunJob | None = None
        self._in_flight: dict[str, threading.Event] = {}
        self._shut_down = False

    @property
    def current_run_id(self) -> str:
        return self._current.run_id if self._current else ""

    @property
    def current_tests(self) -> str:
        return self._current.tests if self._current else ""

    def is_running(self) -> bool:
        return self._current is not None and self._current.run_id in self._in_flight

    def submit(self, pack: Pack, tests: str) -> str:
        """Start judging ``tests`` against ``pack``; a run still going is cancelled first."""
        if self._shut_down:
            raise RuntimeError("the run controller is shut down")
        self.cancel()
        job = RunJob(run_id=str(uuid.uuid4()), pack=pack, tests=tests, cancel=threading.Event())
        self._current = job
        self._in_flight[job.run_id] = job.cancel
        self.pool.start(JudgeRunnable(job, self._judge, self.dispatcher))
        self.busy_changed.emit(True)
        return job.run_id

    def cancel(self) -> bool:
        """Ask the current run to stop (safe to call twice, or with nothing running)."""
        if self._current is None or self._current.run_id not in self._in_flight:
            return False
        self._current.cancel.set()
        return True

    def abandon(self) -> None:
        """Cancel the current run and stop listening to it (its problem is no longer shown)."""
        if self.cancel():
            self._current = None
            self.busy_changed.emit(False)

    def cancel_all(self) -> None:
        for event in list(self._in_flight.values()):
            event.set()

    def shutdown(self, timeout_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Cancel every run and wait (bounded) for the workers; True when all of them ended."""
        self._shut_down = True
        self.cancel_all()
        return self.pool.waitForDone(timeout_ms)

    @Slot(object)
    def _on_event(self, event: JudgeEvent) -> None:
        run_id = event.submission_id
        if isinstance(event, RunFinished | RunErrored):
            self._in_flight.pop(run_id, None)
        if self._current is None or run_id != self._current.run_id:
            return  # a stale run (cancelled, superseded): never shown
        if isinstance(event, RunStarted):
            self.run_started.emit(event)
        elif isinstance(event, VariantFinished):
            self.variant_finished.emit(event)
        elif isinstance(event, RunFinished):
            self.run_finished.emit(event)
            self.busy_changed.emit(False)
        elif isinstance(event, RunErrored):
            self.run_errored.emit(event)
            self.busy_changed.emit(False)
