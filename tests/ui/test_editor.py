"""The code editor and its pygments highlighter."""

from __future__ import annotations

from pygments.styles import get_style_by_name
from pygments.token import Keyword, String
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from qa_arena_desktop.ui.code_editor import DEFAULT_POINT_SIZE, INDENT, CodeEditor
from qa_arena_desktop.ui.highlighter import PygmentsHighlighter


def _colour_at(document: QTextDocument, line: int, column: int) -> str | None:
    block = document.findBlockByNumber(line)
    for fmt_range in block.layout().formats():
        if fmt_range.start <= column < fmt_range.start + fmt_range.length:
            return fmt_range.format.foreground().color().name()
    return None


def _style_colour(token) -> str:  # type: ignore[no-untyped-def]
    return "#" + get_style_by_name("default").style_for_token(token)["color"].lower()


def test_highlighter_colours_pygments_tokens_on_a_bare_document(qtbot):
    document = QTextDocument()
    highlighter = PygmentsHighlighter(document, "default")
    document.setPlainText("def test_x():\n    assert f('a') == 'a'\n")
    assert highlighter is not None
    assert _colour_at(document, 0, 0) == _style_colour(Keyword)  # def
    assert _colour_at(document, 1, 4) == _style_colour(Keyword)  # assert
    assert _colour_at(document, 1, 13) == _style_colour(String)  # 'a'


def test_opening_a_triple_quote_rehighlights_the_following_lines(qtbot):
    document = QTextDocument()
    PygmentsHighlighter(document, "default")
    document.setPlainText("x = 1\n\ny = 2\n")
    assert _colour_at(document, 2, 0) != _style_colour(String)
    cursor = QTextCursor(document.findBlockByNumber(0))
    cursor.insertText('"""')
    assert _colour_at(document, 2, 0) == _style_colour(String)  # across an empty line too
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, 3)
    cursor.removeSelectedText()
    assert _colour_at(document, 2, 0) != _style_colour(String)


def test_tab_inserts_four_spaces_and_shift_tab_dedents(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == INDENT
    editor.setPlainText("a\nb")
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    a\n    b"
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.toPlainText() == "a\nb"


def test_enter_keeps_the_indent_and_adds_one_after_a_colon(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor, "def test_x():")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "x = 1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "y")
    assert editor.toPlainText() == "def test_x():\n    x = 1\n    y"


def test_backspace_in_leading_spaces_removes_one_level(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("        ")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == INDENT


def test_zoom_keys_change_the_font_size(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    start = editor.point_size()
    with qtbot.waitSignal(editor.zoom_changed):
        qtbot.keyClick(editor, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert editor.point_size() == start + 1
    qtbot.keyClick(editor, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert editor.point_size() == start - 1
    qtbot.keyClick(editor, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert editor.point_size() == DEFAULT_POINT_SIZE


def test_ctrl_enter_asks_to_submit_without_inserting_a_line(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("x")
    with qtbot.waitSignal(editor.submit_requested, timeout=1000):
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "x"


def test_replacing_the_text_is_one_undo_step(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("mine")
    editor.replace_text_undoably("theirs")
    assert editor.toPlainText() == "theirs"
    editor.undo()
    assert editor.toPlainText() == "mine"


def test_gutter_grows_with_the_line_count_and_marks_a_line(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    narrow = editor.gutter_width()
    editor.setPlainText("\n" * 12000)
    assert editor.gutter_width() > narrow
    editor.mark_line(3)
    assert editor.marked_line() == 3
    assert len(editor.extraSelections()) == 2  # current line + the marked line
