import pytest

from qa_arena_desktop.domain.judge_models import GoldenResult, VariantRun
from qa_arena_desktop.domain.verdicts import (
    CANCELLED_MESSAGE,
    InvalidTransition,
    MutantReport,
    MutantStatus,
    Outcome,
    RunEnd,
    SubmissionStatus,
    Verdict,
    check_transition,
    golden_stops_run,
    mutant_status_for,
    score,
    submission_verdict,
    weighted_kill_ratio,
)


def test_score_is_zero_when_golden_fails_whatever_the_kills():
    assert score(False, 1.0) == 0.0


@pytest.mark.parametrize(
    ("ratio", "expected"), [(0.0, 30.0), (1.0, 100.0), (0.625, 73.8), (1 / 3, 53.3)]
)
def test_score_is_30_plus_70_times_ratio_rounded_to_one_decimal(ratio, expected):
    assert score(True, ratio) == expected


def test_weighted_ratio_counts_timeout_and_memory_as_killed_but_not_error():
    results = [
        (1.0, MutantStatus.KILLED),
        (2.0, MutantStatus.TIMEOUT),
        (1.0, MutantStatus.MEMORY),
        (3.0, MutantStatus.SURVIVED),
        (1.0, MutantStatus.ERROR),
    ]
    assert weighted_kill_ratio(results) == pytest.approx(4.0 / 8.0)


def test_weighted_ratio_of_nothing_is_zero():
    assert weighted_kill_ratio([]) == 0.0


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (Outcome.PASSED, MutantStatus.SURVIVED),
        (Outcome.FAILED, MutantStatus.KILLED),
        (Outcome.COLLECT_ERROR, MutantStatus.KILLED),
        (Outcome.CRASHED, MutantStatus.KILLED),
        (Outcome.TIMEOUT, MutantStatus.TIMEOUT),
        (Outcome.MEMORY, MutantStatus.MEMORY),
        (Outcome.ERROR, MutantStatus.ERROR),
    ],
)
def test_runner_outcomes_map_to_mutant_verdicts(outcome, status):
    assert mutant_status_for(outcome) is status


def test_submission_moves_pending_running_terminal_only():
    check_transition(SubmissionStatus.PENDING, SubmissionStatus.RUNNING)
    for terminal in (SubmissionStatus.SUCCESS, SubmissionStatus.FAILURE, SubmissionStatus.ERROR):
        check_transition(SubmissionStatus.RUNNING, terminal)
    check_transition(SubmissionStatus.PENDING, SubmissionStatus.ERROR)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (SubmissionStatus.PENDING, SubmissionStatus.SUCCESS),
        (SubmissionStatus.PENDING, SubmissionStatus.FAILURE),
        (SubmissionStatus.RUNNING, SubmissionStatus.PENDING),
        (SubmissionStatus.RUNNING, SubmissionStatus.RUNNING),
        (SubmissionStatus.SUCCESS, SubmissionStatus.FAILURE),
        (SubmissionStatus.ERROR, SubmissionStatus.RUNNING),
        (SubmissionStatus.FAILURE, SubmissionStatus.SUCCESS),
    ],
)
def test_any_other_transition_raises(current, new):
    with pytest.raises(InvalidTransition):
        check_transition(current, new)


# ---- the submission verdict: one precedence chain, every branch -------------------------

def report(name, status, message=""):
    return MutantReport(name, status, message)


ALL_KILLED = [report("a", MutantStatus.KILLED), report("b", MutantStatus.SURVIVED)]


def test_a_precheck_objection_is_a_failure_with_its_message_whatever_else_happened():
    verdict = submission_verdict(precheck="syntax error in your tests at line 1",
                                 end=RunEnd.CRASHED, golden=Outcome.ERROR)
    assert verdict == Verdict(SubmissionStatus.FAILURE, "syntax error in your tests at line 1")
    assert not verdict.scored


def test_a_cancelled_run_is_cancelled_never_an_error_even_after_golden_failed():
    verdict = submission_verdict(end=RunEnd.CANCELLED, golden=Outcome.FAILED,
                                 golden_failure="test_a failed")
    assert verdict == Verdict(SubmissionStatus.CANCELLED, CANCELLED_MESSAGE)


def test_an_unavailable_judge_is_an_error_with_its_reason():
    verdict = submission_verdict(end=RunEnd.UNAVAILABLE, end_detail="no Docker engine",
                                 golden=Outcome.PASSED, mutants=ALL_KILLED, expected_mutants=2)
    assert verdict == Verdict(SubmissionStatus.ERROR, "no Docker engine")


def test_a_judge_crash_is_an_error_that_says_it_is_a_bug():
    verdict = submission_verdict(end=RunEnd.CRASHED, end_detail="KeyError: 'v9'")
    assert verdict.status is SubmissionStatus.ERROR
    assert verdict.message == ("the judge failed unexpectedly (KeyError: 'v9'); "
                               "this is a bug, please report it")


