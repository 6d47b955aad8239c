"""The invalid-test policy of ``qa-arena grade --invalid zero|drop``.

``zero`` (the default) is the judge's rule: a test that fails on the correct code makes
the whole file a FAILURE with score 0. ``drop`` grades what is left instead: the tests
that fail on the correct code are removed **one by one** and the rest still score.

How ``drop`` does it, with the judge's own ``select`` (the request field that runs only
the named tests, used for "why is my test wrong?"):

1. judge the file as usual; unless its tests *failed* on golden (an assertion, not a
   syntax error, a time limit or a crash), that is the result;
2. run golden alone with every test, to learn the test ids and which fail;
3. drop the first failing test and run golden again with the rest selected; repeat
   until golden passes (a test that only failed because of another one is kept);
4. judge the file once more with the kept tests selected: that is the score.

A file whose tests all fail on golden stays a FAILURE with score 0, and so does one whose
tests cannot all be listed (over the runner's 500 reported tests or the host's detail
bound): "the rest" would silently leave out the unlisted ones. A test whose id holds
the correct code is listed withheld and so is never selected again. Either way the row
says how many tests were dropped and which (``dropped``: test id and golden's message,
cleaned like every message: withheld when it holds the correct code). Golden-only runs
are cheap (one variant), and only files that failed on golden pay for them.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from qa_arena_desktop.classroom.batch import ServiceJudge
from qa_arena_desktop.domain.backend import Backend
from qa_arena_desktop.domain.judge_models import GOLDEN, JudgeRequest, JudgeResult, Limits, VariantRun
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import Outcome, SubmissionStatus
from qa_arena_desktop.judging import detail_bounds
from qa_arena_desktop.judging.precheck import decode_tests
from qa_arena_desktop.judging.service import JudgingService, clean_run
from qa_arena_desktop.text_safety import one_line

POLICIES = ("zero", "drop")
MAX_DROPPED = 50  # past this many failing tests the file is not worth rescuing
STATE_POLICY = {"zero": "", "drop": "invalid=drop"}  # what the resume state keys on


class DroppedResult(JudgeResult):
    """A judge result that also says which tests were left out, and why."""

    dropped: tuple[tuple[str, str], ...] = ()


class SelectingBackend:
    """A backend whose every run selects only ``select`` (the tests that were kept)."""

    def __init__(self, inner: Backend, select: tuple[str, ...]) -> None:
        self.inner = inner
        self.select = select

    def run(self, request: JudgeRequest, on_variant: Any, cancel: threading.Event | None = None,
            log: Any = lambda _line: None, on_start: Any = None) -> None:
        self.inner.run(request.model_copy(update={"select": self.select}), on_variant, cancel,
                       log, on_start=on_start)


def golden_run(backend: Backend, pack: Pack, tests: str, select: tuple[str, ...],
               cancel: threading.Event) -> VariantRun | None:
    """The correct implementations alone on ``select`` (all tests when empty): the first run
    that did not pass (golden's before a further golden's), else golden's; its per-test
    detail cleaned against that implementation's source; ``None`` when no run was reported.
    The pack's support files go with the tests, as in every judged run."""
    seen: list[VariantRun] = []
    request = JudgeRequest(
        submission_id=str(uuid.uuid4()), problem=pack.slug, tests=tests,
        golden_source=pack.golden_source, mutants=(), limits=Limits(time_limit_s=pack.time_limit_s),
        select=select, support_files=pack.support_files, alt_goldens=pack.alt_goldens)
    backend.run(request, lambda run: seen.append(run) if run.is_golden else None, cancel,
                lambda _line: None)
    if not seen:
        return None
    seen.sort(key=lambda run: run.variant != GOLDEN)  # golden's own run first
    run = next((r for r in seen if r.outcome is not Outcome.PASSED), seen[0])
    sources = {g.name: g.source for g in pack.alt_goldens} | {GOLDEN: pack.golden_source}
    # clean_run keeps no per-test detail for golden runs: clean it as a plain variant run
    # against its source, so ids and messages that hold the correct code are withheld.
    return clean_run(run.model_copy(update={"golden": False}),
                     sources.get(run.variant, pack.golden_source), detail_bounds.share(1))


def _first_failure(run: VariantRun) -> tuple[str, str] | None:
    for test in run.tests:
        if test.outcome in ("failed", "error"):
            return test.id, test.message
    return None


def drop_invalid_tests(service: JudgingService, backend: Backend, pack: Pack, data: bytes,
                       cancel: threading.Event) -> JudgeResult:
    """Judge ``data`` under ``--invalid drop`` (see the module's docstring)."""
    result = service.judge(pack, data, cancel=cancel)
    golden = result.golden
    if result.status is not SubmissionStatus.FAILURE or golden is None or \
            golden.outcome != Outcome.FAILED.value:
        return result
    tests = decode_tests(data).text
    run = golden_run(backend, pack, tests, (), cancel)
    if run is None or run.outcome is not Outcome.FAILED or run.omitted_tests:
        # not reproducible, or too many tests to list them all (the runner's and the
        # host's bounds): selecting "the rest" would leave out unlisted tests unseen
        return result
    kept = [t.id for t in run.tests if t.outcome != "skipped"]
    dropped: list[tuple[str, str]] = []
    while run is not None and run.outcome is Outcome.FAILED and len(dropped) < MAX_DROPPED:
        failure = _first_failure(run)
        if failure is None or failure[0] not in kept:
            break
        dropped.append(failure)
        kept.remove(failure[0])
        if not kept:
            break
        run = golden_run(backend, pack, tests, tuple(kept), cancel)
    ids = ", ".join(one_line(test, 80) for test, _ in dropped[:5])
    ids += f" and {len(dropped) - 5} more" if len(dropped) > 5 else ""
    if not kept or run is None or run.outcome is not Outcome.PASSED:
        why = "every test fails" if not kept else "the tests still fail"
        message = f"{why} on the correct implementation ({len(dropped)} dropped: {ids}); " \
                  f"{result.message}"
        return DroppedResult.model_validate({**result.model_dump(), "message": message,
                                             "dropped": tuple(dropped)})
    final = JudgingService(service.catalog, SelectingBackend(backend, tuple(kept)))
    rescored = final.judge(pack, data, cancel=cancel)
    message = rescored.message or (f"{len(dropped)} test(s) dropped because they fail on the "
                                   f"correct implementation: {ids}")
    return DroppedResult.model_validate({**rescored.model_dump(), "message": message,
                                         "dropped": tuple(dropped)})


class DroppingJudge:
    """The batch's judge under ``--invalid drop``: a :class:`ServiceJudge` plus the policy."""

    def __init__(self, inner: ServiceJudge) -> None:
        self.inner = inner

    def __call__(self, pack: Pack, data: bytes, cancel: threading.Event) -> JudgeResult:
        return drop_invalid_tests(self.inner.service, self.inner.backend, pack, data, cancel)

    def close(self) -> None:
        self.inner.close()
