"""The broker's messages, checked without a broker: URLs, the pack by hash, forged completions."""

from __future__ import annotations

import base64
import hashlib
import json
import typing

import pytest

from qa_arena_desktop.classroom.invalid_tests import MAX_DROPPED, POLICIES
from qa_arena_desktop.classroom.wire import (
    BadBrokerUrl,
    Completion,
    GradeTask,
    Policy,
    check_broker_url,
    check_completion,
    pack_blob,
    pack_from_blob,
    redacted,
)
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.detail_bounds import MAX_ID_CHARS
from qa_arena_desktop.judging.disclosure import MAX_MESSAGE_CHARS, WITHHELD
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


# ---- --invalid drop on the wire ----------------------------------------------------------------


def test_a_task_carries_the_invalid_policy_and_a_zero_task_reads_as_before():
    zero = GradeTask.make(RUN, b"def test_a():\n    pass\n", "b" * 64, 3)
    assert zero.invalid == "zero"
    assert "invalid" not in zero.payload()  # a worker of the version before still takes it
    drop = GradeTask.make(RUN, b"def test_a():\n    pass\n", "b" * 64, 3, invalid="drop")
    assert drop.payload()["invalid"] == "drop"
    assert GradeTask.model_validate(drop.payload()) == drop
    assert GradeTask.model_validate(zero.payload()) == zero
    assert typing.get_args(Policy) == POLICIES
    for bad in ("half", "", None, 1):
        with pytest.raises(ValueError):
            GradeTask.model_validate({**drop.payload(), "invalid": bad})


def dropped_completion(pack, dropped) -> bytes:
    data = json.loads(completion(pack))
    data["dropped"] = dropped
    return json.dumps(data).encode()


def test_dropped_tests_are_accepted_only_in_a_drop_run(pack):
    raw = dropped_completion(pack, [["test_wrong", "assert 3 == 4"]])
    checked = check_completion(raw, RUN, {SHA}, pack, "drop")
    assert isinstance(checked, Completion) and checked.dropped == (("test_wrong", "assert 3 == 4"),)
    plain = check_completion(completion(pack), RUN, {SHA}, pack, "drop")
    assert isinstance(plain, Completion) and plain.dropped is None  # judged as usual
    empty = check_completion(dropped_completion(pack, []), RUN, {SHA}, pack, "drop")
    assert isinstance(empty, Completion) and empty.dropped == ()  # the drop path kept all
    refused = check_completion(raw, RUN, {SHA}, pack)  # a zero run drops nothing
    assert isinstance(refused, str) and "drops none" in refused


@pytest.mark.parametrize(("dropped", "says"), [
    ([["test_x", "m"]] * 2, "dropped twice"),
    ([[f"test_{n}", "m"] for n in range(MAX_DROPPED + 1)], "malformed"),
    ([["t" * (MAX_ID_CHARS + 1), "m"]], "malformed"),
    ([["test_x", "m" * (MAX_MESSAGE_CHARS + 1)]], "malformed"),
    ([["", "m"]], "malformed"),
    ([["test_x"]], "malformed"),
    ([["test_x", "m", "extra"]], "malformed"),
    ([[1, 2]], "malformed"),
    ([{"test": "test_x", "message": "m"}], "malformed"),
    ("test_x", "malformed"),
    ({"__class__": "os.system"}, "malformed"),
])
def test_a_forged_dropped_list_is_refused_in_one_line(pack, dropped, says):
    refused = check_completion(dropped_completion(pack, dropped), RUN, {SHA}, pack, "drop")
    assert isinstance(refused, str) and says in refused and "\n" not in refused


def test_the_most_a_genuine_worker_sends_is_accepted(pack):
    """MAX_DROPPED tests with ids and messages as long as the judge keeps them."""
    dropped = [[f"test_{n}" + "x" * (MAX_ID_CHARS - 10), "m" * MAX_MESSAGE_CHARS]
               for n in range(MAX_DROPPED)]
    checked = check_completion(dropped_completion(pack, dropped), RUN, {SHA}, pack, "drop")
    assert isinstance(checked, Completion) and len(checked.dropped or ()) == MAX_DROPPED


def test_a_dead_letter_with_dropped_tests_is_refused(pack):
    dead = Completion(run_id=RUN, sha256=SHA, kind="dead-letter", attempts=3, reason="killed",
                      dropped=(("test_x", "m"),))
    refused = check_completion(dead.model_dump_json().encode(), RUN, {SHA}, pack, "drop")
    assert isinstance(refused, str) and "dead letter with dropped tests" in refused


def test_a_dropped_message_or_id_holding_the_correct_code_is_withheld_on_receipt(pack):
    """A forged completion cannot carry golden's source into the student reports: what the
    worker's judge would have withheld is withheld again on the instructor's side."""
    golden = pack.golden_source
    source_id = "test_x[" + golden.replace("\n", " ") + "]"
    raw = dropped_completion(pack, [["test_leak", "E   " + golden], [source_id[:MAX_ID_CHARS], "m"],
                                    ["test_fine", "assert 3 == 4"],
                                    ["test_path", "File /work/run/target.py, line 2"]])
    checked = check_completion(raw, RUN, {SHA}, pack, "drop")
    assert isinstance(checked, Completion) and checked.dropped is not None
    (leak_id, leak_message), (withheld, message), fine, path = checked.dropped
    assert (leak_id, leak_message) == ("test_leak", WITHHELD)
    assert withheld.startswith("test-id-withheld-") and message == "m"
    assert fine == ("test_fine", "assert 3 == 4")  # a genuine entry is left as it is
    assert path == ("test_path", "File target.py, line 2")  # no sandbox folder in a report
    assert "return" not in json.dumps(checked.dropped)
