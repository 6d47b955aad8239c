"""Side-by-side rows for the mutant preview: aligned lines, changed characters marked."""

from qa_arena_desktop.authoring.diffing import first_changed_line, side_by_side


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
