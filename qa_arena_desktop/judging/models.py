"""Plain data that crosses threads: the judge request, per-variant results, the final result.

All frozen pydantic models: a worker gets a :class:`JudgeRequest` and gives back
these, never ORM objects or widgets. ``JudgeResult.to_json_dict`` is the
``qa-arena judge --json`` contract from ``DESIGN.md``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from qa_arena_desktop.judging.verdicts import MutantStatus, Outcome, SubmissionStatus
from qa_arena_desktop.packs.model import MutantSource


class Limits(BaseModel):
    """Sandbox limits for one judge container (documented in docs/sandbox.md)."""

    model_config = ConfigDict(frozen=True)

    time_limit_s: float = 5.0  # per variant run
    memory_mb: int = 256  # memory = memory + swap, for the whole container
    pids: int = 64
    cpus: float = 1.0
    work_tmpfs_mb: int = 64
    tmp_tmpfs_mb: int = 16
    max_output_bytes: int = 16 * 1024 * 1024  # protocol bytes read from the container
    startup_grace_s: float = 30.0  # container start + pytest import, before the first event

    def sandbox_key(self) -> tuple[object, ...]:
        """What a started container is bound to (the time limit is sent with each request)."""
        return (self.memory_mb, self.pids, self.cpus, self.work_tmpfs_mb, self.tmp_tmpfs_mb)


class JudgeRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    submission_id: str
    problem: str
    tests: str
    golden_source: str
    mutants: tuple[MutantSource, ...]
    limits: Limits = Field(default_factory=Limits)


class TestOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    outcome: str  # passed | failed | error | skipped
    message: str = ""


class VariantRun(BaseModel):
    """One finished variant run as reported by the in-container runner."""

    model_config = ConfigDict(frozen=True)

    variant: str  # "golden" or the mutant's name
    outcome: Outcome
    duration_ms: int = 0
    tests: tuple[TestOutcome, ...] = ()
    failed_tests: tuple[str, ...] = ()
    message: str = ""
    budget_ms: int = 0  # the time budget that applied to this run
    rechecked: bool = False  # a derived budget ran out while idle: let run on to the cap
    # Set by the backend from the variant's key, never from its name (a mutant could be
    # called "golden").
    golden: bool = False
    flags: tuple[str, ...] = ()  # e.g. "introspects-code-under-test", seen at run time

    @property
    def is_golden(self) -> bool:
        return self.golden


GOLDEN = "golden"


class GoldenResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    outcome: str
    duration_ms: int = 0
    failed_tests: tuple[str, ...] = ()
    message: str = ""


class MutantResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    weight: float
    status: MutantStatus
    duration_ms: int = 0
    killed_by: tuple[str, ...] = ()
    message: str = ""
    budget_ms: int = 0  # which time budget applied (see docs/judge.md, "Time budgets")
    rechecked: bool = False
    tests: tuple[TestOutcome, ...] = ()  # per-test outcomes, for the kill matrix


class JudgeResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    submission_id: str
    problem: str
    status: SubmissionStatus
    score: float
    killed_mutants: int
    total_mutants: int
    kill_ratio: float
    message: str = ""
    flags: tuple[str, ...] = ()
    golden: GoldenResult | None = None
    mutants: tuple[MutantResult, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["golden"] = data["golden"] or {"outcome": "not-run", "duration_ms": 0,
                                            "failed_tests": [], "message": ""}
        for mutant in data["mutants"]:
            mutant.pop("tests", None)
        return data
