from target import normalize_whitespace


def test_collapses_runs():
    assert normalize_whitespace("a  b") == "a b"


def test_tabs():
    assert normalize_whitespace("a\tb") == "a b"


def test_no_break_space():
    assert normalize_whitespace("a\u00a0b") == "a b"
