"""Catalog reads and writes as plain data: every function opens its own short session.

Nothing here returns an ORM object: callers (worker threads, the GUI, the CLI)
get frozen pydantic records they can keep and pass around.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.catalog.schema import (
    MetaRow,
    MutantResultRow,
    MutantRow,
    ProblemRow,
    SubmissionRow,
)
from qa_arena_desktop.domain.judge_models import (
    GoldenResult,
    JudgeResult,
    Misconception,
    MutantResult,
    TestOutcome,
)
from qa_arena_desktop.domain.pack import (
    AltGolden,
    Difficulty,
    MutantSource,
    Pack,
    ProblemKind,
    SupportFile,
)
from qa_arena_desktop.domain.verdicts import (
    JUDGED,
    MutantStatus,
    SubmissionStatus,
    check_transition,
)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def owner() -> tuple[int, str]:
    """This process, as recorded on the submissions it judges."""
    return os.getpid(), socket.gethostname()


class UnknownProblem(LookupError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"no problem with slug {slug!r} (see `qa-arena problems list`)")
        self.slug = slug


class UnknownSubmission(LookupError):
    pass


class ProblemSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    slug: str
    title: str
    difficulty: Difficulty
    mutants: int
    tags: tuple[str, ...]
    best_score: float | None
    attempts: int
    origin: str
    chapter: str = ""

    @property
    def solved(self) -> bool:
        return self.best_score is not None and self.best_score >= 100.0


class SubmissionSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    problem: str
    status: SubmissionStatus
    score: float | None
    killed_mutants: int
    total_mutants: int
    created_at: datetime
    finished_at: datetime | None
    message: str = ""


class SubmissionDetail(BaseModel):
    model_config = ConfigDict(frozen=True)

    summary: SubmissionSummary
    test_code: str
    execution_log: str
    result: JudgeResult | None  # None until the submission reached a terminal state


# ---- meta -----------------------------------------------------------------------------------


def get_meta(catalog: Catalog, key: str) -> str | None:
    with catalog.read() as session:
        row = session.get(MetaRow, key)
        return row.value if row is not None else None


def set_meta(catalog: Catalog, key: str, value: str) -> None:
    with catalog.write() as session:
        row = session.get(MetaRow, key)
        if row is None:
            session.add(MetaRow(key=key, value=value))
        else:
            row.value = value


# ---- problems -------------------------------------------------------------------------------


def upsert_pack(catalog: Catalog, pack: Pack, origin: str = "bundled") -> str:
    """Insert or update a problem from a pack: "added", "updated" or "unchanged"."""
    with catalog.write() as session:
        row = session.scalar(
            select(ProblemRow).where(ProblemRow.slug == pack.slug).options(
                selectinload(ProblemRow.mutants)
            )
        )
        if row is not None and row.content_hash == pack.content_hash and row.origin == origin:
            return "unchanged"
        outcome = "updated" if row is not None else "added"
        if row is None:
            row = ProblemRow(slug=pack.slug)
            session.add(row)
        row.title = pack.title
        row.difficulty = pack.difficulty.value
        row.function_signature = pack.function_signature
        row.description_md = pack.description_md
        row.golden_source = pack.golden_source
        row.reference_tests = pack.reference_tests
        row.time_limit_s = pack.time_limit_s
        row.tags = list(pack.tags)
        row.content_hash = pack.content_hash
        row.origin = origin
        row.source_path = pack.origin
        row.updated_at = utcnow()
        row.extras = pack_extras(pack)
        row.mutants.clear()
        session.flush()
        for position, mutant in enumerate(pack.mutants):
            row.mutants.append(
                MutantRow(position=position, name=mutant.name, source=mutant.source,
                          weight=mutant.weight, hint=mutant.hint, equivalent=mutant.equivalent,
                          title=mutant.title)
            )
        return outcome


def remove_problems(catalog: Catalog, slugs: set[str]) -> None:
    """Delete problems (never their submissions, which are snapshots)."""
    if not slugs:
        return
    with catalog.write() as session:
        for row in session.scalars(select(ProblemRow).where(ProblemRow.slug.in_(slugs))):
            session.delete(row)


def problem_slugs(catalog: Catalog, origin: str | None = None) -> set[str]:
    with catalog.read() as session:
        query = select(ProblemRow.slug)
        if origin is not None:
            query = query.where(ProblemRow.origin == origin)
        return set(session.scalars(query))


def list_problems(catalog: Catalog) -> list[ProblemSummary]:
    with catalog.read() as session:
        # Only judged runs count (verdicts.JUDGED): a cancelled run, or one the judge could
        # not do, is neither an attempt nor a score; a FAILURE is a try that scored 0.
        judged = SubmissionRow.status.in_([status.value for status in JUDGED])
        tried = session.execute(
            select(SubmissionRow.problem_slug, func.max(SubmissionRow.score),
                   func.count(SubmissionRow.id))
            .where(judged)
            .group_by(SubmissionRow.problem_slug)
        ).all()
        best = {slug: float(top or 0.0) for slug, top, _count in tried}
        attempts = {slug: count for slug, _top, count in tried}
        scored = dict(
            session.execute(
                select(MutantRow.problem_id, func.count(MutantRow.id))
                .where(MutantRow.equivalent.is_(False))
                .group_by(MutantRow.problem_id)
            ).all()
        )
        # Only the columns the browser shows: not the golden, tests or mutant sources.
        rows = session.execute(
            select(ProblemRow.id, ProblemRow.slug, ProblemRow.title, ProblemRow.difficulty,
                   ProblemRow.tags, ProblemRow.origin,
                   func.json_extract(ProblemRow.extras, "$.chapter").label("chapter"))
        ).all()
        summaries = [
            ProblemSummary(
                slug=row.slug, title=row.title, difficulty=Difficulty(row.difficulty),
                mutants=scored.get(row.id, 0), tags=tuple(row.tags),
                best_score=best.get(row.slug), attempts=attempts.get(row.slug, 0),
                origin=row.origin, chapter=str(row.chapter or ""),
            )
            for row in rows
        ]
    return sorted(summaries, key=lambda p: (p.difficulty.rank, p.title.lower()))


def get_pack(catalog: Catalog, slug: str) -> Pack:
    with catalog.read() as session:
        row = session.scalar(
            select(ProblemRow).where(ProblemRow.slug == slug).options(
                selectinload(ProblemRow.mutants)
            )
        )
        if row is None:
            raise UnknownProblem(slug)
        return Pack(
            slug=row.slug, title=row.title, difficulty=Difficulty(row.difficulty),
            function_signature=row.function_signature, description_md=row.description_md,
            golden_source=row.golden_source, reference_tests=row.reference_tests,
            time_limit_s=row.time_limit_s, tags=tuple(row.tags),
            mutants=tuple(
                MutantSource(name=m.name, source=m.source, weight=m.weight, hint=m.hint,
                             equivalent=m.equivalent, title=m.title or "")
                for m in row.mutants
            ),
            origin=row.source_path, content_hash=row.content_hash,
            **_extras_fields(row.extras),
        )


def pack_extras(pack: Pack) -> dict:
    """The pack's fields beyond the first format's, as the ``extras`` JSON column keeps them."""
    return {"kind": pack.kind.value, "chapter": pack.chapter, "api": pack.api,
            "support_files": [f.model_dump() for f in pack.support_files],
            "alt_goldens": [g.model_dump() for g in pack.alt_goldens]}


def _extras_fields(extras: object) -> dict:
    """``Pack`` fields from an ``extras`` document (an older row has none: the defaults)."""
    if not isinstance(extras, dict):
        return {}
    return {
        "kind": ProblemKind(extras.get("kind") or ProblemKind.FUNCTION.value),
        "chapter": str(extras.get("chapter") or ""), "api": str(extras.get("api") or ""),
        "support_files": tuple(SupportFile.model_validate(f)
                               for f in extras.get("support_files") or ()),
        "alt_goldens": tuple(AltGolden.model_validate(g) for g in extras.get("alt_goldens") or ()),
    }


# ---- submissions ----------------------------------------------------------------------------


def create_submission(catalog: Catalog, submission_id: str, problem: str, test_code: str,
                      pack_hash: str = "", pack_source: str = "") -> bool:
    """Persist a PENDING submission owned by this process; False when the id already exists."""
    pid, host = owner()
    with catalog.write() as session:
        if session.get(SubmissionRow, submission_id) is not None:
            return False
        session.add(
            SubmissionRow(
                id=submission_id, problem_slug=problem, test_code=test_code,
                status=SubmissionStatus.PENDING.value, created_at=utcnow(),
                owner_pid=pid, owner_host=host, attempts=0, pack_hash=pack_hash,
                pack_source=pack_source[:4096],
            )
        )
        return True


def record_mutant_result(catalog: Catalog, submission_id: str, result: MutantResult) -> None:
    """Store one mutant's verdict; the (submission, mutant) key makes a repeat a no-op update."""
    with catalog.write() as session:
        row = _submission(session, submission_id)
        if SubmissionStatus(row.status).is_terminal:
            return
        existing = session.scalar(
            select(MutantResultRow).where(
                MutantResultRow.submission_id == submission_id,
                MutantResultRow.mutant_name == result.name,
            )
        )
        if existing is None:
            existing = MutantResultRow(submission_id=submission_id, mutant_name=result.name)
            session.add(existing)
        existing.weight = result.weight
        existing.status = result.status.value
        existing.duration_ms = result.duration_ms
        existing.killed_by = list(result.killed_by)
        existing.message = result.message
        existing.budget_ms = result.budget_ms
        existing.rechecked = result.rechecked
        existing.tests = _tests_json(result)


