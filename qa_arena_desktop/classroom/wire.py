"""What travels through the broker in a distributed grading run, as typed, checked messages.

Only plain data crosses the wire (JSON, never pickle), and each side checks what it
receives with pydantic, because the other end is a different machine:

* a :class:`GradeTask` (instructor -> worker) names the run, the student file by the
  sha256 of its bytes, the bytes themselves, the pack by content hash and the
  invalid-test policy (``--invalid zero|drop``); no student name leaves the
  instructor's machine;
* the pack travels once per run as a blob under ``qa-arena:pack:<sha256 of the blob>``;
  a worker checks the hash before using it and keeps it in memory (:func:`pack_from_blob`);
* a :class:`Completion` (worker -> instructor) is either the judge's result or a dead
  letter with its reason; under ``drop`` a result also carries the tests the worker
  left out (``dropped``). :func:`check_completion` refuses anything malformed,
  oversized, for another run or file, or that does not fit the pack or the run's
  policy, so a forged message can neither crash ``grade`` nor add a row; the dropped
  tests' ids and messages are cleaned again against the pack's correct code, so a
  forged one cannot put that code into a student's report.

Redis key names live here too (:class:`RunKeys`), so both sides agree on them.
See docs/classroom.md, "Distributed grading".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qa_arena_desktop.classroom.invalid_tests import MAX_DROPPED
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import SubmissionStatus, score, weighted_kill_ratio
from qa_arena_desktop.judging import disclosure
from qa_arena_desktop.judging.detail_bounds import MAX_ID_CHARS
from qa_arena_desktop.judging.precheck import MAX_TEST_FILE_BYTES
from qa_arena_desktop.text_safety import one_line

PREFIX = "qa-arena"
QUEUE = "qa-arena-grade"
TASK_NAME = "qa_arena.grade_file"
SHA256 = r"^[0-9a-f]{64}$"
RUN_ID = r"^[0-9a-f]{32}$"
MAX_TESTS_BYTES = MAX_TEST_FILE_BYTES * 4  # what read_test_file may return; the precheck refuses it
MAX_COMPLETION_BYTES = 8 * 1024 * 1024
MAX_PACK_BYTES = 16 * 1024 * 1024
RUN_TTL_S = 2 * 24 * 3600  # a run's keys vanish two days after its last write
ALIVE_TTL_S = 60  # the instructor refreshes it while waiting; a run without it is over
DEFAULT_MAX_ATTEMPTS = 3
LEASE_TTL_S = 10  # a judging worker refreshes its lease every LEASE_TTL_S / 3 seconds


class BadBrokerUrl(ValueError):
    """The --broker value is not a Redis URL we can use."""


def check_broker_url(url: str) -> str:
    """``redis://[:PASSWORD@]HOST:PORT/N`` (or ``rediss://`` for TLS); returns it unchanged."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadBrokerUrl(f"--broker is not a valid URL ({exc})") from None
    if parts.scheme not in ("redis", "rediss"):
        raise BadBrokerUrl(f"--broker must be a redis:// URL (redis://HOST:PORT/N), got "
                           f"{redacted(url)!r}")
    if not parts.hostname or port is None:
        raise BadBrokerUrl(f"--broker needs a host and a port (redis://HOST:PORT/N), got "
                           f"{redacted(url)!r}")
    if not re.fullmatch(r"/\d{1,2}", parts.path or ""):
        raise BadBrokerUrl(f"--broker needs a database number at the end (redis://HOST:PORT/0), "
                           f"got {redacted(url)!r}")
    return url


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return one_line(url, 200)
        host = parts.hostname or ""
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return one_line(urlunsplit(parts._replace(netloc=netloc)), 200)
    except ValueError:
        return "(unreadable URL)"


@dataclass(frozen=True)
class RunKeys:
    """The Redis keys of one grading run (all expire ``RUN_TTL_S`` after the last write)."""

    run_id: str

    @property
    def alive(self) -> str:  # set while the instructor waits; workers skip a run without it
        return f"{PREFIX}:run:{self.run_id}:alive"

    @property
    def done(self) -> str:  # hash: file sha256 -> the one completion (HSETNX: first wins)
        return f"{PREFIX}:run:{self.run_id}:done"

    @property
    def events(self) -> str:  # list: completions, in the order they were made, for `grade`
        return f"{PREFIX}:run:{self.run_id}:events"

    @property
    def dead(self) -> str:  # list: the dead letters of this run
        return f"{PREFIX}:run:{self.run_id}:dead"

    @property
    def attempts(self) -> str:  # hash: file sha256 -> how many times a worker started it
        return f"{PREFIX}:run:{self.run_id}:attempts"

    @property
    def reasons(self) -> str:  # hash: file sha256 -> why the last attempt failed
        return f"{PREFIX}:run:{self.run_id}:reasons"

    def lease(self, sha256: str) -> str:  # held (and refreshed) by the worker judging the file
        return f"{PREFIX}:run:{self.run_id}:lease:{sha256}"


def pack_key(blob_hash: str) -> str:
    return f"{PREFIX}:pack:{blob_hash}"


def pack_blob(pack: Pack) -> tuple[str, bytes]:
    """The pack as bytes and their sha256, the name it is fetched by."""
    blob = pack.model_dump_json().encode()
    return hashlib.sha256(blob).hexdigest(), blob


def pack_from_blob(blob_hash: str, blob: bytes) -> Pack:
    """The pack, if ``blob`` really is the one ``blob_hash`` names; ValueError otherwise."""
    if len(blob) > MAX_PACK_BYTES or hashlib.sha256(blob).hexdigest() != blob_hash:
        raise ValueError("the pack fetched from the broker does not match its content hash")
    return Pack.model_validate_json(blob)


