"""The live results table: the golden row, then one row per mutant, updated event by event.

Rows exist from the moment of submit (QUEUED), turn RUNNING when their own run begins
(``VariantStarted``), and take their verdict the moment each ``VariantFinished`` arrives (the runner works
through variants in a random order, so rows finish in any order; ``finish_order``
records it). When the editor changes after a run the model is marked *stale* and paints
everything greyed out.

A row is labelled as the learner may see it: "Bug N" until that bug is caught by a run
that passed on the correct code, or revealed by its hint (``judging/bug_labels.py``);
the real name stays in ``NAME_ROLE`` for code, never on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from qa_arena_desktop.domain.judge_models import GOLDEN, GoldenResult, JudgeResult, MutantResult
from qa_arena_desktop.domain.pack import MutantSource, Pack
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.bug_labels import BugLabels, bug_labels
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import line, tip

Index = QModelIndex | QPersistentModelIndex

QUEUED = "QUEUED"
RUNNING = "RUNNING"
NOT_RUN = "NOT RUN"
GOLDEN_STATES = {"passed": "PASSED"}  # any other golden outcome shows as FAILED


class Column(IntEnum):
    VARIANT = 0
    STATE = 1
    TIME = 2
    KILLED_BY = 3


HEADERS = {Column.VARIANT: "Variant", Column.STATE: "State", Column.TIME: "Time",
           Column.KILLED_BY: "Killed by"}
STATE_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's state string
NAME_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class ResultRow:
    name: str
    weight: float = 0.0
    state: str = QUEUED
    duration_ms: int | None = None
    killed_by: tuple[str, ...] = ()
    message: str = ""
    is_golden: bool = False


GOLDEN_LABEL = "Correct code"
CAUGHT_STATES = frozenset(s.value for s in MutantStatus if s.counts_as_killed)


def golden_state(golden: GoldenResult) -> str:
    return GOLDEN_STATES.get(golden.outcome, "FAILED")


class ResultsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []
        self._stale = False
        self._unscored = False  # FAILURE/ERROR: mutant verdicts do not count, paint them muted
        self.run_id = ""
        self.finish_order: list[str] = []  # variant names in the order their verdicts arrived
        self._mutants: tuple[MutantSource, ...] = ()  # the pack's scored mutants: numbering
        self._revealed: frozenset[str] = frozenset()  # uncovered by the hint ladder
        self._labels = BugLabels()

    # ---- labels ----------------------------------------------------------------------------

    def labels(self) -> BugLabels:
        """What each bug is called now: its name only once caught (golden passed) or revealed."""
        return self._labels

    def label(self, item: ResultRow) -> str:
        return GOLDEN_LABEL if item.is_golden else self._labels.label(item.name)

    def set_revealed(self, names: frozenset[str]) -> None:
        """The bugs the hint ladder revealed (empty with hints off); relabels every row."""
        if names != self._revealed:
            self._revealed = frozenset(names)
            self._relabel(force=True)

    def _relabel(self, force: bool = False, emit: bool = True) -> None:
        golden_passed = bool(self._rows) and self._rows[0].is_golden and self._rows[0].state == "PASSED"
        caught = ([item.name for item in self._rows if not item.is_golden
                   and item.state in CAUGHT_STATES] if golden_passed else [])
        labels = bug_labels(self._mutants, caught, self._revealed,
                            extra=[item.name for item in self._rows if not item.is_golden])
        if labels != self._labels:
            self._labels = labels
            force = True
        if force and emit and self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1))

    # ---- updates -------------------------------------------------------------------------

    def start(self, run_id: str, pack: Pack, revealed: frozenset[str] = frozenset()) -> None:
        """New run: golden plus every scored mutant, all QUEUED."""
        self.beginResetModel()
        self._mutants = pack.scored_mutants
        self._revealed = frozenset(revealed)
        self.run_id = run_id
        self._stale = False
        self._unscored = False
        self.finish_order = []
        self._rows = [ResultRow(GOLDEN, is_golden=True)]
        self._rows += [ResultRow(m.name, weight=m.weight) for m in pack.scored_mutants]
        self._relabel(emit=False)
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._mutants = ()
        self._labels = BugLabels()
        self.run_id = ""
        self.finish_order = []
        self._stale = False
        self._unscored = False
        self.endResetModel()

    def mark_started(self, name: str) -> None:
        """``name``'s run began (golden is ``GOLDEN``); the rest stay QUEUED."""
        for row, item in enumerate(self._rows):
            if item.name == name and item.state == QUEUED:
                self._set_row(row, replace(item, state=RUNNING))

    def apply_golden(self, golden: GoldenResult) -> None:
        self._apply(ResultRow(GOLDEN, state=golden_state(golden), duration_ms=golden.duration_ms,
                              killed_by=golden.failed_tests, message=golden.message,
                              is_golden=True))

    def apply_mutant(self, mutant: MutantResult) -> None:
        self._apply(ResultRow(mutant.name, weight=mutant.weight, state=mutant.status.value,
                              duration_ms=mutant.duration_ms, killed_by=mutant.killed_by,
                              message=mutant.message))

    def finish(self, result: JudgeResult) -> None:
        """Fill in whatever the events did not deliver; rows never reached become NOT RUN."""
        if result.golden is not None and self.row_state(GOLDEN) in (QUEUED, RUNNING):
            self.apply_golden(result.golden)
        for mutant in result.mutants:
            if self.row_state(mutant.name) in (QUEUED, RUNNING, None):
                self.apply_mutant(mutant)
        for row, item in enumerate(self._rows):
            if item.state in (QUEUED, RUNNING):
                self._set_row(row, replace(item, state=NOT_RUN))
        self._set_unscored(result.status is not SubmissionStatus.SUCCESS)

    def _set_unscored(self, unscored: bool) -> None:
        if unscored != self._unscored:
            self._unscored = unscored
            if self._rows:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(self._rows) - 1, len(Column) - 1))

    def is_unscored(self) -> bool:
        return self._unscored

    def first_row_in(self, *states: str) -> int:
        """The first row in one of ``states`` (-1 when none): what the panel selects first."""
        for row, item in enumerate(self._rows):
            if item.state in states:
                return row
        return -1

    def load_result(self, result: JudgeResult, pack: Pack | None = None,
                    revealed: frozenset[str] = frozenset()) -> None:
        """Show a finished run (from history): rows from the stored result; with ``pack``,
        every scored mutant has a row, NOT RUN when the run never reached it, and bugs are
        numbered in the pack's order (else in the result's). Names show as that run's kills
        and ``revealed`` allow."""
        self.beginResetModel()
        self._mutants = pack.scored_mutants if pack is not None else ()
        self._revealed = frozenset(revealed)
        self.run_id = result.submission_id
        self._stale = False
        self.finish_order = []
        self._rows = [ResultRow(GOLDEN, is_golden=True, state=NOT_RUN)]
        if pack is not None:
            self._rows += [ResultRow(m.name, weight=m.weight, state=NOT_RUN)
                           for m in pack.scored_mutants]
        self._relabel(emit=False)
        self.endResetModel()
        if result.golden is not None:
            self.apply_golden(result.golden)
        for mutant in result.mutants:
            self.apply_mutant(mutant)
        self.finish_order = []
        self._set_unscored(result.status is not SubmissionStatus.SUCCESS)

    def set_stale(self, stale: bool) -> None:
        if stale != self._stale:
            self._stale = stale
            if self._rows:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(self._rows) - 1, len(Column) - 1))

    def is_stale(self) -> bool:
        return self._stale

    def _apply(self, item: ResultRow) -> None:
        for row, existing in enumerate(self._rows):
            if existing.name == item.name and existing.is_golden == item.is_golden:
                self._set_row(row, item)
                break
        else:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(item)
            self.endInsertRows()
        if item.name not in self.finish_order:
            self.finish_order.append(item.name)
        self._relabel()

    def _set_row(self, row: int, item: ResultRow) -> None:
        self._rows[row] = item
        self._relabel()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    # ---- queries -------------------------------------------------------------------------

    def row_state(self, name: str) -> str | None:
        for item in self._rows:
            if item.name == name:
                return item.state
        return None

    def states(self) -> dict[str, str]:
        return {item.name: item.state for item in self._rows}

    def finished_count(self) -> int:
        """Rows whose run is over, judged or not (NOT RUN)."""
        return sum(1 for item in self._rows if item.state not in (QUEUED, RUNNING))

    def judged_count(self) -> int:
        """Rows that really got a verdict (not queued, running or NOT RUN)."""
        return sum(1 for item in self._rows if item.state not in (QUEUED, RUNNING, NOT_RUN))

    def golden_failed(self) -> bool:
        return bool(self._rows) and self._rows[0].is_golden and self._rows[0].state == "FAILED"

    def row_at(self, row: int) -> ResultRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def explanation(self, item: ResultRow) -> str:
        """Why ``item`` got its verdict, as plain text; the test ids and message are the run's
        (untrusted: the tooltip and the details label show them through ``ui.untrusted``)."""
        parts = []
        if self._unscored and not item.is_golden and item.state != NOT_RUN:
            parts.append("Not scored: mutant verdicts count only once every test passes on the "
                         "correct code.")
        if item.is_golden:
            parts.append("Your tests on the correct implementation: they must all pass.")
            if item.killed_by:
                parts.append("Failed: " + ", ".join(item.killed_by))
        elif item.killed_by:
            parts.append(f"{self.label(item)} was killed by: " + ", ".join(item.killed_by))
        elif item.state == "SURVIVED":
            parts.append(f"{self.label(item)} survived: every test passed on it.")
        if item.message:
            parts.append(item.message)
        return "\n\n".join(parts)

    # ---- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = Column(index.column())
        theme = current_theme()
        if role == Qt.ItemDataRole.DisplayRole:
            if column is Column.VARIANT:
                return self.label(item)
            if column is Column.STATE:
                return item.state.title() if item.state in (QUEUED, RUNNING, NOT_RUN) else item.state
            if column is Column.TIME:
                return "" if item.duration_ms is None else f"{item.duration_ms} ms"
            if item.is_golden and item.killed_by:
                return line("failed: " + ", ".join(item.killed_by))
            return line(", ".join(item.killed_by))
        if role == STATE_ROLE:
            return item.state
        if role == NAME_ROLE:
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            explanation = self.explanation(item)
            return tip(explanation) if explanation else None
        muted = self._stale or (self._unscored and not item.is_golden)
        if role == Qt.ItemDataRole.ForegroundRole:
            if muted:
                return QColor(theme.muted)
            if column is Column.STATE:
                return theme.verdict_colours(item.state)[0]
            return None
        if role == Qt.ItemDataRole.BackgroundRole and column is Column.STATE and not muted:
            return theme.verdict_colours(item.state)[1]
        if role == Qt.ItemDataRole.FontRole and (column is Column.STATE or item.is_golden):
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.STATE, Column.TIME):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
