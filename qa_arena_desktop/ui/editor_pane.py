"""The editor pane: Submit / Cancel / reset / open and save actions over the code editor,
and the draft autosave that keeps the learner's work per problem.

Autosave is debounced (500 ms after the last keystroke), and flushed on a problem
switch and at quit, so a crash loses at most half a second of typing. Drafts are
files (:mod:`practice.drafts`); the GUI thread only writes a few KiB at a time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.practice.drafts import DraftStore
from qa_arena_desktop.practice.tests_io import TestFileError, open_test_file, save_test_file
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
        self.open_button.setToolTip("Open tests: load a .py file into the editor (Ctrl+O; "
                                    "Ctrl+Z brings your draft back)")
        self.open_button.clicked.connect(self.open_file)
        self.error_box: QMessageBox | None = None  # the last open/save error shown
        self._folder = str(Path.home())
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
        """File › Open tests…: choose a .py file and load it into the editor."""
        path, _ = QFileDialog.getOpenFileName(self, "Open tests", self._folder,
                                              "Python files (*.py);;All files (*)")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Put the file's text in the editor as one undo step (Ctrl+Z brings the draft
        back). A file that is not UTF-8 text, or too big for the judge, is refused with
        a message and the editor keeps what it had."""
        try:
            text = open_test_file(path)
        except TestFileError as exc:
            self._show_error("Cannot open the test file", str(exc))
            return False
        self._folder = str(path.parent)
        self.editor.replace_text_undoably(text)
        self.saved_label.setText(f"Opened {path.name} (Ctrl+Z: your draft)")
        return True

    def save_file_as(self, suggested_name: str = "test_mine.py") -> None:
        """File › Save tests as…: write the editor's text to a file of the learner's choice."""
        path, _ = QFileDialog.getSaveFileName(self, "Save tests as",
                                              str(Path(self._folder) / suggested_name),
                                              "Python files (*.py);;All files (*)")
        if path:
            self.save_file(Path(path))

    def save_file(self, path: Path) -> bool:
        try:
            save_test_file(path, self.editor.toPlainText())
        except TestFileError as exc:
            self._show_error("Cannot save the tests", str(exc))
            return False
        self._folder = str(path.parent)
        self.saved_label.setText(f"Saved as {path.name}")
        return True

    def _show_error(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file name is the user's text, not HTML
        box.open()  # not exec(): the window keeps running (and tests can read it)
        self.error_box = box
