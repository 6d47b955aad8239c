import pytest

from qa_arena_desktop.judging.verdicts import (
    InvalidTransition,
    MutantStatus,
    Outcome,
    SubmissionStatus,
    check_transition,
    mutant_status_for,
    score,
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
