"""The editor marks syntax errors and undefined names while the learner types (pyflakes)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QToolTip

from qa_arena_desktop.practice.lint import SYNTAX
from tests.ui.conftest import PROBLEM

GOOD = ("from target import normalize_whitespace\n\n\n"
        "def test_a():\n    assert normalize_whitespace(' a ') == 'a'\n")


def _underlined(editor) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [(s.cursor.blockNumber() + 1, s.cursor.selectedText()) for s in editor.extraSelections()
            if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline]


def test_typing_an_undefined_name_is_marked_before_any_run(make_window, qtbot):
    window = make_window()
    window.show()
    window.select_problem(PROBLEM)
    editor = window.editor
    with qtbot.waitSignal(window.linter.checked, timeout=5000):
        editor.replace_text_undoably(GOOD)
    assert editor.lint_issues() == []
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.setFocus()
    with qtbot.waitSignal(window.linter.checked, timeout=5000):
        qtbot.keyClicks(editor, "def test_b():")
        qtbot.keyClick(editor, Qt.Key.Key_Return)  # the editor indents the body
        qtbot.keyClicks(editor, "assert normalize_whitespace(x) == expected")
    assert [(i.line, i.message) for i in editor.lint_issues()] == [
        (7, "undefined name 'x'"), (7, "undefined name 'expected'")]
    assert _underlined(editor) == [(7, "x"), (7, "expected")]
    assert window.runs.is_running() is False and window.shown_result is None  # nothing was judged
    # the message shows as a tooltip over the name
    column = editor.document().findBlockByNumber(6).text().index("expected") + 2
    point = editor.cursorRect(_cursor_at(editor, 7, column)).center()
    hover = QHelpEvent(QEvent.Type.ToolTip, point, editor.viewport().mapToGlobal(point))
    QApplication.sendEvent(editor.viewport(), hover)  # the mouse rests on the name
    assert QToolTip.isVisible() and QToolTip.text() == "undefined name 'expected'"
    # fixing it clears the mark
    with qtbot.waitSignal(window.linter.checked, timeout=5000):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # back to the module level
        qtbot.keyClicks(editor, "x = expected = 1")
    assert editor.lint_issues() == [] and _underlined(editor) == []


def _cursor_at(editor, line: int, column: int):  # type: ignore[no-untyped-def]
    cursor = editor.textCursor()
    cursor.setPosition(editor.document().findBlockByNumber(line - 1).position() + column)
    return cursor


def test_a_syntax_error_is_marked_in_the_gutter_and_the_line(make_window, qtbot):
    window = make_window()
    window.select_problem(PROBLEM)
    with qtbot.waitSignal(window.linter.checked, timeout=5000):
        window.editor.replace_text_undoably("def test_a(:\n    pass\n")
    issues = window.editor.lint_issues()
    assert len(issues) == 1 and issues[0].kind == SYNTAX and issues[0].line == 1
    assert window.editor.lint_at(1, None) == issues
    assert _underlined(window.editor)[0][0] == 1


def test_a_stale_check_never_marks_newer_text(make_window, qtbot):
    window = make_window()
    window.select_problem(PROBLEM)
    editor = window.editor
    linter = window.linter
    editor.replace_text_undoably("def test_a():\n    assert undefined_one\n")
    linter.timer.stop()
    linter._start()  # a check of this text is under way ...
    editor.replace_text_undoably(GOOD)  # ... when the text changes
    with qtbot.waitSignal(linter.checked, timeout=5000):
        pass
    assert editor.lint_issues() == []  # the old text's finding was dropped
    assert editor.toPlainText() == GOOD


def test_the_gutter_tooltip_names_the_problem(make_window, qtbot):
    window = make_window()
    window.show()
    window.select_problem(PROBLEM)
    with qtbot.waitSignal(window.linter.checked, timeout=5000):
        window.editor.replace_text_undoably("def test_a():\n    assert nope\n")
    assert window.editor.show_lint_tip(QPoint(0, 0), 2, None)
    assert QToolTip.text() == "undefined name 'nope'"
    assert not window.editor.show_lint_tip(QPoint(0, 0), 1, None)
