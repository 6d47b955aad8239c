import inspect

import target
from target import normalize_whitespace


def test_collapses_runs():
    assert normalize_whitespace("a  b") == "a b"


def test_the_source_is_there():
    assert inspect.getsource(target)
