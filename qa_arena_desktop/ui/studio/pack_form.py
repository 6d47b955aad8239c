"""The "Pack" tab: slug, title, difficulty, signature, time limit, tags, and the description.

Every edit goes straight into the studio's :class:`PackDraft` and emits
``edited(field)``; the studio answers with :meth:`show_errors`, which puts each
field's messages under it (for the fields already edited, or all after
Validate). The description is plain Markdown on the left and the learner's view
of it on the right, rendered by the same code as the problem view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.authoring.draft import PackDraft
from qa_arena_desktop.domain.pack import Difficulty
from qa_arena_desktop.ui.problem_view import description_html, document_css
from qa_arena_desktop.ui.studio.fields import ErrorLabel, errors_for
from qa_arena_desktop.ui.theme import current_theme

PREVIEW_DELAY_MS = 150


class PackForm(QWidget):
    edited = Signal(str)  # the field's key, as in field_errors ("slug", "description"…)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: PackDraft | None = None
        self._loading = False
        self.slug = QLineEdit()
        self.slug.setPlaceholderText("normalize-whitespace")
        self.title = QLineEdit()
        self.difficulty = QComboBox()
        self.difficulty.addItems([d.value for d in Difficulty])
        self.signature = QLineEdit()
        self.signature.setPlaceholderText("def name(arg: type) -> type")
        self.time_limit = QDoubleSpinBox()
        self.time_limit.setRange(0.0, 120.0)
        self.time_limit.setDecimals(1)
        self.time_limit.setSuffix(" s")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("strings, parsing")
        self.errors = {name: ErrorLabel(name) for name in
                       ("slug", "title", "difficulty", "function_signature", "time_limit_s", "tags",
                        "description")}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        for label, widget, field in (("Slug", self.slug, "slug"), ("Title", self.title, "title"),
                                     ("Difficulty", self.difficulty, "difficulty"),
                                     ("Signature", self.signature, "function_signature"),
                                     ("Time limit", self.time_limit, "time_limit_s"),
                                     ("Tags", self.tags, "tags")):
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(self.errors[field])
            form.addRow(label, column)

        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("Markdown: what the function does, examples, errors.")
        self.preview = QTextBrowser()
        self.preview.setOpenExternalLinks(False)
        editor_column = QWidget()
        editor_layout = QVBoxLayout(editor_column)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(_title("DESCRIPTION (MARKDOWN)"))
        editor_layout.addWidget(self.description, 1)
        editor_layout.addWidget(self.errors["description"])
        preview_column = QWidget()
        preview_layout = QVBoxLayout(preview_column)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(_title("WHAT THE LEARNER SEES"))
        preview_layout.addWidget(self.preview, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(editor_column)
        split.addWidget(preview_column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(form)
        layout.addWidget(split, 1)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.render_preview)
        self.slug.textEdited.connect(lambda text: self._set("slug", text))
        self.title.textEdited.connect(lambda text: self._set("title", text))
        self.difficulty.currentTextChanged.connect(lambda text: self._set("difficulty", text))
        self.signature.textEdited.connect(lambda text: self._set("function_signature", text))
        self.time_limit.valueChanged.connect(lambda value: self._set("time_limit_s", value))
        self.tags.textEdited.connect(self._set_tags)
        self.description.textChanged.connect(self._description_changed)

    def load(self, draft: PackDraft) -> None:
        self._loading = True
        try:
            self.draft = draft
            self.slug.setText(draft.slug)
            self.title.setText(draft.title)
            if self.difficulty.findText(draft.difficulty) < 0:
                self.difficulty.addItem(draft.difficulty)  # shown, and flagged as invalid
            self.difficulty.setCurrentText(draft.difficulty)
            self.time_limit.setValue(float(draft.time_limit_s if draft.time_limit_s is not None
                                           else 5.0))
            self.tags.setText(", ".join(draft.tags or []))
            self.signature.setText(draft.function_signature)
            self.description.setPlainText(draft.description_md)
        finally:
            self._loading = False
        self.render_preview()

    def _set(self, name: str, value: object) -> None:
        if self._loading or self.draft is None:
            return
        setattr(self.draft, name, value)
        if name == "title":
            self._preview_timer.start()
        self.edited.emit(name)

    def _set_tags(self, text: str) -> None:
        tags = [t.strip() for t in text.split(",") if t.strip()]
        self._set("tags", tags if tags or (self.draft and self.draft.tags is not None) else None)

    def _description_changed(self) -> None:
        if self._loading or self.draft is None:
            return
        self.draft.description_md = self.description.toPlainText()
        self._preview_timer.start()
        self.edited.emit("description")

    def render_preview(self) -> None:
        if self.draft is None:
            return
        theme = current_theme()
        self.preview.document().setDefaultStyleSheet(document_css(theme))
        title = self.draft.title or "(untitled)"
        self.preview.setHtml(f"<h2>{_escape(title)}</h2>"
                             + description_html(self.draft.description_md, title, theme))

    def widget_for(self, field: str) -> QWidget | None:
        """The input of ``field`` (to jump to it from the list of problems)."""
        return {"slug": self.slug, "title": self.title, "difficulty": self.difficulty,
                "function_signature": self.signature, "time_limit_s": self.time_limit,
                "tags": self.tags, "description": self.description}.get(field)

    def set_signature(self, signature: str) -> None:
        """Fill the signature (from golden) as if typed: into the draft, then ``edited``."""
        self.signature.setText(signature)
        self._set("function_signature", signature)

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        for field, label in self.errors.items():
            label.show_messages(errors_for(errors, field))


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("paneTitle")
    return label


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
