"""The problem pack as validated data: ``problem.toml`` and the files it names.

``ProblemManifest`` is the TOML document exactly as the author wrote it;
``Pack`` is the loaded pack with every file's text read in, ready for the
catalog or a judge run. Field rules follow ``DESIGN.md``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MANIFEST = "problem.toml"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SIGNATURE_RE = re.compile(r"^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(")
# A top-level name of an ``api`` block: ``def name(...)`` or ``class Name`` at column 0.
API_NAME_RE = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
# A support file: a module or a conftest.py next to the learner's tests (see docs/pack-format.md).
SUPPORT_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,40}\.py$")
# Names a support file may not take: the run's own two files.
RESERVED_SUPPORT_NAMES = frozenset({"target.py", "test_submission.py"})
# An alternative golden's variant name: never a valid mutant name (mutant names have no ':').
ALT_GOLDEN_PREFIX = "golden:"
# Names a mutant may not take: "golden" names golden's run in the judge's results
# (``domain.judge_models.GOLDEN``), so a mutant called that would stand in for it.
RESERVED_MUTANT_NAMES = frozenset({"golden"})
# What a student's report shows (docs/classroom.md, "Feedback profiles"); a pack may set
# its default with ``feedback = "graded"`` in problem.toml.
FeedbackProfile = Literal["practice", "graded", "exam"]


class Difficulty(StrEnum):
    VERY_EASY = "Very Easy"
    EASY = "Easy"
    MEDIUM = "Medium"
    HARD = "Hard"

    @property
    def rank(self) -> int:
        return list(Difficulty).index(self)


def _relative_file(value: str) -> str:
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or not value.strip():
        raise ValueError(f"must be a relative path inside the pack, got {value!r}")
    return value


class ProblemKind(StrEnum):
    """What the learner's tests exercise (docs/pack-format.md, "Problem kinds")."""

    FUNCTION = "function"  # one pure function
    CLASS = "class"  # a class with state: objects built and called in sequences
    ERRORS = "errors"  # exception types and messages are part of the contract
    DEPENDENCIES = "dependencies"  # a clock, random source, file system or client to replace
    PROPERTIES = "properties"  # properties (Hypothesis) catch what examples miss


class GoldenManifest(BaseModel):
    """A further correct implementation: the spec leaves ``clause`` open."""

    model_config = ConfigDict(extra="allow", frozen=True)

    file: str
    clause: str = Field(min_length=1, max_length=300)

    @field_validator("file")
    @classmethod
    def _file_inside_pack(cls, value: str) -> str:
        return _relative_file(value)


