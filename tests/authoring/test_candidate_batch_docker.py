"""The candidate batch against the real judge: progress per verdict, endless loops stopped
early, and a Cancel that stops the run and its containers."""

from __future__ import annotations

import threading

import pytest

from qa_arena_desktop.authoring.checking import check_candidates
from qa_arena_desktop.authoring.mutation import generate_candidates
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
