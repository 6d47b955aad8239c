import pytest

from helpers import FakeClock
from target import TTLCache


@pytest.fixture
def clock():
    return FakeClock(start=500.0)


def test_an_entry_expires_at_exactly_its_ttl(clock):
    cache = TTLCache(10, clock)
    cache.set("k", 1)
    clock.advance(10)
    assert cache.get("k", "gone") == "gone"


def test_reading_does_not_extend_life(clock):
    cache = TTLCache(10, clock)
    cache.set("k", 1)
    for _ in range(3):
        clock.advance(4)
        cache.get("k")
    assert cache.get("k") is None


def test_setting_again_restarts_the_life(clock):
    cache = TTLCache(10, clock)
    cache.set("k", 1)
    clock.advance(8)
    cache.set("k", 2)
    clock.advance(8)
    assert cache.get("k") == 2


def test_len_counts_live_entries_and_purge_removes_the_rest(clock):
    cache = TTLCache(10, clock)
    cache.set("old", 1)
    clock.advance(6)
    cache.set("new", 2)
    clock.advance(6)
    assert len(cache) == 1
    assert cache.purge() == 1
    assert len(cache) == 1


def test_purge_returns_only_what_it_removed(clock):
    cache = TTLCache(10, clock)
    cache.set("a", 1)
    assert cache.purge() == 0


@pytest.mark.parametrize("ttl", [0, -1])
def test_ttl_must_be_positive(ttl, clock):
    with pytest.raises(ValueError):
        TTLCache(ttl, clock)
