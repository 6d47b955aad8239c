"""Which kept-warm container may judge the next submission: the container pool's logic,
through its public API (no engine needed)."""

from __future__ import annotations

import threading
import time

from qa_arena_desktop.domain.judge_models import Limits
from qa_arena_desktop.judging.container_pool import MAX_SUBMISSIONS_PER_CONTAINER, ContainerPool
from qa_arena_desktop.judging.docker_backend import DockerBackend


class FakeContainer:
    def __init__(self, image_id: str, limits: Limits) -> None:
        self.image_id = image_id
        self.limits = limits
        self.uses = 0
        self.removed = False

    def remove(self) -> None:
        self.removed = True

    def close_stream(self) -> None:
        pass


def never_started(limits: Limits) -> FakeContainer:
    raise AssertionError("this test starts no container")


def test_a_container_from_before_an_image_rebuild_is_removed_not_used():
    pool = ContainerPool(never_started, size=2)
    old = FakeContainer("sha256:old", Limits())
    current = FakeContainer("sha256:new", Limits())
    pool.add(old)
    pool.add(current)
    assert pool.take(Limits(), image_id="sha256:new") is current
    pool.close()
    assert old.removed and not current.removed


def test_a_container_with_other_sandbox_limits_is_removed_but_a_time_limit_travels():
    pool = ContainerPool(never_started, size=2)
    small = FakeContainer("sha256:x", Limits(memory_mb=128))
    same = FakeContainer("sha256:x", Limits())
    pool.add(small)
    pool.add(same)
    wanted = Limits(time_limit_s=3)
    taken = pool.take(wanted, image_id="sha256:x")
    pool.close()
    assert taken is same and taken.limits.time_limit_s == 3
    assert small.removed


def test_a_clean_run_keeps_its_container_warm_up_to_the_pool_size():
    pool = ContainerPool(never_started, size=1, keep_warm=True)
    first, second = FakeContainer("sha256:x", Limits()), FakeContainer("sha256:x", Limits())
    pool.give_back(first, clean=True)
    assert pool.warm == 1 and first.uses == 1 and not first.removed
    pool.give_back(second, clean=False)  # not clean: removed, a replacement comes later
    pool.close()
    assert second.removed and first.removed  # close removes the kept one too


def test_a_container_is_retired_after_its_last_allowed_submission():
    pool = ContainerPool(never_started, size=2, keep_warm=True)
    worn = FakeContainer("sha256:x", Limits())
    worn.uses = MAX_SUBMISSIONS_PER_CONTAINER - 1
    pool.give_back(worn, clean=True)
    assert worn.removed


def test_without_keep_warm_a_container_is_removed_and_not_replaced():
    started: list[FakeContainer] = []
    pool = ContainerPool(lambda limits: started.append(FakeContainer("x", limits)) or started[-1],
                         size=2)
    used = FakeContainer("sha256:x", Limits())
    pool.give_back(used, clean=True)
    pool.close()
    assert used.removed and started == [] and pool.warm == 0


def test_prepare_fills_the_pool_and_wait_started_waits_for_the_starts():
    def start(limits: Limits) -> FakeContainer:
        time.sleep(0.05)
        return FakeContainer("sha256:x", limits)

    pool = ContainerPool(start, size=2)
    pool.prepare(Limits())
    pool.prepare(Limits())  # already full: nothing more starts
    assert pool.warm == 2
    pool.wait_started(timeout=10)
    assert pool.starting == 0
    taken = pool.take(Limits(), image_id="sha256:x")
    pool.close()
    assert taken is not None and not taken.removed


def test_strict_isolation_keeps_nothing_warm():
    backend = DockerBackend(connect=lambda: None, isolation="strict", keep_warm=True)  # type: ignore[arg-type, return-value]
    assert not backend.keep_warm and not backend.pool.keep_warm
    backend.prepare()
    assert backend.warm_containers == 0
    backend.close()


def test_close_removes_what_a_replacement_timer_started_while_it_was_closing():
    """A replacement timer that fires as ``close`` runs (its ``prepare`` queued behind
    ``close``) must not leave containers behind (a golden failure, then close at once: CI
    saw two)."""
    started: list[FakeContainer] = []

    def slow_start(limits: Limits) -> FakeContainer:
        time.sleep(0.05)
        container = FakeContainer("sha256:x", limits)
        started.append(container)
        return container

    for attempt in range(20):
        pool = ContainerPool(slow_start, size=2, keep_warm=True)
        pool.prepare_later(Limits(), delay_s=0.0)  # registered before close reads the timers
        time.sleep(0.002 * (attempt % 4))  # fired and starting, or about to fire, as close runs
        closer = threading.Thread(target=pool.close)
        closer.start()
        closer.join()
    assert started, "the timer never fired: the test did not exercise the race"
    assert all(container.removed for container in started), (
        sum(not c.removed for c in started), len(started))


class FailingRemoval(FakeContainer):
    id = "deadbeef0000"

    def remove(self) -> None:
        raise RuntimeError("engine went away")


def test_a_removal_that_raises_is_logged_and_the_others_are_still_removed(caplog):
    pool = ContainerPool(never_started, size=2)
    failing, other = FailingRemoval("sha256:x", Limits()), FakeContainer("sha256:x", Limits())
    pool.add(failing)
    pool.add(other)
    pool.close()
    assert other.removed
    assert "could not remove judge container deadbeef0000" in caplog.text
