"""The grading worker: takes a student file from the broker, judges it, completes it once.

``qa-arena worker --broker redis://HOST:PORT/N`` runs one of these per machine that
has a Docker engine. Each task is judged with the same code as a local ``grade``
(:class:`~qa_arena_desktop.classroom.batch.ServiceJudge`: the judging service and the
hardened Docker backend), so a row is the same wherever it was judged. The student's
file is only ever bytes here: the worker decodes and checks it, the service hands
it to a sandbox container; nothing from it is imported or run in this process.

Exactly one completion per (run, file), whatever the broker redelivers:

* a task for a run that is over (the instructor's ``alive`` key is gone) or a file
  already completed is acknowledged and dropped without judging;
* the worker judging a file holds a lease on it, refreshed while it runs; a copy of the
  task redelivered meanwhile (the visibility timeout passed) is sent round again
  without judging, until the file is complete or the lease lapses (its worker died);
* each start is counted (``attempts``); past ``max_attempts`` the file becomes a dead
  letter with the reason the last attempt failed (or "the worker stopped while judging
  it" when a worker was killed or crashed: nothing could be written then);
* the completion is written by one Lua script: ``HSETNX done`` and, only when that
  set it, ``RPUSH events``. A second worker finishing the same file (a redelivery
  after a visibility timeout) makes no second event.

A judge exception or an ERROR result (the engine's fault) is tried again, up to
``max_attempts``, possibly on another worker.

A task of a ``--invalid drop`` run is judged by the worker's ``drop`` judge (the local
path's :class:`~qa_arena_desktop.classroom.invalid_tests.DroppingJudge`); its completion
carries the tests that were left out (``dropped``) beside the plain judge result.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import uuid
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from qa_arena_desktop.classroom.batch import Judge
from qa_arena_desktop.classroom.invalid_tests import DroppedResult
from qa_arena_desktop.classroom.wire import (
    LEASE_TTL_S,
    QUEUE,
    RUN_TTL_S,
    TASK_NAME,
    Completion,
    GradeTask,
    RunKeys,
    pack_from_blob,
    pack_key,
)
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.text_safety import one_line

if TYPE_CHECKING:
    import redis
    from celery import Celery

KILLED_REASON = "the worker stopped while judging it (killed or crashed)"

# KEYS: done, events, dead; ARGV: sha256, completion JSON, kind, ttl
COMPLETE_ONCE = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3]) == 0 then
  return 0
end
redis.call('RPUSH', KEYS[2], ARGV[2])
if ARGV[3] == 'dead-letter' then
  redis.call('RPUSH', KEYS[3], ARGV[2])
end
for i = 1, 3 do
  redis.call('EXPIRE', KEYS[i], tonumber(ARGV[4]))
end
return 1
"""


# KEYS: lease; ARGV: token. Deletes the lease only if this worker still holds it.
RELEASE_LEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class Outcome(Enum):
    COMPLETED = "completed"  # this worker made the file's one completion
    DROPPED = "dropped"  # nothing to do: run over, already completed, or a malformed task
    RETRY = "retry"  # failed; send the task again (attempts are counted on the broker)
    WAIT = "wait"  # another live worker is judging it: send it again later, no attempt counted


class PackUnavailable(RuntimeError):
    """The pack named by a task is not on the broker (expired) or does not match its hash."""


