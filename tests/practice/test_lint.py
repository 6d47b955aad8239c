"""The live check's findings: syntax errors and undefined names only, in words, no paths."""

from __future__ import annotations

from qa_arena_desktop.practice.lint import MAX_LINT_CHARS, SYNTAX, UNDEFINED, lint_tests

GOOD = ("from target import normalize_whitespace\n\n\n"
        "def test_a():\n    assert normalize_whitespace(' a ') == 'a'\n")


def test_lint_finds_undefined_names_and_syntax_errors_only():
    assert lint_tests(GOOD) == []
    starter_only = "import pytest\nfrom target import normalize_whitespace\n"  # unused: not marked
    assert lint_tests(starter_only) == []
    star = "from target import *\n\ndef test_a():\n    assert normalize_whitespace('') == ''\n"
    assert lint_tests(star) == []
    issues = lint_tests("from target import f\n\ndef test_a():\n    with pytest.raises(ValueErr):\n"
                        "        f(x)\n")
    assert [(i.line, i.column, i.length, i.kind) for i in issues] == [
        (4, 9, 6, UNDEFINED), (4, 23, 8, UNDEFINED), (5, 10, 1, UNDEFINED)]
    assert issues[0].message == "undefined name 'pytest'"
    broken = lint_tests("def test_a(:\n    pass\n")
    assert len(broken) == 1 and broken[0].kind == SYNTAX and broken[0].line == 1
    assert broken[0].message.startswith("syntax error: ")
    for issue in issues + broken:
        assert "/" not in issue.message and ".py" not in issue.message  # no path, no file name


def test_odd_text_never_breaks_the_check():
    assert all(issue.kind == SYNTAX for issue in lint_tests("x = 1\0\n"))  # NUL: no crash
    deep = "x = " + "(" * 5000 + ")" * 5000 + "\n"
    assert all(issue.kind == SYNTAX for issue in lint_tests(deep))  # too nested: no crash
    assert lint_tests("undefined_name\n" * (MAX_LINT_CHARS // 10)) == []  # too big: skipped
    assert lint_tests("undefined_name\n" * 10)[0].kind == UNDEFINED
