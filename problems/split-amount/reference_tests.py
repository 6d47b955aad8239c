import pytest
from hypothesis import given
from hypothesis import strategies as st

from target import split_amount

amounts = st.integers(min_value=-40, max_value=40)  # small: often fewer cents than parts
counts = st.integers(min_value=1, max_value=12)


@given(amounts, counts)
def test_there_are_exactly_parts_shares(cents, parts):
    assert len(split_amount(cents, parts)) == parts


@given(amounts, counts)
def test_no_cent_is_lost_or_invented(cents, parts):
    assert sum(split_amount(cents, parts)) == cents


@given(amounts, counts)
def test_shares_differ_by_at_most_one_cent(cents, parts):
    shares = split_amount(cents, parts)
    assert max(shares) - min(shares) <= 1


def test_ten_cents_four_ways():
    assert sorted(split_amount(10, 4)) == [2, 2, 3, 3]


@pytest.mark.parametrize("parts", [0, -2])
def test_fewer_than_one_part_is_refused(parts):
    with pytest.raises(ValueError):
        split_amount(100, parts)
