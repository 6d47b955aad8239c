import pytest

from target import merge_intervals


def test_overlapping_pair_is_merged():
    assert merge_intervals([(1, 4), (2, 6), (8, 10)]) == [(1, 6), (8, 10)]


def test_touching_intervals_are_merged():
    assert merge_intervals([(1, 3), (3, 5)]) == [(1, 5)]


def test_adjacent_integers_are_not_merged():
    assert merge_intervals([(1, 2), (3, 4)]) == [(1, 2), (3, 4)]


def test_contained_interval_disappears():
    assert merge_intervals([(1, 10), (2, 3)]) == [(1, 10)]


def test_unsorted_input():
    assert merge_intervals([(8, 10), (1, 3), (2, 4)]) == [(1, 4), (8, 10)]


def test_input_is_not_modified():
    data = [(8, 10), (1, 3)]
    merge_intervals(data)
    assert data == [(8, 10), (1, 3)]


def test_empty_input():
    assert merge_intervals([]) == []


def test_reversed_interval_raises():
    with pytest.raises(ValueError):
        merge_intervals([(1, 2), (5, 1)])
