"""Golden and a mutant side by side, Python-highlighted, with the changes shaded.

Rows come aligned from :func:`text_diff.side_by_side` (filler rows where
one side has no line). Syntax colours are the editor's pygments highlighter; the
changed lines get a full-width background and the changed characters a stronger
one, as extra selections (so they sit on top of the syntax colours). Colours are
the app's one diff convention (``Theme.diff``, shared with the Hints tab): golden
is the removed side (red-ish), the mutant the added side (green-ish). The two
panes scroll together.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontDatabase, QTextCursor, QTextFormat
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from qa_arena_desktop.text_diff import DiffRow, side_by_side
from qa_arena_desktop.ui.highlighter import PygmentsHighlighter
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import plain


class _Pane(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(10)
        self.setFont(font)
        theme = current_theme()
        self.setStyleSheet(f"QPlainTextEdit {{ background: {theme.editor_background}; "
                           f"color: {theme.text}; border: 1px solid {theme.border}; "
                           "border-radius: 6px; }")
        self.highlighter = PygmentsHighlighter(self.document(), theme.pygments_style)


class DiffView(QWidget):
    """Two read-only panes: golden (left) and the selected mutant (right)."""

    def __init__(self, left_title: str = "Golden", right_title: str = "Mutant",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.left = _Pane(self)
        self.right = _Pane(self)
        self.left_title = plain(QLabel(left_title))  # names from the pack: text, never HTML
        self.right_title = plain(QLabel(right_title))
        for label in (self.left_title, self.right_title):
            label.setObjectName("paneTitle")
        self.rows: list[DiffRow] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, pane in ((self.left_title, self.left), (self.right_title, self.right)):
            column = QVBoxLayout()
            column.setSpacing(4)
            column.addWidget(title)
            column.addWidget(pane, 1)
            layout.addLayout(column, 1)
        self.left.verticalScrollBar().valueChanged.connect(self.right.verticalScrollBar().setValue)
        self.right.verticalScrollBar().valueChanged.connect(self.left.verticalScrollBar().setValue)

    def set_titles(self, left: str, right: str) -> None:
        self.left_title.setText(left)
        self.right_title.setText(right)

    def show_diff(self, before: str, after: str) -> None:
        self.rows = side_by_side(before, after)
        self.left.setPlainText("\n".join(row.left for row in self.rows))
        self.right.setPlainText("\n".join(row.right for row in self.rows))
        self._shade()
        first = next((n for n, row in enumerate(self.rows) if row.kind != "equal"), 0)
        self.left.verticalScrollBar().setValue(max(0, first - 4))

    def changed_rows(self) -> list[int]:
        return [n for n, row in enumerate(self.rows) if row.kind != "equal"]

    def _shade(self) -> None:
        colours = current_theme().diff
        for pane, side in ((self.left, "left"), (self.right, "right")):
            line_colour, char_colour = ((colours.removed_line, colours.removed_chars)
                                        if side == "left" else
                                        (colours.added_line, colours.added_chars))
            selections = []
            for number, row in enumerate(self.rows):
                if row.kind == "equal":
                    continue
                block = pane.document().findBlockByNumber(number)
                present = row.left_no if side == "left" else row.right_no
                whole = QTextEdit.ExtraSelection()
                whole.format.setBackground(QColor(line_colour if present else colours.filler))
                whole.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                whole.cursor = QTextCursor(block)
                selections.append(whole)
                spans = row.left_spans if side == "left" else row.right_spans
                for start, length in spans:
                    if row.kind != "replace":
                        continue  # a whole added or removed line: the line colour says it
                    mark = QTextEdit.ExtraSelection()
                    mark.format.setBackground(QColor(char_colour))
                    cursor = QTextCursor(block)
                    cursor.setPosition(block.position() + start)
                    cursor.setPosition(block.position() + start + length,
                                       QTextCursor.MoveMode.KeepAnchor)
                    mark.cursor = cursor
                    selections.append(mark)
            pane.setExtraSelections(selections)

    def line_backgrounds(self, side: str) -> set[str]:
        """The background colours of the shaded changed lines on one side (for tests)."""
        pane = self.left if side == "left" else self.right
        return {s.format.background().color().name() for s in pane.extraSelections()
                if not s.cursor.hasSelection()}

    def char_marks(self, side: str) -> list[str]:
        """The texts marked as changed characters on one side (for tests)."""
        pane = self.left if side == "left" else self.right
        return [s.cursor.selectedText() for s in pane.extraSelections() if s.cursor.hasSelection()]

