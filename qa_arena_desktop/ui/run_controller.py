"""Judge runs off the GUI thread: one task per run on the controller's :class:`TaskRunner`.

The task gets plain, immutable inputs only (a :class:`RunJob`: run id, the frozen
``Pack``, the test text, a ``threading.Event`` for cancel) and a ``judge`` callable; it
never touches a widget. Every judge event is its progress, which the runner queues to
the GUI thread (ui/tasks.py). Any exception in the worker becomes a ``RunErrored``
event. The :class:`RunController` tags every run by its submission id
and forwards only the shown problem's current run's events: results of an older run
never overwrite a newer one, and another problem's run never shows in this one's tabs.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from qa_arena_desktop.domain.events import (
    JudgeEvent,
    RunErrored,
    RunFinished,
    RunStarted,
    VariantFinished,
    VariantStarted,
)
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.ui.tasks import TaskRunner

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


def judge_run(job: RunJob, judge: JudgeFunction, report: Listener) -> None:
    """The worker side of one run: every judge event goes to ``report``, and the run always
    ends with exactly one RunFinished or RunErrored (an exception becomes RunErrored)."""
    terminal = threading.Event()

    def listener(event: JudgeEvent) -> None:
        if isinstance(event, RunFinished | RunErrored):
            terminal.set()
        report(event)

    try:
        judge(job.pack, job.tests, listener, job.cancel, job.run_id)
    except BaseException as exc:  # noqa: BLE001 - errors cross threads as data
        log.exception("judge run %s failed", job.run_id)
        if not terminal.is_set():
            report(RunErrored(submission_id=job.run_id, message=f"{type(exc).__name__}: {exc}"))
        return
    if not terminal.is_set():
        report(RunErrored(submission_id=job.run_id, message="the judge ended without a result"))


class RunController(QObject):
    """Starts, cancels and tags runs, one per problem; re-emits the shown problem's events.

    Runs on different problems go on side by side (the pool queues what it cannot start
    yet); submitting again on a problem replaces that problem's run, which ends CANCELLED.
    Only the *focused* problem's current run reaches ``run_started`` ... ``run_errored``;
    the others are kept (their events so far, for :meth:`focus` to replay when their
    problem is shown again) and announce their end with ``background_finished``.
    """

    run_started = Signal(object)  # RunStarted
    variant_started = Signal(object)  # VariantStarted
    variant_finished = Signal(object)  # VariantFinished
    run_finished = Signal(object)  # RunFinished
    run_errored = Signal(object)  # RunErrored
    background_finished = Signal(object)  # RunFinished | RunErrored of an unfocused problem
    busy_changed = Signal(bool)  # whether the focused problem has a run going
    judging_changed = Signal()  # the set of problems being judged changed

    def __init__(self, judge: JudgeFunction, parent: QObject | None = None,
                 max_threads: int = 2) -> None:
        super().__init__(parent)
        self._judge = judge
        self.tasks = TaskRunner(self, max_threads)
        self.pool = self.tasks.pool  # the threads runs go on (tests check it drained)
        self._current: dict[str, RunJob] = {}  # problem slug -> its latest run
        self._events: dict[str, list[JudgeEvent]] = {}  # run id -> its events so far
        self._in_flight: dict[str, threading.Event] = {}
        self._focus = ""
        self._shut_down = False

    # ---- queries ---------------------------------------------------------------------------

    def is_running(self, slug: str | None = None) -> bool:
        """Whether ``slug``'s run (any run when None) is still going."""
        if slug is None:
            return bool(self._in_flight)
        job = self._current.get(slug)
        return job is not None and job.run_id in self._in_flight

    def judging(self) -> list[Pack]:
        """The problems with a run going, in the order they were submitted."""
        return [job.pack for job in self._current.values() if job.run_id in self._in_flight]

    # ---- commands --------------------------------------------------------------------------

    def focus(self, slug: str) -> tuple[RunJob, list[JudgeEvent]] | None:
        """Show ``slug``'s runs from now on; returns its run going (with its events so far,
        to replay) or None."""
        self._focus = slug
        job = self._current.get(slug)
        running = job is not None and job.run_id in self._in_flight
        self.busy_changed.emit(running)
        if not running or job is None:
            return None
        return job, list(self._events.get(job.run_id, ()))

    def submit(self, pack: Pack, tests: str) -> str:
        """Judge ``tests`` against ``pack`` and focus it; that problem's run still going is
        cancelled first (it ends CANCELLED); other problems' runs go on."""
        if self._shut_down:
            raise RuntimeError("the run controller is shut down")
        self.cancel(pack.slug)
        job = RunJob(run_id=str(uuid.uuid4()), pack=pack, tests=tests, cancel=threading.Event())
        self._focus = pack.slug
        self._current[pack.slug] = job
        self._events[job.run_id] = []
        self._in_flight[job.run_id] = job.cancel
        judge = self._judge
        task = self.tasks.start(lambda context: judge_run(job, judge, context.report), job.cancel)
        task.progress.connect(self._on_event)
        self.busy_changed.emit(True)
        self.judging_changed.emit()
        return job.run_id

    def cancel(self, slug: str | None = None) -> bool:
        """Ask ``slug``'s run (the focused problem's by default) to stop; safe to call twice,
        or with nothing running."""
        job = self._current.get(self._focus if slug is None else slug)
        if job is None or job.run_id not in self._in_flight:
            return False
        job.cancel.set()
        return True

    def cancel_all(self) -> None:
        for event in list(self._in_flight.values()):
            event.set()

    def shutdown(self, timeout_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Cancel every run and wait (bounded) for the workers; True when all of them ended."""
        self._shut_down = True
        self.cancel_all()
        return self.tasks.shutdown(timeout_ms)

    @Slot(object)
    def _on_event(self, event: JudgeEvent) -> None:
        run_id = event.submission_id
        ended = isinstance(event, RunFinished | RunErrored)
        if ended:
            self._in_flight.pop(run_id, None)
        job = next((j for j in self._current.values() if j.run_id == run_id), None)
        if job is None:  # a stale run (superseded by a newer one on its problem): never shown
            self._events.pop(run_id, None)
            return
        if ended:
            self._events.pop(run_id, None)
            self.judging_changed.emit()
        else:
            self._events.setdefault(run_id, []).append(event)
        if job.pack.slug != self._focus:
            if ended:
                self.background_finished.emit(event)
            return
        if isinstance(event, RunStarted):
            self.run_started.emit(event)
        elif isinstance(event, VariantStarted):
            self.variant_started.emit(event)
        elif isinstance(event, VariantFinished):
            self.variant_finished.emit(event)
        elif isinstance(event, RunFinished):
            self.run_finished.emit(event)
            self.busy_changed.emit(False)
        elif isinstance(event, RunErrored):
            self.run_errored.emit(event)
            self.busy_changed.emit(False)
