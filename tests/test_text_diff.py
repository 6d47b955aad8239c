"""Golden against a mutant: aligned rows, changed characters, lines paired by similarity."""

from qa_arena_desktop.text_diff import (
    changed_pairs,
    changed_range,
    first_changed_line,
    side_by_side,
    unified_diff,
)


def test_a_one_character_change_marks_just_that_character():
    rows = side_by_side("if a < b:\n    x = 1\n", "if a <= b:\n    x = 1\n")
    assert [r.kind for r in rows] == ["replace", "equal"]
    assert rows[0].left_spans == () and rows[0].right_spans == ((6, 1),)  # the "=" added


def test_a_removed_line_next_to_a_changed_one_is_paired_by_similarity():
    golden = 'def f(x):\n    """Doc."""\n    return x + 1\n'
    mutant = "def f(x):\n    return x + 2\n"
    rows = side_by_side(golden, mutant)
    assert [(r.kind, r.left_no, r.right_no) for r in rows] == [
        ("equal", 1, 1), ("delete", 2, None), ("replace", 3, 2)]
    assert rows[2].left_spans == ((15, 1),) and rows[2].right_spans == ((15, 1),)


def test_inserted_lines_get_a_filler_on_the_golden_side():
    rows = side_by_side("a\nc\n", "a\nb\nc\n")
    assert [(r.kind, r.left, r.right) for r in rows] == [
        ("equal", "a", "a"), ("insert", "", "b"), ("equal", "c", "c")]


def test_first_changed_line():
    assert first_changed_line("a\nb\nc\n", "a\nB\nc\n") == 2
    assert first_changed_line("a\n", "a\n") is None


# A mutant that inserts a line just before the line it changes: difflib reports one
# replaced block (1 golden line -> 2 mutant lines). Pairing by offset would call the
# inserted guard the new version of `return x + 1` and the changed return "added".
GOLDEN = "def f(x):\n    return x + 1\n"
INSERTS_THEN_CHANGES = "def f(x):\n    x = abs(x)\n    return x + 2\n"


def test_an_inserted_line_before_a_changed_line_stands_alone():
    assert [(r.kind, r.left_no, r.right_no) for r in changed_pairs(GOLDEN, INSERTS_THEN_CHANGES)] == [
        ("insert", None, 2), ("replace", 2, 3)]


def test_a_deleted_line_after_a_changed_line_stands_alone():
    golden = "a = 1\nb = compute(a)\nprint(b)\nreturn b\n"
    mutant = "a = 1\nb = compute(a + 1)\nreturn b\n"
    assert [(r.kind, r.left_no, r.right_no) for r in changed_pairs(golden, mutant)] == [
        ("replace", 2, 2), ("delete", 3, None)]


def test_unified_diff_ends_every_line_and_is_empty_for_equal_sources():
    diff = unified_diff("a\nb\n", "a\nc", "golden.py", "mutant", context=1)
    assert diff == "--- golden.py\n+++ mutant\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
    assert unified_diff("a\n", "a\n", "x", "y") == ""


def test_changed_range_spans_the_first_to_the_last_change():
    before = ["a\n", "b\n", "c\n", "d\n", "e\n"]
    after = ["a\n", "B\n", "c\n", "D\n", "e\n"]
    assert changed_range(before, after) == (1, 4, 1, 4)
    assert changed_range(before, before) is None
