"""Test doubles shipped with this problem.

    from helpers import Flaky

`Flaky(failures, result)` is an operation that raises ConnectionError the first
`failures` times it is called, then returns `result`; `.calls` counts the calls.
(`unittest.mock.Mock(side_effect=[...])` works too.)
"""


class Flaky:
    def __init__(self, failures, result="ok", error=ConnectionError):
        self.failures = failures
        self.result = result
        self.error = error
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error(f"attempt {self.calls} failed")
        return self.result