Policy = Literal["zero", "drop"]

# One test left out under --invalid drop: (test id, golden's message), both as bounded as
# the local path makes them (ids capped by detail_bounds, messages by disclosure).
DroppedTest = tuple[Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS)],
                    Annotated[str, Field(max_length=disclosure.MAX_MESSAGE_CHARS)]]


class GradeTask(BaseModel):
    """One student file to judge (the Celery task's only argument, as a JSON object)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: str = Field(pattern=RUN_ID)
    sha256: str = Field(pattern=SHA256)
    tests_b64: str = Field(max_length=(MAX_TESTS_BYTES * 4) // 3 + 8)
    pack_hash: str = Field(pattern=SHA256)
    max_attempts: int = Field(ge=1, le=100)
    invalid: Policy = "zero"  # --invalid: the judge's rule, or drop_invalid_tests

    @classmethod
    def make(cls, run_id: str, data: bytes, pack_hash: str, max_attempts: int,
             invalid: Policy = "zero") -> GradeTask:
        return cls(run_id=run_id, sha256=hashlib.sha256(data).hexdigest(),
                   tests_b64=base64.b64encode(data).decode(), pack_hash=pack_hash,
                   max_attempts=max_attempts, invalid=invalid)

    def payload(self) -> dict[str, object]:
        """The task as sent. ``invalid`` is left out when it is the default, so a worker of
        the version before the policy travelled still takes the tasks of a ``zero`` run."""
        return self.model_dump(exclude={"invalid"} if self.invalid == "zero" else set())

    def tests(self) -> bytes:
        """The file's bytes; ValueError when they are not what ``sha256`` names."""
        try:
            data = base64.b64decode(self.tests_b64, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the task's file is not valid base64") from None
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ValueError("the task's file does not match its sha256")
        return data


class Completion(BaseModel):
    """How one student file of a run ended: a judge result, or a dead letter and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: str = Field(pattern=RUN_ID)
    sha256: str = Field(pattern=SHA256)
    kind: Literal["result", "dead-letter"]
    result: JudgeResult | None = None
    reason: str = Field(default="", max_length=2000)
    attempts: int = Field(ge=0, le=1000)
    worker: str = Field(default="", max_length=200)
    # --invalid drop: the tests the worker left out, when it took the dropping path (the
    # local judge's DroppedResult); None when it judged as usual (a plain JudgeResult)
    dropped: tuple[DroppedTest, ...] | None = Field(default=None, max_length=MAX_DROPPED)


def check_completion(raw: bytes, run_id: str, waiting: set[str], pack: Pack,
                     invalid: Policy = "zero") -> Completion | str:
    """The completion in ``raw`` if it is well formed and answers a file this run waits
    for under its policy ``invalid``; otherwise why it was refused (one line, never an
    exception). Its dropped tests come back cleaned (:func:`clean_dropped`)."""
    if len(raw) > MAX_COMPLETION_BYTES:
        return f"a completion of {len(raw)} bytes (over the limit)"
    try:
        completion = Completion.model_validate_json(raw)
    except ValidationError as exc:
        return f"a malformed completion ({exc.error_count()} error(s))"
    if completion.run_id != run_id:
        return "a completion for another run"
    if completion.sha256 not in waiting:
        return "a completion for a file this run is not waiting for (a duplicate?)"
    result = completion.result
    if completion.kind == "result":
        if result is None:
            return "a result without the judge's result"
        if not fits_pack(result, pack):
            return "a result that does not fit the pack (forged or for another pack)"
    elif result is not None:
        return "a dead letter with a result"
    if completion.dropped is not None:
        if invalid != "drop":
            return "dropped tests in a run that drops none (forged, or for another run)"
        if completion.kind != "result":
            return "a dead letter with dropped tests"
        ids = [test for test, _ in completion.dropped]
        if len(set(ids)) != len(ids):
            return "the same test dropped twice (forged)"
        return completion.model_copy(update={"dropped": clean_dropped(completion.dropped, pack)})
    return completion


def clean_dropped(dropped: tuple[tuple[str, str], ...], pack: Pack) -> tuple[tuple[str, str], ...]:
    """The dropped tests with the judge's folders taken out of the messages and every id
    and message that holds one of the pack's correct implementations withheld, as the
    worker's judge already did: a genuine list comes back unchanged, a forged one cannot
    carry the hidden code or the sandbox's paths into the reports."""
    matchers = [disclosure.SourceMatcher(source)
                for source in (pack.golden_source, *(g.source for g in pack.alt_goldens))]
    cleaned = []
    for test, message in dropped:
        if any(matcher.discloses(test) for matcher in matchers):
            test = disclosure.withheld_id(test)
        message = disclosure.without_internal_paths(message)
        if any(matcher.discloses(message) for matcher in matchers):
            message = disclosure.WITHHELD
        cleaned.append((test, message))
    return tuple(cleaned)


def fits_pack(result: JudgeResult, pack: Pack) -> bool:
    """The result names the pack's problem and scored mutants, and its counts and score
    are what its own verdicts give with the pack's weights (as the judging service computes
    them): a tampered score or kill count does not reach the gradebook."""
    weights = {m.name: m.weight for m in pack.scored_mutants}
    if result.problem != pack.slug or result.total_mutants != len(weights):
        return False
    if not {m.name for m in result.mutants} <= weights.keys():
        return False
    success = result.status is SubmissionStatus.SUCCESS
    if success and len(result.mutants) != len(weights):
        return False
    ratio = weighted_kill_ratio((weights[m.name], m.status) for m in result.mutants) if success else 0.0
    killed = sum(1 for m in result.mutants if m.status.counts_as_killed) if success else 0
    return result.killed_mutants == killed and result.score == score(success, ratio)
