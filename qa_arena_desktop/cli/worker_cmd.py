"""``qa-arena worker``: judge a lab's grading tasks on this machine's Docker engine.

``qa-arena worker --broker redis://HOST:PORT/N [--concurrency N] [--visibility-timeout S]``

Runs until Ctrl+C or SIGTERM (the files in hand are finished first). Before taking
any task it checks, like ``grade``, that the engine answers, has the judge image and
enforces the sandbox's limits, so a broken machine never turns a class into ERROR
rows. One line per completed file goes to stderr (the file's sha256 prefix: workers
never learn students' names).

Exit codes: 0 stopped, 2 bad input (URL, numbers) or the ``classroom`` extra missing,
3 no engine, no judge image or no broker, 130 Ctrl+C before it started.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket

from qa_arena_desktop.classroom.broker import MissingExtra, require_extra
from qa_arena_desktop.classroom.wire import BadBrokerUrl, check_broker_url, redacted
from qa_arena_desktop.cli.main import EXIT_BAD_INPUT, EXIT_JUDGE_ERROR
from qa_arena_desktop.console.output import error
from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.domain.judge_models import Limits

MAX_CONCURRENCY = 64


def run_worker_cmd(args: argparse.Namespace) -> int:
    try:
        require_extra("qa-arena worker")
        check_broker_url(args.broker)
    except (MissingExtra, BadBrokerUrl) as exc:
        error(str(exc))
        return EXIT_BAD_INPUT
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        error(f"--concurrency must be between 1 and {MAX_CONCURRENCY}, got {args.concurrency}")
        return EXIT_BAD_INPUT
    if not 5 <= args.visibility_timeout <= 86400:
        error(f"--visibility-timeout must be between 5 and 86400 seconds, got {args.visibility_timeout}")
        return EXIT_BAD_INPUT

    from qa_arena_desktop.classroom.batch import ServiceJudge
    from qa_arena_desktop.classroom.broker import connection_errors, make_app, redis_client
    from qa_arena_desktop.classroom.invalid_tests import DroppingJudge
    from qa_arena_desktop.classroom.worker import GradeWorker, register_task, run_worker
    from qa_arena_desktop.cli.grade_cmd import check_engine
    from qa_arena_desktop.context import open_catalog
    from qa_arena_desktop.judging import engine
    from qa_arena_desktop.judging.cleanup import sweep_leftovers

    try:
        check_engine(Limits())  # also removes containers left by a killed worker on this host
    except JudgeUnavailable as exc:
        error(str(exc))
        return EXIT_JUDGE_ERROR
    client = redis_client(args.broker)
    try:
        client.ping()
    except connection_errors() as exc:
        error(f"cannot reach the broker at {redacted(args.broker)} ({exc})")
        client.close()
        return EXIT_JUDGE_ERROR
    name = f"qa-arena-{os.getpid()}@{socket.gethostname()}"
    catalog, _ = open_catalog(sync=False)
    judge = ServiceJudge(catalog, args.concurrency)
    try:
        app = make_app(args.broker, args.visibility_timeout)
        # tasks of an --invalid drop run are judged as a local `grade --invalid drop` does
        register_task(app, GradeWorker(client, judge, name, drop=DroppingJudge(judge)))
        error(f"worker {name}: judging tasks from {redacted(args.broker)}, "
              f"{args.concurrency} at a time (Ctrl+C to stop)")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            error("running as root: in a lab, run workers under an account of their own "
                  "(docs/classroom.md, security model)")
        return run_worker(app, name, args.concurrency)
    finally:
        judge.close()  # waits for the last containers to be removed
        with contextlib.suppress(Exception):
            docker_client = engine.connect(timeout=10)
            try:
                sweep_leftovers(docker_client)  # a killed worker's, created after our start
            finally:
                docker_client.close()
        catalog.close()
        client.close()
