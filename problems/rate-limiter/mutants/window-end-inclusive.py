"""A sliding-window rate limiter that keeps the times of the calls it allowed."""

import time
from collections import deque


class RateLimiter:
    def __init__(self, limit, window_s, clock=time.monotonic):
        self._limit = limit
        self._window = window_s
        self._clock = clock
        self._allowed = deque()

    def allow(self):
        now = self._clock()
        while self._allowed and self._allowed[0] < now - self._window:
            self._allowed.popleft()
        if len(self._allowed) >= self._limit:
            return False
        self._allowed.append(now)
        return True
