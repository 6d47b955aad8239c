"""Who is judging a submission, and what happens to one whose judge died.

A submission records its owner (PID and host). Claiming it for a run is atomic
(one write transaction): PENDING -> RUNNING for a new run, or a RUNNING
submission whose owner process is gone is taken over for one re-run. Two app
instances on one data dir therefore never judge the same submission at once,
and a crash leaves nothing that the next start cannot finish.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from sqlalchemy import select

from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.catalog.schema import SubmissionRow
from qa_arena_desktop.catalog.store import owner, utcnow
from qa_arena_desktop.domain.verdicts import SubmissionStatus, check_transition
from qa_arena_desktop.processes import pid_alive


class SubmissionBusy(RuntimeError):
    """Another live process is judging this submission."""


def _alive(pid: int, host: str) -> bool:
    if host != socket.gethostname():
        return True  # cannot tell: another machine's process is assumed alive
    return pid_alive(pid)


def _orphaned(row: SubmissionRow) -> bool:
    return (
        not SubmissionStatus(row.status).is_terminal
        and (row.owner_pid, row.owner_host) != owner()
        and not _alive(row.owner_pid, row.owner_host)
    )


def claim_submission(catalog: Catalog, submission_id: str, total_mutants: int) -> int:
    """Take the submission for a run by this process; returns the attempt number (1, 2, ...)."""
    pid, host = owner()
    with catalog.write() as session:
        row = session.get(SubmissionRow, submission_id)
        if row is None:
            raise LookupError(f"no submission {submission_id!r}")
        status = SubmissionStatus(row.status)
        if status is SubmissionStatus.RUNNING:
            if not _orphaned(row):
                raise SubmissionBusy(f"submission {submission_id} is being judged by process "
                                     f"{row.owner_pid} on {row.owner_host}")
        elif status is SubmissionStatus.PENDING:
            if (row.owner_pid, row.owner_host) != (pid, host) and not _orphaned(row):
                raise SubmissionBusy(f"submission {submission_id} belongs to process "
                                     f"{row.owner_pid} on {row.owner_host}")
            check_transition(status, SubmissionStatus.RUNNING)
        else:
            check_transition(status, SubmissionStatus.RUNNING)  # raises: terminal
        row.status = SubmissionStatus.RUNNING.value
        row.owner_pid, row.owner_host = pid, host
        row.attempts += 1
        row.total_mutants = total_mutants
        row.started_at = utcnow()
        return row.attempts


@dataclass(frozen=True)
class Orphan:
    id: str
    problem: str
    test_code: str
    pack_hash: str
    attempts: int
    status: SubmissionStatus
    pack_source: str = ""


def orphaned_submissions(catalog: Catalog) -> list[Orphan]:
    """Non-terminal submissions whose owner process on this host is gone."""
    with catalog.read() as session:
        rows = session.scalars(
            select(SubmissionRow).where(SubmissionRow.status.in_(
                [SubmissionStatus.PENDING.value, SubmissionStatus.RUNNING.value]))
            .order_by(SubmissionRow.created_at)
        )
        return [
            Orphan(id=r.id, problem=r.problem_slug, test_code=r.test_code, pack_hash=r.pack_hash,
                   attempts=r.attempts, status=SubmissionStatus(r.status),
                   pack_source=r.pack_source)
            for r in rows if _orphaned(r)
        ]


def fail_interrupted(catalog: Catalog, submission_id: str, reason: str) -> bool:
    """End an orphaned submission as ERROR; False when someone else took it meanwhile."""
    with catalog.write() as session:
        row = session.get(SubmissionRow, submission_id)
        if row is None or not _orphaned(row):
            return False
        check_transition(SubmissionStatus(row.status), SubmissionStatus.ERROR)
        row.status = SubmissionStatus.ERROR.value
        row.score = 0.0
        row.message = f"interrupted: {reason}"
        row.execution_log = (row.execution_log + f"\ninterrupted: {reason}").strip()
        row.finished_at = utcnow()
        return True
