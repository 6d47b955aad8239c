"""Fixtures for the GUI tests: a synced catalog, a scripted backend, and windows that drain.

The scripted backend stands in for Docker in most tests: it goes through the real
``JudgingService`` (so submissions are persisted and events are the real ones) and
reports verdicts from a script, optionally waiting on an event so a test can hold a
run "in progress". Tests that need the real engine are marked ``docker``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.context import open_catalog
from qa_arena_desktop.domain.backend import JudgeCancelled
from qa_arena_desktop.domain.judge_models import JudgeRequest, TestOutcome, VariantRun
from qa_arena_desktop.domain.verdicts import Outcome
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.engine import EngineInfo
from qa_arena_desktop.judging.image import ImageStatus
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.practice.doctor import DockerHealth

DATA = Path(__file__).parent / "data"
PROBLEM = "normalize-whitespace"
HEALTHY = DockerHealth(engine=EngineInfo(reachable=True, version="test", api_version="1.41",
                                         cgroup_version="2"),
                       image=ImageStatus(present=True, current=True))


@dataclass
class ScriptedBackend:
    """Reports golden first, then mutants in ``order`` (default: pack order), from a script."""

    golden: Outcome = Outcome.PASSED
    killed: set[str] = field(default_factory=set)
    order: list[str] | None = None
    hold: threading.Event | None = None  # when set, waits on it before reporting anything
    requests: list[JudgeRequest] = field(default_factory=list)

    def run(self, request: JudgeRequest, on_variant: Callable[[VariantRun], None],
            cancel: threading.Event | None = None, log: Callable[[str], None] = lambda _l: None,
            on_start: Callable[[str], None] | None = None) -> None:
        self.requests.append(request)
        cancel = cancel or threading.Event()
        start = on_start or (lambda _name: None)
        start("golden")  # golden starts at once; the mutants wait (queued) until their turn
        if self.hold is not None:
            while not self.hold.wait(0.02):
                if cancel.is_set():
                    raise JudgeCancelled()
        tests = ("test_a", "test_b")
        golden_tests = tuple(TestOutcome(id=t, outcome="passed") for t in tests)
        if self.golden is not Outcome.PASSED:
            on_variant(VariantRun(variant="golden", golden=True, outcome=self.golden,
                                  failed_tests=("test_a",),
                                  tests=golden_tests, message="assert 1 == 2"))
            return
        on_variant(VariantRun(variant="golden", golden=True, outcome=Outcome.PASSED, duration_ms=5,
                              tests=golden_tests))
        names = self.order or [m.name for m in request.mutants]
        for name in names:
            if cancel.is_set():
                raise JudgeCancelled()
            start(name)
            killed = name in self.killed
            outcomes = (TestOutcome(id="test_a", outcome="failed" if killed else "passed",
                                    message=f"assert {name!r}" if killed else ""),
                        TestOutcome(id="test_b", outcome="passed"))
            on_variant(VariantRun(variant=name, outcome=Outcome.FAILED if killed else Outcome.PASSED,
                                  duration_ms=7, tests=outcomes,
                                  failed_tests=("test_a",) if killed else ()))


class FaultyBackend(ScriptedBackend):
    """Scripted verdicts, except that the judge fails on one mutant (an ERROR submission)."""

    fault = "spaces-only"

    def run(self, request, on_variant, cancel=None, log=lambda _l: None,  # type: ignore[no-untyped-def]
            on_start=None):
        def relay(run):  # type: ignore[no-untyped-def]
            if run.variant == self.fault:
                run = run.model_copy(update={"outcome": Outcome.ERROR,
                                             "message": "the engine went away"})
            on_variant(run)

        super().run(request, relay, cancel, log, on_start)


@pytest.fixture
def catalog(isolated_home: Path) -> Iterator[Catalog]:
    opened, report = open_catalog()
    assert PROBLEM in report.added + report.updated + report.unchanged
    yield opened
    opened.close()


def judge_with(catalog: Catalog, backend: object):  # type: ignore[no-untyped-def]
    service = JudgingService(catalog, backend)  # type: ignore[arg-type]

    def judge(pack, tests, listener, cancel, run_id):  # type: ignore[no-untyped-def]
        return service.judge(pack, tests, listener, cancel, run_id)

    return judge


@pytest.fixture
def make_window(qtbot, catalog: Catalog):  # type: ignore[no-untyped-def]
    """Build MainWindows on the scripted (or a given) backend; each is shut down and drained."""
    from qa_arena_desktop.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def factory(backend: object | None = None, **kwargs: object) -> MainWindow:
        kwargs.setdefault("auto_doctor", False)
        kwargs.setdefault("health_check", lambda: HEALTHY)
        window = MainWindow(catalog, judge_with(catalog, backend or ScriptedBackend()), **kwargs)
        qtbot.addWidget(window)
        windows.append(window)
        qtbot.waitUntil(lambda: window.docker.last is not None)
        return window

    yield factory
    for window in windows:
        assert window.shutdown(), "the worker pool did not drain"
        assert window.runs.pool.activeThreadCount() == 0
        assert window.tasks.pool.activeThreadCount() == 0
        assert window.linter.tasks.pool.activeThreadCount() == 0


@pytest.fixture
def real_judge(catalog: Catalog):  # type: ignore[no-untyped-def]
    return judge_with(catalog, DockerBackend())


@pytest.fixture(autouse=True)
def no_modal_unsaved_question(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A window closed at teardown with unsaved work would open a modal box and hang the run
    offscreen: the default answer here is Discard (and the questions are recorded). Tests
    about the question inject their own answer (``StudioWindow.prompt``)."""
    from qa_arena_desktop.ui import unsaved

    asked: list[str] = []

    def discard(_parent: object, text: str) -> unsaved.Answer:
        asked.append(text)
        return unsaved.Answer.DISCARD

    monkeypatch.setattr("qa_arena_desktop.ui.studio.studio_window.ask_save_discard_cancel",
                        discard)
    return asked
