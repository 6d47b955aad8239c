"""A small pack and hand-made judge results, so classroom logic is tested without Docker."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

from qa_arena_desktop.domain.judge_models import GoldenResult, JudgeResult, MutantResult, TestOutcome
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.packs.loader import load_pack
from tests.packs.factory import manifest, write_pack

MUTANTS = {
    "returns-same": "def add_one(x: int) -> int:\n    return x\n",
    "adds-two": "def add_one(x: int) -> int:\n    return x + 2\n",
    "subtracts": "def add_one(x: int) -> int:\n    return x - 1\n",
}


def make_pack(root: Path, equivalent: str = "") -> Pack:
    """The factory's add-one pack with three mutants (``equivalent`` marks one as such)."""
    text = manifest(mutants=MUTANTS)
    if equivalent:
        text = text.replace(f'name = "{equivalent}"', f'name = "{equivalent}"\nequivalent = true')
    return load_pack(write_pack(root, mutants=MUTANTS, toml=text))


def result(pack: Pack, killed: dict[str, MutantStatus] | None = None,
           status: SubmissionStatus = SubmissionStatus.SUCCESS, message: str = "",
           flags: tuple[str, ...] = (), tests: tuple[str, ...] = ("test_zero", "test_big")) -> JudgeResult:
    """A judge result: every scored mutant SURVIVED unless ``killed`` says otherwise.

    A killed mutant is failed by the first test; every test ran on every mutant.
    """
    killed = killed or {}
    mutants = []
    if status is SubmissionStatus.SUCCESS:
        for mutant in pack.scored_mutants:
            verdict = killed.get(mutant.name, MutantStatus.SURVIVED)
            outcomes = tuple(
                TestOutcome(id=t, outcome="failed" if verdict.counts_as_killed and i == 0 else "passed")
                for i, t in enumerate(tests)
            )
            mutants.append(MutantResult(
                name=mutant.name, weight=mutant.weight, status=verdict, duration_ms=12,
                killed_by=(tests[0],) if verdict.counts_as_killed else (),
                message="assert 1 == 2" if verdict.counts_as_killed else "", tests=outcomes,
            ))
    n_killed = sum(1 for m in mutants if m.status.counts_as_killed)
    total = len(pack.scored_mutants)
    ratio = n_killed / total if status is SubmissionStatus.SUCCESS and total else 0.0
    golden_failed = (tests[0],) if status is SubmissionStatus.FAILURE else ()
    return JudgeResult(
        submission_id=str(uuid.uuid4()), problem=pack.slug, status=status,
        score=round(30 + 70 * ratio, 1) if status is SubmissionStatus.SUCCESS else 0.0,
        killed_mutants=n_killed, total_mutants=total, kill_ratio=ratio, message=message,
        flags=flags,
        golden=GoldenResult(outcome="failed" if golden_failed else "passed", duration_ms=10,
                            failed_tests=golden_failed),
        mutants=tuple(mutants),
    )


class FakeJudge:
    """Records calls; answers from ``answers`` (file content -> result or exception)."""

    def __init__(self, pack: Pack, answers: dict[bytes, JudgeResult | BaseException] | None = None,
                 delay_s: float = 0.0) -> None:
        self.pack = pack
        self.answers = answers or {}
        self.delay_s = delay_s
        self.calls: list[bytes] = []
        self.running = 0
        self.max_running = 0
        self._lock = threading.Lock()

    def __call__(self, pack: Pack, data: bytes, cancel: threading.Event) -> JudgeResult:
        with self._lock:
            self.calls.append(data)
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        try:
            if self.delay_s:
                cancel.wait(self.delay_s)
            if cancel.is_set():
                return result(pack, status=SubmissionStatus.ERROR,
                              message="cancelled before the judge finished")
            answer = self.answers.get(data, result(pack))
            if isinstance(answer, BaseException):
                raise answer
            return answer
        finally:
            with self._lock:
                self.running -= 1
