"""Judge containers started ahead of time and kept warm between runs (fast isolation only).

The pool holds the *standby* list: containers started before a run needs them (so the
run begins at once) and, with ``keep_warm`` (the GUI, the judge server), containers whose
run ended cleanly, for the next submission (up to ``MAX_SUBMISSIONS_PER_CONTAINER``; the
runner resets one exactly as between variants). It starts them in the background, one
or a few at a time, replaces a removed one a moment later, and removes containers in the
background (the *reaper*): :meth:`ContainerPool.close` waits for all of it, so nothing is
left behind. Which run uses which container is the scheduler's business
(``judging.docker_backend``); the pool only hands out and takes back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, Protocol, TypeVar

from qa_arena_desktop.domain.judge_models import Limits

log = logging.getLogger(__name__)

KEEP_WARM_DELAY_S = 0.5
# With keep_warm, a container judges at most this many submissions, then a fresh one takes over.
MAX_SUBMISSIONS_PER_CONTAINER = 50
TAKE_TIMEOUT_S = 30.0


class PooledContainer(Protocol):
    """What the pool needs of a container (``container_run.JudgeContainer``)."""

    limits: Limits
    image_id: str
    uses: int

    def remove(self) -> None: ...

    def close_stream(self) -> None: ...


C = TypeVar("C", bound=PooledContainer)


class ContainerPool(Generic[C]):
    """Standby containers for the runs of one backend: start, hand out, keep, remove."""

    def __init__(self, start: Callable[[Limits], C], size: int,
                 keep_warm: bool = False, starts_at_once: int = 4) -> None:
        """``start`` starts one container (blocking); ``size`` is how many wait at most
        (the backend's shards); ``starts_at_once`` how many start at the same time."""
        self._start = start
        self.size = size
        self.keep_warm = keep_warm
        self._starts_at_once = starts_at_once
        self._standby: list[Future[C]] = []
        self._timers: list[threading.Timer] = []
        self._lock = threading.Lock()
        self._new_executors()

    def _new_executors(self) -> None:
        self._reaper = ThreadPoolExecutor(max_workers=2, thread_name_prefix="qa-arena-reaper")
        self._starter = ThreadPoolExecutor(max_workers=self._starts_at_once,
                                           thread_name_prefix="qa-arena-start")

    # ---- filling ----------------------------------------------------------------------------

    def prepare(self, limits: Limits | None = None) -> None:
        """Start containers in the background until ``size`` wait (counting those starting)."""
        limits = limits or Limits()
        with self._lock:
            for _ in range(max(0, self.size - len(self._standby))):
                self._standby.append(self._starter.submit(self._start, limits))

    def add(self, container: C) -> None:
        """A started container joins the standby list (whatever ``size`` says)."""
        ready: Future[C] = Future()
        ready.set_result(container)
        with self._lock:
            self._standby.append(ready)

    @property
    def warm(self) -> int:
        """Containers started ahead or kept from a run (started or still starting)."""
        with self._lock:
            return len(self._standby)

    @property
    def starting(self) -> int:
        """Standby containers whose start has not finished yet."""
        with self._lock:
            return sum(1 for future in self._standby if not future.done())

    def wait_started(self, timeout: float) -> None:
        """Wait until every container started ahead is up (or its start failed)."""
        with self._lock:
            pending = list(self._standby)
        for future in pending:
            with contextlib.suppress(Exception):  # a failed start is just not used
                future.result(timeout=timeout)

    # ---- handing out and taking back ----------------------------------------------------

    def take(self, limits: Limits, image_id: str) -> C | None:
        """A standby container for a run with ``limits`` on the image ``image_id``, or None.

        Containers of another sandbox (memory, pids, ...) or an older image are removed on
        the way; the time limit travels with the request, so it is set on the one taken.
        """
        with self._lock:
            while self._standby:
                future = self._standby.pop(0)
                try:
                    container = future.result(timeout=TAKE_TIMEOUT_S)
                except Exception:  # noqa: BLE001 - a failed standby is just not used
                    continue
                if (container.limits.sandbox_key() == limits.sandbox_key()
                        and container.image_id == image_id):
                    container.limits = limits
                    return container
                self._reaper.submit(_remove, container)
        return None

    def give_back(self, container: C, clean: bool) -> None:
        """A run is done with ``container``: keep it for the next submission when the run
        ended cleanly and containers are kept warm (and it has judged fewer than
        ``MAX_SUBMISSIONS_PER_CONTAINER``), else remove it in the background and, when
        kept warm, start a replacement a moment later."""
        if clean and self.keep_warm and container.uses + 1 < MAX_SUBMISSIONS_PER_CONTAINER:
            with self._lock:
                if len(self._standby) < self.size:
                    container.uses += 1
                    kept: Future[C] = Future()
                    kept.set_result(container)
                    self._standby.append(kept)
                    return
        container.close_stream()
        try:
            self._reaper.submit(_remove, container)
        except RuntimeError:  # the reaper is shut down (closing): remove it here
            _remove(container)
        if self.keep_warm:
            # A moment later, and one container at a time: starting containers is heavy
            # for a 2-core machine, and the GUI is busiest right as a run ends.
            self.prepare_later(container.limits, KEEP_WARM_DELAY_S)

    def prepare_later(self, limits: Limits, delay_s: float) -> None:
        """:meth:`prepare` after ``delay_s`` seconds (cancelled, or waited for, by close)."""
        timer = threading.Timer(delay_s, self.prepare, args=(limits,))
        timer.daemon = True
        with self._lock:
            self._timers = [t for t in self._timers if t.is_alive()] + [timer]
        timer.start()

    # ---- closing --------------------------------------------------------------------------

    def close(self) -> None:
        """Remove every standby container and wait for pending removals.

        In this order, so nothing started in the meantime is left behind: the replacement
        timers first (one that already fired is waited for: its ``prepare`` may be queued on
        the lock), then every start in flight, and only then the standby list. The pool
        can be used again afterwards.
        """
        with self._lock:
            timers, self._timers = self._timers, []
        for timer in timers:
            timer.cancel()
        for timer in timers:
            timer.join(timeout=30)
        self._starter.shutdown(wait=True)
        with self._lock:
            standby, self._standby = self._standby, []
        for future in standby:
            try:
                container = future.result(timeout=0)
            except Exception:  # noqa: BLE001 - a failed start removed its own container
                continue
            _remove(container)
        self._reaper.shutdown(wait=True)
        self._new_executors()


def _remove(container: PooledContainer) -> None:
    """Remove ``container``; an error is logged with the container, never lost in a future
    or a suppress (a container left behind is swept at the next start)."""
    try:
        container.remove()
    except Exception:  # noqa: BLE001 - removal is best effort; say what was left
        log.exception("could not remove judge container %s", getattr(container, "id", "?"))
