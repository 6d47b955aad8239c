import pytest

from target import Row, SeatTaken


@pytest.fixture
def row():
    row = Row(6)
    row.book([3])
    return row


def test_a_booking_with_a_taken_seat_books_nothing(row):
    with pytest.raises(SeatTaken):
        row.book([2, 3])
    assert row.available() == [1, 2, 4, 5, 6]


def test_the_same_seat_twice_is_refused(row):
    with pytest.raises(ValueError):
        row.book([5, 5])
    assert 5 in row.available()


def test_the_last_seat_can_be_booked_and_freed(row):
    row.book([6])
    assert row.available() == [1, 2, 4, 5]
    row.cancel(6)
    assert row.available()[-1] == 6


def test_cancelling_a_free_seat_is_refused(row):
    with pytest.raises(ValueError):
        row.cancel(1)


@pytest.mark.parametrize("numbers", [[0], [7], [], [1, 0]])
def test_seats_that_do_not_exist_are_refused(row, numbers):
    with pytest.raises(ValueError):
        row.book(numbers)
    assert row.available() == [1, 2, 4, 5, 6]