def record_golden(catalog: Catalog, submission_id: str, golden: GoldenResult) -> None:
    with catalog.write() as session:
        row = _submission(session, submission_id)
        if not SubmissionStatus(row.status).is_terminal:
            row.golden = golden.model_dump(mode="json")


def finish_submission(catalog: Catalog, result: JudgeResult, execution_log: str = "") -> None:
    """Move a submission to its terminal state with its totals, in one transaction."""
    with catalog.write() as session:
        row = _submission(session, result.submission_id)
        check_transition(SubmissionStatus(row.status), result.status)
        row.status = result.status.value
        row.score = result.score
        row.killed_mutants = result.killed_mutants
        row.total_mutants = result.total_mutants
        row.kill_ratio = result.kill_ratio
        row.message = result.message
        row.flags = list(result.flags)
        row.misconceptions = [m.model_dump() for m in result.misconceptions]
        row.golden = result.golden.model_dump(mode="json") if result.golden else None
        row.execution_log = execution_log[-200_000:]
        row.finished_at = utcnow()
        positions = {m.name: index for index, m in enumerate(result.mutants)}
        for stored in session.scalars(
            select(MutantResultRow).where(MutantResultRow.submission_id == result.submission_id)
        ):
            if stored.mutant_name in positions:
                stored.position = positions[stored.mutant_name]
            else:
                session.delete(stored)


