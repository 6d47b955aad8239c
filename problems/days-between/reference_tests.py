import pytest

from target import days_between


def test_later_end_is_positive():
    assert days_between("2024-01-01", "2024-01-31") == 30


def test_earlier_end_is_negative():
    assert days_between("2024-01-31", "2024-01-01") == -30


def test_same_day_is_zero():
    assert days_between("2023-05-05", "2023-05-05") == 0


def test_next_day_is_one():
    assert days_between("2023-12-31", "2024-01-01") == 1


def test_leap_day_counts():
    assert days_between("2024-02-28", "2024-03-01") == 2


def test_day_and_month_not_confused():
    assert days_between("2024-03-04", "2024-04-03") == 30


def test_invalid_date_raises():
    with pytest.raises(ValueError):
        days_between("2023-02-30", "2023-03-01")


def test_garbage_raises():
    with pytest.raises(ValueError):
        days_between("2024-01-01", "tomorrow")
