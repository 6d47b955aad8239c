"""The "Mutants" tab: the list, one mutant's fields, and golden against it side by side.

Add (a blank copy of golden to break), duplicate the selected one, delete; the
selected mutant's name, weight, hint and ``equivalent`` flag with their inline
errors; its source in an editor; and the preview: golden on the left, the mutant
on the right, changed lines and characters shaded. A mutant with a problem shows
in red in the list, so nothing hides behind the selection.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.authoring.draft import MutantDraft, PackDraft
from qa_arena_desktop.text_diff import first_changed_line
from qa_arena_desktop.ui.code_editor import CodeEditor
from qa_arena_desktop.ui.studio.diff_view import DiffView
from qa_arena_desktop.ui.studio.fields import ErrorLabel, errors_for
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import tip

FIELDS = ("name", "weight", "hint", "file", "source")


class MutantsPanel(QWidget):
    edited = Signal(str)  # what changed: "mutants" (the list) or "mutants[i].field"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: PackDraft | None = None
        self._loading = False
        self._errors: dict[str, list[str]] = {}
        self.list = QListWidget()
        self.list.setObjectName("mutantList")
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("A new mutant that starts as a copy of golden: then break it")
        self.duplicate_button = QPushButton("Duplicate")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("dangerButton")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("MUTANTS")
        heading.setObjectName("paneTitle")
        left_layout.addWidget(heading)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(buttons)

        self.name = QLineEdit()
        self.weight = QDoubleSpinBox()
        self.weight.setRange(0.0, 1000.0)
        self.weight.setDecimals(2)
        self.weight.setSingleStep(0.5)
        self.hint = QLineEdit()
        self.hint.setPlaceholderText("Shown to a learner whose tests let this bug survive")
        self.equivalent = QCheckBox("Equivalent (behaves like golden: not scored)")
        self.errors = {field: ErrorLabel(field) for field in FIELDS}
        form = QFormLayout()
        form.setVerticalSpacing(4)
        for label, widget, field in (("Name", self.name, "name"), ("Weight", self.weight, "weight"),
                                     ("Hint", self.hint, "hint")):
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(self.errors[field])
            form.addRow(label, column)
        form.addRow("", self.equivalent)
        form.addRow("", self.errors["file"])

        self.diff = DiffView("GOLDEN", "MUTANT")
        self.source = CodeEditor()
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.addTab(self.diff, "Preview against golden")
        self.views.addTab(self.source, "Edit source")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(self.errors["source"])
        right_layout.addWidget(self.views, 1)
        self.details = right
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(split)

        self.list.currentRowChanged.connect(self._show_selected)
        self.add_button.clicked.connect(self.add_from_golden)
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.name.textEdited.connect(self._rename)
        self.weight.valueChanged.connect(lambda v: self._set("weight", float(v)))
        self.hint.textEdited.connect(lambda text: self._set("hint", text))
        self.equivalent.toggled.connect(lambda on: self._set("equivalent", on))
        self.source.textChanged.connect(self._source_changed)

    # ---- list --------------------------------------------------------------------------------

    def load(self, draft: PackDraft, select: int = 0) -> None:
        self.draft = draft
        self._fill_list(select)

    def _fill_list(self, select: int) -> None:
        assert self.draft is not None
        self.list.blockSignals(True)
        self.list.clear()
        for mutant in self.draft.mutants:
            self.list.addItem(QListWidgetItem(mutant.name))
        self.list.blockSignals(False)
        self._paint_items()
        if self.draft.mutants:
            self.list.setCurrentRow(max(0, min(select, len(self.draft.mutants) - 1)))
        self._show_selected(self.list.currentRow())

    def selected(self) -> MutantDraft | None:
        row = self.list.currentRow()
        if self.draft is None or not 0 <= row < len(self.draft.mutants):
            return None
        return self.draft.mutants[row]

    def select_name(self, name: str) -> None:
        if self.draft is not None:
            names = [m.name for m in self.draft.mutants]
            if name in names:
                self.list.setCurrentRow(names.index(name))

    def add_from_golden(self) -> None:
        if self.draft is None:
            return
        self.draft.duplicate_golden("new-mutant")
        self._fill_list(len(self.draft.mutants) - 1)
        self.views.setCurrentWidget(self.source)
        self.name.setFocus()
        self.name.selectAll()
        self.edited.emit("mutants")

    def duplicate_selected(self) -> None:
        mutant = self.selected()
        if self.draft is None or mutant is None:
            return
        copy = self.draft.add_mutant(mutant.name, mutant.source, mutant.hint, mutant.weight)
        copy.equivalent = mutant.equivalent
        self._fill_list(len(self.draft.mutants) - 1)
        self.edited.emit("mutants")

    def delete_selected(self) -> None:
        row = self.list.currentRow()
        if self.draft is None or not 0 <= row < len(self.draft.mutants):
            return
        del self.draft.mutants[row]
        self._fill_list(row)
        self.edited.emit("mutants")

    # ---- one mutant --------------------------------------------------------------------------

    def _show_selected(self, _row: int) -> None:
        mutant = self.selected()
        self.details.setEnabled(mutant is not None)
        self.duplicate_button.setEnabled(mutant is not None)
        self.delete_button.setEnabled(mutant is not None)
        self._loading = True
        try:
            self.name.setText(mutant.name if mutant else "")
            self.weight.setValue(_as_float(mutant.weight) if mutant else 1.0)
            self.hint.setText(mutant.hint if mutant else "")
            self.equivalent.setChecked(bool(mutant and mutant.equivalent))
            if mutant is None:
                self.source.setPlainText("")
            elif self.source.toPlainText() != mutant.source:
                self.source.setPlainText(mutant.source)
        finally:
            self._loading = False
        self.refresh_diff()
        self._show_field_errors()

    def refresh_diff(self) -> None:
        mutant = self.selected()
        golden = self.draft.golden_source if self.draft else ""
        if mutant is None:
            self.diff.set_titles("GOLDEN", "MUTANT")
            self.diff.show_diff(golden, "")
            return
        line = first_changed_line(golden, mutant.source)
        where = f" — first change at line {line}" if line else " — identical to golden"
        self.diff.set_titles("GOLDEN", f"MUTANT {mutant.name.upper()}{where.upper()}")
        self.diff.show_diff(golden, mutant.source)

    def _rename(self, text: str) -> None:
        mutant = self.selected()
        if self._loading or mutant is None:
            return
        mutant.rename(text)
        item = self.list.currentItem()
        if item is not None:
            item.setText(text)
        self.refresh_diff()
        self.edited.emit(self._key("name"))

    def _set(self, name: str, value: object) -> None:
        mutant = self.selected()
        if self._loading or mutant is None:
            return
        setattr(mutant, name, value)
        self.edited.emit(self._key(name))

    def _source_changed(self) -> None:
        mutant = self.selected()
        if self._loading or mutant is None:
            return
        mutant.source = self.source.toPlainText()
        self.refresh_diff()
        self.edited.emit(self._key("source"))

    def _key(self, field: str) -> str:
        return f"mutants[{self.list.currentRow()}].{field}"

    def focus_field(self, row: int, field: str) -> None:
        """Select mutant ``row`` and put the cursor in ``field`` (from the list of problems)."""
        if self.draft is None or not 0 <= row < len(self.draft.mutants):
            return
        self.list.setCurrentRow(row)
        if field == "source":
            self.views.setCurrentWidget(self.source)
            self.source.setFocus()
            return
        widget = {"weight": self.weight, "hint": self.hint}.get(field, self.name)
        widget.setFocus()

    # ---- errors ------------------------------------------------------------------------------

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        self._errors = errors
        self._paint_items()
        self._show_field_errors()

    def _paint_items(self) -> None:
        theme = current_theme()
        for row in range(self.list.count()):
            item = self.list.item(row)
            prefix = f"mutants[{row}]"
            messages = [f"{key.removeprefix(prefix).lstrip('.') or 'mutant'}: {message}"
                        for key, found in self._errors.items()
                        if key == prefix or key.startswith(prefix + ".") for message in found]
            item.setForeground(QColor(theme.verdicts["FAILED"][0] if messages else theme.text))
            item.setToolTip(tip("\n".join(messages)) if messages else "")  # quotes the pack
            mutant = self.draft.mutants[row] if self.draft else None
            if mutant is not None:
                suffix = "  (equivalent)" if mutant.equivalent else ""
                item.setText(f"{mutant.name}{suffix}")

    def _show_field_errors(self) -> None:
        row = self.list.currentRow()
        for field, label in self.errors.items():
            label.show_messages(errors_for(self._errors, f"mutants[{row}].{field}") if row >= 0
                                else [], label=field)


def _as_float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
