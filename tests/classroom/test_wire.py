"""The broker's messages, checked without a broker: URLs, the pack by hash, forged completions."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from qa_arena_desktop.classroom.wire import (
    BadBrokerUrl,
    Completion,
    GradeTask,
    check_broker_url,
    check_completion,
    pack_blob,
    pack_from_blob,
    redacted,
)
from qa_arena_desktop.judging.verdicts import MutantStatus, SubmissionStatus
from tests.classroom.fakes import make_pack, result

RUN = "a" * 32
SHA = hashlib.sha256(b"def test_a():\n    pass\n").hexdigest()


@pytest.fixture
def pack(tmp_path):
    return make_pack(tmp_path / "packs")


def completion(pack, **changes) -> bytes:
    data = Completion(run_id=RUN, sha256=SHA, kind="result", attempts=1,
                      result=result(pack, {"returns-same": MutantStatus.KILLED})).model_dump(mode="json")
    data.update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize("url", ["redis://10.0.0.5:6379/0", "rediss://:secret@lab.example:6380/3"])
def test_a_redis_url_with_host_port_and_database_is_accepted(url):
    assert check_broker_url(url) == url


@pytest.mark.parametrize(("url", "says"), [
    ("amqp://10.0.0.5:5672/0", "must be a redis:// URL"),
    ("redis://10.0.0.5/0", "needs a host and a port"),
    ("redis://10.0.0.5:6379", "needs a database number"),
    ("redis://10.0.0.5:99999/0", "not a valid URL"),
    ("10.0.0.5:6379", "must be a redis:// URL"),
])
def test_a_bad_broker_url_is_refused_naming_the_option(url, says):
    with pytest.raises(BadBrokerUrl, match=says) as caught:
        check_broker_url(url)
    assert "--broker" in str(caught.value)


def test_a_password_never_appears_in_messages():
    with pytest.raises(BadBrokerUrl) as caught:
        check_broker_url("redis://:hunter2@lab.example:6379")
    assert "hunter2" not in str(caught.value)
    assert redacted("redis://user:hunter2@lab.example:6379/0") == "redis://user:***@lab.example:6379/0"


def test_the_pack_is_used_only_when_its_bytes_match_the_hash(pack):
    digest, blob = pack_blob(pack)
    assert pack_from_blob(digest, blob) == pack
    tampered = blob.replace(b"return x + 2", b"return x + 1")
    assert tampered != blob
    with pytest.raises(ValueError, match="does not match its content hash"):
        pack_from_blob(digest, tampered)


def test_a_task_carries_the_file_by_hash_and_refuses_other_bytes():
    task = GradeTask.make(RUN, b"def test_a():\n    pass\n", "b" * 64, 3)
    assert task.sha256 == SHA and task.tests() == b"def test_a():\n    pass\n"
    forged = task.model_copy(update={"tests_b64": base64.b64encode(b"import os").decode()})
    with pytest.raises(ValueError, match="does not match its sha256"):
        forged.tests()
    with pytest.raises(ValueError):
        GradeTask.model_validate({**task.model_dump(), "student": "alice"})  # no extra fields


def test_a_genuine_completion_is_accepted(pack):
    checked = check_completion(completion(pack), RUN, {SHA}, pack)
    assert isinstance(checked, Completion) and checked.result is not None
    assert checked.result.killed_mutants == 1


@pytest.mark.parametrize(("raw", "says"), [
    (b"not json at all", "malformed"),
    (b"{}", "malformed"),
    (b'{"run_id": "' + RUN.encode() + b'", "kind": "pickle"}', "malformed"),
    (b"x" * (9 * 1024 * 1024), "over the limit"),
])
def test_garbage_is_refused_in_one_line(pack, raw, says):
    refused = check_completion(raw, RUN, {SHA}, pack)
    assert isinstance(refused, str) and says in refused and "\n" not in refused


def test_a_completion_for_another_run_or_an_unknown_file_is_refused(pack):
    assert "another run" in check_completion(completion(pack, run_id="c" * 32), RUN, {SHA}, pack)
    assert "not waiting" in check_completion(completion(pack), RUN, set(), pack)


def test_a_forged_score_or_kill_count_is_refused(pack):
    genuine = json.loads(completion(pack))
    for field, value in (("score", 100.0), ("killed_mutants", 3), ("total_mutants", 1),
                         ("problem", "other-problem")):
        forged = json.loads(json.dumps(genuine))
        forged["result"][field] = value
        refused = check_completion(json.dumps(forged).encode(), RUN, {SHA}, pack)
        assert isinstance(refused, str) and "does not fit the pack" in refused, field
    forged = json.loads(json.dumps(genuine))
    forged["result"]["mutants"][1]["name"] = "invented-bug"
    assert "does not fit" in check_completion(json.dumps(forged).encode(), RUN, {SHA}, pack)


def test_failure_and_dead_letters_fit_and_a_dead_letter_carries_no_result(pack):
    failed = Completion(run_id=RUN, sha256=SHA, kind="result", attempts=1,
                        result=result(pack, status=SubmissionStatus.FAILURE, message="x"))
    assert isinstance(check_completion(failed.model_dump_json().encode(), RUN, {SHA}, pack),
                      Completion)
    dead = Completion(run_id=RUN, sha256=SHA, kind="dead-letter", attempts=3, reason="killed")
    assert isinstance(check_completion(dead.model_dump_json().encode(), RUN, {SHA}, pack), Completion)
    both = json.loads(completion(pack))
    both["kind"] = "dead-letter"
    assert "dead letter with a result" in check_completion(json.dumps(both).encode(), RUN, {SHA}, pack)
