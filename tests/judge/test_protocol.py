"""The runner's pure parts, on the host: the result schema, audit lines, the seccomp program."""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "judge"))

from qa_judge import protocol, seccomp_filter  # noqa: E402


def _result(**changes):
    document = {"exit_code": 0, "tests": [{"id": "test_a", "outcome": "passed", "message": ""}],
                "collect_errors": [], "memory_error": False}
    document.update(changes)
    return json.dumps(document).encode()


def test_an_honest_result_is_accepted_and_a_lone_surrogate_is_replaced():
    checked = protocol.parse_result(_result(tests=[
        {"id": "test_a", "outcome": "failed", "message": "bad \ud800 text"}]), 2000)
    assert checked["tests"][0]["message"] == "bad ? text"
    assert protocol.dumps(checked).isascii()


@pytest.mark.parametrize("data", [
    b"not json",
    b"\xff\xfe",
    b"[" * 100_000,
    _result(extra=1),
    _result(exit_code="0"),
    _result(exit_code=True),
    _result(memory_error="no"),
    _result(tests=[{"id": 7, "outcome": "passed", "message": ""}]),
    _result(tests=[{"id": "t", "outcome": "won", "message": ""}]),
    _result(tests=[{"id": "t", "outcome": "passed"}]),
    _result(tests=[{"id": "t", "outcome": "passed", "message": ""}] * 2),
    _result(tests=[{"id": "x" * 300, "outcome": "passed", "message": ""}]),
    _result(tests=[{"id": "t", "outcome": "failed", "message": "m" * 5000}]),
    _result(tests=[{"id": f"t{i}", "outcome": "passed", "message": ""} for i in range(501)]),
    _result(collect_errors=["e"] * 6),
    b" " * (protocol.MAX_RESULT_BYTES + 1),
])
def test_a_malformed_or_oversized_result_is_a_protocol_violation(data):
    with pytest.raises(protocol.ProtocolViolation):
        protocol.parse_result(data, 2000)


def test_audit_lines_give_reasons_and_the_seal():
    assert protocol.parse_audit(b'{"sealed": true}\n') == ([], True)
    reasons, sealed = protocol.parse_audit(
        b'{"flag": "introspects-code-under-test", "why": "opened target.py"}\n{"sealed": true}\n')
    assert reasons == ["opened target.py"] and sealed
    assert protocol.parse_audit(b"junk\n")[0] == ["the audit channel was written to by the tests"]
    assert "flooded" in protocol.parse_audit(b"x" * 5000)[0][-1]


@pytest.mark.parametrize("machine", sorted(seccomp_filter.ARCHES))
def test_the_seccomp_program_is_whole_instructions_that_end_in_allow(machine):
    code = seccomp_filter.program(machine)
    assert len(code) % 8 == 0 and len(code) // 8 < 256
    last = struct.unpack("HBBI", code[-8:])
    assert last == (seccomp_filter.BPF_RET_K, 0, 0, seccomp_filter.SECCOMP_RET_ALLOW)
    # every jump lands inside the program
    count = len(code) // 8
    for index in range(count):
        op, jt, jf, _k = struct.unpack("HBBI", code[index * 8:index * 8 + 8])
        if op in (seccomp_filter.BPF_JEQ_K, seccomp_filter.BPF_JGE_K, seccomp_filter.BPF_JSET_K):
            assert index + 1 + max(jt, jf) < count


class _Report:
    """Just what Collector reads of a pytest TestReport."""

    def __init__(self, nodeid: str, failed: bool) -> None:
        self.nodeid, self.failed, self.skipped, self.when = nodeid, failed, False, "call"
        self.longrepr, self.longreprtext = None, "assert 1 == 2" if failed else ""


def test_past_the_test_cap_a_failure_takes_the_place_of_a_passed_test():
    from qa_judge.collector import MAX_TESTS_REPORTED, Collector

    collector = Collector(limit=200)
    for index in range(MAX_TESTS_REPORTED + 100):
        collector.pytest_runtest_logreport(_Report(f"test_mine.py::test_{index}", failed=False))
    collector.pytest_runtest_logreport(_Report("test_mine.py::test_late", failed=True))
    document = collector.document(exit_code=1)
    tests = {t["id"]: t["outcome"] for t in document["tests"]}
    assert len(tests) == MAX_TESTS_REPORTED
    assert tests["test_mine.py::test_late"] == "failed"
    assert protocol.parse_result(json.dumps(document).encode(), 200)["tests"]


def test_past_the_test_cap_passed_tests_are_not_reported():
    from qa_judge.collector import MAX_TESTS_REPORTED, Collector

    collector = Collector(limit=200)
    for index in range(MAX_TESTS_REPORTED + 5):
        collector.pytest_runtest_logreport(_Report(f"test_mine.py::test_{index}", failed=False))
    assert len(collector.document(exit_code=0)["tests"]) == MAX_TESTS_REPORTED


def test_support_files_are_module_names_and_never_the_runs_own_files():
    found = protocol.support_files({
        "helpers.py": "x = 1", "conftest.py": "", "target.py": "evil", "test_submission.py": "",
        "../escape.py": "", "sub/x.py": "", "notes.txt": "", "n.py": 3})
    assert found == {"helpers.py": "x = 1", "conftest.py": ""}
    assert protocol.support_files(["helpers.py"]) == {}
    message = json.loads(protocol.files_message("t", "s", 10, None, {"helpers.py": "h"}))
    assert message["support"] == {"helpers.py": "h"}
