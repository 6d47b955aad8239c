"""Judge a submission on the Docker engine: golden and every mutant, each verdict as it lands.

Two isolation modes:

* ``fast`` (default): the variants are split over ``shards`` containers (one per
  core by default) that run at the same time; inside each, the runner forks one
  clean child per variant (see ``judge/runner.py`` for what "clean" means).
* ``strict``: one fresh container per variant (still ``shards`` at a time), for
  graded work where even a shared container is too much; slower (see
  docs/benchmarks.md).

This module is the scheduler: it groups the variants, drives one container per
group, relays each event, retries transient engine errors with exponential backoff
(a retry runs only the variants that have not reported yet) and stops the other
containers when golden fails. Containers started ahead of time (:meth:`DockerBackend.prepare`)
and kept warm between submissions (``keep_warm``: the GUI, the judge server) live in
its :class:`~qa_arena_desktop.judging.container_pool.ContainerPool` (``backend.pool``),
which also removes containers in the background; :meth:`DockerBackend.close` waits for
it. Strict isolation never reuses a container.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import random
import threading
from collections.abc import Callable
from typing import Any

import docker
import docker.errors

from qa_arena_desktop import env_settings
from qa_arena_desktop.domain.backend import JudgeCancelled, JudgeUnavailable
from qa_arena_desktop.domain.judge_models import GOLDEN, JudgeRequest, Limits, VariantRun
from qa_arena_desktop.domain.verdicts import golden_stops_run
from qa_arena_desktop.judging import engine
from qa_arena_desktop.judging.cleanup import sweep_leftovers
from qa_arena_desktop.judging.container_pool import (
    KEEP_WARM_DELAY_S,
    MAX_SUBMISSIONS_PER_CONTAINER,
    ContainerPool,
)
from qa_arena_desktop.judging.container_run import (
    EngineFault,
    JudgeContainer,
    Stopped,
    container_options,
    owner_labels,
)
from qa_arena_desktop.judging.image import require_image
from qa_arena_desktop.judging.limits_check import require_enforced_limits

__all__ = ["KEEP_WARM_DELAY_S", "MAX_SUBMISSIONS_PER_CONTAINER", "DockerBackend",
           "container_options", "owner_labels"]

SHARDS_ENV = "QA_ARENA_SHARDS"
ISOLATION_ENV = "QA_ARENA_ISOLATION"
# Mutant budget once golden's duration is known: k x golden + c, at least min (seconds).
BUDGET_POLICY = {"k": 5, "c_s": 0.5, "min_s": 1.0}
# A run of more than this many mutants a container is shared out in chunks as it goes
# (see DockerBackend._shares), at least BALANCE_MIN_CHUNK at a time.
BALANCE_ABOVE, BALANCE_MIN_CHUNK = 24, 4
GOLDEN_KEY = "v0"  # the supervisor tells golden by this key and its flag, never by a name
ALT_GOLDEN_KEY = "w{}"  # further goldens (request.alt_goldens), told apart the same way
_RETRYABLE: tuple[type[BaseException], ...] = (EngineFault, *engine.TRANSIENT_ERRORS)


def default_shards() -> int:
    """``QA_ARENA_SHARDS``, else one container per core, at most 2."""
    return env_settings.current().shards or max(1, min(2, os.cpu_count() or 1))


class _Run:
    """The shared state of one submission's run across its containers."""

    def __init__(self, request: JudgeRequest, on_variant: Callable[[VariantRun], None],
                 cancel: threading.Event,
                 on_start: Callable[[str], None] | None = None) -> None:
        self.request = request
        self.on_variant = on_variant
        self.on_start = on_start
        self.cancel = cancel
        self.stop = threading.Event()  # golden failed: the rest is not needed
        self.done: set[str] = set()
        self.golden_ms: int | None = None
        self.lock = threading.Lock()
        self.live: list[JudgeContainer] = []

    def started(self, event: dict[str, Any], keys: dict[str, str]) -> None:
        """A variant's run began (the key is the container's word: unknown keys are dropped)."""
        name = keys.get(str(event.get("key")))
        if name is None or self.on_start is None:
            return
        with self.lock:
            if name not in self.done:
                self.on_start(name)

    def relay(self, event: dict[str, Any], keys: dict[str, str]) -> None:
        run = VariantRun.from_event(event, keys[event["key"]], _is_golden_key(event["key"]))
        with self.lock:
            if run.variant in self.done:
                return
            self.done.add(run.variant)
            if run.is_golden:
                if golden_stops_run(run.outcome):
                    self.stop.set()  # any golden failing decides: the rest is not needed
                elif run.variant == GOLDEN:
                    self.golden_ms = run.duration_ms
                    for container in self.live:  # let the other containers tighten budgets
                        with contextlib.suppress(EngineFault):
                            container.send({"golden_ms": run.duration_ms})
            self.on_variant(run)


