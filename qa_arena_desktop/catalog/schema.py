"""The SQLite catalog's tables (SQLAlchemy 2.0 ORM).

Submissions and their per-mutant results are snapshots: they keep the problem
slug, mutant names and weights as judged, so editing or removing a pack never
rewrites a learner's history. ``SCHEMA_VERSION`` is bumped with every change
here, together with a step in :mod:`qa_arena_desktop.catalog.migrations`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SCHEMA_VERSION = 5  # v2: submission owner, attempts, pack hash; per-mutant time budget
# v3: CANCELLED submissions (were ERROR "cancelled before the judge finished"); pack source
# v4: a mutant's learner-facing title
# v5: problems.extras (kind, chapter, api, support files, further goldens)


class Base(DeclarativeBase):
    pass


class MetaRow(Base):
    """Small facts about the catalog itself (v2), e.g. the bundled packs' fingerprint."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ProblemRow(Base):
    __tablename__ = "problems"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(120))
    difficulty: Mapped[str] = mapped_column(String(16))
    function_signature: Mapped[str] = mapped_column(Text)
    description_md: Mapped[str] = mapped_column(Text)
    golden_source: Mapped[str] = mapped_column(Text)
    reference_tests: Mapped[str] = mapped_column(Text)
    time_limit_s: Mapped[float] = mapped_column(Float, default=5.0)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(16), default="bundled")  # bundled | imported
    source_path: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # v4: what later pack formats added (kind, chapter, api, support files, further goldens),
    # as one JSON document so that the next additions need no migration (store.pack_extras).
    extras: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    mutants: Mapped[list[MutantRow]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="MutantRow.position"
    )


class MutantRow(Base):
    """A hidden buggy implementation (the original spec's "buggy implementation")."""

    __tablename__ = "mutants"
    __table_args__ = (UniqueConstraint("problem_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float)
    hint: Mapped[str] = mapped_column(Text, default="")
    equivalent: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(Text, default="")  # v4

    problem: Mapped[ProblemRow] = relationship(back_populates="mutants")


class SubmissionRow(Base):
    __tablename__ = "submissions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    problem_slug: Mapped[str] = mapped_column(String(64), index=True)
    test_code: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    killed_mutants: Mapped[int] = mapped_column(Integer, default=0)
    total_mutants: Mapped[int] = mapped_column(Integer, default=0)
    kill_ratio: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    misconceptions: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # v3
    golden: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    execution_log: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Crash recovery (v2): who is judging it, how often it was started, what it was judged on.
    owner_pid: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    owner_host: Mapped[str] = mapped_column(String(255), default="", server_default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pack_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # where the pack was loaded from (a `--pack` folder or zip): a killed run is re-run from
    # there when its content hash still matches (v3)
    pack_source: Mapped[str] = mapped_column(String(4096), default="", server_default="")

    results: Mapped[list[MutantResultRow]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )


class MutantResultRow(Base):
    __tablename__ = "mutant_results"
    __table_args__ = (UniqueConstraint("submission_id", "mutant_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    mutant_name: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)  # the pack's order, set at finish
    weight: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    killed_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    tests: Mapped[list[dict]] = mapped_column(JSON, default=list)
    budget_ms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # v2
    rechecked: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # v2

    submission: Mapped[SubmissionRow] = relationship(back_populates="results")
