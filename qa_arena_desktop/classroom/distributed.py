"""The instructor's side of distributed grading: a judge that hands files to the workers.

:class:`BrokerJudge` is a :data:`~qa_arena_desktop.classroom.batch.Judge`, so
``grade --broker`` runs the same :func:`~qa_arena_desktop.classroom.batch.grade_batch`
as a local run: the same rows, resume state, progress lines and reports. Each call
enqueues one task (the file's bytes, the pack by content hash) and waits for that
file's completion; ``grade_batch``'s pool is simply how many files are in flight.

One listener thread pops completions from the run's ``events`` list, checks each one
(:func:`~qa_arena_desktop.classroom.wire.check_completion`) and wakes the call waiting
for that file. A file settles once: a second completion for it, one for another run,
or anything malformed is refused, counted and reported, never a second row or a
crash. The same thread keeps the run's ``alive`` key fresh; :meth:`close` deletes it,
so workers drop whatever is still queued for a run nobody waits for.

Identical files (same bytes) in one class are one task and share its result.

Under ``--invalid drop`` every task says so and the workers drop failing tests with the
local path's code; a completion's checked ``dropped`` list makes the result a
:class:`~qa_arena_desktop.classroom.invalid_tests.DroppedResult` again, so rows,
reports and the resume state are those of a local ``--invalid drop`` run.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from qa_arena_desktop.classroom.broker import connection_errors, make_app, redis_client
from qa_arena_desktop.classroom.invalid_tests import DroppedResult
from qa_arena_desktop.classroom.wire import (
    ALIVE_TTL_S,
    DEFAULT_MAX_ATTEMPTS,
    MAX_COMPLETION_BYTES,
    QUEUE,
    RUN_TTL_S,
    TASK_NAME,
    Completion,
    GradeTask,
    Policy,
    RunKeys,
    check_completion,
    pack_blob,
    pack_key,
    redacted,
)
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack

MAX_IN_FLIGHT = 256  # files enqueued and waited for at once (threads of grade_batch's pool)
BROKER_LOST_AFTER_S = 120.0
# A file whose only completion was refused (forged, malformed, tampered) is not waited for
# forever: the worker that made it already marked the file done. The genuine completion
# may still follow (a forger's comes first), so wait this long, then end it as a dead
# letter: an ERROR row, judged again by the next run of the same command.
REFUSED_GRACE_S = 60.0


class BrokerUnavailable(RuntimeError):
    """The broker cannot be reached (at the start, or for too long during the run)."""


class DeadLettered(RuntimeError):
    """The workers gave up on this file; the message is the reason."""


class GradingCancelled(RuntimeError):
    """The run was cancelled (Ctrl+C) while this file was still being judged."""


@dataclass
class _Slot:
    done: threading.Event = field(default_factory=threading.Event)
    completion: Completion | None = None
    refused_at: float | None = None  # monotonic time of the first refused completion
    refused_why: str = ""


class BrokerJudge:
    """Judge files on the workers behind ``broker_url``; see the module docstring."""

    def __init__(self, broker_url: str, pack: Pack, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                 warn: Callable[[str], None] = lambda _line: None,
                 invalid: Policy = "zero") -> None:
        self.pack = pack
        self.max_attempts = max_attempts
        self.invalid: Policy = invalid
        self.warn = warn
        self.refused_grace_s = REFUSED_GRACE_S
        self.run_id = uuid.uuid4().hex
        self.keys = RunKeys(self.run_id)
        self.where = redacted(broker_url)
        self.client = redis_client(broker_url)
        try:
            self.client.ping()
            self.pack_hash, blob = pack_blob(pack)
            self.client.set(pack_key(self.pack_hash), blob, ex=RUN_TTL_S)
            self.client.set(self.keys.alive, "1", ex=ALIVE_TTL_S)
        except connection_errors() as exc:
            self.client.close()
            raise BrokerUnavailable(f"cannot reach the broker at {self.where} ({exc})") from None
        self.app = make_app(broker_url)
        self.dead_letters: list[Completion] = []
        self.refused: list[str] = []
        self.enqueued = 0
        self._slots: dict[str, _Slot] = {}  # sha256 -> the file waited for (or settled)
        self._lock = threading.Lock()
        self._publish_lock = threading.Lock()
        self._stop = threading.Event()
        self._failure = ""
        self._listener = threading.Thread(target=self._listen, name="qa-arena-broker-listener",
                                          daemon=True)
        self._listener.start()

    def workers(self, timeout_s: float = 1.0) -> int:
        """How many workers answer a ping now (0 when none, or when they cannot be asked)."""
        try:
            return len(self.app.control.ping(timeout=timeout_s) or [])
        except Exception:  # noqa: BLE001 - only informative
            return 0

    def __call__(self, pack: Pack, data: bytes, cancel: threading.Event) -> JudgeResult:
        sha256 = hashlib.sha256(data).hexdigest()
        with self._lock:
            slot = self._slots.get(sha256)
            first = slot is None
            if slot is None:
                slot = self._slots[sha256] = _Slot()
        if first:
            task = GradeTask.make(self.run_id, data, self.pack_hash, self.max_attempts,
                                  self.invalid)
            with self._publish_lock:  # one producer at a time over the app's connection pool
                self.app.send_task(TASK_NAME, args=[task.payload()], queue=QUEUE)
                self.enqueued += 1
        while not slot.done.wait(0.5):
            if cancel.is_set():
                raise GradingCancelled("cancelled while the workers were judging it")
            if self._failure:
                raise BrokerUnavailable(self._failure)
            if slot.refused_at is not None and \
                    time.monotonic() - slot.refused_at > self.refused_grace_s:
                self._give_up(sha256, slot)
        completion = slot.completion
        assert completion is not None
        if completion.kind == "dead-letter" or completion.result is None:
            raise DeadLettered(f"dead letter: {completion.reason}")
        if completion.dropped is not None:  # checked and cleaned by check_completion
            return DroppedResult.model_validate({**completion.result.model_dump(),
                                                 "dropped": completion.dropped})
        return completion.result

    def _settle(self, raw: bytes) -> None:
        with self._lock:
            waiting = {sha for sha, slot in self._slots.items() if slot.completion is None}
        checked = check_completion(raw, self.run_id, waiting, self.pack, self.invalid)
        if isinstance(checked, str):
            self.refused.append(checked)
            self.warn(f"ignored {checked}")
            self._note_refused(raw, waiting, checked)
            return
        with self._lock:
            slot = self._slots[checked.sha256]
            if slot.completion is not None:  # settled meanwhile: never twice
                self.refused.append("a second completion for a file")
                return
            slot.completion = checked
            if checked.kind == "dead-letter":
                self.dead_letters.append(checked)
        slot.done.set()

    def _note_refused(self, raw: bytes, waiting: set[str], why: str) -> None:
        """Start the grace period of the waited-for file a refused completion names."""
        try:
            claimed = json.loads(raw[:MAX_COMPLETION_BYTES])
        except (ValueError, UnicodeDecodeError, RecursionError):
            return
        if not isinstance(claimed, dict) or claimed.get("run_id") != self.run_id:
            return
        sha256 = claimed.get("sha256")
        if not isinstance(sha256, str) or sha256 not in waiting:
            return
        with self._lock:
            slot = self._slots[sha256]
            if slot.refused_at is None:
                slot.refused_at, slot.refused_why = time.monotonic(), why

    def _give_up(self, sha256: str, slot: _Slot) -> None:
        """No acceptable completion came within the grace period: a dead letter."""
        dead = Completion(run_id=self.run_id, sha256=sha256, kind="dead-letter", attempts=0,
                          reason=f"the workers' result was refused ({slot.refused_why})")
        with self._lock:
            if slot.completion is not None:
                return
            slot.completion = dead
            self.dead_letters.append(dead)
        slot.done.set()

    def _listen(self) -> None:
        refreshed = time.monotonic()
        lost_since: float | None = None
        while not self._stop.is_set():
            try:
                if time.monotonic() - refreshed > ALIVE_TTL_S / 6:
                    self.client.set(self.keys.alive, "1", ex=ALIVE_TTL_S)
                    refreshed = time.monotonic()
                item = self.client.blpop([self.keys.events], timeout=1)
                lost_since = None
            except connection_errors() as exc:
                now = time.monotonic()
                if lost_since is None:
                    lost_since = now
                    self.warn(f"lost the broker at {self.where}, retrying ({exc})")
                elif now - lost_since > BROKER_LOST_AFTER_S:
                    self._failure = f"lost the broker at {self.where} for {BROKER_LOST_AFTER_S:.0f} s"
                    return
                self._stop.wait(1.0)
                continue
            if item is not None:
                raw = item[1]
                self._settle(raw if isinstance(raw, bytes) else str(raw).encode())

    def close(self) -> None:
        """Stop listening and end the run: workers drop the tasks still queued for it."""
        self._stop.set()
        self._listener.join(timeout=10)
        try:
            self.client.delete(self.keys.alive)
        except connection_errors():
            pass  # it expires by itself within ALIVE_TTL_S
        finally:
            self.client.close()
