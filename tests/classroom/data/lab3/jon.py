from target import normalize_whitespace


def test_keeps_tabs():
    assert normalize_whitespace("x\ty") == "x\ty"
