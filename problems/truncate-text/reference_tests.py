import pytest

from target import truncate


def test_long_text_is_cut_to_limit():
    result = truncate("hello world", 8)
    assert result == "hello w\u2026"
    assert len(result) == 8


def test_text_that_fits_exactly_is_unchanged():
    assert truncate("hello", 5) == "hello"


def test_short_text_is_unchanged():
    assert truncate("hi", 10) == "hi"


def test_limit_one():
    assert truncate("hello", 1) == "\u2026"


def test_non_ascii_counts_characters_not_bytes():
    assert truncate("café", 4) == "café"


def test_space_before_ellipsis_is_kept():
    assert truncate("a b c", 3) == "a \u2026"


def test_zero_limit_raises():
    with pytest.raises(ValueError):
        truncate("hello", 0)
