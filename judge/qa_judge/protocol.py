"""Message shapes between the host, the supervisor, the zygote and a test process.

Pure functions, stdlib only, unit-tested on the host (tests/judge/test_protocol.py).

Trust: the host trusts the supervisor's events (no learner code can reach the
supervisor) but still checks them; the supervisor trusts nothing that comes from a test
process. A test process's result document and audit lines are produced in the same
process as the learner's code, so :func:`parse_result` checks them against a strict
schema with caps: anything malformed or oversized means *that run crashed*.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_RESULT_BYTES = 2 * 1024 * 1024
MAX_AUDIT_BYTES = 4096
MAX_TESTS = 500
MAX_TEST_ID_CHARS = 256
MAX_COLLECT_ERRORS = 5
TEST_OUTCOMES = frozenset({"passed", "failed", "error", "skipped"})
INTROSPECTS = "introspects-code-under-test"


class ProtocolViolation(ValueError):
    """A test process's output broke the result protocol (the learner's fault)."""


def clean_text(value: str) -> str:
    """``value`` with lone surrogates (unencodable in UTF-8) replaced."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


def dumps(document: dict[str, Any]) -> str:
    """One JSON line: ASCII only, so it can never fail to encode on any stream."""
    return json.dumps(document, ensure_ascii=True, separators=(",", ":")) + "\n"


def _text(value: Any, limit: int, what: str) -> str:
    if not isinstance(value, str):
        raise ProtocolViolation(f"{what} is not text")
    if len(value) > limit:
        raise ProtocolViolation(f"{what} is longer than {limit} characters")
    return clean_text(value)


def parse_result(data: bytes, message_limit: int) -> dict[str, Any]:
    """The checked result document of one test process; raises :class:`ProtocolViolation`."""
    if len(data) > MAX_RESULT_BYTES:
        raise ProtocolViolation(f"the result is larger than {MAX_RESULT_BYTES} bytes")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ProtocolViolation("the result is not a JSON document") from exc
    if not isinstance(raw, dict) or set(raw) != {"exit_code", "tests", "collect_errors",
                                                 "memory_error"}:
        raise ProtocolViolation("the result does not have the expected fields")
    exit_code, tests, errors, memory = (raw["exit_code"], raw["tests"], raw["collect_errors"],
                                        raw["memory_error"])
    if type(exit_code) is not int or not 0 <= exit_code <= 255:
        raise ProtocolViolation("the exit code is not a small integer")
    if type(memory) is not bool:
        raise ProtocolViolation("memory_error is not a boolean")
    if not isinstance(tests, list) or len(tests) > MAX_TESTS:
        raise ProtocolViolation(f"the test list is not a list of at most {MAX_TESTS}")
    if not isinstance(errors, list) or len(errors) > MAX_COLLECT_ERRORS:
        raise ProtocolViolation("the collection errors are not a short list")
    limit = message_limit + 1  # the collector cuts at the limit, with an ellipsis
    checked_tests: list[dict[str, str]] = []
    seen: set[str] = set()
    for test in tests:
        if not isinstance(test, dict) or set(test) != {"id", "outcome", "message"}:
            raise ProtocolViolation("a test entry does not have the expected fields")
        test_id = _text(test["id"], MAX_TEST_ID_CHARS, "a test id")
        if not test_id or test_id in seen:
            raise ProtocolViolation("a test id is empty or repeated")
        seen.add(test_id)
        if test["outcome"] not in TEST_OUTCOMES:
            raise ProtocolViolation("a test outcome is not one of " + ", ".join(sorted(TEST_OUTCOMES)))
        checked_tests.append({"id": test_id, "outcome": test["outcome"],
                              "message": _text(test["message"], limit, "a test message")})
    return {"exit_code": exit_code, "tests": checked_tests, "memory_error": memory,
            "collect_errors": [_text(error, limit, "a collection error") for error in errors]}


def parse_audit(data: bytes) -> tuple[list[str], bool]:
    """(reasons flagged, sealed) from a test process's audit channel; anything odd is a flag."""
    reasons: list[str] = []
    sealed = False
    for line in data[:MAX_AUDIT_BYTES].decode("utf-8", "replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            reasons.append("the audit channel was written to by the tests")
            continue
        if entry == {"sealed": True}:
            sealed = True
        elif isinstance(entry, dict) and entry.get("flag") == INTROSPECTS:
            reasons.append(clean_text(str(entry.get("why", "")))[:200])
        else:
            reasons.append("the audit channel was written to by the tests")
    if len(data) > MAX_AUDIT_BYTES:
        reasons.append("the audit channel was flooded by the tests")
    return reasons, sealed


SUPPORT_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}\.py$")
RESERVED_NAMES = frozenset({"target.py", "test_submission.py"})
MAX_SUPPORT_FILES = 5


def support_files(value: object) -> dict[str, str]:
    """The pack's support files from a request: module names only, never the run's own two."""
    if not isinstance(value, dict):
        return {}
    found = {}
    for name, text in value.items():
        if (isinstance(name, str) and isinstance(text, str) and SUPPORT_NAME.match(name)
                and name not in RESERVED_NAMES and len(found) < MAX_SUPPORT_FILES):
            found[name] = text
    return found


def files_message(tests: str, target: str, message_limit: int,
                  select: list[str] | None = None,
                  support: dict[str, str] | None = None) -> bytes:
    """What the supervisor sends a test process: its own run's files (and which of its
    tests to run, when not all), nothing else. The support files are the same for every
    variant of a request."""
    return json.dumps({"tests": tests, "target": target, "limit": message_limit,
                       "select": [str(test) for test in select or ()][:16],
                       "support": support_files(support or {})},
                      ensure_ascii=True).encode("ascii")
