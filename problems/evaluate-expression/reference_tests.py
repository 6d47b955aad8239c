import pytest

from target import evaluate


def test_precedence_of_multiplication():
    assert evaluate("2 + 3 * 4") == 14


def test_multiplication_before_addition_on_the_left():
    assert evaluate("2 * 3 + 4") == 10


def test_parentheses():
    assert evaluate("(2 + 3) * 4") == 20


def test_subtraction_is_left_associative():
    assert evaluate("8 - 3 - 2") == 3


def test_division_truncates_toward_zero():
    assert evaluate("7 / 2") == 3
    assert evaluate("-7 / 2") == -3


def test_unary_minus_binds_to_one_operand():
    assert evaluate("-2 + 3") == 1


def test_multi_digit_numbers():
    assert evaluate("12 + 30") == 42


def test_division_by_zero():
    with pytest.raises(ZeroDivisionError):
        evaluate("1 / 0")


def test_unclosed_parenthesis_raises():
    with pytest.raises(ValueError):
        evaluate("(1 + 2")


def test_extra_closing_parenthesis_raises():
    with pytest.raises(ValueError):
        evaluate("1 + 2)")


def test_non_ascii_digit_raises():
    with pytest.raises(ValueError):
        evaluate("\u0663 + 1")
