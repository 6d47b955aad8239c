"""``qa-arena judge``: judge one test file, live output or one JSON object.

:func:`run_judge` judges in this process; the judging and printing itself is
:func:`qa_arena_desktop.console.judge.judge_tests`, which the judge server shares (it
brings its own long-lived catalog, backend and output streams).
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.cli.main import EXIT_BAD_INPUT
from qa_arena_desktop.console.judge import find_pack, judge_tests
from qa_arena_desktop.console.output import error
from qa_arena_desktop.context import open_catalog
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.precheck import read_test_file


def resolve_pack(args: argparse.Namespace, catalog: Catalog) -> Pack:
    """The pack named by --pack or --problem; raises PackError or UnknownProblem."""
    return find_pack(catalog, args.pack, args.problem)


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
            codes.append(judge_tests(data, catalog, backend, pack=args.pack, problem=args.problem,
                                     as_json=args.json, cancel=cancel))
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
