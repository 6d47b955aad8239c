"""What the learner's kill matrix says: the bugs that survived, the tests that catch nothing.

The matrix itself (type and builder) is :mod:`judging.kill_matrix`, shared with the
class report and pack validation; the UI only paints what is computed there and here.
"""

from __future__ import annotations

from collections.abc import Iterable

from qa_arena_desktop.domain.judge_models import JudgeResult, MutantResult
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.kill_matrix import GOLDEN_COLUMN, build_kill_matrix


def survivor_names(mutants: Iterable[MutantResult]) -> list[str]:
    return [m.name for m in mutants if m.status is MutantStatus.SURVIVED]


def idle_tests(result: JudgeResult | None) -> tuple[str, ...]:
    """The tests of a SUCCESS run that kill no bug: they add nothing to the score.

    Only a SUCCESS run is judged (every test passed on golden, every mutant was run).
    A test is named only when the run shows it catches nothing: it failed on no
    mutant, killed none, and reported an outcome on every mutant that was killed
    (a mutant killed by a time or memory limit reports no per-test outcomes, and any
    test without one may be the one that hit the limit). Runner order."""
    if result is None or result.status is not SubmissionStatus.SUCCESS:
        return ()
    matrix = build_kill_matrix(result.golden, result.mutants)
    killers = {test for m in result.mutants for test in m.killed_by}
    reported = {m.name: {t.id for t in m.tests} for m in result.mutants}
    killed = [m.name for m in result.mutants if m.status.counts_as_killed]
    return tuple(
        test for test in matrix.tests
        if matrix.kills_by_test(test) == 0 and test not in killers
        and all(test in reported[name] for name in killed)
        and not matrix.cell(test, GOLDEN_COLUMN).failed
    )
