"""Catches some hidden bugs of normalize-whitespace, not all."""

from target import normalize_whitespace


def test_collapses_inner_spaces():
    assert normalize_whitespace("a   b") == "a b"


def test_strips_leading_spaces():
    assert normalize_whitespace("   hello") == "hello"


def test_tabs_count_as_whitespace():
    assert normalize_whitespace("one\ttwo") == "one two"


def test_plain_words_are_unchanged():
    assert normalize_whitespace("hello world") == "hello world"
