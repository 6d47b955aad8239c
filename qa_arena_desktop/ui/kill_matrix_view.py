"""The kill matrix tab: your tests (rows) against golden and every mutant (columns).

A coloured cell means the test failed on that variant: on a mutant that is a kill,
on golden it is a broken test. Hovering a cell shows the first failure message. Test ids
and messages are the run's (untrusted): shown through ``ui.untrusted``, never as markup.
Mutant names are long, so the column headers are drawn rotated to keep the grid
compact; a dot in each header shows the mutant's verdict.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from qa_arena_desktop.judging.models import JudgeResult
from qa_arena_desktop.practice.kill_matrix import KillMatrix, build_kill_matrix
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import line, tip

Index = QModelIndex | QPersistentModelIndex
CELL_SYMBOLS = {"failed": "✕", "error": "!", "passed": "·", "skipped": "s", "": ""}
COLUMN_STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 2


class KillMatrixModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.matrix = KillMatrix(tests=(), columns=())

    def set_result(self, result: JudgeResult | None) -> None:
        self.beginResetModel()
        self.matrix = (build_kill_matrix(result.golden, result.mutants) if result is not None
                       else KillMatrix(tests=(), columns=()))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(self.matrix.tests)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(self.matrix.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            column = self.matrix.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return "correct code" if column.is_golden else column.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{column.name}: {column.status}"
            if role == COLUMN_STATUS_ROLE:
                return column.status
            return None
        test = self.matrix.tests[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return line(test)
        if role == Qt.ItemDataRole.ToolTipRole:
            kills = self.matrix.kills_by_test(test)
            return tip(f"{test}: kills {kills} mutant{'s' if kills != 1 else ''}")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        test = self.matrix.tests[index.row()]
        column = self.matrix.columns[index.column()]
        cell = self.matrix.cell(test, column.name)
        theme = current_theme()
        if role == Qt.ItemDataRole.DisplayRole:
            return CELL_SYMBOLS.get(cell.outcome, "?")
        if role == OUTCOME_ROLE:
            return cell.outcome
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = "the correct implementation" if column.is_golden else f"mutant {column.name}"
            if cell.failed:
                verb = "fails on" if column.is_golden else "kills"
                return tip(f"{test} {verb} {where}\n\n{cell.message or '(no message)'}")
            if cell.outcome:
                return tip(f"{test} {cell.outcome} on {where}")
            return tip(f"{test} was not run on {where}")
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if cell.failed:
                state = "FAILED" if column.is_golden else "KILLED"
            elif cell.outcome == "passed" and column.status == "SURVIVED":
                state = "SURVIVED"
            else:
                state = "NOT RUN"
            foreground, background = theme.verdict_colours(state)
            if role == Qt.ItemDataRole.ForegroundRole:
                return foreground
            if state == "SURVIVED" and background is not None:
                background = QColor(background)
                background.setAlpha(110)
            return background
        return None


class RotatedHeader(QHeaderView):
    """A horizontal header whose labels read bottom-to-top, with a verdict dot on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setDefaultSectionSize(34)
        self.setHighlightSections(False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        model = self.model()
        metrics = self.fontMetrics()
        longest = 60
        if model is not None:
            for section in range(model.columnCount()):
                text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
                longest = max(longest, metrics.horizontalAdvance(text))
        return QSize(super().sizeHint().width(), min(longest, 220) + 34)

    def paintSection(self, painter: QPainter, rect: QRect, section: int) -> None:  # noqa: N802
        model = self.model()
        if model is None or not rect.isValid():
            return
        theme = current_theme()
        painter.save()
        painter.fillRect(rect, QColor(theme.alt_base))
        painter.setPen(QColor(theme.border))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        status = str(model.headerData(section, Qt.Orientation.Horizontal, COLUMN_STATUS_ROLE) or "")
        state = {"passed": "PASSED"}.get(status, status.upper() if status else "NOT RUN")
        if status in ("failed", "collect-error", "no-tests", "timeout", "memory", "crashed"):
            state = "FAILED"
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(theme.verdict_colours(state)[0])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(rect.center().x() - 4, rect.top() + 8, 8, 8)
        painter.setPen(QColor(theme.text))
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        painter.translate(rect.left() + rect.width() / 2, rect.bottom() - 6)
        painter.rotate(-90)
        height = self.fontMetrics().height()
        available = rect.height() - 30
        elided = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, available)
        painter.drawText(QRect(0, -height // 2, available, height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()


class KillMatrixView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = KillMatrixModel(self)
        self.table = QTableView(self)
        self.table.setHorizontalHeader(RotatedHeader(self.table))
        self.table.setModel(self.model)
        self.table.setShowGrid(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.table.setMouseTracking(True)
        self.legend = QLabel(self)
        self.legend.setObjectName("muted")
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.legend)
        layout.addWidget(self.table, 1)
        self.set_result(None)

    def set_result(self, result: JudgeResult | None) -> None:
        self.model.set_result(result)
        self.table.horizontalHeader().updateGeometry()
        self.table.horizontalHeader().setFixedHeight(self.table.horizontalHeader().sizeHint().height())
        if self.model.matrix.is_empty:
            self.legend.setText("The kill matrix appears after a run: which of your tests fails on "
                                "which hidden bug.")
        else:
            self.legend.setText("✕ = the test fails on that version (on a bug: it kills it; on the "
                                "correct code: the test is wrong). · = passes. Hover a cell for the "
                                "failure message.")
