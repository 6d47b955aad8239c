"""``qa-arena judge``: judge one test file, live output or one JSON object.

:func:`run_judge` judges in this process; :func:`judge_tests` is the part the judge
server shares (it brings its own long-lived catalog, backend and output streams).
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.cli.main import EXIT_BAD_INPUT, EXIT_CANCELLED, EXIT_JUDGE_ERROR, EXIT_OK
from qa_arena_desktop.cli.output import LiveJudgeOutput, TextOut, error, one_line, print_json, say
from qa_arena_desktop.context import open_catalog
from qa_arena_desktop.judging import flags
from qa_arena_desktop.judging.bug_labels import judge_message, labels_for_result
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.models import JudgeResult
from qa_arena_desktop.judging.precheck import read_test_file
from qa_arena_desktop.judging.recovery import recover_interrupted
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.judging.verdicts import SubmissionStatus
from qa_arena_desktop.packs.loader import PackError, load_pack
from qa_arena_desktop.packs.model import Pack
from qa_arena_desktop.practice.hints import hints_allowed
from qa_arena_desktop.practice.kill_matrix import idle_tests


def resolve_pack(args: argparse.Namespace, catalog: Catalog) -> Pack:
    """The pack named by --pack or --problem; raises PackError or UnknownProblem."""
    if args.pack:
        return load_pack(Path(args.pack))
    return store.get_pack(catalog, args.problem)


def summary_line(result: JudgeResult, message: str | None = None) -> str:
    """``message``: the result's message as the reader may see it (default: as stored)."""
    if result.status is SubmissionStatus.SUCCESS:
        return (f"{result.problem}: SUCCESS  score {result.score:.1f}  "
                f"({result.killed_mutants}/{result.total_mutants} mutants killed)")
    message = result.message if message is None else message
    return f"{result.problem}: {result.status.value}  score {result.score:.1f}  {message}"


def run_judge(args: argparse.Namespace, backend: DockerBackend | None = None) -> int:
    """Judge in this process: open the catalog, judge, print, remove the containers."""
    backend = backend or DockerBackend()
    try:
        tests_path = Path(args.tests)
        if not tests_path.is_file():
            error(f"test file not found: {tests_path}")
            return EXIT_BAD_INPUT
        catalog, _ = open_catalog(sync=not args.pack)
        try:
            return _judge_until_done(args, read_test_file(tests_path), catalog, backend)
        finally:
            catalog.close()
    finally:
        backend.close()  # after the output: removing containers need not delay it


def _judge_until_done(args: argparse.Namespace, data: bytes, catalog: Catalog,
                      backend: DockerBackend) -> int:
    """Judge in a worker thread, so Ctrl+C in this one cancels the run cleanly: the
    submission ends CANCELLED (its containers removed) and the exit code is 130.

    The first SIGINT only sets the cancel event (a handler, not KeyboardInterrupt, so it
    cannot land between two statements of this loop and leave the worker running while
    the containers are closed); a second one quits at once."""
    cancel = threading.Event()
    codes: list[int] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            codes.append(judge_tests(args, data, catalog, backend, cancel=cancel))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            failures.append(exc)

    def on_sigint(_signum: int, _frame: object) -> None:
        if cancel.is_set():  # a second Ctrl+C: stop waiting for the containers to go
            raise KeyboardInterrupt
        cancel.set()
        error("cancelling: stopping the judge containers (Ctrl+C again to quit at once)")

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if in_main_thread else None
    try:
        worker = threading.Thread(target=work, name="qa-arena-judge", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous)
    if failures:
        raise failures[0]
    return codes[0]  # EXIT_CANCELLED when the cancel reached the run


def judge_tests(args: argparse.Namespace, data: bytes, catalog: Catalog, backend: DockerBackend,
                out: TextOut | None = None, err: TextOut | None = None,
                cancel: threading.Event | None = None) -> int:
    """Judge ``data`` (the test file's bytes) against the pack ``args`` names; print the result.

    ``cancel`` set during the run ends it CANCELLED (exit code 130)."""
    try:
        pack = resolve_pack(args, catalog)
    except (PackError, store.UnknownProblem) as exc:
        error(str(exc), err)
        return EXIT_BAD_INPUT
    service = JudgingService(catalog, backend, explain_failures=hints_allowed())
    recover_interrupted(catalog, service)
    live = None if args.json else LiveJudgeOutput(out, pack.scored_mutants)
    result = service.judge(pack, data, live or (lambda _event: None), cancel)
    if live is not None:
        live.flush()
    if args.json:
        print_json(result.to_json_dict(), out)
    else:
        idle = idle_tests(result)  # before the summary, which stays the last line
        if idle:
            say(f"  tests that catch no bug: {', '.join(one_line(t, 80) for t in idle)}", out)
        # A judge fault names its mutant: as "Bug N" unless caught (judging/bug_labels.py).
        message = judge_message(result.message, labels_for_result(pack.scored_mutants, result))
        say(summary_line(result, message), out)
        for line in flags.describe(result.flags):
            say(f"  flagged {line}", out)
        for misconception in result.misconceptions:  # the mutants stay unnamed
            say(f"  your test expects the behaviour of a known misreading: "
                f"{one_line(misconception.hint, 300)}", out)
        if result.status is SubmissionStatus.ERROR:
            error(message, err)
    if result.status is SubmissionStatus.CANCELLED:
        return EXIT_CANCELLED
    return EXIT_JUDGE_ERROR if result.status is SubmissionStatus.ERROR else EXIT_OK
