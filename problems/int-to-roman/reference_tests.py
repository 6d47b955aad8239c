import pytest

from target import to_roman


def test_small_additive_number():
    assert to_roman(8) == "VIII"


def test_subtractive_four_and_nine():
    assert to_roman(4) == "IV"
    assert to_roman(9) == "IX"


def test_nine_hundred():
    assert to_roman(900) == "CM"


def test_forty_and_ninety():
    assert to_roman(40) == "XL"
    assert to_roman(90) == "XC"


def test_repeated_symbols():
    assert to_roman(3) == "III"
    assert to_roman(2024) == "MMXXIV"


def test_largest_valid_number():
    assert to_roman(3999) == "MMMCMXCIX"


def test_zero_raises_value_error():
    with pytest.raises(ValueError):
        to_roman(0)


def test_too_large_raises_value_error():
    with pytest.raises(ValueError):
        to_roman(4000)


def test_bool_raises_type_error():
    with pytest.raises(TypeError):
        to_roman(True)


def test_string_raises_type_error():
    with pytest.raises(TypeError):
        to_roman("5")
