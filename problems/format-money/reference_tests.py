import pytest

from target import format_money


def test_thousands_are_grouped():
    assert format_money(123456789) == "$1,234,567.89"


def test_small_cents_are_zero_padded():
    assert format_money(5) == "$0.05"


def test_whole_dollars():
    assert format_money(100) == "$1.00"


def test_negative_amount():
    assert format_money(-105) == "-$1.05"


def test_zero():
    assert format_money(0) == "$0.00"


def test_float_raises_type_error():
    with pytest.raises(TypeError):
        format_money(1.5)


def test_bool_raises_type_error():
    with pytest.raises(TypeError):
        format_money(True)
