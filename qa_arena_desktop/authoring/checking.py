"""Judge candidate mutants against the reference tests with the real judge, as one batch.

Two requests through the backend, like a submission's run split in two:

1. golden alone, with the pack's full time limit. It decides: when golden fails
   the reference tests, no candidate gets a verdict (``golden_passed = False``
   with the reason, never a list of fake survivors), and no candidate runs.
2. every candidate at once, as mutants named ``c001``, ``c002``…, sharded over
   the backend's containers (each container forks one clean run per candidate),
   with golden's measured duration so every candidate's time budget is known
   from its first run. The budget is tighter than a learner's run
   (:data:`CANDIDATE_BUDGET`): a candidate that loops forever is the usual
   reason a batch is slow, and it counts as killed anyway.

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
# A candidate's budget: 2 x golden + 0.15 s, at least 0.2 s. The judge lets a run whose
# budget ran out while it was starved of CPU (a busy machine) go on to the cap, so a slow
# machine does not turn survivors into kills; a real endless loop is stopped early.
CANDIDATE_BUDGET = {"k": 2.0, "c_s": 0.15, "min_s": 0.2}
# The cap for candidates: 4 x golden + 0.5 s, never above the pack's own time limit.
CAP_FACTOR, CAP_EXTRA_S = 4.0, 0.5

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


def candidate_limits(time_limit_s: float, golden_ms: int) -> Limits:
    """The candidates' cap: a few times golden's duration, at most the pack's limit."""
    cap = min(time_limit_s, CAP_FACTOR * golden_ms / 1000 + CAP_EXTRA_S)
    return Limits(time_limit_s=round(cap, 3))


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
                           with_golden=False, golden_ms=max(1, golden_run.duration_ms),
                           limits=candidate_limits(time_limit_s, golden_run.duration_ms),
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
