from target import normalize_whitespace


def test_collapses_runs():
    assert normalize_whitespace("one    two") == "one two"
