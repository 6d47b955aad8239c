import pytest

from target import LRUCache


def filled(*keys, capacity=2):
    cache = LRUCache(capacity)
    for key in keys:
        cache.put(key, key.upper())
    return cache


def test_full_cache_evicts_the_least_recently_put_key():
    cache = filled("a", "b")
    cache.put("c", "C")
    assert cache.get("a") is None
    assert (cache.get("b"), cache.get("c")) == ("B", "C")


def test_get_counts_as_a_use():
    cache = filled("a", "b")
    assert cache.get("a") == "A"
    cache.put("c", "C")
    assert cache.get("b") is None
    assert cache.get("a") == "A"


def test_updating_a_key_counts_as_a_use():
    cache = filled("a", "b")
    cache.put("a", "new")
    cache.put("c", "C")
    assert cache.get("b") is None
    assert cache.get("a") == "new"


def test_updating_a_key_in_a_full_cache_evicts_nothing():
    cache = filled("a", "b")
    cache.put("b", "again")
    assert len(cache) == 2
    assert sorted(cache.keys()) == ["a", "b"]


def test_caches_are_independent():
    first = filled("a")
    second = LRUCache(2)
    assert len(second) == 0
    assert second.get("a") is None
    assert sorted(first.keys()) == ["a"]


@pytest.mark.parametrize("capacity", [0, -1])
def test_capacity_below_one_is_refused(capacity):
    with pytest.raises(ValueError):
        LRUCache(capacity)


def test_missing_key_gives_the_default():
    cache = filled("a")
    marker = object()
    assert cache.get("missing", marker) is marker
    assert cache.get("missing") is None
