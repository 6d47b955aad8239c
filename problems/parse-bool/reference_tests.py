import pytest

from target import parse_bool


def test_true_words():
    for word in ["true", "yes", "on", "1"]:
        assert parse_bool(word) is True


def test_false_words():
    for word in ["false", "no", "off", "0"]:
        assert parse_bool(word) is False


def test_case_is_ignored():
    assert parse_bool("TRUE") is True
    assert parse_bool("No") is False


def test_surrounding_whitespace_is_ignored():
    assert parse_bool("  yes\n") is True


def test_unknown_word_raises():
    with pytest.raises(ValueError):
        parse_bool("maybe")


def test_partial_word_raises():
    with pytest.raises(ValueError):
        parse_bool("ye")


def test_empty_string_raises():
    with pytest.raises(ValueError):
        parse_bool("")