def _tests_json(result: MutantResult) -> list[dict[str, Any]]:
    """The per-test outcomes as stored; a trailing ``{"omitted": n}`` notes the tests the
    judging service cut (see ``judging/detail_bounds.py``)."""
    stored: list[dict[str, Any]] = [t.model_dump() for t in result.tests]
    if result.omitted_tests:
        stored.append({"omitted": result.omitted_tests})
    return stored


def _tests_from_json(stored: list[dict[str, Any]] | None) -> tuple[TestOutcome, ...]:
    return tuple(TestOutcome.model_validate(t) for t in stored or ()
                 if not (isinstance(t, dict) and "omitted" in t))


def _omitted_from_json(stored: list[dict[str, Any]] | None) -> int:
    return sum(int(t["omitted"]) for t in stored or ()
               if isinstance(t, dict) and "omitted" in t)


def _submission(session, submission_id: str) -> SubmissionRow:
    row = session.get(SubmissionRow, submission_id)
    if row is None:
        raise UnknownSubmission(f"no submission {submission_id!r}")
    return row


def _summary(row: SubmissionRow) -> SubmissionSummary:
    return SubmissionSummary(
        id=row.id, problem=row.problem_slug, status=SubmissionStatus(row.status), score=row.score,
        killed_mutants=row.killed_mutants, total_mutants=row.total_mutants,
        created_at=row.created_at, finished_at=row.finished_at, message=row.message,
    )


def list_submissions(catalog: Catalog, problem: str | None = None) -> list[SubmissionSummary]:
    with catalog.read() as session:
        query = select(SubmissionRow).order_by(SubmissionRow.created_at.desc())
        if problem is not None:
            query = query.where(SubmissionRow.problem_slug == problem)
        return [_summary(row) for row in session.scalars(query)]


def get_submission(catalog: Catalog, submission_id: str) -> SubmissionDetail:
    with catalog.read() as session:
        row = session.scalar(
            select(SubmissionRow).where(SubmissionRow.id == submission_id).options(
                selectinload(SubmissionRow.results)
            )
        )
        if row is None:
            raise UnknownSubmission(f"no submission {submission_id!r}")
        result = None
        if SubmissionStatus(row.status).is_terminal:
            result = JudgeResult(
                submission_id=row.id, problem=row.problem_slug, status=SubmissionStatus(row.status),
                score=row.score or 0.0, killed_mutants=row.killed_mutants,
                total_mutants=row.total_mutants, kill_ratio=row.kill_ratio, message=row.message,
                flags=tuple(row.flags or ()),
                misconceptions=tuple(Misconception.model_validate(m)
                                     for m in row.misconceptions or ()),
                golden=GoldenResult.model_validate(row.golden) if row.golden else None,
                mutants=tuple(
                    MutantResult(
                        name=r.mutant_name, weight=r.weight, status=MutantStatus(r.status),
                        duration_ms=r.duration_ms, killed_by=tuple(r.killed_by),
                        message=r.message, budget_ms=r.budget_ms, rechecked=r.rechecked,
                        tests=_tests_from_json(r.tests), omitted_tests=_omitted_from_json(r.tests),
                    )
                    for r in sorted(row.results, key=lambda r: r.position)
                ),
            )
        return SubmissionDetail(
            summary=_summary(row), test_code=row.test_code, execution_log=row.execution_log,
            result=result,
        )
