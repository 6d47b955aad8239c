import pytest

from target import glob_match


def test_star_suffix():
    assert glob_match("*.txt", "notes.txt") is True


def test_whole_text_must_match():
    assert glob_match("*.txt", "notes.txt.bak") is False
    assert glob_match("ab", "abc") is False


def test_star_matches_empty_sequence():
    assert glob_match("a*", "a") is True
    assert glob_match("*", "") is True


def test_question_mark_matches_one_character():
    assert glob_match("?at", "cat") is True
    assert glob_match("?at", "at") is False


def test_range_includes_both_ends():
    assert glob_match("[a-c]x", "cx") is True
    assert glob_match("[a-c]x", "ax") is True


def test_negated_class():
    assert glob_match("[!a-c]x", "cx") is False
    assert glob_match("[!a-c]x", "dx") is True


def test_dash_at_end_of_class_is_literal():
    assert glob_match("[a-]", "-") is True


def test_case_sensitive():
    assert glob_match("File", "file") is False


def test_unclosed_class_raises():
    with pytest.raises(ValueError):
        glob_match("[abc", "a")
