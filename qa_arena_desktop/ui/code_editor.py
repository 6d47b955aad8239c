"""The test editor: a ``QPlainTextEdit`` with a line-number gutter and Python editing habits.

Line numbers, current-line highlight, auto-indent (one level more after a ``:``),
Tab inserts four spaces (indents a selection; Shift+Tab dedents), Backspace in
leading spaces removes one indent level, zoom with Ctrl+= / Ctrl+- / Ctrl+0 (and
Ctrl+wheel), and Ctrl+Enter asks to submit. Highlighting is pygments
(:mod:`highlighter`). Lines can be marked (e.g. the syntax error the judge found),
and :meth:`CodeEditor.set_lint_issues` underlines what pyflakes found while typing
(a wavy line under the name, a dot in the gutter, the message as a tooltip).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from qa_arena_desktop.practice.lint import LintIssue
from qa_arena_desktop.ui.highlighter import PygmentsHighlighter
from qa_arena_desktop.ui.theme import Theme, current_theme

INDENT = "    "
MIN_POINT_SIZE = 7
MAX_POINT_SIZE = 36
DEFAULT_POINT_SIZE = 11


class _LineNumberGutter(QWidget):
    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self._editor.paint_gutter(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            line = self._editor.cursorForPosition(QPoint(0, event.pos().y())).blockNumber() + 1
            self._editor.show_lint_tip(event.globalPos(), line, None)
            return True
        return super().event(event)


class CodeEditor(QPlainTextEdit):
    submit_requested = Signal()
    zoom_changed = Signal(int)  # point size

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeEditor")
        self._gutter = _LineNumberGutter(self)
        self._marked_line = 0
        self._lint: list[LintIssue] = []
        self._theme: Theme = current_theme()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(DEFAULT_POINT_SIZE)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(False)
        self.setCenterOnScroll(False)
        self.highlighter = PygmentsHighlighter(self.document(), self._theme.pygments_style)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self.cursorPositionChanged.connect(self._update_extra_selections)
        self._update_gutter_width()
        self.apply_theme(self._theme)

    # ---- appearance -------------------------------------------------------------------------

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.highlighter.set_style(theme.pygments_style)
        self.setStyleSheet(
            f"QPlainTextEdit#codeEditor {{ background: {theme.editor_background}; "
            f"color: {theme.text}; selection-background-color: {theme.highlight}; "
            f"selection-color: {theme.text}; border: none; }}"
        )
        self._update_extra_selections()
        self._gutter.update()

    def current_theme(self) -> Theme:
        return self._theme

    def point_size(self) -> int:
        return self.font().pointSize()

    def set_point_size(self, size: int) -> None:
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size))
        if size == self.point_size():
            return
        font = self.font()
        font.setPointSize(size)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self._update_gutter_width()
        self.zoom_changed.emit(size)

    def zoom(self, steps: int) -> None:
        self.set_point_size(self.point_size() + steps)

    # ---- gutter ----------------------------------------------------------------------------

    def gutter_width(self) -> int:
        digits = max(3, len(str(max(1, self.blockCount()))))
        return 14 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_gutter_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        contents = self.contentsRect()
        self._gutter.setGeometry(QRect(contents.left(), contents.top(), self.gutter_width(),
                                       contents.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        painter.fillRect(event.rect(), QColor(self._theme.editor_background))
        painter.setFont(self.font())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        current = self.textCursor().blockNumber()
        width = self._gutter.width() - 8
        height = self.fontMetrics().height()
        lint_lines = {issue.line for issue in self._lint}
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                number = block.blockNumber()
                colour = self._theme.text if number == current else self._theme.gutter_text
                if number + 1 == self._marked_line or number + 1 in lint_lines:
                    colour = self._theme.verdicts["FAILED"][0]
                if number + 1 in lint_lines:  # a dot left of the number: pyflakes found something
                    painter.setBrush(QColor(colour))
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.drawEllipse(3, top + height // 2 - 3, 6, 6)
                painter.setPen(QColor(colour))
                painter.drawText(0, top, width, height, Qt.AlignmentFlag.AlignRight,
                                 str(number + 1))
            block = block.next()
            top = bottom
        painter.end()

    # ---- line highlights ---------------------------------------------------------------------

    def mark_line(self, line: int) -> None:
        """Highlight a 1-based line (0 clears), e.g. where the judge found a syntax error."""
        self._marked_line = line
        self._update_extra_selections()
        self._gutter.update()

    def marked_line(self) -> int:
        return self._marked_line

    def set_lint_issues(self, issues: list[LintIssue]) -> None:
        """Underline what the live check found (replaces the previous findings)."""
        self._lint = list(issues)
        self._update_extra_selections()
        self._gutter.update()

    def lint_issues(self) -> list[LintIssue]:
        return list(self._lint)

    def lint_at(self, line: int, column: int | None) -> list[LintIssue]:
        """The findings on ``line`` (1-based) covering ``column`` (None: the whole line)."""
        return [issue for issue in self._lint if issue.line == line and (
            column is None or issue.column <= column < issue.column + max(1, issue.length))]

    def show_lint_tip(self, where: QPoint, line: int, column: int | None) -> bool:
        found = self.lint_at(line, column)
        if not found:
            QToolTip.hideText()
            return False
        QToolTip.showText(where, "\n".join(issue.message for issue in found), self)
        return True

    def _lint_selections(self) -> list[QTextEdit.ExtraSelection]:
        selections = []
        colour = QColor(self._theme.verdicts["FAILED"][0])
        for issue in self._lint:
            block = self.document().findBlockByNumber(issue.line - 1)
            if not block.isValid():
                continue
            start = min(issue.column, max(0, block.length() - 1))
            end = min(start + max(1, issue.length), max(start, block.length() - 1))
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + start)
            cursor.setPosition(block.position() + max(end, start), QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            text_format = QTextCharFormat()
            text_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            text_format.setUnderlineColor(colour)
            text_format.setToolTip(issue.message)
            selection.format = text_format
            selection.cursor = cursor
            selections.append(selection)
        return selections

    def go_to_line(self, line: int) -> None:
        block = self.document().findBlockByNumber(max(0, line - 1))
        if block.isValid():
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            self.setTextCursor(cursor)
            self.centerCursor()
            self.setFocus()

    def _update_extra_selections(self) -> None:
        selections = []
        current = QTextEdit.ExtraSelection()
        current.format.setBackground(QColor(self._theme.current_line))
        current.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        current.cursor = self.textCursor()
        current.cursor.clearSelection()
        selections.append(current)
        if self._marked_line:
            block = self.document().findBlockByNumber(self._marked_line - 1)
            if block.isValid():
                marked = QTextEdit.ExtraSelection()
                marked.format.setBackground(QColor(self._theme.error_line))
                marked.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                marked.cursor = QTextCursor(block)
                selections.append(marked)
        selections.extend(self._lint_selections())
        self.setExtraSelections(selections)

    # ---- text --------------------------------------------------------------------------------

    def replace_text_undoably(self, text: str) -> None:
        """Replace everything in one undo step (so Ctrl+Z brings the previous text back)."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.setTextCursor(cursor)

    # ---- keys --------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Claim Ctrl+Enter and Tab before window shortcuts and focus chains see them.
        if not isinstance(event, QKeyEvent):
            return super().event(event)
        if event.type() == QEvent.Type.ShortcutOverride and (
            self._is_submit_key(event) or self._is_zoom_key(event)
        ):
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab,
                                                                    Qt.Key.Key_Backtab):
            self.keyPressEvent(event)
            return True
        return super().event(event)

    @staticmethod
    def _is_submit_key(event: QKeyEvent) -> bool:
        return (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))

    @staticmethod
    def _is_zoom_key(event: QKeyEvent) -> bool:
        return (bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
                and event.key() in (Qt.Key.Key_Equal, Qt.Key.Key_Plus, Qt.Key.Key_Minus,
                                    Qt.Key.Key_0))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if self._is_submit_key(event):
            self.submit_requested.emit()
            return
        if self._is_zoom_key(event):
            if key == Qt.Key.Key_0:
                self.set_point_size(DEFAULT_POINT_SIZE)
            else:
                self.zoom(-1 if key == Qt.Key.Key_Minus else 1)
            return
        if key == Qt.Key.Key_Backtab or (
            key == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self._dedent_selection()
            return
        if key == Qt.Key.Key_Tab:
            if self.textCursor().hasSelection() and "\u2029" in self.textCursor().selectedText():
                self._indent_selection()
            else:
                self.textCursor().insertText(INDENT)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
        ):
            self._newline_with_indent()
            return
        if key == Qt.Key.Key_Backspace and self._backspace_indent():
            return
        super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cursor = self.cursorForPosition(event.pos())
            if self.show_lint_tip(event.globalPos(), cursor.blockNumber() + 1,
                                  cursor.positionInBlock()):
                return True
        return super().viewportEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1 if event.angleDelta().y() > 0 else -1)
            return
        super().wheelEvent(event)

    def _newline_with_indent(self) -> None:
        cursor = self.textCursor()
        line = cursor.block().text()
        before = line[: cursor.positionInBlock()]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        indent = indent[: len(before)] if len(before) < len(indent) else indent
        if before.rstrip().endswith(":"):
            indent += INDENT
        cursor.beginEditBlock()
        cursor.insertText("\n" + indent)
        cursor.endEditBlock()
        self.ensureCursorVisible()

    def _backspace_indent(self) -> bool:
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        before = cursor.block().text()[: cursor.positionInBlock()]
        if not before or before.strip(" "):
            return False  # only inside the leading spaces does Backspace remove a whole level
        remove = len(before) % len(INDENT) or len(INDENT)
        for _ in range(remove):
            cursor.deletePreviousChar()
        return True

    def _selected_blocks(self) -> tuple[QTextCursor, int, int]:
        cursor = self.textCursor()
        document = self.document()
        first = document.findBlock(cursor.selectionStart()).blockNumber()
        last_position = cursor.selectionEnd()
        last_block = document.findBlock(last_position)
        if last_position == last_block.position() and last_block.blockNumber() > first:
            last_block = last_block.previous()  # a selection ending at a line start excludes it
        return cursor, first, last_block.blockNumber()

    def _indent_selection(self) -> None:
        cursor, first, last = self._selected_blocks()
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            line = QTextCursor(self.document().findBlockByNumber(number))
            line.insertText(INDENT)
        cursor.endEditBlock()

    def _dedent_selection(self) -> None:
        cursor, first, last = self._selected_blocks()
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            block = self.document().findBlockByNumber(number)
            text = block.text()
            remove = min(len(INDENT), len(text) - len(text.lstrip(" ")))
            if remove:
                line = QTextCursor(block)
                line.movePosition(QTextCursor.MoveOperation.Right,
                                  QTextCursor.MoveMode.KeepAnchor, remove)
                line.removeSelectedText()
        cursor.endEditBlock()
