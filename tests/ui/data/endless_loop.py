"""A test that never ends on the correct implementation: the run lasts until its time limit."""

from target import normalize_whitespace


def test_never_finishes():
    while True:
        normalize_whitespace(" a ")
