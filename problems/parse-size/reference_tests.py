import pytest

from target import parse_size


@pytest.mark.parametrize("text, size", [
    ("1KB", 1000), ("1KiB", 1024), ("2 MB", 2_000_000), ("1GiB", 1024 ** 3),
    ("8.2MB", 8_200_000), ("1.005KB", 1005), ("0.5KiB", 512), ("7B", 7), ("0", 0),
])
def test_sizes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["1kb", "1 mib"])
def test_units_are_case_sensitive(text):
    with pytest.raises(ValueError):
        parse_size(text)


@pytest.mark.parametrize("text", ["1.5B", "0.0005KB"])
def test_fractions_of_a_byte_are_refused(text):
    with pytest.raises(ValueError):
        parse_size(text)


@pytest.mark.parametrize("text", ["1  KB", "1 0KB", "", "KB", "-1KB", "1.KB", "\u0661KB", "1TB"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse_size(text)
