import pytest

from target import parse_csv_line


def test_plain_fields():
    assert parse_csv_line("a,b,c") == ["a", "b", "c"]


def test_trailing_empty_field():
    assert parse_csv_line("a,") == ["a", ""]


def test_empty_fields_in_the_middle_and_start():
    assert parse_csv_line(",a,,b") == ["", "a", "", "b"]


def test_whitespace_is_kept():
    assert parse_csv_line(" a , b ") == [" a ", " b "]


def test_comma_inside_quotes():
    assert parse_csv_line('"x,y",z') == ["x,y", "z"]


def test_doubled_quote_is_literal_quote():
    assert parse_csv_line('"say ""hi""",ok') == ['say "hi"', "ok"]


def test_empty_line_has_one_field():
    assert parse_csv_line("") == [""]


def test_unterminated_quote_raises():
    with pytest.raises(ValueError):
        parse_csv_line('"abc')


def test_text_after_closing_quote_raises():
    with pytest.raises(ValueError):
        parse_csv_line('"a"b,c')


def test_quote_inside_unquoted_field_raises():
    with pytest.raises(ValueError):
        parse_csv_line('a"b')