def test_golden_not_reported_is_an_error_even_when_every_mutant_was():
    verdict = submission_verdict(golden=None, mutants=ALL_KILLED, expected_mutants=2)
    assert verdict == Verdict(SubmissionStatus.ERROR, "the judge did not report the golden run")


def test_a_judge_error_on_golden_is_an_error_not_the_learners_failure():
    verdict = submission_verdict(golden=Outcome.ERROR, golden_message="runner exploded",
                                 golden_failure="unused")
    assert verdict == Verdict(SubmissionStatus.ERROR, "the judge failed: runner exploded")


@pytest.mark.parametrize("golden", [Outcome.FAILED, Outcome.COLLECT_ERROR, Outcome.NO_TESTS,
                                    Outcome.TIMEOUT, Outcome.MEMORY, Outcome.CRASHED,
                                    Outcome.SKIPPED])
def test_golden_not_passing_is_a_failure_whatever_the_mutants_said(golden):
    verdict = submission_verdict(golden=golden, golden_failure="test_a failed on golden",
                                 mutants=[report("a", MutantStatus.ERROR, "boom")],
                                 expected_mutants=3)
    assert verdict == Verdict(SubmissionStatus.FAILURE, "test_a failed on golden")


def test_a_judge_error_on_a_mutant_is_an_error_naming_the_first_such_mutant():
    verdict = submission_verdict(golden=Outcome.PASSED, mutants=[
        report("a", MutantStatus.KILLED), report("b", MutantStatus.ERROR, "engine hiccup"),
        report("c", MutantStatus.ERROR, "later")], expected_mutants=3)
    assert verdict == Verdict(SubmissionStatus.ERROR,
                              "the judge failed on mutant b: engine hiccup")


def test_a_mutant_error_wins_over_a_missing_mutant():
    verdict = submission_verdict(golden=Outcome.PASSED,
                                 mutants=[report("a", MutantStatus.ERROR, "x")],
                                 expected_mutants=2)
    assert verdict.message == "the judge failed on mutant a: x"


@pytest.mark.parametrize("reported", [[], [report("a", MutantStatus.KILLED)],
                                      [report("a", MutantStatus.KILLED)] * 2])
def test_success_becomes_error_when_a_mutant_was_not_reported(reported):
    verdict = submission_verdict(golden=Outcome.PASSED, mutants=reported, expected_mutants=2)
    assert verdict == Verdict(SubmissionStatus.ERROR, "the judge did not report every mutant")


@pytest.mark.parametrize("status", [MutantStatus.KILLED, MutantStatus.SURVIVED,
                                    MutantStatus.TIMEOUT, MutantStatus.MEMORY])
def test_golden_passed_and_every_mutant_judged_is_success_and_scored(status):
    verdict = submission_verdict(golden=Outcome.PASSED, mutants=[report("a", status)],
                                 expected_mutants=1)
    assert verdict == Verdict(SubmissionStatus.SUCCESS, "")
    assert verdict.scored


def test_a_problem_without_scored_mutants_succeeds_on_golden_alone():
    assert submission_verdict(golden=Outcome.PASSED).status is SubmissionStatus.SUCCESS


@pytest.mark.parametrize("outcome", list(Outcome))
def test_only_a_passing_golden_lets_the_mutants_run_on(outcome):
    assert golden_stops_run(outcome) is (outcome is not Outcome.PASSED)


def test_every_runner_outcome_has_a_mutant_verdict():
    for outcome in Outcome:
        assert isinstance(mutant_status_for(outcome), MutantStatus)
    assert mutant_status_for(Outcome.NO_TESTS) is MutantStatus.KILLED
    assert mutant_status_for(Outcome.SKIPPED) is MutantStatus.ERROR


# ---- the runner's strings become the enum once, on receipt -------------------------------

def test_a_runner_event_is_parsed_into_the_outcome_enum_once():
    run = VariantRun.from_event({"event": "variant", "key": "v1", "outcome": "collect-error",
                                 "duration_ms": "12", "failed_tests": ["t"], "flags": [3]},
                                variant="m", golden=False)
    assert run.outcome is Outcome.COLLECT_ERROR
    assert (run.variant, run.golden, run.duration_ms, run.flags) == ("m", False, 12, ("3",))


def test_an_unknown_runner_outcome_is_refused_on_receipt():
    with pytest.raises(ValueError, match="bogus"):
        VariantRun.from_event({"key": "v0", "outcome": "bogus"}, variant="golden", golden=True)


def test_golden_result_holds_the_enum_and_serialises_the_runner_string():
    golden = GoldenResult(outcome="timeout")
    assert golden.outcome is Outcome.TIMEOUT
    assert golden.model_dump(mode="json")["outcome"] == "timeout"
