"""The "Generate" tab: candidate mutants of golden, each judged against the reference tests.

The list shows every candidate (operator, line, what changed, verdict); the
selected one is shown as golden against candidate, side by side. While the batch
is judged, a progress bar counts "n of N judged" (one step per verdict) and
Cancel stops the run (its containers too); the verdicts known by then are kept. The author
ticks candidates, gives each a name and a hint (a name is suggested), and adds
them to the pack. A survivor is either equivalent to golden or a gap in the
reference tests: the verdict column says which question to ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.authoring.jobs import GenerateResult
from qa_arena_desktop.authoring.mutation import Candidate
from qa_arena_desktop.ui.studio.diff_view import DiffView
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import block, plain, tip

COL_PICK, COL_OPERATOR, COL_LINE, COL_CHANGE, COL_VERDICT = range(5)
VERDICT_TEXT = {"KILLED": "killed", "SURVIVED": "survived", None: "—"}
LIMIT_TEXT = "killed (limit)"
LIMIT_TIP = ("Killed only by the time or memory limit (an endless loop?): validation refuses a "
             "mutant that no test fails on")
VERDICT_TIPS = {"KILLED": "A reference test fails on it: a bug the tests catch",
                "SURVIVED": "Every reference test passes on it: equivalent to golden (skip it) or "
                            "a gap in the reference tests (add a test)",
                None: "Not judged"}


@dataclass(frozen=True)
class Pick:
    candidate: Candidate
    name: str
    hint: str


class CandidatesPanel(QWidget):
    add_requested = Signal(object)  # list[Pick]
    generate_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: GenerateResult | None = None
        self._names: dict[int, str] = {}
        self._hints: dict[int, str] = {}
        self.generate_button = QPushButton("Generate candidates")
        self.generate_button.setObjectName("primaryButton")
        self.state = plain(QLabel("AST mutations of golden (comparisons, arithmetic, booleans, "
                                  "constants, ranges and slices, return values, removed statements "
                                  "and branches, string case, swapped arguments), each checked "
                                  "against the reference tests in the judge."))
        self.state.setObjectName("muted")
        self.state.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m judged")
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        self.progress.setMinimumWidth(220)
        self.count = QLabel()  # "n of N judged" in words: the style may not draw the bar's text
        self.count.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop judging (the verdicts so far are kept)")
        self.cancel_button.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(self.generate_button)
        top.addWidget(self.state, 1)
        top.addWidget(self.count)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Add", "Operator", "Line", "Change", "Verdict"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        for column, width in ((COL_PICK, 40), (COL_OPERATOR, 140), (COL_LINE, 40),
                              (COL_CHANGE, 220)):
            self.tree.setColumnWidth(column, width)
        self.name = QLineEdit()
        self.hint = QLineEdit()
        self.hint.setPlaceholderText("A question that points at the bug, without giving it away")
        self.add_button = QPushButton("Add ticked to the pack")
        self.add_button.setObjectName("primaryButton")
        self.add_button.setEnabled(False)
        form = QFormLayout()
        form.addRow("Mutant name", self.name)
        form.addRow("Hint", self.hint)
        self.diff = DiffView("GOLDEN", "CANDIDATE")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.diff, 1)
        right_layout.addLayout(form)
        right_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setSizes([540, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.generate_button.clicked.connect(self.generate_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.tree.currentItemChanged.connect(self._show_current)
        self.tree.itemChanged.connect(self._update_add_button)
        self.name.textEdited.connect(self._remember_name)
        self.hint.textEdited.connect(self._remember_hint)
        self.add_button.clicked.connect(self._add_ticked)

    def set_running(self, running: bool, message: str = "") -> None:
        self.generate_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        self.count.setVisible(running)
        if running:
            self.progress.setRange(0, 0)  # busy until the count is known
            self.count.setText("")
        if message:
            self.state.setText(block(message))

    def set_progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` candidates judged (the bar reads "n of N judged")."""
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.count.setText(f"{done} of {total} judged")

    def progress_text(self) -> str:
        return self.count.text()

    def show_result(self, result: GenerateResult) -> None:
        self.result = result
        self._names, self._hints = {}, {}
        theme = current_theme()
        verdicts = result.check.verdicts if result.check else (None,) * len(result.candidates)
        limits = (result.check.limit_hit if result.check and result.check.limit_hit
                  else (False,) * len(result.candidates))
        self.tree.blockSignals(True)
        self.tree.clear()
        for index, (candidate, verdict, limit) in enumerate(zip(result.candidates, verdicts, limits,
                                                                strict=True)):
            item = QTreeWidgetItem(["", candidate.operator, str(candidate.line),
                                    candidate.description,
                                    LIMIT_TEXT if limit else VERDICT_TEXT[verdict]])
            item.setData(COL_PICK, Qt.ItemDataRole.UserRole, index)
            item.setCheckState(COL_PICK, Qt.CheckState.Unchecked)
            item.setTextAlignment(COL_LINE, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(COL_CHANGE, tip(candidate.description))  # quotes golden's code
            item.setToolTip(COL_VERDICT, LIMIT_TIP if limit else VERDICT_TIPS[verdict])
            if verdict:
                foreground, background = theme.verdict_colours(verdict)
                item.setForeground(COL_VERDICT, foreground)
                if background is not None:
                    item.setBackground(COL_VERDICT, background)
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        self.set_running(False, self._summary(result, verdicts))
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._update_add_button()

    @staticmethod
    def _summary(result: GenerateResult, verdicts: tuple[str | None, ...]) -> str:
        text = f"{len(result.candidates)} candidates"
        if result.check is not None and result.check.cancelled:
            return (f"{text}: judging was cancelled, {result.check.judged} of "
                    f"{len(result.candidates)} judged (the others show —). Generate again for "
                    "the rest.")
        if result.check is not None and result.check.golden_passed:
            killed, survived = verdicts.count("KILLED"), verdicts.count("SURVIVED")
            text += (f": {killed} killed by the reference tests, {survived} survived (equivalent "
                     "to golden, or a gap in the tests: add a test or skip them)")
        if result.check is not None and result.check.message:
            text += f". {result.check.message}"
        if result.message:
            text += f". {result.message}"
        return text + "."

    def index_of(self, item: QTreeWidgetItem | None) -> int | None:
        return None if item is None else int(item.data(COL_PICK, Qt.ItemDataRole.UserRole))

    def _show_current(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        index = self.index_of(item)
        if self.result is None or index is None:
            return
        candidate = self.result.candidates[index]
        self.diff.set_titles("GOLDEN", f"CANDIDATE {index + 1}: {candidate.operator.upper()} "
                             f"AT LINE {candidate.line}")
        self.diff.show_diff(self.result.golden, candidate.source)
        self.name.setText(self._names.get(index, candidate.suggested_name()))
        self.hint.setText(self._hints.get(index, ""))

    def _remember_name(self, text: str) -> None:
        index = self.index_of(self.tree.currentItem())
        if index is not None:
            self._names[index] = text

    def _remember_hint(self, text: str) -> None:
        index = self.index_of(self.tree.currentItem())
        if index is not None:
            self._hints[index] = text

    def ticked(self) -> list[int]:
        found = []
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item is not None and item.checkState(COL_PICK) == Qt.CheckState.Checked:
                index = self.index_of(item)
                if index is not None:
                    found.append(index)
        return found

    def tick(self, index: int, on: bool = True) -> None:
        item = self.tree.topLevelItem(index)
        if item is not None:
            item.setCheckState(COL_PICK, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update_add_button(self, *_args: object) -> None:
        count = len(self.ticked())
        self.add_button.setEnabled(count > 0)
        self.add_button.setText(f"Add {count} ticked to the pack" if count else "Add ticked to the pack")

    def _add_ticked(self) -> None:
        if self.result is None:
            return
        picks = [Pick(self.result.candidates[i],
                      self._names.get(i, self.result.candidates[i].suggested_name()),
                      self._hints.get(i, "")) for i in self.ticked()]
        if picks:
            self.add_requested.emit(picks)
            for index in self.ticked():
                self.tick(index, False)
