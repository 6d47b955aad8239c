"""Help › Keyboard shortcuts and Help › How scoring and hints work.

Both are Markdown shown by the same renderer as problem descriptions
(:mod:`markdown_view`). The scoring page is ``docs/scoring-and-hints.md`` itself, so
the app and the docs cannot drift; the shortcuts are :data:`SHORTCUTS`, which
docs/gui.md's keyboard table repeats (a test holds the two together, and checks
that every menu shortcut is listed).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from qa_arena_desktop import paths
from qa_arena_desktop.ui.markdown_view import MarkdownBrowser
from qa_arena_desktop.ui.theme import current_theme

SCORING_PAGE = "scoring-and-hints.md"

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+Enter", "Submit (from anywhere in the window)"),
    ("Ctrl+.", "Cancel the run"),
    ("Ctrl+F", "Search problems; Down or Enter moves into the list"),
    ("Escape", "In the search field: clear the search"),
    ("Up / Down, Enter", "Walk the problem list; Enter jumps to the editor"),
    ("Tab / Shift+Tab", "Indent / dedent (four spaces; a selection indents every line)"),
    ("Enter", "New line with the same indent, one level more after a `:`"),
    ("Backspace in leading spaces", "Removes one indent level"),
    ("Ctrl+= / Ctrl+- / Ctrl+0, Ctrl+wheel", "Editor zoom in / out / reset (remembered)"),
    ("Ctrl+O", "Open tests: load a `.py` file into the editor"),
    ("Ctrl+Shift+S", "Save tests as: write the editor's tests to a file"),
    ("Ctrl+Z", "Undo (also undoes Open tests, Open in editor and Starter)"),
    ("Ctrl+Shift+A", "Author studio"),
    ("F1", "Keyboard shortcuts (this page)"),
    ("Ctrl+Q", "Quit"),
)


def shortcuts_markdown() -> str:
    rows = "\n".join(f"| {keys} | {action} |" for keys, action in SHORTCUTS)
    return ("# Keyboard shortcuts\n\n| Keys | Action |\n| --- | --- |\n" + rows + "\n\n"
            "Marks in the editor: a wavy red line and a red dot in the margin show a syntax "
            "error or a name that is not defined, found while you type; hover for the message.\n")


def scoring_markdown() -> str:
    try:
        return (paths.docs_dir() / SCORING_PAGE).read_text(encoding="utf-8")
    except OSError:
        return ("# How scoring and hints work\n\nThis page is missing from the installation: "
                "see docs/scoring-and-hints.md in QA Arena's source.\n")


class HelpDialog(QDialog):
    """A Help page: rendered Markdown and a Close button (one dialog per page, reused)."""

    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 620)
        self._markdown = markdown
        self.browser = MarkdownBrowser(self)
        self.browser.setObjectName("helpPage")
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.browser, 1)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Render again (after a theme switch: colours are baked into the HTML)."""
        self.browser.set_markdown(self._markdown, current_theme())
