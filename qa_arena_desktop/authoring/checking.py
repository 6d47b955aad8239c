"""Judge candidate mutants against the reference tests with the real judge, as one batch.

Two requests through the backend, like a submission's run split in two:

1. golden alone, with the pack's full time limit. It decides: when golden fails
   the reference tests, no candidate gets a verdict (``golden_passed = False``
   with the reason, never a list of fake survivors), and no candidate runs.
2. every candidate at once, as mutants named ``c001``, ``c002``…, sharded over
   the backend's containers (each container forks one clean run per candidate),
   with golden's measured duration so every candidate's time budget is known
   from its first run. The budget is tighter than a learner's run and counted in
   CPU time (:data:`CANDIDATE_BUDGET`): a candidate that loops forever is the
   usual reason a batch is slow, and it counts as killed anyway, while a run
   that waits for a core on a busy machine uses no CPU time, so load cannot turn
   a slow survivor into a kill. The pack's time limit stays the wall-clock net.

``on_progress(done, total)`` is called after each candidate's verdict (from a
worker thread); ``cancel`` stops the run and its containers, and the verdicts
known so far are kept (``cancelled = True``). A candidate the tests kill is
``KILLED`` (a time or memory limit counts, and is marked in ``limit_hit``); one
they pass is ``SURVIVED`` (possibly equivalent to golden, or a gap in the
reference tests).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa_arena_desktop.authoring.mutation import Candidate
from qa_arena_desktop.domain.backend import Backend, JudgeCancelled
from qa_arena_desktop.domain.judge_models import GOLDEN, JudgeRequest, Limits, VariantRun
from qa_arena_desktop.domain.pack import MutantSource, SupportFile
from qa_arena_desktop.domain.verdicts import MutantStatus, Outcome, mutant_status_for

KILLED = "KILLED"
SURVIVED = "SURVIVED"
# A candidate's budget: 2 x golden's CPU time + 0.05 s, at least 0.1 s, of CPU time
# ("cpu": the judge counts the run's CPU time, not the clock: see docs/authoring.md). An
# ordinary candidate uses about golden's CPU time, plus ~10-20 ms to report failures.
CANDIDATE_BUDGET = {"k": 2.0, "c_s": 0.05, "min_s": 0.1, "cpu": 1.0}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CandidateCheck:
    """Verdicts for candidates, in the candidates' order (``None``: no verdict)."""

    golden_passed: bool
    message: str  # why golden failed, or why some verdicts are missing
    verdicts: tuple[str | None, ...]
    killed_by: tuple[tuple[str, ...], ...] = ()
    limit_hit: tuple[bool, ...] = ()  # killed by the time or memory limit, not by a test
    cancelled: bool = False

    @property
    def judged(self) -> int:
        return sum(1 for verdict in self.verdicts if verdict is not None)


def candidate_name(index: int) -> str:
    return f"c{index + 1:03d}"


def verdict_for(run: VariantRun | None) -> str | None:
    """KILLED when the tests failed or errored on it (timeouts count), SURVIVED when they passed."""
    if run is None:
        return None
    status = mutant_status_for(run.outcome)
    if status is MutantStatus.SURVIVED:
        return SURVIVED
    return KILLED if status.counts_as_killed else None


def golden_problem(run: VariantRun | None) -> str:
    if run is None:
        return "the judge did not report golden"
    if run.outcome is Outcome.FAILED:
        failed = ", ".join(run.failed_tests[:3]) or "a test"
        return f"golden fails the reference tests ({failed}): {run.message}".rstrip(": ")
    return f"golden does not pass the reference tests ({run.outcome.value}): {run.message}".rstrip(": ")


def _golden_cpu_ms(run: VariantRun) -> int:
    """What the candidates' CPU-time budget is derived from: golden's CPU time, measured
    as theirs is (its duration when the judge did not report it: never less on a busy
    machine, so the budget is then only looser)."""
    return max(1, run.cpu_ms or run.duration_ms)


