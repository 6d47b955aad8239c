"""Catches some hidden bugs of normalize-whitespace, and takes its time (a run to cancel)."""

import time

from target import normalize_whitespace


def test_collapses_inner_spaces():
    assert normalize_whitespace("a   b") == "a b"


def test_strips_leading_spaces():
    time.sleep(0.8)
    assert normalize_whitespace("   hello") == "hello"


def test_plain_words_are_unchanged():
    assert normalize_whitespace("hello world") == "hello world"
