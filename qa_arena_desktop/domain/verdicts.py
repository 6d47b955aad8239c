"""The closed set of verdicts, the one place they are decided, and the pure scoring rules.

Mirrors ``docs/judge.md``: a submission is SUCCESS (golden passed), FAILURE (the
learner's tests are wrong or broken), ERROR (the judge could not run) or CANCELLED
(the learner stopped it: never an error, never an attempt); a mutant
is KILLED, SURVIVED, TIMEOUT, MEMORY (the last two count as killed) or ERROR
(a judge fault, never a kill).

Every verdict is decided here and nowhere else, by pure functions that need no
Docker and no database: :func:`submission_verdict` (the submission's status and
message, in one precedence chain), :func:`mutant_status_for` (a mutant's status),
:func:`golden_stops_run` (when the other variants are not needed) and :func:`score`.
The runner's outcome strings are parsed into :class:`Outcome` once, on receipt
(``domain.judge_models.VariantRun.from_event``); everything on the host uses the enum.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


def golden_stops_run(outcome: Outcome) -> bool:
    """Golden's verdict comes first and decides: unless it passed, the mutants' runs are
    not needed (the score is 0 whatever they would say)."""
    return outcome is not Outcome.PASSED


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


CANCELLED_MESSAGE = "the run was cancelled before every variant was judged"


class RunEnd(StrEnum):
    """How the backend's run ended, as the judging service saw it."""

    FINISHED = "finished"  # it returned: the variants' results are all there is
    CANCELLED = "cancelled"  # the learner or the user stopped it
    UNAVAILABLE = "unavailable"  # the judge could not run (no engine, no image, ...)
    CRASHED = "crashed"  # anything else the judge raised: a bug in the judge


@dataclass(frozen=True)
class MutantReport:
    """What the submission verdict needs of one reported mutant."""

    name: str
    status: MutantStatus
    message: str = ""


@dataclass(frozen=True)
class AlternativeReport:
    """What the submission verdict needs of one further correct implementation's run."""

    outcome: Outcome | None  # None: not reported
    message: str = ""  # the runner's message (for a judge error)
    failure: str = ""  # the learner-facing text when the tests did not pass on it


@dataclass(frozen=True)
class Verdict:
    status: SubmissionStatus
    message: str = ""  # why, for FAILURE, ERROR and CANCELLED

    @property
    def scored(self) -> bool:
        """Only a SUCCESS has a score, kills and a kill ratio (golden passed)."""
        return self.status is SubmissionStatus.SUCCESS


def submission_verdict(
    *,
    precheck: str = "",
    end: RunEnd = RunEnd.FINISHED,
    end_detail: str = "",
    golden: Outcome | None = None,
    golden_message: str = "",
    golden_failure: str = "",
    mutants: Sequence[MutantReport] = (),
    expected_mutants: int = 0,
    alternatives: Sequence[AlternativeReport] = (),
) -> Verdict:
    """A submission's terminal status and message: the one precedence chain.

    ``precheck`` is the host's objection to the test file (it never went to the judge);
    ``end`` how the backend's run ended, with ``end_detail`` (the unavailable reason, or
    the exception of a crash); ``golden`` the golden run's outcome (None: not reported),
    its runner ``golden_message``, and ``golden_failure`` the learner-facing text for a
    failed golden run; ``mutants`` the mutants reported, in arrival order, of the
    ``expected_mutants`` scored ones; ``alternatives`` the pack's further correct
    implementations (docs/pack-format.md). In order, the first that applies decides:

    1. the precheck objected: FAILURE (the learner's file);
    2. the run was cancelled: CANCELLED; the judge was unavailable or crashed: ERROR;
    3. golden not reported, or golden's run was a judge error: ERROR;
    4. golden did not pass: FAILURE (golden decides, whatever the mutants said);
    5. a further correct implementation not reported or a judge error there: ERROR; the
       tests did not pass on it: FAILURE (they depend on what the spec leaves open);
    6. a mutant's run was a judge error, or a mutant was not reported: ERROR;
    7. otherwise SUCCESS.
    """
    if precheck:
        return Verdict(SubmissionStatus.FAILURE, precheck)
    if end is RunEnd.CANCELLED:
        return Verdict(SubmissionStatus.CANCELLED, CANCELLED_MESSAGE)
    if end is RunEnd.UNAVAILABLE:
        return Verdict(SubmissionStatus.ERROR, end_detail)
    if end is RunEnd.CRASHED:
        return Verdict(SubmissionStatus.ERROR, f"the judge failed unexpectedly ({end_detail}); "
                                               "this is a bug, please report it")
    if golden is None:
        return Verdict(SubmissionStatus.ERROR, "the judge did not report the golden run")
    if golden is Outcome.ERROR:
        return Verdict(SubmissionStatus.ERROR, f"the judge failed: {golden_message}")
    if golden is not Outcome.PASSED:
        return Verdict(SubmissionStatus.FAILURE, golden_failure)
    for alternative in alternatives:
        if alternative.outcome is None:
            return Verdict(SubmissionStatus.ERROR,
                           "the judge did not report every correct implementation")
        if alternative.outcome is Outcome.ERROR:
            return Verdict(SubmissionStatus.ERROR, f"the judge failed: {alternative.message}")
        if alternative.outcome is not Outcome.PASSED:
            return Verdict(SubmissionStatus.FAILURE, alternative.failure)
    for mutant in mutants:
        if mutant.status is MutantStatus.ERROR:
            return Verdict(SubmissionStatus.ERROR,
                           f"the judge failed on mutant {mutant.name}: {mutant.message}")
    if len({mutant.name for mutant in mutants}) != expected_mutants:
        return Verdict(SubmissionStatus.ERROR, "the judge did not report every mutant")
    return Verdict(SubmissionStatus.SUCCESS)
