import pytest

from target import chunk


def test_even_split():
    assert chunk([1, 2, 3, 4], 2) == [[1, 2], [3, 4]]


def test_last_chunk_may_be_shorter():
    assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]


def test_size_larger_than_list_returns_copy():
    items = [1, 2]
    result = chunk(items, 5)
    assert result == [[1, 2]]
    result[0].append(99)
    assert items == [1, 2]


def test_empty_list():
    assert chunk([], 3) == []


def test_zero_size_raises_value_error():
    with pytest.raises(ValueError):
        chunk([1, 2], 0)


def test_negative_size_raises_value_error():
    with pytest.raises(ValueError):
        chunk([1, 2], -2)
