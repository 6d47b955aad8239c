"""The editor pane: Submit / Cancel / reset / open-file actions over the code editor,
and the draft autosave that keeps the learner's work per problem.

Autosave is debounced (500 ms after the last keystroke), and flushed on a problem
switch and at quit, so a crash loses at most half a second of typing. Drafts are
files (:mod:`practice.drafts`); the GUI thread only writes a few KiB at a time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.practice.drafts import DraftStore
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.code_editor import CodeEditor

AUTOSAVE_DELAY_MS = 500


class DraftAutosave(QObject):
    """Saves the editor's text as the current problem's draft, debounced."""

    saved = Signal(str)  # slug

    def __init__(self, editor: CodeEditor, store: DraftStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._store = store
        self._slug = ""
        self._loading = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_DELAY_MS)
        self.timer.timeout.connect(self._save)
        editor.textChanged.connect(self._on_text_changed)

    @property
    def slug(self) -> str:
        return self._slug

    def begin_problem(self, slug: str, starter: str) -> str:
        """Save the old problem's draft, switch, and put the new draft (or starter) in the editor."""
        self.flush()
        self._slug = slug
        text = self._store.load(slug)
        self._loading = True
        try:
            self._editor.setPlainText(text if text is not None else starter)
        finally:
            self._loading = False
        return text if text is not None else starter

    def _on_text_changed(self) -> None:
        if self._slug and not self._loading:
            self.timer.start()

    def flush(self) -> None:
        """Save now if a save is pending (problem switch, quit, before a submit)."""
        if self.timer.isActive():
            self.timer.stop()
            self._save()

    def _save(self) -> None:
        if self._slug and self._store.save(self._slug, self._editor.toPlainText()):
            self.saved.emit(self._slug)


class EditorPane(QWidget):
    submit_requested = Signal()
    cancel_requested = Signal()
    reset_requested = Signal()

    def __init__(self, store: DraftStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = CodeEditor(self)
        self.autosave = DraftAutosave(self.editor, store, self)
        self.submit_button = QPushButton(icons.icon("submit", "#ffffff"), "Submit", self)
        self.submit_button.setObjectName("primaryButton")
        self.submit_button.setToolTip("Judge your tests against the hidden bugs (Ctrl+Enter)")
        self.submit_button.clicked.connect(self.submit_requested)
        self.cancel_button = QPushButton(icons.icon("cancel", "#cf222e"), "Cancel", self)
        self.cancel_button.setObjectName("dangerButton")
        self.cancel_button.setToolTip("Stop the run and remove its container")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.setEnabled(False)
        self.reset_button = QToolButton(self)
        self.reset_button.setIcon(icons.icon("reset"))
        self.reset_button.setToolTip("Replace the editor's text with the starter file (Ctrl+Z undoes it)")
        self.reset_button.clicked.connect(self.reset_requested)
        self.open_button = QToolButton(self)
        self.open_button.setIcon(icons.icon("open"))
        self.open_button.setToolTip("Load a test file from disk into the editor")
        self.open_button.clicked.connect(self.open_file)
        self.saved_label = QLabel("", self)
        self.saved_label.setObjectName("muted")
        self.autosave.saved.connect(lambda _slug: self.saved_label.setText("Draft saved"))
        self.editor.textChanged.connect(lambda: self.saved_label.setText(""))

        title = QLabel("YOUR TESTS", self)
        title.setObjectName("paneTitle")
        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(title)
        bar.addSpacing(8)
        bar.addWidget(self.saved_label)
        bar.addStretch(1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.reset_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.editor, 1)

    def set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        self.submit_button.setText("Resubmit" if running else "Submit")

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a test file", str(Path.home()),
                                              "Python files (*.py);;All files (*)")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        self.editor.replace_text_undoably(path.read_text(encoding="utf-8", errors="replace"))
