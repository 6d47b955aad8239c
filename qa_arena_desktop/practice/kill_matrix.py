"""The kill matrix as plain data: which of the learner's tests failed on which variant.

Built from ``MutantResult.tests`` (per-test outcomes reported by the in-container
runner) plus the golden run's failed tests. A test that fails on a mutant *kills* it;
a test that fails on golden is a broken test. The UI only paints what is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from qa_arena_desktop.domain.judge_models import GoldenResult, JudgeResult, MutantResult
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus

GOLDEN_COLUMN = "golden"
FAILING_OUTCOMES = frozenset({"failed", "error"})


@dataclass(frozen=True)
class Cell:
    outcome: str  # passed | failed | error | skipped | "" (not run)
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome in FAILING_OUTCOMES


@dataclass(frozen=True)
class Column:
    name: str
    status: str  # a MutantStatus value, or the golden outcome ("passed", "failed", ...)
    is_golden: bool = False


@dataclass(frozen=True)
class KillMatrix:
    tests: tuple[str, ...]
    columns: tuple[Column, ...]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def cell(self, test: str, column: str) -> Cell:
        return self.cells.get((test, column), Cell(""))

    def kills_by_test(self, test: str) -> int:
        """How many mutants this test kills (a test with 0 adds nothing to the score)."""
        return sum(1 for c in self.columns if not c.is_golden and self.cell(test, c.name).failed)

    @property
    def is_empty(self) -> bool:
        return not self.tests or not self.columns


def build_kill_matrix(golden: GoldenResult | None, mutants: Iterable[MutantResult]) -> KillMatrix:
    """Rows are tests (in the order the runner reported them), columns golden then mutants."""
    mutants = tuple(mutants)
    tests: list[str] = []
    seen: set[str] = set()
    cells: dict[tuple[str, str], Cell] = {}

    def add_test(test_id: str) -> None:
        if test_id not in seen:
            seen.add(test_id)
            tests.append(test_id)

    for mutant in mutants:
        for outcome in mutant.tests:
            add_test(outcome.id)
            cells[(outcome.id, mutant.name)] = Cell(outcome.outcome, outcome.message)
    columns: list[Column] = []
    if golden is not None:
        columns.append(Column(GOLDEN_COLUMN, golden.outcome, is_golden=True))
        for test_id in golden.failed_tests:
            add_test(test_id)
        failed = set(golden.failed_tests)
        for test_id in tests:
            if test_id in failed:
                cells[(test_id, GOLDEN_COLUMN)] = Cell("failed", golden.message)
            elif golden.outcome == "passed" or mutants:
                cells[(test_id, GOLDEN_COLUMN)] = Cell("passed")
    columns.extend(Column(m.name, m.status.value) for m in mutants)
    return KillMatrix(tests=tuple(tests), columns=tuple(columns), cells=cells)


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
