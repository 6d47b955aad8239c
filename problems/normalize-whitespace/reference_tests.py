from target import normalize_whitespace


def test_collapses_inner_spaces():
    assert normalize_whitespace("a  b") == "a b"


def test_strips_leading_whitespace():
    assert normalize_whitespace("   a b") == "a b"


def test_strips_trailing_whitespace():
    assert normalize_whitespace("a b   ") == "a b"


def test_tabs_and_newlines_are_whitespace():
    assert normalize_whitespace("one\ttwo\nthree") == "one two three"


def test_unicode_spaces_are_whitespace():
    assert normalize_whitespace("a\u00a0\u00a0b\u3000c") == "a b c"


def test_whitespace_only_gives_empty_string():
    assert normalize_whitespace(" \t\n ") == ""
    assert normalize_whitespace("") == ""


def test_other_characters_are_untouched():
    assert normalize_whitespace("x-y_z.!") == "x-y_z.!"
