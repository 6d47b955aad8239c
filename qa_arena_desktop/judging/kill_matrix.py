"""The kill matrix as plain data: which test failed on which variant. The one builder.

Built from the per-test outcomes the in-container runner reports (``MutantResult.tests``
for a learner's run, ``VariantRun.tests`` for an author's reference run) plus, when
given, the golden run's failed tests. A test that fails on a mutant *kills* it; a test
that fails on golden is a broken test. Every reader derives its view from this one
type: the app's matrix tab and "catches nothing" marks (``practice.kill_matrix``,
``ui.kill_matrix_view``), the class report's outcome table (``classroom.reports``)
and pack validation's smallest killing subset (``authoring.validation``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from qa_arena_desktop.domain.judge_models import GoldenResult, MutantResult, VariantRun

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
    def mutant_names(self) -> list[str]:
        return [c.name for c in self.columns if not c.is_golden]

    def killed(self) -> dict[str, dict[str, bool]]:
        """test -> {mutant: True when that test failed on it}, for the mutants it ran on."""
        return {test: {name: self.cells[(test, name)].failed for name in self.mutant_names
                       if (test, name) in self.cells}
                for test in self.tests}

    @property
    def is_empty(self) -> bool:
        return not self.tests or not self.columns


def build_kill_matrix(golden: GoldenResult | None,
                      mutants: Iterable[MutantResult | VariantRun]) -> KillMatrix:
    """Rows are tests (in the order the runner reported them), columns golden then mutants.

    ``mutants``: a judged submission's results, or an author's reference runs (their
    outcome is the column's status); never a golden run (pass it as ``golden``).
    """
    mutants = tuple(mutants)
    tests: list[str] = []
    seen: set[str] = set()
    cells: dict[tuple[str, str], Cell] = {}

    def add_test(test_id: str) -> None:
        if test_id not in seen:
            seen.add(test_id)
            tests.append(test_id)

    names = [m.name if isinstance(m, MutantResult) else m.variant for m in mutants]
    for name, mutant in zip(names, mutants, strict=True):
        for outcome in mutant.tests:
            add_test(outcome.id)
            cells[(outcome.id, name)] = Cell(outcome.outcome, outcome.message)
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
    columns.extend(Column(name, m.status.value if isinstance(m, MutantResult) else m.outcome.value)
                   for name, m in zip(names, mutants, strict=True))
    return KillMatrix(tests=tuple(tests), columns=tuple(columns), cells=cells)
