import pytest

from target import to_fahrenheit


def test_body_temperature():
    assert to_fahrenheit(37) == pytest.approx(98.6)


def test_negative_forty_is_the_same_on_both_scales():
    assert to_fahrenheit(-40) == pytest.approx(-40)


def test_fractions_are_kept():
    assert to_fahrenheit(37.5) == pytest.approx(99.5)
    assert to_fahrenheit(-17.5) == pytest.approx(0.5)
