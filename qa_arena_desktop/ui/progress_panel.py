"""Overall progress: how many problems are solved, and the best score on each."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.catalog.store import ProblemSummary
from qa_arena_desktop.practice.progress import overall_progress
from qa_arena_desktop.ui.problem_models import score_text
from qa_arena_desktop.ui.row_table import Index, RowsModel, rows_table
from qa_arena_desktop.ui.theme import current_theme

HEADERS = ("Problem", "Level", "Best", "Tries")
SLUG_ROLE = Qt.ItemDataRole.UserRole + 1


class ProgressModel(RowsModel):
    headers = HEADERS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        problem: ProblemSummary | None = self.row_at(index)
        if problem is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            best = score_text(problem.best_score) + ("  ✓" if problem.solved else "")
            return (problem.title, problem.difficulty.value, best, str(problem.attempts))[column]
        if role == SLUG_ROLE:
            return problem.slug
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and problem.best_score is not None:
            state = "KILLED" if problem.solved else "RUNNING"
            return current_theme().verdict_colours(state)[0]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class ProgressPanel(QWidget):
    problem_requested = Signal(str)  # slug

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProgressModel(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("bannerTitle")
        self.summary.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("solvedBar")
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.table = rows_table(self.model, self)
        self.table.doubleClicked.connect(
            lambda index: self.problem_requested.emit(str(index.data(SLUG_ROLE))))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.table, 1)

    def set_problems(self, problems: list[ProblemSummary]) -> None:
        progress = overall_progress(problems)
        self.summary.setText(progress.describe())
        self.bar.setMaximum(max(1, progress.total))
        self.bar.setValue(progress.solved)
        self.model.set_rows(problems)
