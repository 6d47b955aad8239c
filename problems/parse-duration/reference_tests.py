import pytest

from target import parse_duration


def test_minutes_only():
    assert parse_duration("90m") == 5400


def test_hours_only():
    assert parse_duration("2h") == 7200


def test_all_three_components():
    assert parse_duration("1h2m3s") == 3723


def test_zero_seconds():
    assert parse_duration("0s") == 0


def test_empty_string_raises():
    with pytest.raises(ValueError):
        parse_duration("")


def test_trailing_garbage_raises():
    with pytest.raises(ValueError):
        parse_duration("1h30mfoo")


def test_upper_case_unit_raises():
    with pytest.raises(ValueError):
        parse_duration("1H")


def test_non_ascii_digits_raise():
    with pytest.raises(ValueError):
        parse_duration("\u0663m")
