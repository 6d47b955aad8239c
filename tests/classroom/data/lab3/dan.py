from target import normalize_whitespace


def test_collapses_runs():
    assert normalize_whitespace("a   b") == "a b"


def test_keeps_tabs():
    assert normalize_whitespace("a\tb") == "a\tb"
