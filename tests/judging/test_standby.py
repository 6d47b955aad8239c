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
