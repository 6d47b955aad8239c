"""The "Validate" tab: what ``qa-arena problems validate`` says about the pack, as a picture.

A summary row (golden passes?, deterministic?, smallest killing subset against
the difficulty's minimum), the problems in words, and the kill matrix: reference
tests (rows) against mutants (columns), a green ✕ where a test kills a mutant.
Survivors are flagged "possibly equivalent" in their column header and in the
list; the tests of the smallest killing subset are starred. Test ids and messages come
from a run of the reference tests (untrusted): shown through ``ui.untrusted``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.authoring.validation import MIN_KILLING_SUBSET, PackValidation
from qa_arena_desktop.domain.pack import Difficulty
from qa_arena_desktop.ui.kill_matrix_view import COLUMN_STATUS_ROLE, RotatedHeader
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import block, line, plain, tip


class ValidationPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: PackValidation | None = None
        self._order: tuple[str, ...] = ()
        self.run_button = QPushButton("Validate with the judge")
        self.run_button.setObjectName("primaryButton")
        self.state = plain(QLabel("Runs the reference tests against golden and every mutant, "
                                  "twice, in the real judge (the same checks as qa-arena problems "
                                  "validate)."))
        self.state.setObjectName("muted")
        self.state.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.run_button)
        top.addWidget(self.state, 1)
        self.chips = {name: QLabel() for name in ("golden", "deterministic", "subset", "survivors")}
        chips = QHBoxLayout()
        for chip in self.chips.values():
            chip.setObjectName("chip")
            chip.setVisible(False)
            chips.addWidget(chip)
        chips.addStretch(1)
        self.problems = plain(QLabel())
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget()
        self.table.setHorizontalHeader(RotatedHeader(self.table))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # full stops between entries, as in the learner's matrix: "·" is itself a symbol
        self.legend = QLabel("✕ = the reference test fails on that mutant (kills it). "
                             "· = passes. ★ = in the smallest killing subset. ⚠ = survives every "
                             "test: possibly equivalent (tick Equivalent) or a gap (add a test).")
        self.legend.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(chips)
        layout.addWidget(self.problems)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)

    def set_running(self, running: bool, message: str = "") -> None:
        self.run_button.setEnabled(not running)
        if message:
            self.state.setText(block(message))

    def show_error(self, message: str) -> None:
        self.set_running(False, f"Could not validate: {message}")

    def _chip(self, name: str, text: str, good: bool | None) -> None:
        theme = current_theme()
        state = "NOT RUN" if good is None else ("PASSED" if good else "FAILED")
        foreground, background = theme.verdict_colours(state)
        back = background.name() if background is not None else theme.alt_base
        chip = self.chips[name]
        chip.setText(text)
        chip.setStyleSheet(f"QLabel#chip {{ color: {foreground.name()}; background: {back}; "
                           "border-radius: 10px; padding: 3px 10px; font-weight: 600; }")
        chip.setVisible(True)

    def show_result(self, result: PackValidation, difficulty: str, stale: bool = False,
                    order: tuple[str, ...] = ()) -> None:
        """Show a validation; ``order`` lists the mutants in the pack's order (columns)."""
        self.result = result
        self._order = order
        verdict = "valid" if result.ok else "not valid yet"
        note = " (the pack changed since: validate again)" if stale else ""
        self.set_running(False, f"Pack {result.slug}: {verdict}{note}.")
        golden = result.golden_passed
        self._chip("golden", "Golden passes" if golden else (
            "Golden fails" if golden is False else "Golden not run"), golden)
        if result.deterministic is None:
            self.chips["deterministic"].setVisible(False)
        else:
            self._chip("deterministic", "Deterministic" if result.deterministic
                       else "Not deterministic", result.deterministic)
        try:
            needed = MIN_KILLING_SUBSET[Difficulty(difficulty)]
        except ValueError:
            needed = 1
        if result.min_killing_subset is None:
            self.chips["subset"].setVisible(False)
        else:
            size = result.min_killing_subset
            self._chip("subset", f"Smallest killing subset: {size} (needs ≥ {needed})",
                       size >= needed)
        if golden:
            self._chip("survivors", f"{len(result.survivors)} survivor(s): possibly equivalent"
                       if result.survivors else "Every mutant killed", not result.survivors)
        else:
            self.chips["survivors"].setVisible(False)
        self.problems.setText("\n".join(f"• {block(e)}" for e in result.errors))
        self.problems.setVisible(bool(result.errors))
        self._fill_matrix(result)

    def _fill_matrix(self, result: PackValidation) -> None:
        theme = current_theme()
        tests = sorted(result.kill_matrix)
        mutants = self._columns(result)
        self.table.clear()
        self.table.setRowCount(len(tests))
        self.table.setColumnCount(len(mutants))
        survivors = set(result.survivors)
        for column, name in enumerate(mutants):
            label = f"⚠ {name}" if name in survivors else name
            header = QTableWidgetItem(label)
            header.setData(COLUMN_STATUS_ROLE, "SURVIVED" if name in survivors else "KILLED")
            header.setToolTip(f"{name}: survives every reference test (possibly equivalent, or "
                              "the tests miss it)" if name in survivors else f"{name}: killed")
            self.table.setHorizontalHeaderItem(column, header)
        subset = set(result.killing_subset)
        bold = QFont()
        bold.setBold(True)
        for row, test in enumerate(tests):
            header = QTableWidgetItem(f"★ {line(test)}" if test in subset else line(test))
            if test in subset:
                header.setFont(bold)
            self.table.setVerticalHeaderItem(row, header)
            for column, name in enumerate(mutants):
                killed = result.kill_matrix[test].get(name)
                state = "KILLED" if killed else ("SURVIVED" if name in survivors else "NOT RUN")
                foreground, background = theme.verdict_colours(state)
                item = QTableWidgetItem("✕" if killed else "·")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setForeground(foreground)
                if background is not None and killed:
                    item.setBackground(background)
                elif name in survivors and background is not None:
                    faint = QColor(background)
                    faint.setAlpha(110)
                    item.setBackground(faint)
                item.setToolTip(tip(f"{test} {'kills' if killed else 'does not kill'} {name}"))
                self.table.setItem(row, column, item)
        rotated = self.table.horizontalHeader()
        rotated.setFixedHeight(rotated.sizeHint().height())
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def cell_text(self, test: str, mutant: str) -> str:
        """The symbol in one matrix cell (for tests)."""
        if self.result is None:
            return ""
        tests = sorted(self.result.kill_matrix)
        mutants = self._columns(self.result)
        item = self.table.item(tests.index(test), mutants.index(mutant))
        return item.text() if item is not None else ""

    def _columns(self, result: PackValidation) -> list[str]:
        present = {m for row in result.kill_matrix.values() for m in row}
        return [m for m in self._order if m in present] + sorted(present - set(self._order))
