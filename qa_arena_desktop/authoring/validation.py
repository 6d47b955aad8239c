"""Prove a pack with the real judge: what ``qa-arena problems validate`` and the studio show.

Per pack: the loader's structural checks; the finished-pack checks of
:mod:`packs.content` (no starter description, an example, a hint per mutant); the
reference tests run against golden and every mutant (twice, for determinism);
golden must pass; every mutant not marked ``equivalent`` must be killed (survivors are listed as "possibly
equivalent or under-tested"), and killed by a failing test, not by the time or
memory limit; and from the per-test kill matrix, the size of the
smallest subset of reference tests that still kills every killed mutant, which
must reach the difficulty's minimum (1/2/3/4 for Very Easy/Easy/Medium/Hard); every
further golden passes the reference tests; and the description's examples, judged as
a test file of their own, hold for golden and score at most the difficulty's ceiling
(:mod:`packs.examples`).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from qa_arena_desktop.domain.backend import Backend
from qa_arena_desktop.domain.judge_models import GOLDEN, JudgeRequest, Limits, VariantRun
from qa_arena_desktop.domain.pack import Difficulty, Pack
from qa_arena_desktop.domain.verdicts import (
    MutantStatus,
    Outcome,
    mutant_status_for,
    score,
    weighted_kill_ratio,
)
from qa_arena_desktop.judging.kill_matrix import build_kill_matrix
from qa_arena_desktop.packs.chapters import ChaptersError, load_chapters
from qa_arena_desktop.packs.content import content_issues
from qa_arena_desktop.packs.examples import EXAMPLES_CEILING, examples_test_file
from qa_arena_desktop.packs.loader import PackError, load_pack

MIN_KILLING_SUBSET = {
    Difficulty.VERY_EASY: 1,
    Difficulty.EASY: 2,
    Difficulty.MEDIUM: 3,
    Difficulty.HARD: 4,
}
EXACT_LIMIT = 22
Kills = dict[str, dict[str, bool]]  # test id -> mutant name -> killed by this test


class PackValidation(BaseModel):
    model_config = ConfigDict(frozen=True)

    slug: str
    path: str
    ok: bool
    errors: tuple[str, ...] = ()
    survivors: tuple[str, ...] = ()
    min_killing_subset: int | None = None
    deterministic: bool | None = None
    golden_passed: bool | None = None
    kill_matrix: dict[str, dict[str, bool]] = {}
    killing_subset: tuple[str, ...] = ()
    examples: int | None = None  # examples found in the description (docs/pack-format.md)
    examples_score: float | None = None  # what a file of only those examples scores
    examples_ceiling: float | None = None  # the most it may score at this difficulty

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", exclude={"kill_matrix", "killing_subset",
                                                     "golden_passed"})


def kill_matrix(runs: dict[str, VariantRun]) -> Kills:
    """test id -> {mutant: True when that test failed on that mutant} (the judging kill
    matrix of the reference runs, further goldens left out)."""
    mutants = [run for variant, run in runs.items() if variant != GOLDEN and not run.is_golden]
    return build_kill_matrix(None, mutants).killed()


def smallest_killing_subset(matrix: Kills, mutants: set[str]) -> tuple[str, ...]:
    """The fewest tests that together kill every mutant in ``mutants``.

    Exact (tests and mutants as bit masks, subsets tried by increasing size) up to
    ``EXACT_LIMIT`` useful tests; greedy beyond, which can only overestimate.
    """
    if not mutants:
        return ()
    order = sorted(mutants)
    bit = {name: 1 << index for index, name in enumerate(order)}
    everything = (1 << len(order)) - 1
    masks = {test: sum(bit[m] for m, killed in row.items() if killed and m in bit)
             for test, row in matrix.items()}
    useful = sorted(t for t, mask in masks.items() if mask)
    if len(useful) <= EXACT_LIMIT:
        for size in range(1, len(useful) + 1):
            for combo in itertools.combinations(useful, size):
                covered = 0
                for test in combo:
                    covered |= masks[test]
                if covered == everything:
                    return combo
        return ()
    chosen: list[str] = []
    left = everything
    while left:
        best = max(useful, key=lambda t: bin(masks[t] & left).count("1"))
        if not masks[best] & left:
            break
        chosen.append(best)
        left &= ~masks[best]
    return tuple(chosen)


def not_killed_by_a_test(pack: Pack, runs: dict[str, VariantRun]) -> list[str]:
    """Errors for the scored mutants the reference tests do not kill with a failing test.

    A learner's run counts TIMEOUT and MEMORY as kills, so a mutant that loops forever,
    exhausts memory or does not even import within its time budget would be a free
    kill for every learner: the reference tests must kill each mutant by a failing
    test (or collection error), not by a limit. A judge fault (ERROR) proves nothing.
    """
    errors = []
    for mutant in pack.scored_mutants:
        run = runs.get(mutant.name)
        if run is None:
            continue
        detail = f": {run.message}" if run.message else ""
        status = mutant_status_for(run.outcome)
        if status is MutantStatus.TIMEOUT:
            errors.append(f"mutant {mutant.name!r} is killed only by the time limit{detail} "
                          "(TIMEOUT): does it loop forever, or not import within its budget? "
                          "A mutant must fail a reference test")
        elif status is MutantStatus.MEMORY:
            errors.append(f"mutant {mutant.name!r} is killed only by the memory limit{detail} "
                          "(MEMORY): a mutant must fail a reference test")
        elif status is MutantStatus.ERROR:
            errors.append(f"the judge could not run mutant {mutant.name!r} "
                          f"({run.outcome}{detail})")
    return errors


def _judge_reference(pack: Pack, backend: Backend, tests: str | None = None
                     ) -> dict[str, VariantRun]:
    runs: dict[str, VariantRun] = {}
    request = JudgeRequest(
        submission_id="validate", problem=pack.slug,
        tests=pack.reference_tests if tests is None else tests,
        golden_source=pack.golden_source, mutants=pack.mutants,
        limits=Limits(time_limit_s=pack.time_limit_s),
        support_files=pack.support_files, alt_goldens=pack.alt_goldens,
    )
    backend.run(request, lambda run: runs.__setitem__(run.variant, run), threading.Event())
    return runs


def _signature(runs: dict[str, VariantRun]) -> dict[str, tuple]:
    return {name: (run.outcome, tuple((t.id, t.outcome) for t in run.tests))
            for name, run in runs.items()}


def chapter_errors(pack: Pack, path: Path) -> list[str]:
    """A pack beside a chapters file must name one of its chapters (or none)."""
    try:
        chapters = load_chapters(path.parent)
    except ChaptersError as exc:
        return [str(exc)]
    if pack.chapter and chapters and pack.chapter not in {c.id for c in chapters}:
        return [f"chapter {pack.chapter!r} is not in {path.parent.name}/chapters.toml"]
    return []


def examples_check(pack: Pack, backend: Backend) -> tuple[int, float | None, list[str]]:
    """(examples found, their score, errors): "examples are not the answer".

    The description's examples, turned into a test file (:mod:`packs.examples`), are
    judged like a learner's submission; they must pass on every golden and score at most
    the difficulty's ceiling.
    """
    tests, count = examples_test_file(pack.description_md, pack.api_names)
    if not count:
        return 0, None, []  # nothing to copy: nothing to check (bundled packs all have some)
    runs = _judge_reference(pack, backend, tests)
    goldens = [run for run in runs.values() if run.is_golden]
    failing = [run for run in goldens if run.outcome is not Outcome.PASSED]
    if not goldens or failing:
        detail = f"{failing[0].outcome}: {failing[0].message}" if failing else "not reported"
        return count, 0.0, [f"the description's examples do not hold for golden ({detail})"]
    missing = [m.name for m in pack.scored_mutants if m.name not in runs]
    if missing:
        return count, None, [f"the judge did not report mutants {missing} for the examples"]
    ratio = weighted_kill_ratio((m.weight, mutant_status_for(runs[m.name].outcome))
                                for m in pack.scored_mutants if m.name in runs)
    examples_score = score(True, ratio)
    ceiling = EXAMPLES_CEILING[pack.difficulty]
    errors = []
    if ceiling is not None and examples_score > ceiling:
        errors.append(f"the description's {count} examples alone score {examples_score:g}, "
                      f"over {ceiling:g} for {pack.difficulty.value}: give fewer or less "
                      "revealing examples, or subtler bugs")
    return count, examples_score, errors


def validate_pack(path: Path, backend: Backend) -> PackValidation:
    try:
        pack = load_pack(path)
    except PackError as exc:
        return PackValidation(slug=path.name, path=str(path), ok=False,
                              errors=tuple(str(issue) for issue in exc.issues))
    errors: list[str] = [str(issue) for issue in content_issues(pack)]
    first = _judge_reference(pack, backend)
    second = _judge_reference(pack, backend)
    # Variants run in a random order and a failing golden stops the run, so compare the
    # variants both runs reported.
    one, two = _signature(first), _signature(second)
    changed = sorted(k for k in one.keys() & two.keys() if one[k] != two[k])
    deterministic = not changed
    if changed:
        errors.append(f"not deterministic: two runs of the reference tests disagree on {changed}")
    golden = first.get(GOLDEN)
    golden_passed = golden is not None and golden.outcome is Outcome.PASSED
    if not golden_passed:
        detail = f"{golden.outcome}: {golden.message}" if golden else "not reported"
        errors.append(f"golden does not pass its reference tests ({detail})")
        return PackValidation(slug=pack.slug, path=str(path), ok=False, errors=tuple(errors),
                              deterministic=deterministic, golden_passed=False)
    for alternative in pack.alt_goldens:
        run = first.get(alternative.name)
        if run is None or run.outcome is not Outcome.PASSED:
            detail = f"{run.outcome}: {run.message}" if run else "not reported"
            errors.append(f"further golden {alternative.name} ({alternative.clause}) does not "
                          f"pass the reference tests ({detail})")
    missing = [m.name for m in pack.mutants if m.name not in first]
    if missing:
        errors.append(f"the judge did not report mutants {missing}")
    survivors = tuple(m.name for m in pack.scored_mutants
                      if m.name in first and first[m.name].outcome is Outcome.PASSED)
    if survivors:
        errors.append("mutants survive the reference tests (possibly equivalent or "
                      f"under-tested): {', '.join(survivors)}")
    errors += not_killed_by_a_test(pack, first)
    matrix = kill_matrix(first)
    killed = {m.name for m in pack.scored_mutants if m.name in first and m.name not in survivors}
    # A mutant killed without any single failing test (e.g. collection error) has no row;
    # it still needs one test to be killed.
    subset = smallest_killing_subset(matrix, {m for m in killed
                                              if any(matrix[t].get(m) for t in matrix)})
    size = len(subset) if subset or not killed else 1
    needed = MIN_KILLING_SUBSET[pack.difficulty]
    if size < needed:
        errors.append(f"too easy for {pack.difficulty.value}: {size} reference test(s) "
                      f"({', '.join(subset)}) kill every mutant; {needed} needed")
    count, examples_score, problems = examples_check(pack, backend)
    errors += problems + chapter_errors(pack, path)
    return PackValidation(
        slug=pack.slug, path=str(path), ok=not errors, errors=tuple(errors), survivors=survivors,
        min_killing_subset=size, deterministic=deterministic, golden_passed=True,
        kill_matrix=matrix, killing_subset=subset, examples=count,
        examples_score=examples_score, examples_ceiling=EXAMPLES_CEILING[pack.difficulty],
    )


def validate_packs(paths: list[Path], backend: Backend,
                   progress: Callable[[PackValidation], None] = lambda _v: None,
                   ) -> list[PackValidation]:
    """Validate each pack; an engine failure is reported for that pack, the rest go on."""
    results = []
    slugs: dict[str, str] = {}
    for path in paths:
        result = validate_pack(path, backend)  # JudgeUnavailable (no engine) stops the batch
        if result.slug in slugs and result.ok:
            result = result.model_copy(update={
                "ok": False, "errors": (f"duplicate slug {result.slug!r}, also used by "
                                        f"{slugs[result.slug]}",)})
        slugs.setdefault(result.slug, str(path))
        results.append(result)
        progress(result)
    return results
