"""The kill matrix as data: tests x (golden + mutants), with the first failure messages."""

from __future__ import annotations

from qa_arena_desktop.domain.judge_models import GoldenResult, MutantResult
from qa_arena_desktop.domain.judge_models import TestOutcome as Outcome  # not a pytest class
from qa_arena_desktop.domain.verdicts import MutantStatus
from qa_arena_desktop.practice.kill_matrix import GOLDEN_COLUMN, build_kill_matrix, survivor_names

GOLDEN = GoldenResult(outcome="passed")
MUTANTS = (
    MutantResult(name="m1", weight=1, status=MutantStatus.KILLED, killed_by=("test_a",),
                 tests=(Outcome(id="test_a", outcome="failed", message="assert 1 == 2"),
                        Outcome(id="test_b", outcome="passed"))),
    MutantResult(name="m2", weight=1, status=MutantStatus.SURVIVED,
                 tests=(Outcome(id="test_a", outcome="passed"),
                        Outcome(id="test_b", outcome="passed"))),
    MutantResult(name="m3", weight=1, status=MutantStatus.TIMEOUT),
)


def test_rows_are_tests_and_columns_golden_then_mutants():
    matrix = build_kill_matrix(GOLDEN, MUTANTS)
    assert matrix.tests == ("test_a", "test_b")
    assert [c.name for c in matrix.columns] == [GOLDEN_COLUMN, "m1", "m2", "m3"]
    assert matrix.cell("test_a", "m1").failed
    assert matrix.cell("test_a", "m1").message == "assert 1 == 2"
    assert not matrix.cell("test_b", "m1").failed
    assert matrix.cell("test_a", "m3").outcome == ""  # timed out: no per-test outcomes
    assert matrix.cell("test_a", GOLDEN_COLUMN).outcome == "passed"
    assert matrix.kills_by_test("test_a") == 1
    assert matrix.kills_by_test("test_b") == 0


def test_a_golden_failure_shows_in_the_golden_column():
    golden = GoldenResult(outcome="failed", failed_tests=("test_bad",), message="assert 'a ' == 'a'")
    matrix = build_kill_matrix(golden, ())
    assert matrix.tests == ("test_bad",)
    assert matrix.cell("test_bad", GOLDEN_COLUMN).failed
    assert "assert" in matrix.cell("test_bad", GOLDEN_COLUMN).message


def test_survivors_are_named():
    assert survivor_names(MUTANTS) == ["m2"]
