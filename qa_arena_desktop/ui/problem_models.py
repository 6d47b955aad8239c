"""The problem browser's data: a list model of ``ProblemSummary`` and a filter proxy.

Views and tests read everything through ``data(index, role)``; custom roles carry
the typed values the delegate paints (difficulty badge, best score, solved mark).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from qa_arena_desktop.catalog.store import ProblemSummary
from qa_arena_desktop.domain.pack import Difficulty
from qa_arena_desktop.ui.untrusted import tip

Index = QModelIndex | QPersistentModelIndex


class ProblemRole(IntEnum):
    SLUG = Qt.ItemDataRole.UserRole + 1
    DIFFICULTY = Qt.ItemDataRole.UserRole + 2  # str: the Difficulty's value (Qt turns StrEnum into str)
    BEST_SCORE = Qt.ItemDataRole.UserRole + 3  # float | None
    SOLVED = Qt.ItemDataRole.UserRole + 4  # bool
    TAGS = Qt.ItemDataRole.UserRole + 5  # tuple[str, ...]
    MUTANTS = Qt.ItemDataRole.UserRole + 6  # int
    ATTEMPTS = Qt.ItemDataRole.UserRole + 7  # int
    SUMMARY = Qt.ItemDataRole.UserRole + 8  # ProblemSummary
    CHAPTER = Qt.ItemDataRole.UserRole + 9  # str: the chapter's id ("" for none)


def score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:g}"


class ProblemListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._problems: list[ProblemSummary] = []

    def set_problems(self, problems: list[ProblemSummary]) -> None:
        """Replace the list; rows whose slug is unchanged only get a dataChanged."""
        if [p.slug for p in problems] == [p.slug for p in self._problems]:
            self._problems = list(problems)
            if problems:
                self.dataChanged.emit(self.index(0), self.index(len(problems) - 1))
            return
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def problems(self) -> list[ProblemSummary]:
        return list(self._problems)

    def row_of(self, slug: str) -> int:
        for row, problem in enumerate(self._problems):
            if problem.slug == slug:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(self._problems)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._problems):
            return None
        problem = self._problems[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return problem.title
        if role == Qt.ItemDataRole.ToolTipRole:
            solved = " · solved" if problem.solved else ""
            tags = f"\nTags: {', '.join(problem.tags)}" if problem.tags else ""
            return tip(f"{problem.title} ({problem.difficulty.value}, {problem.mutants} hidden bugs)\n"
                       f"Best score: {score_text(problem.best_score)}{solved}{tags}")  # the pack's
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{problem.title}, {problem.difficulty.value}, best {score_text(problem.best_score)}"
        return {
            ProblemRole.SLUG: problem.slug,
            ProblemRole.DIFFICULTY: problem.difficulty.value,
            ProblemRole.BEST_SCORE: problem.best_score,
            ProblemRole.SOLVED: problem.solved,
            ProblemRole.TAGS: problem.tags,
            ProblemRole.MUTANTS: problem.mutants,
            ProblemRole.ATTEMPTS: problem.attempts,
            ProblemRole.SUMMARY: problem,
            ProblemRole.CHAPTER: problem.chapter,
        }.get(role)  # type: ignore[call-overload]


class ProblemFilterProxy(QSortFilterProxyModel):
    """Filters by difficulty (None = all), by chapter (None = all), leaves out the problems
    of locked chapters, and matches words against title, slug and tags."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._difficulty: Difficulty | None = None
        self._words: tuple[str, ...] = ()
        self._chapter: str | None = None
        self._locked: frozenset[str] = frozenset()

    def set_chapter(self, chapter: str | None, locked: set[str] | frozenset[str] = frozenset()
                    ) -> None:
        self.beginFilterChange()
        self._chapter = chapter
        self._locked = frozenset(locked)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_difficulty(self, difficulty: Difficulty | str | None) -> None:
        self.beginFilterChange()
        self._difficulty = Difficulty(difficulty) if difficulty else None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = tuple(text.lower().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._difficulty is not None and index.data(ProblemRole.DIFFICULTY) != self._difficulty.value:
            return False
        chapter = index.data(ProblemRole.CHAPTER)
        if chapter in self._locked or (self._chapter is not None and chapter != self._chapter):
            return False
        if not self._words:
            return True
        haystack = " ".join([
            str(index.data(Qt.ItemDataRole.DisplayRole)), str(index.data(ProblemRole.SLUG)),
            *index.data(ProblemRole.TAGS), str(index.data(ProblemRole.DIFFICULTY)),
        ]).lower()
        return all(word in haystack for word in self._words)
