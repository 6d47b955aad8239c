import pytest

from target import second_largest


def test_unsorted_list():
    assert second_largest([3, 1, 2]) == 2


def test_ascending_list():
    assert second_largest([1, 2, 3, 4]) == 3


def test_duplicates_of_the_largest_do_not_count():
    assert second_largest([5, 5, 3]) == 3


def test_all_negative():
    assert second_largest([-5, -2, -9]) == -5


def test_all_equal_raises():
    with pytest.raises(ValueError):
        second_largest([7, 7])


def test_empty_raises():
    with pytest.raises(ValueError):
        second_largest([])
