"""The kill matrix tab: your tests (rows) against golden and every mutant (columns).

A coloured cell means the test failed on that variant: on a mutant that is a kill,
on golden it is a broken test. Hovering a cell shows the first failure message. Test ids
and messages are the run's (untrusted): shown through ``ui.untrusted``, never as markup.
Columns are labelled as the learner may see the bugs ("Bug 3" until caught or revealed,
``judging/bug_labels.py``), drawn rotated so a revealed long name still fits a narrow
column; a dot in each header shows the verdict. The test names are the vertical header:
it never scrolls sideways, so with many bugs the columns scroll under a fixed name
column (capped in width, the full name in the tooltip). Tests of a successful run that
catch no bug are marked there (∅) and named in the legend.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.judging.bug_labels import BugLabels, labels_for_result
from qa_arena_desktop.judging.kill_matrix import KillMatrix, build_kill_matrix
from qa_arena_desktop.practice.kill_matrix import idle_tests
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import line, plain, tip

Index = QModelIndex | QPersistentModelIndex
CELL_SYMBOLS = {"failed": "✕", "error": "!", "passed": "·", "skipped": "s", "": ""}
COLUMN_STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 2
CATCHES_NOTHING_ROLE = Qt.ItemDataRole.UserRole + 3  # vertical header: True for an idle test
COLUMN_WIDTH = 30  # px per bug: "Bug 10" is short, and headers are rotated anyway
MAX_HEADER_TEXT = 150  # px of rotated header text before a long revealed name is elided
NAME_COLUMN_SHARE = 0.45  # of the view's width at most for the test names
IDLE_NOTE = "Tests that catch no bug"
IDLE_MARK = "∅ "  # before an idle test's name (the stylesheet owns the header's colours)


class KillMatrixModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.matrix = KillMatrix(tests=(), columns=())
        self.labels = BugLabels()
        self.idle: tuple[str, ...] = ()  # tests of a SUCCESS run that kill no bug

    def set_result(self, result: JudgeResult | None, labels: BugLabels | None = None) -> None:
        """Show ``result``; ``labels`` say what each bug is called (default: that run's kills)."""
        self.beginResetModel()
        self.matrix = (build_kill_matrix(result.golden, result.mutants) if result is not None
                       else KillMatrix(tests=(), columns=()))
        self.labels = labels if labels is not None else labels_for_result((), result)
        self.idle = idle_tests(result)
        self.endResetModel()

    def set_labels(self, labels: BugLabels) -> None:
        """A hint revealed a bug: relabel the headers and tooltips in place."""
        self.labels = labels
        if self.matrix.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.matrix.columns) - 1)
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))

    def column_label(self, section: int) -> str:
        column = self.matrix.columns[section]
        return "correct code" if column.is_golden else self.labels.label(column.name)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(self.matrix.tests)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(self.matrix.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            column = self.matrix.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return self.column_label(section)
            if role == Qt.ItemDataRole.ToolTipRole:
                return tip(f"{self.column_label(section)}: {column.status}")
            if role == COLUMN_STATUS_ROLE:
                return column.status
            return None
        test = self.matrix.tests[section]
        idle = test in self.idle
        if role == Qt.ItemDataRole.DisplayRole:
            return IDLE_MARK + line(test) if idle else line(test)
        if role == Qt.ItemDataRole.ToolTipRole:
            kills = self.matrix.kills_by_test(test)
            text = f"{test}: kills {kills} bug{'s' if kills != 1 else ''}"
            if idle:
                text += "\nIt catches no bug: it adds nothing to the score."
            return tip(text)
        if role == CATCHES_NOTHING_ROLE:
            return idle
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
            where = ("the correct implementation" if column.is_golden
                     else self.labels.label(column.name))
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
        self.setDefaultSectionSize(COLUMN_WIDTH)
        self.setHighlightSections(False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        model = self.model()
        metrics = self.fontMetrics()
        longest = 60
        if model is not None:
            for section in range(model.columnCount()):
                text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
                longest = max(longest, metrics.horizontalAdvance(text))
        return QSize(super().sizeHint().width(), min(longest, MAX_HEADER_TEXT) + 34)

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
        # Sideways scrolling per pixel (not per column) and never a column wider than needed.
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        names = self.table.verticalHeader()
        names.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        bold = QFont(names.font())  # the stylesheet draws names semi-bold: elide with those metrics
        bold.setWeight(QFont.Weight.DemiBold)
        names.setFont(bold)
        names.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.legend = plain(QLabel(self))  # holds test names (the run's text)
        self.legend.setObjectName("muted")
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.legend)
        layout.addWidget(self.table, 1)
        self.set_result(None)

    def set_result(self, result: JudgeResult | None, labels: BugLabels | None = None) -> None:
        self.model.set_result(result, labels)
        self._fit_header()
        if self.model.matrix.is_empty:
            self.legend.setText("The kill matrix appears after a run: which of your tests fails on "
                                "which hidden bug.")
            return
        text = ("✕ = the test fails on that version (on a bug: it kills it; on the correct "
                "code: the test is wrong). · = passes. Hover a cell for the failure message.")
        if self.model.idle:
            text += (f"\n{IDLE_MARK}{IDLE_NOTE} (they add nothing to the score): "
                     + ", ".join(line(t, 60) for t in self.model.idle))
        self.legend.setText(text)

    def set_labels(self, labels: BugLabels) -> None:
        self.model.set_labels(labels)
        self._fit_header()

    def _fit_header(self) -> None:
        header = self.table.horizontalHeader()
        header.updateGeometry()
        header.setFixedHeight(header.sizeHint().height())
        self._cap_name_column()

    def _cap_name_column(self) -> None:
        """The test names may take at most part of the width: the bugs need the rest."""
        self.table.verticalHeader().setMaximumWidth(max(120, int(self.width() * NAME_COLUMN_SHARE)))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._cap_name_column()
