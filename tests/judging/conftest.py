"""Fixtures of the judging tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.judging.warm_judge import Judge


@pytest.fixture
def judge(tmp_path: Path) -> Iterator[Judge]:
    """A judging service on one warm Docker backend (see tests/judging/warm_judge.py)."""
    judge = Judge(tmp_path)
    yield judge
    judge.close()
