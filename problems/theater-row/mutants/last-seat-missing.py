"""Seat bookings for one row of a theater: all or nothing."""


class SeatTaken(Exception):
    """A booking asked for a seat that is already booked."""


class Row:
    def __init__(self, seats):
        if seats < 1:
            raise ValueError("a row has at least one seat")
        self._seats = seats
        self._booked = set()

    def book(self, numbers):
        wanted = list(numbers)
        if not wanted or len(set(wanted)) != len(wanted):
            raise ValueError("book one or more different seats")
        for number in wanted:
            if not 1 <= number <= self._seats:
                raise ValueError(f"no seat {number}")
        taken = sorted(n for n in wanted if n in self._booked)
        if taken:
            raise SeatTaken(f"already booked: {taken}")
        self._booked.update(wanted)

    def cancel(self, number):
        if number not in self._booked:
            raise ValueError(f"seat {number} is not booked")
        self._booked.remove(number)

    def available(self):
        return [n for n in range(1, self._seats) if n not in self._booked]
