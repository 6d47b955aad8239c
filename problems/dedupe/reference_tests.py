from hypothesis import given
from hypothesis import strategies as st

from target import dedupe

items = st.lists(st.one_of(st.integers(min_value=-3, max_value=3), st.sampled_from(["a", "A", ""]),
                           st.none()), max_size=10)


@given(items)
def test_nothing_is_lost_or_invented(values):
    assert set(dedupe(values)) == set(values)


@given(items)
def test_no_item_appears_twice(values):
    result = dedupe(values)
    assert len(result) == len(set(result))


@given(items)
def test_the_input_is_left_unchanged(values):
    copy = list(values)
    dedupe(values)
    assert values == copy
