"""The closed set of verdicts and the pure scoring rules (no Docker, no DB).

Mirrors ``docs/judge.md``: a submission is SUCCESS (golden passed), FAILURE (the
learner's tests are wrong or broken), ERROR (the judge could not run) or CANCELLED
(the learner stopped it: never an error, never an attempt); a mutant
is KILLED, SURVIVED, TIMEOUT, MEMORY (the last two count as killed) or ERROR
(a judge fault, never a kill).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class SubmissionStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    ERROR = "ERROR"
    CANCELLED = "CANCELLED"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES

    @property
    def is_judged(self) -> bool:
        """The learner's tests were judged: counts as an attempt (see :data:`JUDGED`)."""
        return self in JUDGED


TERMINAL_STATUSES = frozenset({SubmissionStatus.SUCCESS, SubmissionStatus.FAILURE,
                               SubmissionStatus.ERROR, SubmissionStatus.CANCELLED})
# What counts as an attempt, towards Tries, "attempted" and a best score: a run that judged
# the learner's tests. A cancelled run, or one the judge could not do (no engine), does not.
JUDGED = frozenset({SubmissionStatus.SUCCESS, SubmissionStatus.FAILURE})

_ALLOWED_TRANSITIONS: dict[SubmissionStatus, frozenset[SubmissionStatus]] = {
    SubmissionStatus.PENDING: frozenset({SubmissionStatus.RUNNING, SubmissionStatus.ERROR,
                                         SubmissionStatus.CANCELLED}),
    SubmissionStatus.RUNNING: TERMINAL_STATUSES,
    SubmissionStatus.SUCCESS: frozenset(),
    SubmissionStatus.FAILURE: frozenset(),
    SubmissionStatus.ERROR: frozenset(),
    SubmissionStatus.CANCELLED: frozenset(),
}


class InvalidTransition(ValueError):
    """A submission was asked to move to a state it cannot reach from where it is."""


def check_transition(current: SubmissionStatus, new: SubmissionStatus) -> None:
    """Raise :class:`InvalidTransition` unless ``current -> new`` is allowed.

    PENDING -> RUNNING -> SUCCESS | FAILURE | ERROR | CANCELLED; PENDING -> ERROR covers
    a run that could not even start (no engine), PENDING -> CANCELLED one stopped before
    it started. Terminal states never change.
    """
    if new not in _ALLOWED_TRANSITIONS[current]:
        raise InvalidTransition(f"submission cannot go from {current} to {new}")


class MutantStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    KILLED = "KILLED"
    SURVIVED = "SURVIVED"
    TIMEOUT = "TIMEOUT"
    MEMORY = "MEMORY"
    ERROR = "ERROR"

    @property
    def counts_as_killed(self) -> bool:
        return self in (MutantStatus.KILLED, MutantStatus.TIMEOUT, MutantStatus.MEMORY)

    @property
    def is_final(self) -> bool:
        return self not in (MutantStatus.QUEUED, MutantStatus.RUNNING)


class Outcome(StrEnum):
    """What the in-container runner reports for one variant run."""

    PASSED = "passed"
    FAILED = "failed"
    COLLECT_ERROR = "collect-error"
    NO_TESTS = "no-tests"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASHED = "crashed"
    ERROR = "error"
    SKIPPED = "skipped"  # not run: golden already failed


def mutant_status_for(outcome: Outcome) -> MutantStatus:
    """Map a runner outcome on a mutant to the mutant's verdict."""
    return {
        Outcome.PASSED: MutantStatus.SURVIVED,
        Outcome.FAILED: MutantStatus.KILLED,
        Outcome.COLLECT_ERROR: MutantStatus.KILLED,
        Outcome.NO_TESTS: MutantStatus.KILLED,
        Outcome.CRASHED: MutantStatus.KILLED,
        Outcome.TIMEOUT: MutantStatus.TIMEOUT,
        Outcome.MEMORY: MutantStatus.MEMORY,
        Outcome.ERROR: MutantStatus.ERROR,
        Outcome.SKIPPED: MutantStatus.ERROR,
    }[outcome]


def weighted_kill_ratio(results: Iterable[tuple[float, MutantStatus]]) -> float:
    """Sum of killed weights over the sum of all weights (0.0 when there are none)."""
    total = 0.0
    killed = 0.0
    for weight, status in results:
        total += weight
        if status.counts_as_killed:
            killed += weight
    return killed / total if total > 0 else 0.0


def score(golden_passed: bool, kill_ratio: float) -> float:
    """``0`` when golden fails, else ``30 + 70 * kill_ratio``, rounded to one decimal."""
    if not golden_passed:
        return 0.0
    return round(30.0 + 70.0 * kill_ratio, 1)
