"""History: this problem's submissions (time, status, score, kills), and reopening one.

"Open in editor" puts a past submission's code back in the editor as one undoable
edit (the draft it replaces stays one Ctrl+Z away, and is autosaved anyway);
"Show results" puts its stored verdicts back in the results and matrix tabs. A
flagged submission says so in its row ("Flagged"); its tooltip gives each flag's
meaning (see ``judging/flags.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.catalog.store import SubmissionSummary
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.judging.bug_labels import BugLabels, judge_message
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.results_panel import FLAGS_TITLE, flag_entries
from qa_arena_desktop.ui.row_table import Index, RowsModel, rows_table
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import tip

HEADERS = ("When", "Status", "Score", "Bugs caught", "Review")
REVIEW_COLUMN = 4
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_STATUS_STATE = {SubmissionStatus.SUCCESS: "KILLED", SubmissionStatus.FAILURE: "SURVIVED",
                 SubmissionStatus.ERROR: "ERROR", SubmissionStatus.RUNNING: "RUNNING",
                 SubmissionStatus.PENDING: "QUEUED", SubmissionStatus.CANCELLED: "NOT RUN"}


def local_time(moment: datetime) -> str:
    """Stored times are naive UTC; show them in the user's time zone."""
    return moment.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


class HistoryModel(RowsModel):
    headers = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._flags: dict[str, tuple[str, ...]] = {}
        self._labels = BugLabels()

    def set_submissions(self, submissions: list[SubmissionSummary],
                        flags: Mapping[str, tuple[str, ...]] | None = None,
                        labels: BugLabels | None = None) -> None:
        """``flags``: each flagged submission's flags, by submission id; ``labels``: the
        problem's bugs as the learner knows them (a judge fault names its mutant so)."""
        self._flags = {key: tuple(value) for key, value in (flags or {}).items() if value}
        self._labels = labels or BugLabels()
        self.set_rows(submissions)

    def flags_of(self, submission_id: str) -> tuple[str, ...]:
        return self._flags.get(submission_id, ())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item: SubmissionSummary | None = self.row_at(index)
        if item is None:
            return None
        column = index.column()
        flags = self.flags_of(item.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                local_time(item.created_at),
                item.status.value.title(),
                "—" if item.score is None or not item.status.is_judged else f"{item.score:g}",
                f"{item.killed_mutants} / {item.total_mutants}" if item.status.is_judged
                else "—",
                "Flagged" if flags else "",
            )[column]
        if role == ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(judge_message(item.message, self._labels), flags)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return current_theme().verdict_colours(_STATUS_STATE[item.status])[0]
        if role == Qt.ItemDataRole.ForegroundRole and column == REVIEW_COLUMN and flags:
            return current_theme().verdict_colours("TIMEOUT")[0]  # amber: a look, not an alarm
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _tooltip(message: str, flags: tuple[str, ...]) -> str | None:
        """The run's message and flags (both the judge's: untrusted), as a tooltip."""
        parts = [message] if message else []
        if flags:
            parts.append(f"{FLAGS_TITLE}:\n" + "\n".join(f"• {entry}" for entry in flag_entries(flags)))
        return tip("\n\n".join(parts)) if parts else None


class HistoryPanel(QWidget):
    open_code_requested = Signal(str)  # submission id
    show_result_requested = Signal(str)  # submission id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HistoryModel(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("muted")
        self.table = rows_table(self.model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.doubleClicked.connect(lambda index: self._emit(self.open_code_requested, index))
        self.open_button = QPushButton(icons.icon("open"), "Open in editor", self)
        self.open_button.clicked.connect(lambda: self._emit(self.open_code_requested))
        self.show_button = QPushButton(icons.icon("results"), "Show results", self)
        self.show_button.clicked.connect(lambda: self._emit(self.show_result_requested))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.show_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.set_submissions([])

    def set_submissions(self, submissions: list[SubmissionSummary],
                        flags: Mapping[str, tuple[str, ...]] | None = None,
                        labels: BugLabels | None = None) -> None:
        """Show ``submissions``; ``flags`` holds each flagged one's flags, by id."""
        self.model.set_submissions(submissions, flags, labels)
        if submissions:
            best = max((s.score for s in submissions if s.score is not None), default=None)
            best_text = f", best score {best:g}" if best is not None else ""
            self.summary.setText(f"{len(submissions)} submission"
                                 f"{'s' if len(submissions) != 1 else ''}{best_text}. "
                                 "Double-click one to reopen its code.")
        else:
            self.summary.setText("No submissions for this problem yet.")
        self._update_buttons()

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def selected_id(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(ID_ROLE)) if rows else ""

    def _update_buttons(self) -> None:
        has = bool(self.selected_id())
        self.open_button.setEnabled(has)
        self.show_button.setEnabled(has)

    def _emit(self, signal: Any, index: QModelIndex | None = None) -> None:
        submission_id = str(index.data(ID_ROLE)) if index is not None else self.selected_id()
        if submission_id:
            signal.emit(submission_id)
