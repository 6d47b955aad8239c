"""Expects the wrong thing: fails on the correct code."""

from target import normalize_whitespace


def test_collapses_inner_spaces():
    assert normalize_whitespace("a   b") == "a b"


def test_keeps_a_trailing_space():
    # Wrong: the spec says whitespace at the end is removed.
    assert normalize_whitespace("a b ") == "a b "
