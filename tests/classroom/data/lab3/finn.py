from target import normalize_whitespace


def test_collapses_runs():
    assert normalize_whitespace("a  b") == "a b"


def test_nbsp_kept():
    assert normalize_whitespace("a\u00a0b") == "a\u00a0b"
