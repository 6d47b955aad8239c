from target import is_balanced


def test_nested_mixed_brackets():
    assert is_balanced("([]{})") is True


def test_other_characters_ignored():
    assert is_balanced("f(a[i]) { x }") is True


def test_wrong_kind_of_closer():
    assert is_balanced("(]") is False


def test_left_open_at_end():
    assert is_balanced("((") is False


def test_closer_with_nothing_open():
    assert is_balanced(")(") is False


def test_curly_braces_count():
    assert is_balanced("{") is False


def test_open_after_balanced_prefix():
    assert is_balanced("()(") is False


def test_empty_text_is_balanced():
    assert is_balanced("") is True
