from target import normalize_whitespace


def test_collapses_runs():
    assert normalize_whitespace("a   b") == "a b"


def test_strips_both_ends():
    assert normalize_whitespace("  a  ") == "a"


def test_tabs_and_newlines():
    assert normalize_whitespace("a\t\nb") == "a b"
