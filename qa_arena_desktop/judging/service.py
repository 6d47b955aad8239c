"""The judging service: one submission from PENDING to exactly one terminal state.

The CLI and the GUI use this same code. A submission is persisted as PENDING
before anything runs, then RUNNING; each variant's verdict is persisted the
moment it arrives and handed to the listener; the run ends in SUCCESS,
FAILURE, ERROR or CANCELLED as :func:`verdicts.submission_verdict` decides, with the score
from :mod:`verdicts`. Runs synchronously in the caller's thread (the GUI calls it from a
pool worker).
"""

from __future__ import annotations

import threading
import traceback
import uuid
from collections.abc import Callable

from qa_arena_desktop.catalog import claims, store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.backend import Backend, JudgeCancelled, JudgeUnavailable
from qa_arena_desktop.domain.events import (
    JudgeEvent,
    RunFinished,
    RunStarted,
    VariantFinished,
    VariantStarted,
)
from qa_arena_desktop.domain.judge_models import (
    GOLDEN,
    GoldenResult,
    JudgeRequest,
    JudgeResult,
    Limits,
    Misconception,
    MutantResult,
    TestOutcome,
    VariantRun,
)
from qa_arena_desktop.domain.pack import AltGolden, Pack
from qa_arena_desktop.domain.verdicts import (
    AlternativeReport,
    MutantReport,
    Outcome,
    RunEnd,
    SubmissionStatus,
    Verdict,
    mutant_status_for,
    score,
    submission_verdict,
    weighted_kill_ratio,
)
from qa_arena_desktop.judging import detail_bounds, disclosure
from qa_arena_desktop.judging.precheck import Precheck, decode_tests

Listener = Callable[[JudgeEvent], None]
MAX_FLAGS = 16  # of a run's own flags: they come from the container
MAX_FLAG_CHARS = 64
__all__ = ["JudgingService", "clean_run", "golden_failure_message"]


def golden_failure_message(run: VariantRun, limits: Limits) -> str:
    """Why the learner's tests failed on the correct implementation, in words."""
    if run.outcome is Outcome.FAILED:
        first = run.failed_tests[0] if run.failed_tests else "a test"
        more = len(run.failed_tests) - 1 + run.omitted_tests
        extra = f" (and {more} more)" if more > 0 else ""
        return f"{first} failed on the correct implementation{extra}: {run.message}"
    if run.outcome is Outcome.COLLECT_ERROR:
        return f"your tests could not be loaded: {run.message}"
    if run.outcome is Outcome.NO_TESTS:
        return "no tests were collected: name your test functions test_..."
    if run.outcome is Outcome.TIMEOUT:
        return (f"your tests hit the time limit of {limits.time_limit_s:g} s on the correct "
                "implementation (an endless loop or a very slow test?)")
    if run.outcome is Outcome.MEMORY:
        return (f"your tests hit the memory limit of {limits.memory_mb} MB on the correct "
                "implementation")
    if run.outcome is Outcome.CRASHED:
        return f"your tests crashed the test process on the correct implementation: {run.message}"
    return run.message or f"unexpected outcome {run.outcome}"


def alternative_report(alternative: AltGolden, run: VariantRun | None,
                       limits: Limits) -> AlternativeReport:
    """A further correct implementation's run as the submission verdict reads it.

    A test that passes on golden and fails on another correct implementation depends on
    behaviour the spec leaves open: the failure text names the spec's clause (never which
    implementation, which the learner cannot see anyway)."""
    if run is None:
        return AlternativeReport(None)
    if run.outcome is Outcome.FAILED:
        first = run.failed_tests[0] if run.failed_tests else "a test"
        more = len(run.failed_tests) - 1 + run.omitted_tests
        extra = f" (and {more} more)" if more > 0 else ""
        return AlternativeReport(
            run.outcome, run.message,
            f"{first}{extra} passes on one correct implementation but fails on another: "
            f"it depends on behaviour the spec leaves open ({alternative.clause}): {run.message}")
    failure = "" if run.outcome in (Outcome.PASSED, Outcome.ERROR) \
        else golden_failure_message(run, limits)
    return AlternativeReport(run.outcome, run.message, failure)


def _killed_by(run: VariantRun) -> tuple[str, ...]:
    return run.failed_tests


