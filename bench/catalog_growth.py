#!/usr/bin/env python3
"""Catalog growth per submission: how much one judged submission adds to the SQLite catalog.

Judges, on the real engine, three submissions in a row of each file below against a
bundled pack, into a fresh catalog, and prints the bytes each added (pages in use, free
pages excluded, read by a new connection so the WAL counts):

* an honest file of 500 tests with long names (1500-character parametrize ids);
* the pack's own reference tests (an ordinary submission);
* 400 tests failing on every variant with a 1 MB message each.

Prints figures; no assertion. Usage: python bench/catalog_growth.py [--pack compare-versions]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa_arena_desktop.catalog.db import Catalog  # noqa: E402
from qa_arena_desktop.judging.docker_backend import DockerBackend  # noqa: E402
from qa_arena_desktop.judging.service import JudgingService  # noqa: E402
from qa_arena_desktop.packs.loader import load_pack  # noqa: E402

LONG_NAMES = '''
import pytest
from target import {function}

@pytest.mark.parametrize("n", range(500), ids=[f"{{i:04d}}" + "x" * 1500 for i in range(500)])
def test_many(n):
    assert {function} is not None
'''
HUGE_MESSAGES = '''
import pytest

@pytest.mark.parametrize("n", range(400))
def test_noise(n):
    pytest.fail("y" * 1_000_000)
'''


def live_bytes(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        pages, free, size = (connection.execute(f"PRAGMA {name}").fetchone()[0]
                             for name in ("page_count", "freelist_count", "page_size"))
    return (pages - free) * size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", default="compare-versions")
    args = parser.parse_args()
    pack = load_pack(REPO / "problems" / args.pack)
    function = pack.function_name
    files = {
        "500 tests, 1500-character ids": LONG_NAMES.format(function=function),
        "the pack's reference tests": pack.reference_tests,
        "400 tests failing with 1 MB messages": HUGE_MESSAGES,
    }
    with tempfile.TemporaryDirectory(prefix="qa-arena-growth-") as root:
        path = Path(root) / "catalog.sqlite3"
        catalog = Catalog(path)
        backend = DockerBackend(keep_warm=True)
        service = JudgingService(catalog, backend)
        print(f"{args.pack}: {len(pack.scored_mutants)} mutants; growth per submission")
        try:
            for label, text in files.items():
                grown = []
                for _ in range(3):
                    before = live_bytes(path)
                    result = service.judge(pack, text)
                    grown.append(live_bytes(path) - before)
                print(f"  {label:<40} {result.status.value:<8} "
                      + ", ".join(f"{n / 1e6:.3f} MB" for n in grown))
        finally:
            backend.close()
            catalog.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
