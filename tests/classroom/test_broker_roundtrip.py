"""Exactly one completion, dead letters and hostile messages, on a real Redis (no Docker).

The worker's task logic (:class:`GradeWorker`) and the instructor's
:class:`BrokerJudge` talk through a real redis-server; only the judge itself is a
fake here (the real one is in test_distributed_grading.py).
"""

from __future__ import annotations

import base64
import json
import threading
import time

import pytest

from qa_arena_desktop.classroom.distributed import BrokerJudge, DeadLettered, GradingCancelled
from qa_arena_desktop.classroom.invalid_tests import DroppedResult
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.classroom.wire import QUEUE, Completion, GradeTask, RunKeys, pack_blob, pack_key
from qa_arena_desktop.classroom.worker import KILLED_REASON, GradeWorker, Outcome
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.disclosure import WITHHELD
from tests.classroom.fakes import FakeJudge, make_pack, result
from tests.classroom.redis_lab import redis_server

pytestmark = pytest.mark.redis
FILE = b"from target import add_one\n\ndef test_zero():\n    assert add_one(0) == 1\n"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def client(redis_url):
    import redis

    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    yield connection
    connection.close()


@pytest.fixture
def pack(tmp_path):
    return make_pack(tmp_path / "packs")


def start_run(client, pack, run_id: str = "1" * 32) -> tuple[RunKeys, str]:
    digest, blob = pack_blob(pack)
    client.set(pack_key(digest), blob)
    keys = RunKeys(run_id)
    client.set(keys.alive, "1")
    return keys, digest


def task(run_keys: RunKeys, pack_hash: str, data: bytes = FILE, attempts: int = 3) -> dict:
    return GradeTask.make(run_keys.run_id, data, pack_hash, attempts).model_dump()


def events(client, keys: RunKeys) -> list[dict]:
    return [json.loads(e) for e in client.lrange(keys.events, 0, -1)]


# ---- the worker's side -------------------------------------------------------------------------


def test_a_redelivered_task_makes_no_second_completion(client, pack):
    keys, digest = start_run(client, pack)
    judge = FakeJudge(pack)
    worker = GradeWorker(client, judge, "w1", log=lambda _line: None)
    assert worker.handle(task(keys, digest)) is Outcome.COMPLETED
    assert worker.handle(task(keys, digest)) is Outcome.DROPPED
    assert len(judge.calls) == 1 and len(events(client, keys)) == 1


def test_two_workers_finishing_the_same_file_make_one_completion(client, pack):
    """The worst case: the first worker's lease lapsed (a missed refresh), so a second one
    judged the file too. Both finish; the completion script lets only one through."""
    keys, digest = start_run(client, pack)
    sha = GradeTask.model_validate(task(keys, digest)).sha256
    slow = GradeWorker(client, FakeJudge(pack, delay_s=0.8), "slow", log=lambda _l: None)
    outcomes: list[Outcome] = []
    first = threading.Thread(target=lambda: outcomes.append(slow.handle(task(keys, digest))))
    first.start()
    time.sleep(0.3)
    client.delete(keys.lease(sha))
    fast = GradeWorker(client, FakeJudge(pack), "fast", log=lambda _l: None)
    assert fast.handle(task(keys, digest)) is Outcome.COMPLETED
    first.join()
    assert outcomes == [Outcome.DROPPED]
    assert len(events(client, keys)) == 1 and client.hlen(keys.done) == 1
    assert events(client, keys)[0]["worker"] == "fast"


def test_a_judge_that_fails_every_time_ends_in_the_dead_letter_list_after_n_attempts(client, pack):
    keys, digest = start_run(client, pack)
    judge = FakeJudge(pack, {FILE: RuntimeError("engine exploded\nsecond line")})
    worker = GradeWorker(client, judge, "w1", log=lambda _line: None)
    assert [worker.handle(task(keys, digest)) for _ in range(3)] == [
        Outcome.RETRY, Outcome.RETRY, Outcome.COMPLETED]
    [dead] = [json.loads(d) for d in client.lrange(keys.dead, 0, -1)]
    assert dead["kind"] == "dead-letter" and dead["attempts"] == 3
    assert dead["reason"] == ("the judge failed on this file (RuntimeError: engine exploded) "
                              "(gave up after 3 attempt(s))")
    assert events(client, keys) == [dead]


def test_a_file_whose_workers_died_n_times_is_a_dead_letter_without_judging_again(client, pack):
    keys, digest = start_run(client, pack)
    sha = GradeTask.model_validate(task(keys, digest)).sha256
    client.hset(keys.attempts, sha, 3)  # three starts, no completion: three dead workers
    judge = FakeJudge(pack)
    GradeWorker(client, judge, "w1", log=lambda _line: None).handle(task(keys, digest))
    [dead] = events(client, keys)
    assert judge.calls == [] and dead["reason"] == f"{KILLED_REASON} (gave up after 3 attempt(s))"