def _judge_golden(golden: str, reference_tests: str, backend: Backend, cancel: threading.Event,
                  time_limit_s: float, support_files: tuple[SupportFile, ...]) -> VariantRun | None:
    request = JudgeRequest(submission_id="authoring-golden", problem="authoring",
                           tests=reference_tests, golden_source=golden, mutants=(),
                           limits=Limits(time_limit_s=time_limit_s), support_files=support_files)
    runs: list[VariantRun] = []
    backend.run(request, lambda run: runs.append(run) if run.is_golden else None, cancel)
    return runs[0] if runs else None


def check_candidates(golden: str, reference_tests: str, candidates: Sequence[Candidate],
                     backend: Backend, cancel: threading.Event | None = None,
                     time_limit_s: float = 5.0,
                     on_progress: Progress | None = None,
                     support_files: Sequence[SupportFile] = ()) -> CandidateCheck:
    """Judge golden, then every candidate in one sharded request (with the pack's
    ``support_files`` next to the reference tests, as in every judged run).

    Raises ``JudgeUnavailable`` without an engine; a cancel is not an error (see module).
    """
    cancel = cancel or threading.Event()
    progress = on_progress or (lambda _done, _total: None)
    total = len(candidates)
    none = tuple(None for _ in candidates)
    # Every shard's container starts now, the others while golden runs, so the batch's
    # shards begin together (a backend without ``prepare``, or already warm, skips this).
    prepare = getattr(backend, "prepare", None)
    if callable(prepare):
        prepare(Limits(time_limit_s=time_limit_s))
    try:
        golden_run = _judge_golden(golden, reference_tests, backend, cancel, time_limit_s,
                                   tuple(support_files))
    except JudgeCancelled:
        return CandidateCheck(golden_passed=False, message=f"cancelled: 0 of {total} judged",
                              verdicts=none, cancelled=True)
    if golden_run is None or golden_run.outcome is not Outcome.PASSED:
        return CandidateCheck(golden_passed=False, message=golden_problem(golden_run),
                              verdicts=none, killed_by=tuple(() for _ in candidates))
    progress(0, total)
    mutants = tuple(MutantSource(name=candidate_name(i), source=c.source, weight=1.0)
                    for i, c in enumerate(candidates))
    request = JudgeRequest(submission_id="authoring-candidates", problem="authoring",
                           tests=reference_tests, golden_source=golden, mutants=mutants,
                           with_golden=False, golden_ms=_golden_cpu_ms(golden_run),
                           limits=Limits(time_limit_s=time_limit_s),  # the wall-clock net
                           budget=CANDIDATE_BUDGET, support_files=tuple(support_files))
    runs: dict[str, VariantRun] = {}
    lock = threading.Lock()

    def on_variant(run: VariantRun) -> None:
        if run.is_golden or run.variant == GOLDEN:
            return
        with lock:
            runs[run.variant] = run
            done = len(runs)
        progress(done, total)

    cancelled = False
    try:
        backend.run(request, on_variant, cancel)
    except JudgeCancelled:
        cancelled = True
    with lock:
        found = dict(runs)
    verdicts = tuple(verdict_for(found.get(m.name)) for m in mutants)
    killed_by = tuple(found[m.name].failed_tests if m.name in found else () for m in mutants)
    limit_hit = tuple(m.name in found and found[m.name].outcome in (Outcome.TIMEOUT, Outcome.MEMORY)
                      for m in mutants)
    judged = sum(1 for v in verdicts if v is not None)
    if cancelled:
        message = f"cancelled: {judged} of {total} judged"
    else:
        missing = total - judged
        message = f"{missing} candidate(s) got no verdict (judge fault)" if missing else ""
    return CandidateCheck(golden_passed=True, message=message, verdicts=verdicts,
                          killed_by=killed_by, limit_hit=limit_hit, cancelled=cancelled)
