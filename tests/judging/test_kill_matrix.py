"""The one kill-matrix builder: a learner's results and an author's reference runs alike."""

from __future__ import annotations

from qa_arena_desktop.domain.judge_models import GoldenResult, MutantResult, VariantRun
from qa_arena_desktop.domain.judge_models import TestOutcome as Outcome  # not a pytest class
from qa_arena_desktop.domain.verdicts import MutantStatus
from qa_arena_desktop.domain.verdicts import Outcome as RunOutcome
from qa_arena_desktop.judging.kill_matrix import GOLDEN_COLUMN, build_kill_matrix


def test_reference_runs_build_the_same_matrix_as_judged_results():
    tests = (Outcome(id="test_b", outcome="failed", message="boom"),
             Outcome(id="test_a", outcome="passed"))
    runs = [VariantRun(variant="m1", outcome=RunOutcome.FAILED, tests=tests),
            VariantRun(variant="m2", outcome=RunOutcome.PASSED,
                       tests=(Outcome(id="test_a", outcome="error"),))]
    results = [MutantResult(name="m1", weight=1, status=MutantStatus.KILLED, tests=tests),
               MutantResult(name="m2", weight=1, status=MutantStatus.KILLED,
                            tests=(Outcome(id="test_a", outcome="error"),))]
    from_runs, from_results = build_kill_matrix(None, runs), build_kill_matrix(None, results)
    assert from_runs.tests == from_results.tests == ("test_b", "test_a")
    assert from_runs.cells == from_results.cells
    assert [c.status for c in from_runs.columns] == ["failed", "passed"]
    assert from_runs.killed() == from_results.killed() == {
        "test_b": {"m1": True}, "test_a": {"m1": False, "m2": True}}


def test_killed_leaves_out_golden_and_the_mutants_a_test_did_not_run_on():
    golden = GoldenResult(outcome="passed")
    mutant = MutantResult(name="m1", weight=1, status=MutantStatus.TIMEOUT)
    matrix = build_kill_matrix(golden, [mutant, MutantResult(
        name="m2", weight=1, status=MutantStatus.KILLED,
        tests=(Outcome(id="test_a", outcome="failed"),))])
    assert matrix.mutant_names == ["m1", "m2"]
    assert matrix.cell("test_a", GOLDEN_COLUMN).outcome == "passed"
    assert matrix.killed() == {"test_a": {"m2": True}}
