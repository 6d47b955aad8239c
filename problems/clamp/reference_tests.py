import pytest

from target import clamp


def test_value_inside_range_is_unchanged():
    assert clamp(5, 0, 10) == 5


def test_value_below_range_returns_low():
    assert clamp(-3, 0, 10) == 0


def test_value_above_range_returns_high():
    assert clamp(42, 0, 10) == 10


def test_fraction_is_kept():
    assert clamp(2.5, 0, 10) == 2.5


def test_equal_bounds_are_allowed():
    assert clamp(7, 3, 3) == 3
    assert clamp(-7, 3, 3) == 3


def test_inverted_bounds_raise_value_error():
    with pytest.raises(ValueError):
        clamp(1, 10, 0)
