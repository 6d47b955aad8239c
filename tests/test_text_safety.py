"""Untrusted text is shown with its control characters escaped, and always encodes."""

from __future__ import annotations

import json

import pytest

from qa_arena_desktop.text_safety import json_text, one_line, scrub, visible

HOSTILE = ("a\x1b[2J\x1b]0;owned\x07b\rc\x00d\x7fe\x9bf\u202eg\u2066h\u2028i\ud800j"
           "\x08k\x0bl\x0cm\x1cn\x85o")


@pytest.mark.parametrize(("char", "shown"), [
    ("\x1b", "\\x1b"), ("\x07", "\\x07"), ("\r", "\\r"), ("\x00", "\\x00"), ("\x7f", "\\x7f"),
    ("\x9b", "\\x9b"), ("\x85", "\\x85"), ("\u202e", "\\u202e"), ("\u2066", "\\u2066"),
    ("\u200f", "\\u200f"), ("\u061c", "\\u061c"), ("\u2028", "\\u2028"), ("\ud800", "\ufffd"),
])
def test_each_control_character_is_escaped_visibly(char, shown):
    assert visible(f"x{char}y") == f"x{shown}y"
    assert visible(f"x{char}y", multiline=True) == f"x{shown}y"


def test_newline_and_tab_are_kept_only_where_lines_are_legitimate():
    assert visible("a\nb\tc", multiline=True) == "a\nb\tc"
    assert visible("a\nb\tc") == "a\\nb\\tc"


def test_ordinary_text_is_unchanged():
    text = "assert 'é' == 'e' (naïve, 日本語, emoji 🎉, back\\slash)"
    assert visible(text) == text == visible(text, multiline=True) == one_line(text)


def test_nothing_raw_is_left_of_a_hostile_string():
    for shown in (visible(HOSTILE), visible(HOSTILE, multiline=True), one_line(HOSTILE)):
        assert all(ch.isprintable() or ch in "\n\t" for ch in shown), shown
        shown.encode("utf-8")


def test_one_line_collapses_line_breaks_and_cuts():
    assert one_line("a\n\n  b\tc\r\nd") == "a b c\\r d"
    assert one_line("x" * 50, 10) == "xxxxxxx..."


def test_scrub_makes_any_value_an_encodable_str():
    assert scrub(None) == "" and scrub(7) == "7" and scrub("a\ud800\udfffb") == "a\ufffd\ufffdb"


def test_json_text_is_valid_json_with_the_same_values_and_terminal_safe():
    data = {"message": HOSTILE, "n": 1}
    text = json_text(data, indent=2)
    assert json.loads(text) == data  # lone surrogates come back as they were
    assert all(ch.isprintable() or ch in "\n " for ch in text)
    text.encode("utf-8")
