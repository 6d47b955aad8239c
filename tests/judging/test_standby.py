"""Which kept-warm container may judge the next submission (backend logic; no engine needed)."""

from __future__ import annotations

from concurrent.futures import Future

from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.models import Limits


class FakeContainer:
    def __init__(self, image_id: str, limits: Limits) -> None:
        self.image_id = image_id
        self.limits = limits
        self.removed = False

    def remove(self) -> None:
        self.removed = True


def standby(backend: DockerBackend, container: FakeContainer) -> None:
    future: Future = Future()
    future.set_result(container)
    backend._standby.append(future)


def test_a_container_from_before_an_image_rebuild_is_removed_not_used():
    backend = DockerBackend(connect=lambda: None)  # type: ignore[arg-type, return-value]
    backend._image_id = "sha256:new"
    old = FakeContainer("sha256:old", Limits())
    current = FakeContainer("sha256:new", Limits())
    standby(backend, old)
    standby(backend, current)
    assert backend._take_standby(Limits()) is current
    backend.close()
    assert old.removed and not current.removed


def test_a_container_with_other_sandbox_limits_is_removed_but_a_time_limit_travels():
    backend = DockerBackend(connect=lambda: None)  # type: ignore[arg-type, return-value]
    backend._image_id = "sha256:x"
    small = FakeContainer("sha256:x", Limits(memory_mb=128))
    same = FakeContainer("sha256:x", Limits())
    standby(backend, small)
    standby(backend, same)
    wanted = Limits(time_limit_s=3)
    taken = backend._take_standby(wanted)
    backend.close()
    assert taken is same and taken.limits.time_limit_s == 3
    assert small.removed


def test_close_removes_what_a_replacement_timer_started_while_it_was_closing(monkeypatch):
    """A replacement timer that fires as ``close`` runs (its ``prepare`` queued on the lock)
    must not leave containers behind (a golden failure, then close at once: CI saw two)."""
    import threading
    import time

    started: list[FakeContainer] = []

    def slow_start(self: DockerBackend, limits: Limits) -> FakeContainer:
        time.sleep(0.05)
        container = FakeContainer("sha256:x", limits)
        started.append(container)
        return container

    monkeypatch.setattr(DockerBackend, "_start_container", slow_start)
    for _ in range(10):
        backend = DockerBackend(connect=lambda: None, keep_warm=True, shards=2)  # type: ignore[arg-type, return-value]
        with backend._lock:  # close waits for the lock, then the timer's prepare does too
            closer = threading.Thread(target=backend.close)
            closer.start()
            time.sleep(0.01)
            timer = threading.Timer(0, backend.prepare, args=(Limits(),))
            backend._timers.append(timer)
            timer.start()
            time.sleep(0.01)
        closer.join()
    assert started, "the timer never fired: the test did not exercise the race"
    assert all(container.removed for container in started), (
        sum(not c.removed for c in started), len(started))
