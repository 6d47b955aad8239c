from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from target import merge_sorted

sorted_lists = st.lists(st.integers(min_value=-50, max_value=50), max_size=12).map(sorted)


@given(sorted_lists, sorted_lists)
def test_result_is_sorted(left, right):
    result = merge_sorted(left, right)
    assert result == sorted(result)


@given(sorted_lists, sorted_lists)
def test_result_holds_every_item_as_often_as_the_inputs(left, right):
    assert Counter(merge_sorted(left, right)) == Counter(left) + Counter(right)


@given(sorted_lists, sorted_lists)
def test_inputs_are_left_unchanged(left, right):
    left_copy, right_copy = list(left), list(right)
    merge_sorted(left, right)
    assert (left, right) == (left_copy, right_copy)


@given(sorted_lists)
def test_merging_with_an_empty_list_gives_a_copy(items):
    assert merge_sorted(items, []) == items
    assert merge_sorted([], items) == items


def test_a_long_left_tail_is_kept():
    assert merge_sorted([1, 5, 6, 7, 8, 9], [2]) == [1, 2, 5, 6, 7, 8, 9]
