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

from pydantic import BaseModel, ConfigDict, Field, field_validator

MANIFEST = "problem.toml"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SIGNATURE_RE = re.compile(r"^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(")
# Names a mutant may not take: "golden" names golden's run in the judge's results
# (``judging.models.GOLDEN``), so a mutant called that would stand in for it.
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
    function_signature: str
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
        if not SIGNATURE_RE.match(value):
            raise ValueError(f"must look like 'def name(args) -> type', got {value!r}")
        return value.strip()

    @property
    def function_name(self) -> str:
        match = SIGNATURE_RE.match(self.function_signature)
        assert match is not None  # guaranteed by the validator
        return match.group(1)


class MutantSource(BaseModel):
    """One mutant with its code, as stored in the catalog and sent to the judge."""

    model_config = ConfigDict(frozen=True)

    name: str
    source: str
    weight: float
    hint: str = ""
    equivalent: bool = False
    title: str = ""  # learner-facing, once caught or revealed; "" = the name


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

    @property
    def function_name(self) -> str:
        match = SIGNATURE_RE.match(self.function_signature)
        assert match is not None
        return match.group(1)

    @property
    def scored_mutants(self) -> tuple[MutantSource, ...]:
        """Mutants that count toward the score (``equivalent = true`` ones do not)."""
        return tuple(m for m in self.mutants if not m.equivalent)
