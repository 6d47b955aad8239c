"""Plain data that crosses threads: the judge request, per-variant results, the final result.

All frozen pydantic models: a worker gets a :class:`JudgeRequest` and gives back
these, never ORM objects or widgets. ``JudgeResult.to_json_dict`` is the
``qa-arena judge --json`` contract from ``DESIGN.md``.

What a run reports is untrusted: the text fields take any value (a number, ``None``,
a lone surrogate) and keep it as an encodable ``str``, lists take ``None`` or a single
value, and counts that are not numbers become 0, so a malformed result never raises
on the host (see docs/judge.md, "Untrusted results").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from qa_arena_desktop.domain.pack import AltGolden, MutantSource, SupportFile
from qa_arena_desktop.domain.verdicts import MutantStatus, Outcome, SubmissionStatus
from qa_arena_desktop.text_safety import scrub


def _as_tuple(value: object) -> tuple[object, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        return (value,)
    return tuple(value)


def _as_int(value: object) -> int:
    if isinstance(value, int):
        return int(value)
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return 0


Text = Annotated[str, BeforeValidator(scrub)]
Texts = Annotated[tuple[Text, ...], BeforeValidator(_as_tuple)]
Count = Annotated[int, BeforeValidator(_as_int)]


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
    # A second look after golden failed ("why is my test wrong?"): only these test ids,
    # on the mutants only, with golden's duration for their time budgets.
    select: tuple[str, ...] = ()
    with_golden: bool = True
    golden_ms: int | None = None
    # The mutants' time budget policy (``k`` x golden + ``c_s``, at least ``min_s``; see
    # docs/judge.md, "Time budgets"); None: the backend's own. Candidate mutants use a
    # tighter one (docs/authoring.md).
    budget: dict[str, float] | None = None
    # Files next to the tests in every run, the same for golden and each mutant (helpers,
    # a conftest.py of fixtures), and further correct implementations judged like golden.
    support_files: tuple[SupportFile, ...] = ()
    alt_goldens: tuple[AltGolden, ...] = ()


class TestOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: Text = ""
    outcome: Text = "unknown"  # passed | failed | error | skipped (anything else: unknown)
    message: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _from_anything(cls, data: object) -> object:
        """A test entry that is not a mapping (a bare id, say) is kept as that id."""
        if isinstance(data, (dict, TestOutcome)):
            return data
        return {"id": data}


class VariantRun(BaseModel):
    """One finished variant run as reported by the in-container runner."""

    model_config = ConfigDict(frozen=True)

    variant: Text  # "golden" or the mutant's name
    outcome: Outcome
    duration_ms: Count = 0
    tests: Annotated[tuple[TestOutcome, ...], BeforeValidator(_as_tuple)] = ()
    failed_tests: Texts = ()
    message: Text = ""
    budget_ms: Count = 0  # the time budget that applied to this run
    rechecked: bool = False  # a derived budget ran out while idle: let run on to the cap
    cpu_ms: Count = 0  # CPU time its container used during the run (0: not reported)
    # Set by the backend from the variant's key, never from its name (a mutant could be
    # called "golden").
    golden: bool = False
    flags: Texts = ()  # e.g. "introspects-code-under-test", seen at run time
    omitted_tests: int = 0  # set by the host: tests cut by the storage bound

    @property
    def is_golden(self) -> bool:
        return self.golden

    @classmethod
    def from_event(cls, event: dict[str, Any], variant: str, golden: bool) -> VariantRun:
        """A runner's ``variant`` event (the wire format of ``judge/runner.py``), parsed once on
        receipt: its outcome string becomes an :class:`Outcome` here and nowhere else.

        ``variant`` and ``golden`` come from the run's key, never from the event's text.
        An outcome string the host does not know raises ``ValueError``.
        """
        return cls(
            variant=variant,
            golden=golden,
            outcome=Outcome(event["outcome"]),
            duration_ms=int(event.get("duration_ms", 0)),
            tests=tuple(event.get("tests", ())),
            failed_tests=tuple(event.get("failed_tests", ())),
            message=str(event.get("message", "")),
            budget_ms=int(event.get("budget_ms", 0)),
            rechecked=bool(event.get("rechecked", False)),
            cpu_ms=int(event.get("cpu_ms", 0)),
            flags=tuple(str(flag) for flag in event.get("flags", ())),
        )


GOLDEN = "golden"


class GoldenResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    outcome: Outcome  # serialised as the runner's string ("passed", "failed", ...)
    duration_ms: Count = 0
    failed_tests: Texts = ()
    message: Text = ""
    omitted_tests: int = 0  # failing test ids cut from failed_tests (storage bound)


class MutantResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    weight: float
    status: MutantStatus
    duration_ms: Count = 0
    killed_by: Texts = ()
    message: Text = ""
    budget_ms: Count = 0  # which time budget applied (see docs/judge.md, "Time budgets")
    rechecked: bool = False
    tests: tuple[TestOutcome, ...] = ()  # per-test outcomes, for the kill matrix
    omitted_tests: int = 0  # tests cut from ``tests`` (and killed_by) by the storage bound


class Misconception(BaseModel):
    """A mutant whose behaviour a test that failed on golden expects, with its hint."""

    model_config = ConfigDict(frozen=True)

    mutant: Text
    hint: Text = ""


class JudgeResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    submission_id: str
    problem: str
    status: SubmissionStatus
    score: float
    killed_mutants: int
    total_mutants: int
    kill_ratio: float
    message: Text = ""
    flags: Texts = ()
    golden: GoldenResult | None = None
    mutants: tuple[MutantResult, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()  # on FAILURE (see service.misconceptions)

    def to_json_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["golden"] = data["golden"] or {"outcome": "not-run", "duration_ms": 0,
                                            "failed_tests": [], "message": ""}
        for mutant in data["mutants"]:
            mutant.pop("tests", None)
        return data
