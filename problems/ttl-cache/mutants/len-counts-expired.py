"""A cache whose entries expire a fixed time after they were set."""

import time


class TTLCache:
    def __init__(self, ttl_s, clock=time.monotonic):
        if ttl_s <= 0:
            raise ValueError("ttl_s must be positive")
        self._ttl = ttl_s
        self._clock = clock
        self._entries = {}  # key -> (value, set_at)

    def _live(self, key, now):
        entry = self._entries.get(key)
        return entry is not None and now - entry[1] < self._ttl

    def set(self, key, value):
        self._entries[key] = (value, self._clock())

    def get(self, key, default=None):
        if self._live(key, self._clock()):
            return self._entries[key][0]
        return default

    def __len__(self):
        now = self._clock()
        return len(self._entries)

    def purge(self):
        now = self._clock()
        dead = [key for key in self._entries if not self._live(key, now)]
        for key in dead:
            del self._entries[key]
        return len(dead)