def clean_run(run: VariantRun, source: str, budget: int) -> VariantRun:
    """A variant's run as the host keeps it: its messages without container paths, capped,
    and withheld when they hold ``source`` (the variant's hidden code); its per-test detail
    within ``budget`` bytes. The flags say what was done (see ``disclosure`` and ``detail_bounds``).

    Golden's per-test outcomes are not kept (only its failing ids), so for golden
    ``omitted_tests`` counts failing ids only.
    """
    matcher = disclosure.SourceMatcher(source)
    withheld = False

    def safe_id(test_id: str) -> str:
        nonlocal withheld
        kept = detail_bounds.cap_id(test_id)
        if matcher.discloses(kept):
            withheld = True
            return disclosure.withheld_id(test_id)
        return kept

    capped = (t.model_copy(update={"id": safe_id(t.id), "message": disclosure.cap(
                  disclosure.without_internal_paths(t.message))})
              for t in (() if run.is_golden else run.tests))
    failing = [safe_id(test_id) for test_id in run.failed_tests]
    tests, failed, omitted = detail_bounds.bound(capped, failing, budget)
    kept: list[TestOutcome] = []
    for test in tests:
        message, hidden = matcher.clean(test.message)
        withheld |= hidden
        kept.append(test.model_copy(update={"message": message}) if hidden else test)
    message, hidden = matcher.clean(run.message)
    withheld |= hidden
    flags = [*run.flags, *([disclosure.FLAG] if withheld else []),
             *([detail_bounds.FLAG] if omitted else [])]
    return run.model_copy(update={"tests": tuple(kept), "failed_tests": failed,
                                  "message": message, "omitted_tests": omitted,
                                  "flags": tuple(f[:MAX_FLAG_CHARS] for f in flags[:MAX_FLAGS])})


MAX_EXPLAINED_TESTS = 3  # failing tests looked at again on the mutants
MAX_MISCONCEPTIONS = 2  # "exactly one or two" mutants: more is no specific misreading


