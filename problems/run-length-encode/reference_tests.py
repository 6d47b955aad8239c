from target import rle_encode


def test_mixed_runs():
    assert rle_encode("aaabbb") == "3a3b"


def test_single_characters_get_count_one():
    assert rle_encode("abc") == "1a1b1c"


def test_last_run_is_included():
    assert rle_encode("xxy") == "2x1y"


def test_case_sensitive_runs():
    assert rle_encode("aaAA") == "2a2A"


def test_long_run_uses_multi_digit_count():
    assert rle_encode("a" * 12) == "12a"


def test_empty_string():
    assert rle_encode("") == ""


def test_second_run_counts_from_one():
    assert rle_encode("zzzzqq") == "4z2q"
