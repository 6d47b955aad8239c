import pytest

from target import is_leap_year


def test_ordinary_leap_year():
    assert is_leap_year(2024) is True


def test_ordinary_common_year():
    assert is_leap_year(2023) is False


def test_century_is_not_leap():
    assert is_leap_year(1900) is False
    assert is_leap_year(2100) is False


def test_every_400_years_is_leap():
    assert is_leap_year(2000) is True
    assert is_leap_year(1600) is True


def test_year_one_is_valid():
    assert is_leap_year(1) is False


def test_year_zero_is_rejected():
    with pytest.raises(ValueError):
        is_leap_year(0)


def test_negative_year_is_rejected():
    with pytest.raises(ValueError):
        is_leap_year(-4)
