import pytest

from target import is_valid_pin


@pytest.mark.parametrize("text", ["0000", "123456"])
def test_four_or_six_digits_are_valid(text):
    assert is_valid_pin(text) is True


@pytest.mark.parametrize("text", ["12345", "123", "1234567", "", "\u0661\u0662\u0663\u0664",
                                  "\uff11\uff12\uff13\uff14", " 1234", "1234 ", "+123", "-12345"])
def test_everything_else_is_invalid(text):
    assert is_valid_pin(text) is False
