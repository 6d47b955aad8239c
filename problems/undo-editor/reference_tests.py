import pytest

from target import Editor


@pytest.fixture
def editor():
    editor = Editor()
    editor.type("ab")
    editor.type("cd")
    return editor


def test_a_new_edit_discards_the_redo(editor):
    editor.undo()
    editor.type("X")
    assert editor.redo() is False
    assert editor.text == "abX"


def test_deleting_from_empty_is_not_an_edit():
    editor = Editor()
    editor.type("a")
    editor.delete(5)
    editor.delete(1)          # the text is already empty: nothing happens
    assert editor.undo() is True
    assert editor.text == "a"


def test_undo_with_nothing_to_undo_is_false():
    editor = Editor()
    assert editor.undo() is False
    assert editor.text == ""


def test_a_redone_edit_can_be_undone_again(editor):
    editor.undo()
    assert editor.redo() is True
    assert editor.undo() is True
    assert editor.text == "ab"


@pytest.mark.parametrize("count", [0, -1])
def test_count_below_one_is_refused(editor, count):
    with pytest.raises(ValueError):
        editor.delete(count)
    assert editor.text == "abcd"