class JudgingService:
    def __init__(self, catalog: Catalog, backend: Backend, explain_failures: bool = False) -> None:
        """``explain_failures``: when tests fail on golden, look for the misreading they
        expect (:meth:`misconceptions`); on where hints are allowed (the app, ``judge``)."""
        self.catalog = catalog
        self.backend = backend
        self.explain_failures = explain_failures

    def misconceptions(self, pack: Pack, checked: Precheck, golden: VariantRun,
                       cancel: threading.Event, log: Callable[[str], None]) -> tuple[
                           Misconception, ...]:
        """"Why is my test wrong?" (Examplar's misconception hints). Each test that failed on
        golden runs alone on every mutant; a test that passes on exactly one or two of them
        expects those mutants' behaviour: their hints say which misreading. Empty when the
        answer is not that specific, or the second look could not be made."""
        ids = [test for test in golden.failed_tests
               if not test.startswith("test-id-withheld-")][:MAX_EXPLAINED_TESTS]
        scored = pack.scored_mutants
        if golden.outcome is not Outcome.FAILED or not ids or not scored:
            return ()
        passing: dict[str, set[str]] = {test: set() for test in ids}
        names = {m.name for m in scored}

        def on_variant(run: VariantRun) -> None:
            if run.is_golden or run.variant not in names:
                return
            for test in run.tests:  # untrusted: only compared with the ids asked for
                if test.id in passing and test.outcome == "passed":
                    passing[test.id].add(run.variant)

        request = JudgeRequest(
            submission_id=str(uuid.uuid4()), problem=pack.slug, tests=checked.text,
            golden_source=pack.golden_source, mutants=scored,
            limits=Limits(time_limit_s=pack.time_limit_s), select=tuple(ids),
            with_golden=False, golden_ms=golden.duration_ms, support_files=pack.support_files)
        try:
            self.backend.run(request, on_variant, cancel, log)
        except Exception as exc:  # noqa: BLE001 - a hint is never worth failing the run for
            log(f"no misconception check: {type(exc).__name__}: {exc}"[:300])
            return ()
        hints = {m.name: m.hint for m in scored}
        found: list[str] = []
        for test in ids:
            if 1 <= len(passing[test]) <= MAX_MISCONCEPTIONS:
                found += [name for name in sorted(passing[test]) if name not in found]
        return tuple(Misconception(mutant=name, hint=hints[name])
                     for name in found if hints[name])[:MAX_MISCONCEPTIONS * 2]

    def submit(self, pack: Pack, tests: str | bytes, submission_id: str | None = None) -> str:
        """Persist a PENDING submission and return its id (idempotent for a given id)."""
        return self._create(pack, decode_tests(tests), submission_id)

    def _create(self, pack: Pack, checked: Precheck, submission_id: str | None) -> str:
        submission_id = submission_id or str(uuid.uuid4())
        store.create_submission(self.catalog, submission_id, pack.slug, checked.text,
                                pack_hash=pack.content_hash, pack_source=pack.origin)
        return submission_id

    def judge(
        self,
        pack: Pack,
        tests: str | bytes,
        listener: Listener = lambda _event: None,
        cancel: threading.Event | None = None,
        submission_id: str | None = None,
    ) -> JudgeResult:
        """Submit and judge in one call; returns the terminal result (also sent as RunFinished)."""
        checked = decode_tests(tests)
        submission_id = self._create(pack, checked, submission_id)
        existing = store.get_submission(self.catalog, submission_id)
        if existing.result is not None:  # judged before: same id, one run
            listener(RunFinished(submission_id=submission_id, result=existing.result))
            return existing.result
        return self._run(submission_id, pack, checked, listener, cancel or threading.Event())

    def resume(self, submission_id: str, pack: Pack, tests: str,
               listener: Listener = lambda _event: None,
               cancel: threading.Event | None = None) -> JudgeResult:
        """Judge again a submission whose judge died (claims it; see judging.recovery)."""
        return self._run(submission_id, pack, decode_tests(tests), listener,
                         cancel or threading.Event())

    def _run(
        self,
        submission_id: str,
        pack: Pack,
        checked: Precheck,
        listener: Listener,
        cancel: threading.Event,
    ) -> JudgeResult:
        scored = pack.scored_mutants
        weights = {m.name: m.weight for m in scored}
        sources = {m.name: m.source for m in scored}
        budget = detail_bounds.share(1 + len(scored))
        limits = Limits(time_limit_s=pack.time_limit_s)
        log_lines: list[str] = []
        attempt = claims.claim_submission(self.catalog, submission_id, total_mutants=len(scored))
        if attempt > 1:
            log_lines.append(f"attempt {attempt}: re-run after the previous judge was interrupted")
        listener(RunStarted(submission_id=submission_id, problem=pack.slug,
                            mutants=tuple((m.name, m.weight) for m in scored)))

        run_flags: list[str] = []  # flags raised at run time, in any variant's run

        def finish(verdict: Verdict, golden: GoldenResult | None,
                   mutants: dict[str, MutantResult],
                   misconceptions: tuple[Misconception, ...] = ()) -> JudgeResult:
            ordered = tuple(mutants[m.name] for m in scored if m.name in mutants)
            ratio = weighted_kill_ratio(
                (weights[m.name], m.status) for m in ordered
            ) if verdict.scored else 0.0
            result = JudgeResult(
                submission_id=submission_id, problem=pack.slug, status=verdict.status,
                score=score(verdict.scored, ratio),
                # kills only count when golden passed, like the score and the ratio
                killed_mutants=sum(1 for m in ordered if m.status.counts_as_killed)
                if verdict.scored else 0,
                total_mutants=len(scored), kill_ratio=round(ratio, 4), message=verdict.message,
                flags=tuple(dict.fromkeys((*checked.flags, *run_flags))), golden=golden,
                mutants=ordered, misconceptions=misconceptions,
            )
            store.finish_submission(self.catalog, result, "\n".join(log_lines))
            listener(RunFinished(submission_id=submission_id, result=result))
            return result

        if checked.problem:
            return finish(submission_verdict(precheck=checked.problem), None, {})

        request = JudgeRequest(
            submission_id=submission_id, problem=pack.slug, tests=checked.text,
            golden_source=pack.golden_source, mutants=scored, limits=limits,
            support_files=pack.support_files, alt_goldens=pack.alt_goldens,
        )
        golden: GoldenResult | None = None
        golden_run: VariantRun | None = None
        mutants: dict[str, MutantResult] = {}
        alternatives = {g.name: g for g in pack.alt_goldens}
        alt_runs: dict[str, VariantRun] = {}

        def on_variant(run: VariantRun) -> None:
            nonlocal golden, golden_run
            alternative = run.is_golden and run.variant != GOLDEN
            if (not run.is_golden and run.variant not in weights) or (
                    alternative and run.variant not in alternatives):
                log_lines.append(f"ignored a result for an unknown variant {run.variant[:80]!r}")
                return
            # The one place variant results come in: nothing of a run is kept or shown
            # before it is cleaned against that variant's source.
            source = (alternatives[run.variant].source if alternative
                      else request.golden_source if run.is_golden else sources[run.variant])
            run = clean_run(run, source, budget)
            log_lines.append(f"{run.variant}: {run.outcome} in {run.duration_ms} ms")
            run_flags.extend(run.flags)
            if alternative:
                alt_runs[run.variant] = run
                return
            if run.is_golden:
                golden_run = run
                golden = GoldenResult(outcome=run.outcome, duration_ms=run.duration_ms,
                                      failed_tests=run.failed_tests, message=run.message,
                                      omitted_tests=run.omitted_tests)
                store.record_golden(self.catalog, submission_id, golden)
                listener(VariantFinished(submission_id=submission_id, golden=golden))
                return
            status = mutant_status_for(run.outcome)
            result = MutantResult(
                name=run.variant, weight=weights[run.variant], status=status,
                duration_ms=run.duration_ms,
                killed_by=_killed_by(run) if status.counts_as_killed else (),
                message=run.message, budget_ms=run.budget_ms, rechecked=run.rechecked,
                tests=run.tests, omitted_tests=run.omitted_tests,
            )
            mutants[run.variant] = result
            store.record_mutant_result(self.catalog, submission_id, result)
            listener(VariantFinished(submission_id=submission_id, mutant=result))

        def on_start(variant: str) -> None:
            if variant == GOLDEN or variant in weights:
                listener(VariantStarted(submission_id=submission_id, variant=variant))

        end, detail = RunEnd.FINISHED, ""
        try:
            self.backend.run(request, on_variant, cancel, log_lines.append, on_start=on_start)
        except JudgeCancelled:
            end = RunEnd.CANCELLED
        except JudgeUnavailable as exc:
            log_lines.append(str(exc))
            end, detail = RunEnd.UNAVAILABLE, str(exc)
        except Exception as exc:  # noqa: BLE001 - a judge bug must still end the submission
            log_lines.append("".join(traceback.format_exception(exc))[-4000:])
            end, detail = RunEnd.CRASHED, f"{type(exc).__name__}: {exc}"

        reports = [alternative_report(a, alt_runs.get(a.name), limits) for a in pack.alt_goldens]
        verdict = submission_verdict(
            end=end, end_detail=detail,
            golden=golden_run.outcome if golden_run is not None else None,
            golden_message=golden_run.message if golden_run is not None else "",
            golden_failure=golden_failure_message(golden_run, limits)
            if golden_run is not None else "",
            mutants=[MutantReport(m.name, m.status, m.message) for m in mutants.values()],
            expected_mutants=len(scored), alternatives=reports)
        explained: tuple[Misconception, ...] = ()
        if golden_run is not None and golden_run.outcome is Outcome.PASSED:
            # the verdict chain stops at the first further golden that did not pass
            first = next((a.name for a, r in zip(pack.alt_goldens, reports, strict=True)
                          if r.outcome is not Outcome.PASSED), None)
            disagreeing = alt_runs.get(first) if first is not None else None
            if verdict.status is SubmissionStatus.FAILURE and disagreeing is not None:
                # the learner sees the correct code's row fail: the run that disagreed
                golden = GoldenResult(outcome=disagreeing.outcome,
                                      duration_ms=disagreeing.duration_ms,
                                      failed_tests=disagreeing.failed_tests,
                                      message=verdict.message,
                                      omitted_tests=disagreeing.omitted_tests)
                store.record_golden(self.catalog, submission_id, golden)
        elif (verdict.status is SubmissionStatus.FAILURE and golden_run is not None
                and self.explain_failures):
            explained = self.misconceptions(pack, checked, golden_run, cancel, log_lines.append)
        return finish(verdict, golden, mutants, explained)
