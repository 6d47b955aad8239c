"""Check candidate mutants against the reference tests with the real judge, in one run.

One :class:`JudgeRequest` carries golden plus every candidate as a mutant named
``c001``, ``c002``… and goes through the backend once, so the containers start
once and the candidates run in parallel shards. A candidate the tests kill is
``KILLED``; one they pass is ``SURVIVED`` (possibly equivalent to golden, or a gap
in the reference tests). When golden itself fails, the judge stops early and no
candidate gets a verdict: that is reported as ``golden_passed = False`` with the
reason, never as a list of fake survivors.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from qa_arena_desktop.authoring.mutation import Candidate
from qa_arena_desktop.judging.models import GOLDEN, JudgeRequest, Limits, VariantRun
from qa_arena_desktop.judging.service import Backend
from qa_arena_desktop.judging.verdicts import MutantStatus, Outcome, mutant_status_for
from qa_arena_desktop.packs.model import MutantSource

KILLED = "KILLED"
SURVIVED = "SURVIVED"


@dataclass(frozen=True)
class CandidateCheck:
    """Verdicts for candidates, in the candidates' order (``None``: no verdict)."""

    golden_passed: bool
    message: str  # why golden failed, or why some verdicts are missing
    verdicts: tuple[str | None, ...]
    killed_by: tuple[tuple[str, ...], ...] = ()


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


def check_candidates(golden: str, reference_tests: str, candidates: Sequence[Candidate],
                     backend: Backend, cancel: threading.Event | None = None,
                     time_limit_s: float = 5.0) -> CandidateCheck:
    """Judge golden and every candidate once; raises ``JudgeUnavailable`` without an engine."""
    mutants = tuple(MutantSource(name=candidate_name(i), source=c.source, weight=1.0)
                    for i, c in enumerate(candidates))
    request = JudgeRequest(submission_id="authoring-candidates", problem="authoring",
                           tests=reference_tests, golden_source=golden, mutants=mutants,
                           limits=Limits(time_limit_s=time_limit_s))
    runs: dict[str, VariantRun] = {}
    lock = threading.Lock()

    def on_variant(run: VariantRun) -> None:
        with lock:
            runs[run.variant] = run

    backend.run(request, on_variant, cancel or threading.Event())
    golden_run = runs.get(GOLDEN)
    if golden_run is None or golden_run.outcome is not Outcome.PASSED:
        return CandidateCheck(golden_passed=False, message=golden_problem(golden_run),
                              verdicts=tuple(None for _ in candidates),
                              killed_by=tuple(() for _ in candidates))
    verdicts = tuple(verdict_for(runs.get(m.name)) for m in mutants)
    killed_by = tuple(runs[m.name].failed_tests if m.name in runs else () for m in mutants)
    missing = sum(1 for v in verdicts if v is None)
    message = f"{missing} candidate(s) got no verdict (judge fault)" if missing else ""
    return CandidateCheck(golden_passed=True, message=message, verdicts=verdicts,
                          killed_by=killed_by)
