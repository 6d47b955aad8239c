"""Test doubles shipped with this problem: import them in your tests.

    from helpers import FakeClock
"""


class FakeClock:
    """A clock that only moves when you tell it to: pass it where a clock is expected."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self.now += seconds
