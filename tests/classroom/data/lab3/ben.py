from target import normalize_whitespace


def test_collapses_runs():
    assert normalize_whitespace("a   b") == "a b"


def test_strips_leading():
    assert normalize_whitespace("   a") == "a"


def test_strips_trailing():
    assert normalize_whitespace("a   ") == "a"
