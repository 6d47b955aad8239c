"""The one task runner (ui/tasks.py): results, errors, progress and cancel come back as
signals on the GUI thread, in order; an error nobody handles reaches the exception hook."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from qa_arena_desktop.ui.tasks import TaskContext, TaskRunner


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:  # type: ignore[no-untyped-def]
    tasks = TaskRunner(max_threads=2)
    yield tasks
    assert tasks.shutdown(5000), "the runner's pool did not drain"


def _on_gui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()  # type: ignore[union-attr]


def test_the_result_and_progress_arrive_in_order_on_the_gui_thread(runner, qtbot):
    seen: list[tuple[str, object, bool]] = []

    def work(context: TaskContext) -> int:
        for step in range(3):
            context.report(step)
        return threading.get_ident()

    task = runner.start(work)
    task.progress.connect(lambda value: seen.append(("progress", value, _on_gui_thread())))
    task.done.connect(lambda value: seen.append(("done", value, _on_gui_thread())))
    task.failed.connect(lambda message: seen.append(("failed", message, _on_gui_thread())))
    assert runner.busy()
    qtbot.waitUntil(lambda: not runner.busy())
    assert [(kind, value) for kind, value, _gui in seen[:3]] == [
        ("progress", 0), ("progress", 1), ("progress", 2)]
    kind, worker, _gui = seen[3]
    assert kind == "done" and worker != threading.get_ident()  # it ran on another thread
    assert len(seen) == 4 and all(gui for _kind, _value, gui in seen)
    assert not task.running and task.error is None


def test_an_exception_becomes_failed_with_its_message_and_no_result(runner, qtbot):
    done: list[object] = []
    task = runner.start(lambda _context: (_ for _ in ()).throw(ValueError("the pack is gone")))
    task.done.connect(done.append)
    with qtbot.waitSignal(task.failed) as blocker:
        pass
    assert blocker.args == ["the pack is gone"]
    assert isinstance(task.error, ValueError) and done == []


def test_an_exception_without_a_message_is_named_by_its_type(runner, qtbot):
    def fail(_context: TaskContext) -> None:
        raise KeyError

    task = runner.start(fail)
    with qtbot.waitSignal(task.failed) as blocker:
        pass
    assert blocker.args == ["KeyError"]


def test_cancel_reaches_the_function_which_still_ends_with_its_result(runner, qtbot):
    started = threading.Event()

    def wait_for_cancel(context: TaskContext) -> str:
        started.set()
        return "stopped" if context.cancel.wait(10) and context.cancelled() else "ran out"

    task = runner.start(wait_for_cancel)
    assert started.wait(5)
    with qtbot.waitSignal(task.done, timeout=5000) as blocker:
        task.cancel()
        task.cancel()  # twice is harmless
    assert blocker.args == ["stopped"]


def test_a_given_cancel_event_is_the_functions(runner, qtbot):
    cancel = threading.Event()
    task = runner.start(lambda context: context.cancel is cancel, cancel)
    with qtbot.waitSignal(task.done) as blocker:
        pass
    assert blocker.args == [True] and task.cancel_event is cancel


def test_shutdown_cancels_what_runs_and_starts_nothing_after(qtbot):
    tasks = TaskRunner()
    started = threading.Event()

    def long_job(context: TaskContext) -> bool:
        started.set()
        return context.cancel.wait(30)

    task = tasks.start(long_job)
    assert started.wait(5)
    assert tasks.shutdown(5000)  # returns well before the job's 30 s: it was cancelled
    assert task.cancel_event.is_set()
    ran: list[str] = []
    late = tasks.start(lambda _context: ran.append("ran"))  # e.g. a Docker check while quitting
    late.done.connect(ran.append)
    qtbot.wait(100)
    assert ran == [] and not late.running and late.cancel_event.is_set() and not tasks.busy()


def test_an_error_nobody_handles_goes_to_the_exception_hook_on_the_gui_thread(runner, qtbot,
                                                                             monkeypatch):
    hooked: list[tuple[type[BaseException], BaseException, bool]] = []
    monkeypatch.setattr(sys, "excepthook",
                        lambda kind, exc, _tb: hooked.append((kind, exc, _on_gui_thread())))

    def broken(_context: TaskContext) -> None:
        raise RuntimeError("a bug in a background read")

    runner.start(broken)  # no failed listener
    qtbot.waitUntil(lambda: bool(hooked))
    kind, exc, gui = hooked[0]
    assert kind is RuntimeError and str(exc) == "a bug in a background read" and gui
    assert exc.__traceback__ is not None  # the hook can log where it happened


def test_a_handled_error_does_not_reach_the_exception_hook(runner, qtbot, monkeypatch):
    hooked: list[object] = []
    monkeypatch.setattr(sys, "excepthook", lambda *args: hooked.append(args))
    task = runner.start(lambda _context: 1 / 0)
    with qtbot.waitSignal(task.failed):
        pass
    qtbot.wait(50)
    assert hooked == []
