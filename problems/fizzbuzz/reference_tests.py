import pytest

from target import fizzbuzz


def test_plain_number_is_a_string():
    assert fizzbuzz(7) == "7"


def test_multiple_of_three():
    assert fizzbuzz(9) == "Fizz"


def test_multiple_of_five():
    assert fizzbuzz(10) == "Buzz"


def test_multiple_of_fifteen():
    assert fizzbuzz(15) == "FizzBuzz"
    assert fizzbuzz(45) == "FizzBuzz"


def test_zero_is_rejected():
    with pytest.raises(ValueError):
        fizzbuzz(0)


def test_negative_is_rejected():
    with pytest.raises(ValueError):
        fizzbuzz(-3)
