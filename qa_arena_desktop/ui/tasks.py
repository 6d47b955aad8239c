"""The one way the GUI runs a function off its thread: :class:`TaskRunner` and its :class:`Task`.

Judge runs, the Docker check, the catalog re-reads, the judge image build, the live
lint and the studio's Validate and Generate all go through here, so they share one
set of rules:

* the function gets plain data only (what its closure holds) and a :class:`TaskContext`:
  a ``threading.Event`` to honour for cancel, and ``report(value)`` for progress;
* the worker thread never touches a :class:`Task`: it emits through the runner's one
  long-lived relay, a ``QObject`` that lives on the GUI thread and owns the signal, so
  Qt queues every message to the GUI thread, in order (novelWriter #2926 shows why a
  runnable must not own its signals, and deleting a per-run signal owner while its
  worker is still inside ``emit`` is a use-after-free). A ``Task`` is created, emitted
  and dropped on the GUI thread only;
* a task reports any number of ``progress`` values, then exactly one of ``done(result)``
  or ``failed(message)``. An exception is data (``failed``); when nothing listens to
  ``failed``, it goes to ``sys.excepthook`` on the GUI thread instead (ui/error_hook.py:
  a log file and a dialog), so no error vanishes with a dead thread.

Cancel only asks: a function that checks ``context.cancel`` stops early and still ends
with ``done`` or ``failed`` (a cancelled judge run returns its CANCELLED result).
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMetaMethod, QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_PROGRESS, _DONE, _FAILED = "progress", "done", "failed"


@dataclass(frozen=True)
class TaskContext:
    """What the function gets besides its own inputs; safe to use from the worker."""

    cancel: threading.Event
    report: Callable[[object], None]

    def cancelled(self) -> bool:
        return self.cancel.is_set()


class Task(QObject):
    """One submitted function, seen from the GUI thread. Connect to its signals right after
    :meth:`TaskRunner.start` (nothing arrives before control returns to the event loop)."""

    progress = Signal(object)  # whatever the function passed to context.report
    done = Signal(object)  # the function's return value
    failed = Signal(str)  # the exception's message (the exception itself is in .error)

    def __init__(self, task_id: int, cancel: threading.Event) -> None:
        super().__init__()
        self.task_id = task_id
        self.cancel_event = cancel
        self.running = True
        self.error: BaseException | None = None

    def cancel(self) -> None:
        """Ask the function to stop; safe to call twice, or after the task ended."""
        self.cancel_event.set()

    def _listens_to_failed(self) -> bool:
        return self.isSignalConnected(QMetaMethod.fromSignal(self.failed))


@dataclass(frozen=True)
class _Message:
    task_id: int
    kind: str  # _PROGRESS, _DONE or _FAILED
    value: Any


class _Relay(QObject):
    """The signal owner workers emit through; one per runner, created on the GUI thread."""

    message = Signal(object)  # a _Message

    def send(self, message: _Message) -> None:
        try:
            self.message.emit(message)
        except RuntimeError:  # the runner was destroyed during shutdown: nobody listens
            log.debug("dropped a %s message after shutdown", message.kind)


class _Runnable(QRunnable):
    """Runs the function once in the pool; deleted by the pool when ``run`` returns."""

    def __init__(self, task_id: int, function: Callable[[TaskContext], Any],
                 context: TaskContext, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task_id = task_id
        self._function = function
        self._context = context
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._function(self._context)
        except BaseException as exc:  # noqa: BLE001 - errors cross threads as data
            self._relay.send(_Message(self._task_id, _FAILED, exc))
            return
        self._relay.send(_Message(self._task_id, _DONE, result))


class TaskRunner(QObject):
    """A pool of worker threads and the tasks running in it, owned by a GUI object.

    Owners that must not wait behind each other get runners of their own (the live lint
    never waits for a Docker check; judge runs never wait for a catalog read).
    """

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.message.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._tasks: dict[int, Task] = {}  # running, by id; dropped once they end
        self._ids = itertools.count(1)
        self._shut_down = False

    def start(self, function: Callable[[TaskContext], Any],
              cancel: threading.Event | None = None) -> Task:
        """Run ``function(context)`` in the pool; ``cancel`` is its cancel event (a new one
        by default). Call on the GUI thread. After :meth:`shutdown` (the app is quitting) the
        function is not run and the task, already cancelled, never reports."""
        task = Task(next(self._ids), cancel or threading.Event())
        if self._shut_down:
            log.debug("not started: the task runner is shut down")
            task.cancel()
            task.running = False
            return task
        self._tasks[task.task_id] = task
        relay, task_id = self._relay, task.task_id

        def report(value: object) -> None:
            relay.send(_Message(task_id, _PROGRESS, value))

        context = TaskContext(cancel=task.cancel_event, report=report)
        self.pool.start(_Runnable(task_id, function, context, relay))
        return task

    def busy(self) -> bool:
        """A task was started and has not delivered its end yet."""
        return bool(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()

    def wait(self, timeout_ms: int) -> bool:
        """Wait (bounded) for the pool's threads; True when none is busy any more."""
        return self.pool.waitForDone(timeout_ms)

    def shutdown(self, timeout_ms: int) -> bool:
        """No more tasks; cancel those running and wait for them (bounded). Idempotent."""
        self._shut_down = True
        self.cancel_all()
        return self.wait(timeout_ms)

    @Slot(object)
    def _deliver(self, message: _Message) -> None:
        task = self._tasks.get(message.task_id)
        if task is None:
            return
        if message.kind == _PROGRESS:
            task.progress.emit(message.value)
            return
        del self._tasks[message.task_id]
        task.running = False
        if message.kind == _DONE:
            task.done.emit(message.value)
            return
        exc: BaseException = message.value
        task.error = exc
        if task._listens_to_failed():  # noqa: SLF001 - the runner owns its tasks
            log.warning("background task failed: %s", exc, exc_info=exc)
            task.failed.emit(str(exc) or type(exc).__name__)
        else:  # nobody handles it: the app's exception hook logs it and says so
            sys.excepthook(type(exc), exc, exc.__traceback__)
