import re

import pytest

from target import PortError, parse_port


@pytest.mark.parametrize("text, port", [("1", 1), ("65535", 65535), (" 443\t", 443)])
def test_valid_ports(text, port):
    assert parse_port(text) == port


@pytest.mark.parametrize("text", ["abc", "-1", "8_080", "\u0668\u0660", "1.5"])
def test_text_that_is_not_a_number_is_refused_quoting_it(text):
    with pytest.raises(PortError, match=re.escape(f"not a port number: {text!r}")):
        parse_port(f"  {text} ")


@pytest.mark.parametrize("text, number", [("0", 0), ("65536", 65536)])
def test_out_of_range_names_the_number(text, number):
    with pytest.raises(PortError, match=f"^port out of range: {number}$"):
        parse_port(text)


def test_blank_is_empty():
    with pytest.raises(PortError, match="^empty port$"):
        parse_port("   ")


def test_port_error_is_a_value_error():
    assert issubclass(PortError, ValueError)
