"""The kill matrix of a big problem: compact columns scroll under a fixed test-name column."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qa_arena_desktop.domain.judge_models import GoldenResult, JudgeResult, MutantResult
from qa_arena_desktop.domain.judge_models import TestOutcome as Outcome  # not a pytest class
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.ui.kill_matrix_view import COLUMN_WIDTH, NAME_COLUMN_SHARE, KillMatrixView

TESTS = [f"test_numeric_identifiers_compare_numerically_case_{i}" for i in range(12)]
MUTANTS = [f"a-rather-long-mutant-name-number-{i}" for i in range(10)]


def ten_mutant_result() -> JudgeResult:
    mutants = tuple(
        MutantResult(name=name, weight=1,
                     status=MutantStatus.KILLED if i % 2 else MutantStatus.SURVIVED,
                     killed_by=(TESTS[i],) if i % 2 else (),
                     tests=tuple(Outcome(id=t, outcome="failed" if (i % 2 and t == TESTS[i])
                                         else "passed") for t in TESTS))
        for i, name in enumerate(MUTANTS))
    return JudgeResult(submission_id="s", problem="p", status=SubmissionStatus.SUCCESS, score=65,
                       killed_mutants=5, total_mutants=10, kill_ratio=0.5,
                       golden=GoldenResult(outcome="passed"), mutants=mutants)


def test_every_one_of_ten_bugs_is_reachable_and_the_names_stay_visible(qtbot):
    view = KillMatrixView()
    qtbot.addWidget(view)
    view.resize(480, 520)  # about the results tab of a 1400-pixel window
    view.show()
    view.set_result(ten_mutant_result())
    qtbot.waitExposed(view)
    table = view.table
    model = view.model
    assert model.columnCount() == 11  # correct code + 10 bugs
    names = table.verticalHeader()
    assert 0 < names.width() <= view.width() * NAME_COLUMN_SHARE  # long names do not eat the grid
    assert all(table.columnWidth(c) == COLUMN_WIDTH for c in range(model.columnCount()))
    scroll = table.horizontalScrollBar()
    assert scroll.maximum() > 0, "the ten columns fit without scrolling: widen the test names"
    names_left = names.mapTo(view, names.rect().topLeft()).x()
    for column in range(model.columnCount()):
        table.scrollTo(model.index(0, column))
        rect = table.visualRect(model.index(0, column))
        assert table.viewport().rect().contains(rect), column
    scroll.setValue(scroll.maximum())
    assert names.isVisible() and names.width() > 0
    assert names.mapTo(view, names.rect().topLeft()).x() == names_left  # it did not scroll away
    assert table.viewport().rect().contains(table.visualRect(model.index(0, 10)))
    assert names.sectionViewportPosition(0) >= 0
    assert model.headerData(1, Qt.Orientation.Vertical) == TESTS[1]  # kills bug 2: unmarked


def test_the_headers_stay_short_for_hidden_bugs_and_capped_for_long_names(qtbot):
    view = KillMatrixView()
    qtbot.addWidget(view)
    view.set_result(ten_mutant_result())
    header = view.table.horizontalHeader()
    labels = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(11)]
    assert labels[1:4] == ["Bug 1", "a-rather-long-mutant-name-number-1", "Bug 3"]
    assert header.height() <= 150 + 34  # a long revealed name is elided, not a tall header
