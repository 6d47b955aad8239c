"""The candidate batch against the real judge: progress per verdict, endless loops stopped
early (by their CPU-time budget, so a busy machine does not turn slow survivors into
kills), and a Cancel that stops the run and its containers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest

from qa_arena_desktop import env_settings
from qa_arena_desktop.authoring.checking import CANDIDATE_BUDGET, CandidateCheck, check_candidates
from qa_arena_desktop.authoring.mutation import Candidate, generate_candidates
from qa_arena_desktop.domain.judge_models import JudgeRequest, Outcome, VariantRun
from qa_arena_desktop.judging import engine
from qa_arena_desktop.judging.docker_backend import DockerBackend

pytestmark = pytest.mark.docker

# Removing the ``i += 1`` or flipping the loop's test gives endless loops.
GOLDEN = '''def count_below(numbers: list[int], limit: int) -> int:
    """How many of the numbers are below the limit."""
    count = 0
    i = 0
    while i < len(numbers):
        if numbers[i] < limit:
            count += 1
        i += 1
    return count
'''
TESTS = '''from target import count_below


def test_none_below():
    assert count_below([5, 6], 5) == 0


def test_some_below():
    assert count_below([1, 5, 2, 9], 5) == 2


def test_empty():
    assert count_below([], 3) == 0
'''


def test_every_candidate_gets_a_verdict_with_progress_and_loops_count_as_killed(
        no_leftover_containers):
    candidates = generate_candidates(GOLDEN)
    progress: list[tuple[int, int]] = []
    backend = DockerBackend()
    try:
        check = check_candidates(GOLDEN, TESTS, candidates, backend, threading.Event(),
                                 on_progress=lambda done, total: progress.append((done, total)))
    finally:
        backend.close()
    assert check.golden_passed and not check.cancelled and None not in check.verdicts
    assert [done for done, _ in progress] == list(range(len(candidates) + 1))
    assert progress[-1] == (len(candidates), len(candidates))
    loops = [c for c in candidates if c.operator == "remove-statement" and "i += 1" in c.description]
    assert loops, [c.description for c in candidates]
    index = candidates.index(loops[0])
    assert check.verdicts[index] == "KILLED" and check.limit_hit[index]


def test_cancel_stops_the_batch_and_its_containers(no_leftover_containers):
    # Many endless loops: without a cancel this batch would run for a long while.
    golden = GOLDEN
    candidates = generate_candidates(golden) * 6
    cancel = threading.Event()
    progress: list[int] = []

    def on_progress(done: int, _total: int) -> None:
        progress.append(done)
        if done >= 2:
            cancel.set()

    backend = DockerBackend()
    try:
        check = check_candidates(golden, TESTS, candidates, backend, cancel,
                                 on_progress=on_progress)
    finally:
        backend.close()
    assert check.cancelled and check.golden_passed
    assert 2 <= check.judged < len(candidates)
    assert check.message == f"cancelled: {check.judged} of {len(candidates)} judged"
    # and no_leftover_containers checks that every container of the run is gone


# Golden does a fixed amount of pure-Python work (~0.1 s of CPU); "slower" is equivalent
# (same answers) but does half as much work again.
WORK_GOLDEN = '''def total(n: int) -> int:
    """0 + 1 + ... + n-1, the long way."""
    result = 0
    for _ in range({rounds}):
        result = 0
        for i in range(n):
            result += i
    return result
'''
WORK_TESTS = '''from target import total


def test_total():
    assert total(3_000_000) == 2_999_999 * 3_000_000 // 2
'''


def _candidate(source: str, what: str) -> Candidate:
    return Candidate(operator="hand-made", line=1, description=what, source=source, diff="")


def _starve_this_tests_containers() -> None:
    """Throttle the judge containers of this test to a twentieth of a core: its runs wait
    for the CPU most of the time, as on a machine busy with other work."""
    client = engine.connect()
    try:
        tag = env_settings.current().session_tag
        containers = client.containers.list(filters={"label": f"{engine.LABEL_SESSION}={tag}"})
        assert containers, "no judge container of this test to starve"
        for container in containers:
            client.api.post(  # the SDK's update() cannot change NanoCpus
                client.api._url("/containers/{0}/update", container.id),
                data=json.dumps({"NanoCpus": 50_000_000}),
                headers={"Content-Type": "application/json"}).raise_for_status()
    finally:
        client.close()


def _judge(candidates: list[Candidate], backend: DockerBackend,
           on_progress: Callable[[int, int], None] | None = None,
           ) -> tuple[CandidateCheck, dict[str, VariantRun]]:
    """check_candidates on WORK_GOLDEN, and every run the backend reported, by name."""
    runs: dict[str, VariantRun] = {}
    run = backend.run

    def recorded(request: JudgeRequest, on_variant: Callable[[VariantRun], None],
                 *args: Any, **kwargs: Any) -> None:
        def keep(variant: VariantRun) -> None:
            runs[variant.variant] = variant
            on_variant(variant)
        run(request, keep, *args, **kwargs)

    backend.run = recorded  # type: ignore[method-assign]
    try:
        check = check_candidates(WORK_GOLDEN.format(rounds=2), WORK_TESTS, candidates, backend,
                                 threading.Event(), time_limit_s=30.0, on_progress=on_progress)
    finally:
        backend.close()
    assert check.golden_passed, check.message
    return check, runs


def test_an_endless_loop_is_stopped_by_its_cpu_time_budget_and_counts_as_a_limit_kill(
        no_leftover_containers):
    endless = _candidate(WORK_GOLDEN.format(rounds=2).replace("for _ in range(2):",
                                                              "while True:"), "endless loop")
    check, runs = _judge([endless], DockerBackend())
    assert check.verdicts == ("KILLED",) and check.limit_hit == (True,)
    loop = runs["c001"]
    # Stopped by its CPU-time budget (k x golden's CPU time + c), not by the wall-clock
    # limit of 30 s.
    assert runs["golden"].cpu_ms > 0
    budget = CANDIDATE_BUDGET["k"] * runs["golden"].cpu_ms / 1000 + CANDIDATE_BUDGET["c_s"]
    assert loop.outcome is Outcome.TIMEOUT and "CPU time" in loop.message
    assert loop.budget_ms == int(max(CANDIDATE_BUDGET["min_s"], budget) * 1000)
    assert loop.duration_ms < 30_000


def test_a_slow_survivor_starved_of_cpu_far_past_its_budget_is_not_a_false_kill(
        no_leftover_containers):
    slower = _candidate(WORK_GOLDEN.format(rounds=3), "equivalent, 1.5 x golden's work")
    # One container, kept for the batch after golden's run: golden is timed as the machine
    # is, then the container is starved (progress 0 of 1 comes between the two requests).
    check, runs = _judge([slower], DockerBackend(shards=1, keep_warm=True),
                         lambda done, _total: None if done else _starve_this_tests_containers())
    assert check.verdicts == ("SURVIVED",) and check.limit_hit == (False,)
    # It took far longer than its budget in wall time and was not cut short: its budget
    # is CPU time, which a process waiting for a core does not use.
    survivor = runs["c001"]
    assert survivor.outcome is Outcome.PASSED and survivor.duration_ms > survivor.budget_ms
