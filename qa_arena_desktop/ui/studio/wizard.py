"""New pack: five answers (slug, title, difficulty, signature, golden) and the pack exists.

The slug follows the title, and an empty signature follows golden's first
function, until the author types one; the same inline checks as the studio run
on every keystroke, each field's errors showing once that field was edited (a
fresh dialog is not all red), and "Create" stays disabled until the five
answers make a loadable start (mutants come later, in the studio).
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.authoring.draft import PackDraft, field_errors, new_pack, signature_from_golden
from qa_arena_desktop.domain.pack import Difficulty
from qa_arena_desktop.ui.code_editor import CodeEditor
from qa_arena_desktop.ui.studio.fields import ErrorLabel, errors_for

ASKED = ("slug", "title", "difficulty", "function_signature", "golden")


def slug_for(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:64]


class NewPackDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New problem pack")
        self.resize(720, 560)
        self._slug_typed = False
        self._signature_typed = False
        self.touched: set[str] = set()  # fields whose errors are shown
        self.title = QLineEdit()
        self.title.setPlaceholderText("Normalize whitespace")
        self.slug = QLineEdit()
        self.slug.setPlaceholderText("normalize-whitespace")
        self.difficulty = QComboBox()
        self.difficulty.addItems([d.value for d in Difficulty])
        self.difficulty.setCurrentText(Difficulty.EASY.value)
        self.signature = QLineEdit()
        self.signature.setPlaceholderText("def normalize_whitespace(text: str) -> str")
        self.golden = CodeEditor()
        self.golden.setPlaceholderText("The correct implementation (leave empty for a stub)")
        self.errors = {field: ErrorLabel(field) for field in ASKED}
        form = QFormLayout()
        for label, widget, field in (("Title", self.title, "title"), ("Slug", self.slug, "slug"),
                                     ("Difficulty", self.difficulty, "difficulty"),
                                     ("Signature", self.signature, "function_signature")):
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(self.errors[field])
            form.addRow(label, column)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton("Create", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("primaryButton")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        heading = QLabel("GOLDEN (THE CORRECT IMPLEMENTATION)")
        heading.setObjectName("paneTitle")
        layout.addWidget(heading)
        layout.addWidget(self.golden, 1)
        layout.addWidget(self.errors["golden"])
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title.textEdited.connect(self._title_edited)
        self.slug.textEdited.connect(self._slug_edited)
        self.difficulty.currentTextChanged.connect(lambda _t: self._touch("difficulty"))
        self.signature.textEdited.connect(self._signature_edited)
        self.golden.textChanged.connect(self._golden_changed)
        self.check()

    def _touch(self, *fields: str) -> None:
        self.touched.update(fields)
        self.check()

    def _signature_edited(self, text: str) -> None:
        self._signature_typed = bool(text.strip())
        self._touch("function_signature")

    def _golden_changed(self) -> None:
        if not self._signature_typed:
            signature = signature_from_golden(self.golden.toPlainText())
            if signature:
                self.signature.setText(signature)  # follows golden until the author types one
        self._touch("golden")

    def _title_edited(self, text: str) -> None:
        if not self._slug_typed:
            self.slug.setText(slug_for(text))
        self._touch("title", *(() if self._slug_typed else ("slug",)))

    def _slug_edited(self, _text: str) -> None:
        self._slug_typed = True
        self._touch("slug")

    def draft(self) -> PackDraft:
        return new_pack(self.slug.text().strip(), self.title.text().strip(),
                        self.difficulty.currentText(), self.signature.text(),
                        self.golden.toPlainText())

    def check(self) -> bool:
        errors = field_errors(self.draft())
        if not self.golden.toPlainText().strip():
            errors.pop("golden", None)  # an empty golden becomes a stub: nothing to report yet
        for field, label in self.errors.items():
            label.show_messages(errors_for(errors, field) if field in self.touched else [])
        ok = not any(errors_for(errors, field) for field in ASKED)
        self.create_button.setEnabled(ok)
        return ok