def test_a_copy_redelivered_while_its_file_is_being_judged_waits_without_counting(client, pack):
    keys, digest = start_run(client, pack)
    slow = GradeWorker(client, FakeJudge(pack, delay_s=1.0), "slow", log=lambda _l: None)
    other_judge = FakeJudge(pack)
    other = GradeWorker(client, other_judge, "other", log=lambda _l: None)
    outcomes: list[Outcome] = []
    first = threading.Thread(target=lambda: outcomes.append(slow.handle(task(keys, digest))))
    first.start()
    time.sleep(0.3)  # the slow worker holds the lease now
    assert other.handle(task(keys, digest)) is Outcome.WAIT
    first.join()
    assert outcomes == [Outcome.COMPLETED] and other_judge.calls == []
    sha = GradeTask.model_validate(task(keys, digest)).sha256
    assert client.hget(keys.attempts, sha) == b"1"
    assert not client.exists(keys.lease(sha)), "the lease outlived the judging"
    assert other.handle(task(keys, digest)) is Outcome.DROPPED  # complete now


def test_a_dead_workers_lease_lapses_and_the_next_start_counts_an_attempt(client, pack):
    keys, digest = start_run(client, pack)
    sha = GradeTask.model_validate(task(keys, digest)).sha256
    client.hset(keys.attempts, sha, 1)
    client.set(keys.lease(sha), "killed-worker:token", px=300)  # its refreshes stopped
    judge = FakeJudge(pack)
    worker = GradeWorker(client, judge, "w2", log=lambda _l: None)
    assert worker.handle(task(keys, digest)) is Outcome.WAIT
    time.sleep(0.4)
    assert worker.handle(task(keys, digest)) is Outcome.COMPLETED
    assert client.hget(keys.attempts, sha) == b"2" and len(judge.calls) == 1


def test_an_error_result_is_tried_again_and_kept_on_the_last_attempt(client, pack):
    keys, digest = start_run(client, pack)
    error = result(pack, status=SubmissionStatus.ERROR, message="the engine went away")
    worker = GradeWorker(client, FakeJudge(pack, {FILE: error}), "w1", log=lambda _line: None)
    assert worker.handle(task(keys, digest, attempts=2)) is Outcome.RETRY
    assert worker.handle(task(keys, digest, attempts=2)) is Outcome.COMPLETED
    [event] = events(client, keys)
    assert event["kind"] == "result" and event["result"]["status"] == "ERROR"


def test_a_task_of_a_run_nobody_waits_for_is_dropped_unjudged(client, pack):
    keys, digest = start_run(client, pack)
    client.delete(keys.alive)
    judge = FakeJudge(pack)
    assert GradeWorker(client, judge, "w1", log=lambda _l: None).handle(task(keys, digest)) \
        is Outcome.DROPPED
    assert judge.calls == [] and events(client, keys) == []


@pytest.mark.parametrize("payload", [None, "text", {"run_id": "../../etc"}, {"__class__": "os.system"}])
def test_a_malformed_task_is_dropped_without_crashing_the_worker(client, pack, payload):
    judge = FakeJudge(pack)
    lines: list[str] = []
    assert GradeWorker(client, judge, "w1", log=lines.append).handle(payload) is Outcome.DROPPED
    assert judge.calls == [] and lines and lines[0].startswith("refused a malformed task")


def test_the_pack_is_fetched_once_per_worker_and_a_tampered_one_is_refused(client, pack):
    keys, digest = start_run(client, pack)
    worker = GradeWorker(client, FakeJudge(pack), "w1", log=lambda _l: None)
    worker.handle(task(keys, digest))
    client.delete(pack_key(digest))  # gone from the broker: the cached copy still serves
    assert worker.handle(task(keys, digest, data=FILE + b"# bob\n")) is Outcome.COMPLETED
    assert worker.packs.fetches == 1

    _, blob = pack_blob(pack)
    client.set(pack_key(digest), blob.replace(b"return x + 2", b"return x + 1"))
    judge = FakeJudge(pack)
    fresh = GradeWorker(client, judge, "w2", log=lambda _l: None)
    assert fresh.handle(task(keys, digest, data=FILE + b"# carol\n")) is Outcome.COMPLETED
    assert judge.calls == []
    assert "does not match its content hash" in events(client, keys)[-1]["reason"]


# ---- the instructor's side ---------------------------------------------------------------------


def queued_payloads(client) -> list[dict]:
    """The tasks waiting in the Celery queue (kombu's JSON envelope, base64 body)."""
    found = []
    for raw in client.lrange(QUEUE, 0, -1):
        envelope = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
        found.append(args[0])
    return found