class PackCache:
    """Packs by content hash, fetched from the broker once per worker process."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client
        self._packs: dict[str, Pack] = {}
        self._lock = threading.Lock()
        self.fetches = 0

    def get(self, blob_hash: str) -> Pack:
        with self._lock:  # held while fetching: concurrent tasks of a new pack fetch it once
            pack = self._packs.get(blob_hash)
            if pack is None:
                blob = self._client.get(pack_key(blob_hash))
                if not isinstance(blob, bytes):
                    raise PackUnavailable("the pack is no longer on the broker (start grade again)")
                try:
                    pack = pack_from_blob(blob_hash, blob)
                except ValueError as exc:
                    raise PackUnavailable(str(exc).splitlines()[0]) from None
                self.fetches += 1
                self._packs[blob_hash] = pack
            return pack


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


class GradeWorker:
    """What one task does, without Celery around it (one per process, shared by its threads)."""

    def __init__(self, client: redis.Redis, judge: Judge, name: str,
                 log: Callable[[str], None] | None = None, drop: Judge | None = None) -> None:
        """``judge`` judges ``zero`` tasks (the judge's rule); ``drop`` judges ``drop`` tasks
        (without one, such a task is a dead letter rather than judged by the wrong rule)."""
        self.client = client
        self.judge = judge
        self.judges: dict[str, Judge] = {"zero": judge, **({"drop": drop} if drop else {})}
        self.name = name
        self.packs = PackCache(client)
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._complete = client.register_script(COMPLETE_ONCE)
        self._release = client.register_script(RELEASE_LEASE)

    def handle(self, payload: Any) -> Outcome:
        try:
            task = GradeTask.model_validate(payload)
        except ValidationError as exc:
            self.log(f"refused a malformed task ({exc.error_count()} error(s))")
            return Outcome.DROPPED
        keys = RunKeys(task.run_id)
        if not self.client.exists(keys.alive):
            return Outcome.DROPPED  # the instructor stopped waiting (finished, Ctrl+C or gone)
        if self.client.hexists(keys.done, task.sha256):
            return Outcome.DROPPED  # a redelivery of a file that is already complete
        lease = keys.lease(task.sha256)
        token = f"{self.name}:{uuid.uuid4().hex}"
        if not self.client.set(lease, token, nx=True, ex=LEASE_TTL_S):
            # Redelivered after the visibility timeout while its worker is still at it. Keep
            # the task going round (if that worker dies, its lease expires and this copy runs).
            return Outcome.WAIT
        stop = threading.Event()
        keeper = threading.Thread(target=self._keep_lease, args=(lease, token, stop), daemon=True)
        keeper.start()
        try:
            return self._attempt(task, keys)
        finally:
            stop.set()
            keeper.join()
            self._release(keys=[lease], args=[token])

    def _keep_lease(self, lease: str, token: str, stop: threading.Event) -> None:
        while not stop.wait(LEASE_TTL_S / 3):
            with contextlib.suppress(Exception):  # a missed refresh: the next one may land
                if self.client.get(lease) == token.encode():
                    self.client.expire(lease, LEASE_TTL_S)

    def _attempt(self, task: GradeTask, keys: RunKeys) -> Outcome:
        if self.client.hexists(keys.done, task.sha256):
            return Outcome.DROPPED  # completed by the lease's last holder just before we took it
        attempt = int(self.client.hincrby(keys.attempts, task.sha256, 1))
        self.client.expire(keys.attempts, RUN_TTL_S)
        if attempt > task.max_attempts:
            last = self.client.hget(keys.reasons, task.sha256)
            reason = last.decode("utf-8", "replace") if isinstance(last, bytes) else KILLED_REASON
            return self._dead(task, reason, attempt - 1)
        try:
            data = task.tests()
            pack = self.packs.get(task.pack_hash)
        except (ValueError, PackUnavailable) as exc:  # no later attempt can do better
            return self._dead(task, str(exc), attempt)
        judge = self.judges.get(task.invalid)
        if judge is None:
            return self._dead(task, f"this worker cannot judge with --invalid {task.invalid}",
                              attempt)
        try:
            result = judge(pack, data, threading.Event())
        except Exception as exc:  # noqa: BLE001 - a crash of the judge is this file's failure
            return self._failed(task, keys, attempt, f"the judge failed on this file ({_describe(exc)})")
        if result.status is SubmissionStatus.ERROR and attempt < task.max_attempts:
            return self._failed(task, keys, attempt, f"ERROR: {result.message}")
        dropped = result.dropped if isinstance(result, DroppedResult) else None
        plain = JudgeResult.model_validate(result.model_dump(exclude={"dropped"})) \
            if dropped is not None else result
        return self._finish(task, Completion(run_id=task.run_id, sha256=task.sha256, kind="result",
                                             result=plain, attempts=attempt, worker=self.name,
                                             dropped=dropped))

    def _failed(self, task: GradeTask, keys: RunKeys, attempt: int, reason: str) -> Outcome:
        reason = one_line(reason, 500)
        self.client.hset(keys.reasons, task.sha256, reason)
        self.client.expire(keys.reasons, RUN_TTL_S)
        if attempt >= task.max_attempts:
            return self._dead(task, reason, attempt)
        self.log(f"{task.sha256[:12]} attempt {attempt} of {task.max_attempts} failed: {reason}")
        return Outcome.RETRY

    def _dead(self, task: GradeTask, reason: str, attempts: int) -> Outcome:
        reason = one_line(f"{reason} (gave up after {attempts} attempt(s))", 1000)
        return self._finish(task, Completion(run_id=task.run_id, sha256=task.sha256,
                                             kind="dead-letter", reason=reason, attempts=attempts,
                                             worker=self.name))

    def _finish(self, task: GradeTask, completion: Completion) -> Outcome:
        keys = RunKeys(task.run_id)
        made = self._complete(keys=[keys.done, keys.events, keys.dead],
                              args=[task.sha256, completion.model_dump_json(), completion.kind,
                                    RUN_TTL_S])
        if not made:
            return Outcome.DROPPED  # another worker completed it first
        result: JudgeResult | None = completion.result
        verdict = f"{result.status.value} {result.score:.1f}" if result else "dead letter"
        self.log(f"{task.sha256[:12]} {verdict} (attempt {completion.attempts})")
        return Outcome.COMPLETED


def register_task(app: Celery, worker: GradeWorker) -> None:
    """The Celery task: acknowledged late, sent again on RETRY (the broker counts attempts)."""

    @app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True,
              max_retries=None, queue=QUEUE)
    def grade_file(self: Any, payload: Any) -> None:
        outcome = worker.handle(payload)
        if outcome is Outcome.RETRY:
            raise self.retry(countdown=1)
        if outcome is Outcome.WAIT:
            raise self.retry(countdown=2)


def run_worker(app: Celery, name: str, concurrency: int) -> int:
    """Consume grade tasks until SIGTERM or Ctrl+C (tasks in hand finish first)."""
    import warnings

    from celery.exceptions import SecurityWarning

    # Celery's multi-line warning for root; the command prints its own line instead.
    warnings.filterwarnings("ignore", category=SecurityWarning)
    worker = app.Worker(hostname=name, pool_cls="threads", concurrency=concurrency,
                        loglevel="WARNING", queues=[QUEUE], without_gossip=True,
                        without_mingle=True, without_heartbeat=True, quiet=True,
                        optimization="fair")
    worker.start()
    return int(getattr(worker, "exitcode", 0) or 0)
