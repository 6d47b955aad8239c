"""Batch grading: many students' test files, one pack, a bounded pool of judge runs.

Each file is one job on a :class:`~concurrent.futures.ThreadPoolExecutor`; the
judging service and the catalog are thread-safe and each run has its own
container, so ``jobs`` is simply how many containers run at once. Results are
collected on the calling thread (``as_completed``), which alone writes the
resume state and calls ``on_progress``: no locks in callers, and the progress
order is the order files finish.

One broken or hostile submission never stops the batch: an unreadable file or
any exception while judging one file becomes an ERROR row with a message. A
KeyboardInterrupt cancels the runs in flight (their containers are removed by the
backend), drops the queued ones and propagates; everything graded before it is
already in the state, so the same command resumes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from qa_arena_desktop import env_settings
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.classroom.state import GradeState, file_key
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.judging.precheck import read_test_file

Judge = Callable[[Pack, bytes, threading.Event], JudgeResult]


class NoTestFiles(ValueError):
    """The paths named no test file at all (or a path does not exist)."""


@dataclass(frozen=True)
class Submission:
    """One student's file: where it is, and how the reports name it."""

    path: Path
    display: str

    @property
    def key(self) -> str:
        return file_key(self.path)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    row: GradeRow


def discover(paths: Iterable[str | Path]) -> list[Submission]:
    """Files as given, folders as their ``*.py`` files (sorted, not recursive); no duplicates.

    Raises :class:`NoTestFiles` for a path that does not exist or when nothing is found.
    """
    found: list[Submission] = []
    seen: set[str] = set()
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise NoTestFiles(f"no such file or folder: {', '.join(missing)}")
    for raw in paths:
        path = Path(raw)
        candidates = sorted(p for p in path.glob("*.py") if p.is_file()) if path.is_dir() else [path]
        for candidate in candidates:
            submission = Submission(candidate, str(candidate))
            if submission.key not in seen:
                seen.add(submission.key)
                found.append(submission)
    if not found:
        raise NoTestFiles("no test files found (a folder is graded as its *.py files)")
    return found


class ServiceJudge:
    """The real judge: one :class:`JudgingService` and one Docker backend shared by the pool.

    ``jobs`` submissions run at once, so each one gets ``cpus // jobs`` containers
    (the backend's shards) and the machine is not oversubscribed; ``QA_ARENA_SHARDS``
    still wins. :meth:`close` waits for the backend's background container removals,
    so nothing is left on the engine when the batch returns.
    """

    def __init__(self, catalog: Catalog, jobs: int = 1) -> None:
        from qa_arena_desktop.judging.docker_backend import DockerBackend
        from qa_arena_desktop.judging.service import JudgingService

        shards = None if env_settings.current().shards else max(1, (os.cpu_count() or 1) // max(1, jobs))
        self.backend = DockerBackend(shards=shards)
        self.service = JudgingService(catalog, self.backend)

    def __call__(self, pack: Pack, data: bytes, cancel: threading.Event) -> JudgeResult:
        return self.service.judge(pack, data, cancel=cancel)

    def close(self) -> None:
        self.backend.close()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


def grade_batch(
    pack: Pack,
    submissions: Sequence[Submission],
    judge: Judge,
    *,
    jobs: int = 2,
    state: GradeState | None = None,
    on_progress: Callable[[Progress], None] = lambda _progress: None,
    cancel: threading.Event | None = None,
) -> list[GradeRow]:
    """Grade every submission; returns one row per submission, in the given order."""
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    cancel = cancel or threading.Event()
    total_mutants = len(pack.scored_mutants)
    rows: dict[str, GradeRow] = {}
    done = 0

    def settle(submission: Submission, row: GradeRow) -> None:
        nonlocal done
        rows[submission.key] = row
        if state is not None and not row.reused:
            state.record(submission.key, row, pack.slug, pack.content_hash)
        done += 1
        on_progress(Progress(done, len(submissions), row))

    queued: list[tuple[Submission, bytes, str]] = []
    for submission in submissions:
        try:
            data = read_test_file(submission.path)
        except OSError as exc:
            settle(submission, GradeRow.error(
                submission.display, total_mutants, f"could not read the file ({_describe(exc)})"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        earlier = state.lookup(submission.key, digest, pack.slug, pack.content_hash,
                               submission.display) if state is not None else None
        if earlier is not None:
            settle(submission, earlier)
        else:
            queued.append((submission, data, digest))

    def grade_one(submission: Submission, data: bytes, digest: str) -> GradeRow:
        try:
            result = judge(pack, data, cancel)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            return GradeRow.error(submission.display, total_mutants,
                                  f"the judge failed on this file ({_describe(exc)})", digest)
        return GradeRow.from_result(submission.display, digest, result)

    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="qa-arena-grade")
    futures: dict[Future[GradeRow], Submission] = {}
    try:
        for submission, data, digest in queued:
            futures[executor.submit(grade_one, submission, data, digest)] = submission
        for future in as_completed(futures):
            submission = futures[future]
            settle(submission, future.result())  # grade_one never raises an Exception
    except BaseException:
        cancel.set()  # in-flight runs stop between events; their containers are removed
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return [rows[s.key] for s in submissions]
