"""``qa-arena grade --broker``: the parts of the grade command that only a distributed run has.

Kept apart from :mod:`.grade_cmd` so that a local ``grade`` never imports Celery, and
so that the command reads the same either way: the batch, the resume state and the
reports are shared; only the judge differs (:class:`BrokerJudge` instead of the
local Docker one), plus the dead letters printed at the end.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from qa_arena_desktop.classroom.broker import MissingExtra, require_extra
from qa_arena_desktop.classroom.distributed import MAX_IN_FLIGHT, BrokerJudge, BrokerUnavailable
from qa_arena_desktop.classroom.invalid_tests import POLICIES
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.classroom.wire import BadBrokerUrl, Policy, check_broker_url
from qa_arena_desktop.cli.main import EXIT_JUDGE_ERROR
from qa_arena_desktop.console.output import error
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.text_safety import one_line

MAX_ATTEMPTS = 100


def check_broker_args(args: argparse.Namespace) -> str:
    """Why ``--broker``/``--max-attempts`` cannot be used (one line), or ``""``."""
    try:
        require_extra("--broker")
        check_broker_url(args.broker)
    except (MissingExtra, BadBrokerUrl) as exc:
        return str(exc)
    if not 1 <= args.max_attempts <= MAX_ATTEMPTS:
        return f"--max-attempts must be between 1 and {MAX_ATTEMPTS}, got {args.max_attempts}"
    return ""


def open_broker_judge(args: argparse.Namespace, pack: Pack, files: int,
                      invalid: str = "zero") -> tuple[BrokerJudge, int] | int:
    """The judge and how many files to keep in flight, or an exit code (no broker: 3).
    ``invalid`` (``--invalid``) travels with every task: the workers apply it."""

    def warn(line: str) -> None:
        error(line)

    assert invalid in POLICIES, invalid  # argparse's choices
    policy: Policy = "drop" if invalid == "drop" else "zero"

    try:
        judge = BrokerJudge(args.broker, pack, max_attempts=args.max_attempts, warn=warn,
                            invalid=policy)
    except BrokerUnavailable as exc:
        error(str(exc))
        return EXIT_JUDGE_ERROR
    workers = judge.workers()
    answered = f"{workers} worker(s) answered" if workers else \
        "no worker answered yet: the files wait in the queue until one starts"
    dropping = "; tests that fail on the correct code are dropped" if policy == "drop" else ""
    sys.stderr.write(f"grading {files} file(s) against {pack.slug} ({len(pack.scored_mutants)} "
                     f"mutants) through the broker at {judge.where}; {answered}{dropping}\n")
    return judge, max(1, min(files, MAX_IN_FLIGHT))


def report_dead_letters(judge: object, rows: Sequence[GradeRow]) -> None:
    """One line per file the workers gave up on (its row is ERROR, retried next run), and a
    count of refused messages (forged, malformed or duplicate completions)."""
    if not isinstance(judge, BrokerJudge):
        return
    reasons = {c.sha256: c.reason for c in judge.dead_letters}
    for row in rows:
        if row.sha256 in reasons and not row.reused:
            error(f"dead letter: {one_line(row.file)}: {one_line(reasons[row.sha256], 300)}")
    if judge.refused:
        error(f"ignored {len(judge.refused)} message(s) from the broker that were not a valid "
              "completion of this run (duplicates, malformed or forged)")