def judge_in_thread(judge: BrokerJudge, pack, data: bytes, cancel: threading.Event) -> dict:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = judge(pack, data, cancel)
        except Exception as exc:  # noqa: BLE001
            outcome["error"] = exc

    outcome["thread"] = threading.Thread(target=run)
    outcome["thread"].start()
    return outcome


def wait_for_task(client, timeout_s: float = 10) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        payloads = queued_payloads(client)
        if payloads:
            return payloads[0]
        time.sleep(0.05)
    raise AssertionError("no task was enqueued")


def test_forged_and_duplicate_completions_are_ignored_and_the_genuine_one_counts(
        client, redis_url, pack):
    warnings: list[str] = []
    judge = BrokerJudge(redis_url, pack, warn=warnings.append)
    try:
        waiting = judge_in_thread(judge, pack, FILE, threading.Event())
        payload = wait_for_task(client)
        assert set(payload) == {"run_id", "sha256", "tests_b64", "pack_hash", "max_attempts"}
        keys = RunKeys(payload["run_id"])
        genuine = Completion(run_id=keys.run_id, sha256=payload["sha256"], kind="result", attempts=1,
                             result=result(pack, {"adds-two": MutantStatus.KILLED}))
        forged = genuine.model_dump(mode="json")
        forged["result"]["score"] = 100.0
        for raw in (b"\x00garbage", b"[]", json.dumps(forged).encode(),
                    genuine.model_copy(update={"run_id": "f" * 32}).model_dump_json().encode()):
            client.rpush(keys.events, raw)
        client.rpush(keys.events, genuine.model_dump_json())
        client.rpush(keys.events, genuine.model_dump_json())  # a duplicate after it
        waiting["thread"].join(timeout=10)
        assert waiting["result"] == genuine.result
        deadline = time.monotonic() + 10
        while len(judge.refused) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(judge.refused) == 5, judge.refused
        assert any("does not fit the pack" in r for r in judge.refused)
        assert any("not waiting" in r for r in judge.refused)
        assert all("\n" not in w for w in warnings)
        assert judge(pack, FILE, threading.Event()) == genuine.result  # same bytes: no new task
        assert len(queued_payloads(client)) == 1
    finally:
        judge.close()
    assert not client.exists(keys.alive), "workers would go on judging a finished run"


def test_a_dead_letter_reaches_the_waiting_file_as_an_error(client, redis_url, pack):
    judge = BrokerJudge(redis_url, pack)
    try:
        waiting = judge_in_thread(judge, pack, FILE, threading.Event())
        payload = wait_for_task(client)
        dead = Completion(run_id=payload["run_id"], sha256=payload["sha256"], kind="dead-letter",
                          attempts=3, reason="the worker stopped while judging it")
        client.rpush(RunKeys(payload["run_id"]).events, dead.model_dump_json())
        waiting["thread"].join(timeout=10)
        assert isinstance(waiting["error"], DeadLettered)
        assert str(waiting["error"]) == "dead letter: the worker stopped while judging it"
        assert judge.dead_letters == [dead]
    finally:
        judge.close()


def test_cancel_stops_the_wait_promptly(client, redis_url, pack):
    judge = BrokerJudge(redis_url, pack)
    cancel = threading.Event()
    try:
        waiting = judge_in_thread(judge, pack, FILE, cancel)
        wait_for_task(client)
        started = time.monotonic()
        cancel.set()
        waiting["thread"].join(timeout=5)
        assert isinstance(waiting["error"], GradingCancelled)
        assert time.monotonic() - started < 2
    finally:
        judge.close()


# ---- --invalid drop ----------------------------------------------------------------------------


def dropped_result(pack) -> DroppedResult:
    rescored = result(pack, {"returns-same": MutantStatus.KILLED},
                      message="1 test(s) dropped because they fail on the correct implementation: "
                              "test_wrong")
    return DroppedResult.model_validate({**rescored.model_dump(),
                                         "dropped": (("test_wrong", "assert 3 == 4"),)})


def test_a_drop_run_is_judged_by_the_workers_dropping_judge_and_grade_gets_a_dropped_result(
        client, redis_url, pack):
    expected = dropped_result(pack)
    zero, drop = FakeJudge(pack), FakeJudge(pack, {FILE: expected})
    worker = GradeWorker(client, zero, "w1", log=lambda _l: None, drop=drop)
    judge = BrokerJudge(redis_url, pack, invalid="drop")
    try:
        waiting = judge_in_thread(judge, pack, FILE, threading.Event())
        payload = wait_for_task(client)
        assert payload["invalid"] == "drop"
        assert worker.handle(payload) is Outcome.COMPLETED
        waiting["thread"].join(timeout=10)
        got = waiting["result"]
        assert isinstance(got, DroppedResult) and got == expected
        row = GradeRow.from_result("a.py", payload["sha256"], got)
        assert row.dropped == (("test_wrong", "assert 3 == 4"),)
        assert row.to_state() == GradeRow.from_result("a.py", payload["sha256"], expected).to_state()
        assert zero.calls == [] and drop.calls == [FILE]
        # a file the dropping judge judged as usual (nothing failed on golden) stays plain
        client.delete(QUEUE)  # the first task, taken by hand above
        plain = judge_in_thread(judge, pack, FILE + b"# valid\n", threading.Event())
        assert worker.handle(wait_for_task(client)) is Outcome.COMPLETED
        plain["thread"].join(timeout=10)
        assert type(plain["result"]) is JudgeResult and not judge.refused
    finally:
        judge.close()