class DockerBackend:
    """Judges :class:`JudgeRequest` s in containers on the engine ``connect`` reaches."""

    def __init__(
        self,
        connect: Callable[[], docker.DockerClient] = engine.connect,
        retries: int = 3,
        backoff_s: float = 0.5,
        shards: int | None = None,
        isolation: str | None = None,
        keep_warm: bool = False,
        starts_at_once: int | None = None,
    ) -> None:
        self._connect = connect
        self._retries = retries
        self._backoff_s = backoff_s
        self.shards = shards or default_shards()
        self.isolation = isolation or env_settings.current().isolation
        if self.isolation not in ("fast", "strict"):
            raise ValueError(f"isolation must be 'fast' or 'strict', not {self.isolation!r}")
        self._swept = False
        self._limits_checked = False
        self._image_id = ""  # the judge image of the latest run
        # Containers started at once. Kept warm in the app: one at a time, so the window stays
        # smooth on 2 cores; the judge server has no window and passes ``shards``.
        # Strict isolation never shares a container between runs: nothing is kept warm.
        self.pool: ContainerPool[JudgeContainer] = ContainerPool(self._start_container, self.shards,
                                  keep_warm=keep_warm and self.isolation == "fast",
                                  starts_at_once=starts_at_once or (1 if keep_warm else 4))
        atexit.register(self.close)

    @property
    def keep_warm(self) -> bool:
        return self.pool.keep_warm

    @keep_warm.setter
    def keep_warm(self, value: bool) -> None:
        self.pool.keep_warm = value and self.isolation == "fast"

    def prepare(self, limits: Limits | None = None) -> None:
        """Start ``shards`` containers in the background so the next run begins at once."""
        if self.isolation == "fast":
            self.pool.prepare(limits)

    @property
    def warm_containers(self) -> int:
        """Containers started ahead or kept from a run, waiting for the next submission."""
        return self.pool.warm

    def _start_container(self, limits: Limits) -> JudgeContainer:
        client = self._connect()  # its own: closed with the container
        try:
            container = JudgeContainer.start(client, limits)
        except BaseException:
            client.close()
            raise
        container.owns_client = True
        return container

    def close(self) -> None:
        """Remove every standby container and wait for pending removals (see the pool)."""
        self.pool.close()

    # ---- judging ----------------------------------------------------------------------------

    def run(
        self,
        request: JudgeRequest,
        on_variant: Callable[[VariantRun], None],
        cancel: threading.Event | None = None,
        log: Callable[[str], None] = lambda _line: None,
        on_start: Callable[[str], None] | None = None,
    ) -> None:
        """Run golden and every mutant; call ``on_variant`` for each as it finishes (and
        ``on_start`` with its name as its run begins; the others wait in their containers).

        ``on_variant`` is called from worker threads, one call at a time. Raises
        :class:`JudgeUnavailable` when the engine cannot be used (after retries) and
        :class:`JudgeCancelled` when ``cancel`` was set.
        """
        state = _Run(request, on_variant, cancel or threading.Event(), on_start)
        client = self._connect()
        try:
            self._check_engine(client, request, log)
            attempt = 0
            while True:
                try:
                    self._run_once(client, state, log)
                    return
                except _RETRYABLE as exc:
                    if isinstance(exc, docker.errors.APIError) and not exc.is_server_error():
                        raise JudgeUnavailable(
                            f"the Docker engine refused the judge container ({exc.explanation})",
                            "Run `qa-arena doctor` to check the engine",
                        ) from exc
                    if state.stop.is_set():
                        return
                    attempt += 1
                    reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
                    log(f"engine error (attempt {attempt} of {self._retries}): {reason}")
                    if attempt >= self._retries or state.cancel.is_set():
                        raise JudgeUnavailable(
                            f"the Docker engine failed during the run ({reason})",
                            "Check that Docker is running and healthy, then submit again",
                        ) from exc
                    if state.cancel.wait(self._backoff_s * (2 ** (attempt - 1))):
                        raise JudgeCancelled() from None
        finally:
            client.close()

    def _check_engine(self, client: docker.DockerClient, request: JudgeRequest,
                      log: Callable[[str], None]) -> None:
        if not self._swept:
            self._swept = True
            removed = sweep_leftovers(client)
            if removed:
                log(f"removed {len(removed)} judge container(s) left by a crashed run")
        self._image_id = require_image(client)
        if not self._limits_checked:
            require_enforced_limits(client, request.limits)
            self._limits_checked = True

    def _work_items(self, state: _Run) -> list[list[dict[str, Any]]]:
        """The variants still to run, grouped: one group per container."""
        request = state.request
        golden: list[dict[str, Any]] = [] if GOLDEN in state.done or not request.with_golden \
            else [{"key": GOLDEN_KEY, "source": request.golden_source, "golden": True}]
        if request.with_golden:
            golden += [{"key": ALT_GOLDEN_KEY.format(i), "source": g.source, "golden": True}
                       for i, g in enumerate(request.alt_goldens) if g.name not in state.done]
        mutants: list[dict[str, Any]] = [{"key": f"v{i}", "source": m.source}
                   for i, m in enumerate(request.mutants, start=1) if m.name not in state.done]
        if self.isolation == "strict":
            return [[variant] for variant in golden + mutants]
        random.SystemRandom().shuffle(mutants)
        count = max(1, min(self.shards, 1 + len(mutants)))
        groups: list[list[dict[str, Any]]] = [[] for _ in range(count)]
        groups[0] += golden  # every golden in one container, the first golden first
        for index, variant in enumerate(mutants, start=1 if golden else 0):
            groups[index % count].append(variant)
        return [group for group in groups if group]

    def _shares(self, items: list[list[dict[str, Any]]]) -> list[Callable[[], list[dict[str, Any]]]]:
        """Per container, what gives it its next request's variants (empty: done).

        Strict isolation and small runs: each container's group, as one request. A large
        run in fast isolation (more than ``BALANCE_ABOVE`` mutants a container, such as the
        studio's candidate batch) is shared out as it goes instead: each container asks for
        its next chunk when its request is done (a share of what is left, fewer as the end
        nears), so one that drew the slow variants (endless loops) does not finish last
        while the other idles. Goldens stay first in the first container's first chunk.
        """
        if self.isolation == "strict" or len(items) < 2 or \
                max(len(group) for group in items) <= BALANCE_ABOVE:
            return [_once(group) for group in items]
        goldens = [v for group in items for v in group if v.get("golden")]
        pending = [v for group in items for v in group if not v.get("golden")]
        lock = threading.Lock()

        def chunk() -> list[dict[str, Any]]:
            with lock:
                size = max(BALANCE_MIN_CHUNK, -(-len(pending) // (2 * len(items))))
                taken = pending[:size]
                del pending[:size]
            return taken

        first = _once(goldens)  # the goldens open the first container's first request
        return [lambda: first() + chunk()] + [chunk] * (len(items) - 1)

    def _run_once(self, client: docker.DockerClient, state: _Run,
                  log: Callable[[str], None]) -> None:
        request = state.request
        keys = {GOLDEN_KEY: GOLDEN} | {f"v{i}": m.name for i, m in enumerate(request.mutants, start=1)}
        keys |= {ALT_GOLDEN_KEY.format(i): g.name for i, g in enumerate(request.alt_goldens)}
        items = self._work_items(state)
        if not items:
            return
        queue = self._shares(items)
        queue_lock = threading.Lock()
        errors: list[BaseException] = []

        def worker() -> None:
            while not state.stop.is_set() and not state.cancel.is_set():
                with queue_lock:
                    if not queue:
                        return
                    group = queue.pop(0)
                try:
                    self._drive(client, state, group, keys, log)
                except Stopped:
                    return
                except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                    errors.append(exc)
                    if not isinstance(exc, _RETRYABLE):
                        state.stop.set()  # a fatal error: the other containers can stop
                    return

        workers = [threading.Thread(target=worker, name=f"qa-arena-shard-{n}", daemon=True)
                   for n in range(min(self.shards, len(items)))]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        if state.cancel.is_set():
            raise JudgeCancelled()
        for exc in errors:
            if not isinstance(exc, _RETRYABLE):
                raise exc
        if errors:
            raise errors[0]

    def _drive(self, client: docker.DockerClient, state: _Run,
               next_group: Callable[[], list[dict[str, Any]]],
               keys: dict[str, str], log: Callable[[str], None]) -> None:
        """Run groups of variants in one container, one request each, until ``next_group``
        has none left, relaying each event (see :meth:`_shares`).

        The run's client is shared by its shard threads (the SDK's connection pool is
        thread-safe); a lost engine then shows up as a retryable connection error.
        """
        request = state.request
        group = next_group()
        if not group:
            return
        container = (self.pool.take(request.limits, self._image_id)
                     if self.isolation == "fast" else None)
        if container is None:
            container = JudgeContainer.start(client, request.limits)
        with state.lock:
            state.live.append(container)
        try:
            while group:
                self._request(container, state, group, keys, log)
                group = next_group()
        except BaseException:
            self._retire(state, container, clean=False)
            raise
        self._retire(state, container, clean=True)

    def _request(self, container: JudgeContainer, state: _Run, group: list[dict[str, Any]],
                 keys: dict[str, str], log: Callable[[str], None]) -> None:
        """One request to ``container``: ``group``'s variants, each event relayed."""
        request = state.request
        with state.lock:
            golden_ms = state.golden_ms if state.golden_ms is not None else request.golden_ms
        container.send({
            "tests": request.tests, "variants": group,
            "time_limit_s": request.limits.time_limit_s,
            "budget": request.budget or BUDGET_POLICY,
            "golden_ms": golden_ms, "select": list(request.select),
            "support": {f.name: f.text for f in request.support_files},
        })
        grace = request.limits.time_limit_s + request.limits.startup_grace_s
        for event in container.events(state.cancel, state.stop, log, grace):
            kind = event.get("event")
            if kind == "variant":
                state.relay(event, keys)
            elif kind == "started":
                state.started(event, keys)
            elif kind == "error":
                raise JudgeUnavailable(f"the judge runner failed: {event.get('message')}",
                                       "This is a judge fault; please report it")
            elif kind == "ready":
                log(f"judge ready (python {event.get('python')}, "
                    f"pytest {event.get('pytest')}, namespaces {event.get('namespaces')})")
                if event.get("namespaces") is False and len(group) > 1:
                    raise JudgeUnavailable(
                        "this Docker engine does not let the judge make user namespaces "
                        "inside a container, so runs in one container could not be "
                        "isolated from one another",
                        "Set QA_ARENA_ISOLATION=strict (one container per run)")

    def _retire(self, state: _Run, container: JudgeContainer, clean: bool) -> None:
        """The run is done with ``container``: the pool keeps it for the next submission
        (a clean run, kept warm) or removes it (see ``ContainerPool.give_back``)."""
        with state.lock:
            state.live.remove(container)
        self.pool.give_back(container, clean)


def _once(group: list[dict[str, Any]]) -> Callable[[], list[dict[str, Any]]]:
    """Gives ``group`` the first time it is called, nothing after."""
    left = [group]
    return lambda: left.pop() if left else []


def _is_golden_key(key: object) -> bool:
    """Golden's key or a further golden's (``w0``, ``w1``, ...): the host's own keys."""
    return key == GOLDEN_KEY or (isinstance(key, str) and key[:1] == ALT_GOLDEN_KEY[:1])
