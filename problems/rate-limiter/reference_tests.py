import pytest

from helpers import FakeClock
from target import RateLimiter


@pytest.fixture
def clock():
    return FakeClock(start=1000.0)


def calls(limiter, count):
    return [limiter.allow() for _ in range(count)]


def test_exactly_limit_calls_are_allowed_at_once(clock):
    assert calls(RateLimiter(3, 10.0, clock), 4) == [True, True, True, False]


def test_a_call_exactly_one_window_old_no_longer_counts(clock):
    limiter = RateLimiter(1, 10.0, clock)
    assert limiter.allow()
    clock.advance(10)
    assert limiter.allow()


def test_refused_calls_are_not_counted(clock):
    limiter = RateLimiter(2, 10.0, clock)
    for _ in range(10):  # fill the window, whatever the limit turns out to be
        if not limiter.allow():
            break
    clock.advance(5)
    assert calls(limiter, 3) == [False, False, False]
    clock.advance(5.5)
    assert limiter.allow()


def test_the_window_slides_instead_of_resetting(clock):
    limiter = RateLimiter(2, 10.0, clock)
    clock.advance(8)          # 1008: near the end of a would-be fixed window
    for _ in range(10):       # fill the window, whatever the limit turns out to be
        if not limiter.allow():
            break
    clock.advance(4)          # 1012: a fixed window would have reset at 1010
    assert not limiter.allow()


def test_the_injected_clock_is_the_only_time_source(clock, monkeypatch):
    import time

    monkeypatch.setattr(time, "monotonic", lambda: 0.0)
    limiter = RateLimiter(1, 10.0, clock)
    assert limiter.allow()
    clock.advance(10)
    assert limiter.allow()