def test_a_worker_that_cannot_drop_makes_a_dead_letter_rather_than_judge_by_the_other_rule(
        client, pack):
    keys, digest = start_run(client, pack)
    judge = FakeJudge(pack)
    payload = GradeTask.make(keys.run_id, FILE, digest, 3, invalid="drop").payload()
    assert GradeWorker(client, judge, "w1", log=lambda _l: None).handle(payload) is Outcome.COMPLETED
    [dead] = events(client, keys)
    assert judge.calls == [] and dead["kind"] == "dead-letter"
    assert "cannot judge with --invalid drop" in dead["reason"]


def test_forged_dropped_tests_never_reach_a_zero_run_or_a_drop_run_unchecked(client, redis_url, pack):
    """A hostile worker (or anyone who can write to the broker) sends a result with dropped
    tests to a run that drops none, and one whose dropped message holds the correct code:
    the first is refused, the second is cleaned; grade neither crashes nor adds a row."""
    warnings: list[str] = []
    zero_run = BrokerJudge(redis_url, pack, warn=warnings.append)
    try:
        waiting = judge_in_thread(zero_run, pack, FILE, threading.Event())
        payload = wait_for_task(client)
        assert "invalid" not in payload
        genuine = Completion(run_id=payload["run_id"], sha256=payload["sha256"], kind="result",
                             attempts=1, result=result(pack))
        forged = genuine.model_copy(update={"dropped": (("test_zero", "forged"),)})
        client.rpush(RunKeys(payload["run_id"]).events, forged.model_dump_json())
        client.rpush(RunKeys(payload["run_id"]).events, genuine.model_dump_json())
        waiting["thread"].join(timeout=10)
        assert type(waiting["result"]) is JudgeResult and waiting["result"] == genuine.result
        assert len(zero_run.refused) == 1 and "drops none" in zero_run.refused[0]
    finally:
        zero_run.close()
    client.flushdb()
    drop_run = BrokerJudge(redis_url, pack, invalid="drop")
    try:
        waiting = judge_in_thread(drop_run, pack, FILE, threading.Event())
        payload = wait_for_task(client)
        leak = Completion(run_id=payload["run_id"], sha256=payload["sha256"], kind="result",
                          attempts=1, result=result(pack),
                          dropped=(("test_zero", "E   " + pack.golden_source),))
        client.rpush(RunKeys(payload["run_id"]).events, leak.model_dump_json())
        waiting["thread"].join(timeout=10)
        got = waiting["result"]
        assert isinstance(got, DroppedResult) and got.dropped == (("test_zero", WITHHELD),)
        assert pack.golden_source not in GradeRow.from_result("a.py", "", got).to_state().__repr__()
    finally:
        drop_run.close()


def test_a_file_whose_only_completion_is_refused_ends_as_a_dead_letter_not_a_hang(
        client, redis_url, pack):
    """The worker that sent it marked the file done, so nothing else will come: after a
    grace period (a genuine completion may still follow a forger's) the file is a dead
    letter, an ERROR row that the next run judges again, and grade goes on."""
    judge = BrokerJudge(redis_url, pack)
    judge.refused_grace_s = 0.5
    try:
        waiting = judge_in_thread(judge, pack, FILE, threading.Event())
        payload = wait_for_task(client)
        tampered = Completion(run_id=payload["run_id"], sha256=payload["sha256"], kind="result",
                              attempts=1, result=result(pack, {"adds-two": MutantStatus.KILLED}))
        forged = tampered.model_dump(mode="json")
        forged["result"]["score"] = 100.0
        client.rpush(RunKeys(payload["run_id"]).events, json.dumps(forged))
        waiting["thread"].join(timeout=15)
        assert not waiting["thread"].is_alive(), "grade would wait for this file forever"
        assert isinstance(waiting["error"], DeadLettered)
        assert "the workers' result was refused (a result that does not fit the pack" \
            in str(waiting["error"])
        assert [d.sha256 for d in judge.dead_letters] == [payload["sha256"]]
    finally:
        judge.close()
