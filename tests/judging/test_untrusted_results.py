"""What a run reports is the learner's: it never leaks hidden code, bloats the catalog or
crashes the host (service + real SQLite catalog, a scripted backend instead of Docker)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.classroom.reports import csv_text
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.judge_models import JudgeRequest, VariantRun
from qa_arena_desktop.domain.judge_models import TestOutcome as Entry
from qa_arena_desktop.domain.verdicts import MutantStatus, Outcome, SubmissionStatus
from qa_arena_desktop.judging.detail_bounds import MAX_DETAIL_BYTES, MAX_ID_CHARS
from qa_arena_desktop.judging.disclosure import WITHHELD
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack
from tests.judging.scripted import ScriptedRuns
from tests.packs.factory import write_pack

GOLDEN = '''def add_one(x: int) -> int:
    """Return x + 1, for any integer x."""
    if not isinstance(x, int):
        raise TypeError("add_one wants an int")
    result = x + 1
    return result
'''
MUTANTS = {
    "returns-same": GOLDEN.replace("result = x + 1", "result = x"),
    "adds-two": GOLDEN.replace("result = x + 1", "result = x + 2"),
}
TESTS = "def test_a():\n    assert True\n"
SECRET = 'raise TypeError("add_one wants an int")'  # a line only the hidden code has


@pytest.fixture
def setup(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    pack = load_pack(write_pack(tmp_path / "packs", golden=GOLDEN, mutants=MUTANTS))
    yield catalog, pack, tmp_path / "catalog.sqlite3"
    catalog.close()


def judge(setup, script):
    catalog, pack, _ = setup
    return JudgingService(catalog, ScriptedRuns(script)).judge(pack, TESTS)


def everything_stored(setup, submission_id: str) -> str:
    """Every value of the submission as the catalog holds it (the raw SQLite rows)."""
    catalog, _, path = setup
    catalog.close()
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchall()
        rows += db.execute("SELECT * FROM mutant_results WHERE submission_id = ?",
                           (submission_id,)).fetchall()
    return repr(rows)


def passed(request: JudgeRequest, **extra) -> VariantRun:
    return VariantRun(variant="golden", golden=True, outcome=Outcome.PASSED, **extra)


def killed(name: str, message: str = "assert 1 == 2", **extra) -> VariantRun:
    return VariantRun(variant=name, outcome=Outcome.FAILED, failed_tests=("test_a",),
                      message=message, tests=(Entry(id="test_a", outcome="failed",
                                                          message=message),), **extra)


# ---- 1. disclosure --------------------------------------------------------------------------


def test_a_golden_failure_quoting_the_golden_source_is_withheld_everywhere(setup):
    def script(request):
        return [VariantRun(variant="golden", golden=True, outcome=Outcome.FAILED,
                           failed_tests=("test_a",),
                           message="AssertionError: " + request.golden_source)]

    result = judge(setup, script)
    assert result.status is SubmissionStatus.FAILURE
    assert result.golden is not None and result.golden.message == WITHHELD
    assert WITHHELD in result.message and "message-withheld" in result.flags
    assert SECRET not in json.dumps(result.to_json_dict())
    assert SECRET not in csv_text([GradeRow.from_result("alice.py", "", result)])
    assert SECRET not in everything_stored(setup, result.submission_id)


def test_a_mutant_message_quoting_the_mutant_source_is_withheld(setup):
    def script(request):
        return [passed(request)] + [killed(m.name, "assert " + repr(m.source) + " == ''")
                                    for m in request.mutants]

    result = judge(setup, script)
    assert result.status is SubmissionStatus.SUCCESS and result.killed_mutants == 2
    assert "message-withheld" in result.flags
    for mutant in result.mutants:
        assert mutant.status is MutantStatus.KILLED
        assert mutant.message == WITHHELD and mutant.tests[0].message == WITHHELD
    stored = everything_stored(setup, result.submission_id)
    assert SECRET not in stored and "result = x + 2" not in stored


def test_honest_messages_are_kept_as_they_are_and_nothing_is_flagged(setup):
    result = judge(setup, lambda request: [passed(request)] + [
        killed(m.name, "assert 1 == 2\n +  where 1 = add_one(0)") for m in request.mutants])
    assert result.flags == ()
    assert [m.message for m in result.mutants] == ["assert 1 == 2\n +  where 1 = add_one(0)"] * 2


def test_a_huge_message_is_capped(setup):
    result = judge(setup, lambda request: [passed(request)] + [
        killed(m.name, "x" * 1_000_000) for m in request.mutants])
    assert all(len(m.message) <= 2048 for m in result.mutants)
    assert all(len(m.tests[0].message) <= 2048 for m in result.mutants)


# ---- 3. storage -----------------------------------------------------------------------------


def long_id(i: int) -> str:
    return f"test_case_{i}[" + "x" * 1500 + f"-{i}]"


def many_tests(request):
    ids = [long_id(i) for i in range(500)]
    runs = [passed(request, tests=tuple(Entry(id=t, outcome="passed") for t in ids))]
    for m in request.mutants:
        failing = ids[::7]
        runs.append(VariantRun(
            variant=m.name, outcome=Outcome.FAILED, failed_tests=tuple(failing),
            message="assert 1 == 2",
            tests=tuple(Entry(id=t, outcome="failed" if t in failing else "passed",
                                    message="assert 1 == 2" if t in failing else "")
                        for t in ids)))
    return runs


def test_per_test_detail_is_bounded_per_submission_failures_first(setup):
    result = judge(setup, many_tests)
    assert result.status is SubmissionStatus.SUCCESS and result.killed_mutants == 2
    assert "details-truncated" in result.flags
    stored = store.get_submission(setup[0], result.submission_id).result
    assert stored is not None and stored.mutants == result.mutants
    detail = sum(len(json.dumps([t.model_dump() for t in m.tests])) for m in stored.mutants)
    assert detail <= MAX_DETAIL_BYTES
    for mutant in stored.mutants:
        ids = [t.id for t in mutant.tests]
        assert all(len(i) <= MAX_ID_CHARS for i in ids) and len(set(ids)) == len(ids)
        assert len(mutant.killed_by) == len(range(0, 500, 7))  # every failing test kept
        assert {t.id for t in mutant.tests if t.outcome == "failed"} == set(mutant.killed_by)
        assert mutant.omitted_tests == 500 - len(mutant.tests) > 0
    assert "omitted_tests" in result.to_json_dict()["mutants"][0]


def test_the_catalog_grows_by_a_bounded_amount_per_submission(setup):
    catalog, pack, path = setup
    judge(setup, many_tests)  # the file's pages are allocated once
    catalog.close()
    before = path.stat().st_size
    catalog = Catalog(path)
    JudgingService(catalog, ScriptedRuns(many_tests)).judge(pack, TESTS)
    catalog.close()
    assert path.stat().st_size - before < 2 * MAX_DETAIL_BYTES  # was about 1.6 MB here


def test_a_golden_failure_with_thousands_of_failing_ids_keeps_a_bounded_list(setup):
    ids = [long_id(i) for i in range(3000)]
    result = judge(setup, lambda request: [VariantRun(
        variant="golden", golden=True, outcome=Outcome.FAILED, failed_tests=tuple(ids),
        message="assert 1 == 2")])
    assert result.golden is not None
    assert len(json.dumps(result.golden.failed_tests)) <= MAX_DETAIL_BYTES
    assert result.golden.omitted_tests == 3000 - len(result.golden.failed_tests) > 0
    assert "(and 2999 more)" in result.message


def test_an_honest_small_file_loses_nothing(setup):
    def script(request):
        tests = tuple(Entry(id=f"test_{i}", outcome="passed") for i in range(50))
        return [passed(request, tests=tests)] + [
            VariantRun(variant=m.name, outcome=Outcome.PASSED, tests=tests)
            for m in request.mutants]

    result = judge(setup, script)
    assert result.flags == () and all(len(m.tests) == 50 for m in result.mutants)
    assert all(m.omitted_tests == 0 for m in result.mutants)


# ---- malformed values -----------------------------------------------------------------------


def test_malformed_values_from_a_run_never_crash_the_host(setup):
    def script(request):
        name = request.mutants[0].name
        return [
            VariantRun(variant="golden", golden=True, outcome=Outcome.PASSED,
                       duration_ms="soon", tests=[{"id": 7}, "bare", None]),
            VariantRun(variant=name, outcome=Outcome.FAILED, failed_tests=[7, None, "t\ud800"],
                       message="boom \ud800", budget_ms=None, flags="a-flag",
                       tests=[{"id": 7, "outcome": "failed"}, {"outcome": "passed"},
                              {"id": "t\ud800", "outcome": "failed", "message": "m\udfff"},
                              42]),
            *(killed(m.name) for m in request.mutants[1:]),
            killed("not-a-mutant-of-this-pack"),
        ]

    result = judge(setup, script)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    first = result.mutants[0]
    assert first.killed_by == ("7", "", "t\ufffd") and first.message == "boom \ufffd"
    assert "a-flag" in result.flags
    stored = store.get_submission(setup[0], result.submission_id).result
    assert stored is not None and stored.mutants == result.mutants
    json.dumps(result.to_json_dict()).encode("utf-8")
    csv_text([GradeRow.from_result("a.py", "", result)]).encode("utf-8")


def test_a_test_id_made_of_the_source_is_withheld_too(setup):
    # pytest.mark.parametrize("src", [inspect.getsource(target)]) puts it in the id
    def script(request):
        leaky = "test_a[" + request.golden_source.encode("unicode_escape").decode() + "]"
        return [VariantRun(variant="golden", golden=True, outcome=Outcome.FAILED,
                           failed_tests=(leaky,), message="assert 1 == 2")]

    result = judge(setup, script)
    assert result.golden is not None
    (shown,) = result.golden.failed_tests
    assert shown.startswith("test-id-withheld-") and "message-withheld" in result.flags
    assert SECRET not in result.message and "isinstance" not in result.message
