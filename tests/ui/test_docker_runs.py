"""The GUI against the real Docker engine: live rows in completion order, cancel, quit mid-run."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import docker
import pytest

from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.engine import LABEL, LABEL_PID
from tests.ui.conftest import DATA, PROBLEM

pytestmark = pytest.mark.docker
FINAL = {"PASSED", "FAILED", "KILLED", "SURVIVED", "TIMEOUT", "MEMORY", "ERROR"}


def _our_containers() -> list[str]:
    """Judge containers started by this process (low-level list: no per-container inspect,
    which would race with the backend removing them)."""
    client = docker.from_env()
    try:
        found = client.api.containers(all=True, filters={"label": [LABEL,
                                                                   f"{LABEL_PID}={os.getpid()}"]})
        return [c["Id"] for c in found]
    finally:
        client.close()


def test_rows_change_one_by_one_in_completion_order(make_window, qtbot, no_leftover_containers):
    window = make_window(DockerBackend())
    window.select_problem(PROBLEM)
    window.editor.setPlainText((DATA / "normalize_mixed.py").read_text())
    order: list[str] = []
    snapshots: list[dict[str, str]] = []

    def record(event):  # type: ignore[no-untyped-def]  # runs after the window's own slot
        order.append("golden" if event.golden is not None else event.mutant.name)
        snapshots.append(window.results_model.states())

    window.runs.variant_finished.connect(record)
    with qtbot.waitSignal(window.runs.run_finished, timeout=120_000) as blocker:
        window.submit()
    result = blocker.args[0].result

    assert result.status is SubmissionStatus.SUCCESS
    assert sorted(order) == sorted(["golden", *[m.name for m in window.pack.scored_mutants]])
    assert order == window.results_model.finish_order
    for step, (name, states) in enumerate(zip(order, snapshots, strict=True)):
        finished = {variant for variant, state in states.items() if state in FINAL}
        assert name in finished
        assert finished == set(order[: step + 1]), "exactly the reported rows are final"
        waiting = [states[v] for v in states if v not in finished]
        assert set(waiting) <= {"QUEUED", "RUNNING"}, states
        assert waiting.count("RUNNING") <= 2, states  # one per container; the rest queued
    final = window.results_model.states()
    assert final["golden"] == "PASSED"
    for mutant in result.mutants:
        assert final[mutant.name] == mutant.status.value
    assert {"KILLED", "SURVIVED"} <= set(final.values())
    assert window.results.score_label.text() == f"{result.score:g}"


def test_cancel_stops_the_run_and_removes_its_container(make_window, qtbot, no_leftover_containers):
    window = make_window(DockerBackend())
    window.select_problem(PROBLEM)
    window.editor.setPlainText((DATA / "endless_loop.py").read_text())
    with qtbot.waitSignal(window.runs.run_started, timeout=60_000):
        window.submit()
    qtbot.waitUntil(lambda: bool(_our_containers()), timeout=30_000)
    with qtbot.waitSignal(window.runs.run_finished, timeout=30_000) as blocker:
        window.editor_pane.cancel_button.click()
        window.editor_pane.cancel_button.click()  # safe to press twice
    result = blocker.args[0].result
    # not a FAILURE for the golden timeout, not an ERROR: the learner stopped it
    assert result.status is SubmissionStatus.CANCELLED
    assert window.results.banner_title.text() == "Run cancelled"
    assert _our_containers() == []


def test_quitting_during_a_run_cancels_it_and_drains_the_pool(make_window, qtbot,
                                                             no_leftover_containers):
    window = make_window(DockerBackend())
    window.select_problem(PROBLEM)
    window.editor.setPlainText((DATA / "endless_loop.py").read_text())
    with qtbot.waitSignal(window.runs.run_started, timeout=60_000):
        window.submit()
    qtbot.waitUntil(lambda: bool(_our_containers()), timeout=30_000)
    run_id = window.runs._current[PROBLEM].run_id
    window.close()
    assert window.runs.pool.activeThreadCount() == 0
    assert _our_containers() == []
    from qa_arena_desktop.catalog import store
    assert store.get_submission(window.catalog, run_id).summary.status is SubmissionStatus.CANCELLED


def test_an_endless_loop_stops_every_run_when_golden_times_out(make_window, qtbot,
                                                                no_leftover_containers):
    """Golden goes first: its timeout ends the submission at once, on the problem with most
    mutants (the test prints its time; the figures are in docs/benchmarks.md)."""
    backend = DockerBackend(keep_warm=True)
    try:
        _judge_an_endless_loop(make_window(backend), backend, qtbot)
    finally:
        backend.close()  # the kept-warm containers and their replacements go with it


def _judge_an_endless_loop(window, backend, qtbot):  # type: ignore[no-untyped-def]
    import time

    from qa_arena_desktop.catalog import store

    slug = max(store.list_problems(window.catalog), key=lambda p: p.mutants).slug
    window.select_problem(slug)
    window.editor.setPlainText("def test_never_finishes():\n    while True:\n        pass\n")
    backend.prepare()  # as the app does at start: containers wait, warmed up
    qtbot.waitUntil(lambda: backend.pool.starting == 0, timeout=60_000)
    with qtbot.waitSignal(window.runs.run_finished, timeout=120_000) as blocker:
        started = time.monotonic()
        window.submit()
    elapsed = time.monotonic() - started
    result = blocker.args[0].result
    assert result.status is SubmissionStatus.FAILURE, result.message
    assert "time limit" in result.message
    # at most the first mutant of each other container was under way; the rest never ran
    assert len(result.mutants) <= backend.shards - 1, [m.name for m in result.mutants]
    assert window.results.progress_label.text() == "correct code failed: bugs not checked"
    assert list(window.results_model.states().values()).count("NOT RUN") >= \
        len(window.pack.scored_mutants) - (backend.shards - 1)
    print(f"endless loop on {slug} ({window.pack.time_limit_s:g} s limit): {elapsed:.2f} s")


def test_screenshot_command_judges_and_saves_the_window(tmp_path: Path):
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QA_ARENA_SCREENSHOT_TAB="matrix")
    completed = subprocess.run(
        [sys.executable, "-m", "qa_arena_desktop", "gui", "--screenshot", str(out),
         "--problem", PROBLEM, "--tests", str(DATA / "normalize_mixed.py")],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    header = out.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1400, 900)
