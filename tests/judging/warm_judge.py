"""A judging service on one warm Docker backend, for the integrity attack suites.

Submissions follow one another in the same kept-warm containers, as in the app and the
judge server, so every attack also tries to reach the *next submission*
(:meth:`Judge.honest_after`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack
from tests.packs.factory import REFERENCE, manifest, write_pack

MUTANTS = {
    "returns-same": "def add_one(x: int) -> int:\n    return x\n",
    "adds-two": "def add_one(x: int) -> int:\n    return x + 2\n",
    "wrong-below-zero": "def add_one(x: int) -> int:\n    return x + 1 if x >= 0 else x\n",
    "wrong-at-zero": "def add_one(x: int) -> int:\n    return x + 1 if x else 2\n",
    "subtracts": "def add_one(x: int) -> int:\n    return x - 1\n",
}


class Judge:
    """A service on one warm backend: submissions follow one another in the same containers."""

    def __init__(self, tmp_path: Path) -> None:
        pack_dir = write_pack(tmp_path / "packs", mutants=MUTANTS,
                              toml=manifest(mutants=MUTANTS).replace("time_limit_s = 5",
                                                                     "time_limit_s = 3"))
        self.pack = load_pack(pack_dir)
        self.catalog = Catalog(tmp_path / "catalog.sqlite3")
        self.backend = DockerBackend(keep_warm=True, shards=2)
        self.service = JudgingService(self.catalog, self.backend)

    def __call__(self, source: str) -> JudgeResult:
        return self.service.judge(self.pack, textwrap.dedent(source))

    def honest_after(self) -> None:
        """The next honest submission (the pack's reference tests) still gets 100."""
        result = self(REFERENCE)
        assert result.status is SubmissionStatus.SUCCESS, result.message
        assert result.score == 100.0, [(m.name, m.status, m.message) for m in result.mutants]
        assert result.flags == (), result.flags  # and nothing of the attack is held against it

    def close(self) -> None:
        self.backend.close()
        self.catalog.close()


def assert_cheat_failed(result: JudgeResult) -> None:
    """A cheat may not score above 30 (30: the tests pass everywhere; 0: golden failed)."""
    assert result.status is not SubmissionStatus.ERROR, result.message
    assert result.score <= 30.0, [(m.name, m.status, m.message) for m in result.mutants]


def assert_all_survived(result: JudgeResult) -> None:
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert [m.status for m in result.mutants] == [MutantStatus.SURVIVED] * len(MUTANTS), [
        (m.name, m.message) for m in result.mutants]