class MutantManifest(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    name: str = Field(pattern=SLUG_PATTERN, max_length=64)
    file: str
    weight: float = Field(gt=0, le=100)
    hint: str = ""
    equivalent: bool = False
    # What a learner sees once the bug is caught or revealed (the name otherwise); until
    # then every learner-facing view says "Bug N" (see judging/bug_labels.py).
    title: str = Field(default="", max_length=80)

    @field_validator("title")
    @classmethod
    def _title_one_line(cls, value: str) -> str:
        if any(ch in value for ch in "\r\n"):
            raise ValueError("must be one line")
        return value.strip()

    @field_validator("name")
    @classmethod
    def _name_not_reserved(cls, value: str) -> str:
        if value in RESERVED_MUTANT_NAMES:
            raise ValueError(f"{value!r} is reserved (it names the golden run); "
                             "give the mutant another name")
        return value

    @field_validator("file")
    @classmethod
    def _file_inside_pack(cls, value: str) -> str:
        return _relative_file(value)


class ProblemManifest(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    slug: str = Field(pattern=SLUG_PATTERN, max_length=64)
    title: str = Field(min_length=1, max_length=120)
    difficulty: Difficulty
    function_signature: str = ""  # required unless ``api`` is given
    api: str = Field(default="", max_length=4000)  # classes and functions, one block
    kind: ProblemKind = ProblemKind.FUNCTION
    chapter: str = Field(default="", pattern=r"^$|" + SLUG_PATTERN, max_length=64)
    support_files: list[str] = Field(default_factory=list, max_length=5)
    goldens: list[GoldenManifest] = Field(default_factory=list, max_length=4)
    description: str = "description.md"
    golden: str = "golden.py"
    reference_tests: str = "reference_tests.py"
    time_limit_s: float = Field(default=5.0, gt=0, le=60)
    tags: list[str] = Field(default_factory=list)
    feedback: FeedbackProfile | None = None  # optional: the default profile of student reports
    mutants: list[MutantManifest] = Field(min_length=1, max_length=50)

    @field_validator("description", "golden", "reference_tests")
    @classmethod
    def _files_inside_pack(cls, value: str) -> str:
        return _relative_file(value)

    @field_validator("function_signature")
    @classmethod
    def _signature_is_a_def(cls, value: str) -> str:
        if value and not SIGNATURE_RE.match(value):
            raise ValueError(f"must look like 'def name(args) -> type', got {value!r}")
        return value.strip()

    @field_validator("api")
    @classmethod
    def _api_names_something(cls, value: str) -> str:
        if value.strip() and not API_NAME_RE.search(value):
            raise ValueError("must declare at least one 'class Name' or 'def name(...)' "
                             "at the start of a line")
        return value.strip("\n")

    @field_validator("support_files")
    @classmethod
    def _support_names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not SUPPORT_NAME_RE.match(name) or name in RESERVED_SUPPORT_NAMES:
                raise ValueError(f"a support file is a module name such as 'helpers.py' or "
                                 f"'conftest.py' at the pack's top level, got {name!r}")
        if len(set(value)) != len(value):
            raise ValueError("a support file is listed twice")
        return value

    @model_validator(mode="after")
    def _declares_an_interface(self) -> ProblemManifest:
        if not self.function_signature and not self.api.strip():
            raise ValueError("give function_signature (one function) or api (classes and "
                             "functions)")
        return self

    @property
    def api_names(self) -> tuple[str, ...]:
        """The names the learner imports from ``target``, in order."""
        return _api_names(self.function_signature, self.api)

    @property
    def function_name(self) -> str:
        return self.api_names[0]


def _api_names(signature: str, api: str) -> tuple[str, ...]:
    names = [m.group(1) for m in (SIGNATURE_RE.match(signature),) if m]
    names += API_NAME_RE.findall(api)
    return tuple(dict.fromkeys(names))


class MutantSource(BaseModel):
    """One mutant with its code, as stored in the catalog and sent to the judge."""

    model_config = ConfigDict(frozen=True)

    name: str
    source: str
    weight: float
    hint: str = ""
    equivalent: bool = False
    title: str = ""  # learner-facing, once caught or revealed; "" = the name


class SupportFile(BaseModel):
    """A file the pack ships next to the learner's tests, the same for every variant."""

    model_config = ConfigDict(frozen=True)

    name: str
    text: str


class AltGolden(BaseModel):
    """A further correct implementation and the spec clause it reads differently."""

    model_config = ConfigDict(frozen=True)

    name: str  # ``golden:2``, ``golden:3``... (ALT_GOLDEN_PREFIX)
    source: str
    clause: str


class Pack(BaseModel):
    """A loaded, validated pack: plain data, safe to hand to any thread."""

    model_config = ConfigDict(frozen=True)

    slug: str
    title: str
    difficulty: Difficulty
    function_signature: str
    description_md: str
    golden_source: str
    reference_tests: str
    time_limit_s: float
    tags: tuple[str, ...]
    mutants: tuple[MutantSource, ...]
    origin: str  # the folder or zip it was loaded from
    content_hash: str
    # Not stored in the catalog: a catalog problem reads it back from its pack (see
    # classroom.feedback.pack_default).
    feedback: FeedbackProfile | None = None
    kind: ProblemKind = ProblemKind.FUNCTION
    chapter: str = ""
    api: str = ""
    support_files: tuple[SupportFile, ...] = ()
    alt_goldens: tuple[AltGolden, ...] = ()

    @property
    def api_names(self) -> tuple[str, ...]:
        return _api_names(self.function_signature, self.api) or ("solution",)

    @property
    def function_name(self) -> str:
        """The first name the learner imports (the function, or the API's first class)."""
        return self.api_names[0]

    @property
    def interface(self) -> str:
        """What the problem page shows: the signature, or the API block."""
        return self.api.strip("\n") or self.function_signature

    @property
    def scored_mutants(self) -> tuple[MutantSource, ...]:
        """Mutants that count toward the score (``equivalent = true`` ones do not)."""
        return tuple(m for m in self.mutants if not m.equivalent)
