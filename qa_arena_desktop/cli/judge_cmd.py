"""``qa-arena judge``: judge one test file, live output or one JSON object.

:func:`run_judge` judges in this process; :func:`judge_tests` is the part the judge
server shares (it brings its own long-lived catalog, backend and output streams).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.cli.main import EXIT_BAD_INPUT, EXIT_JUDGE_ERROR, EXIT_OK
from qa_arena_desktop.cli.output import LiveJudgeOutput, TextOut, error, print_json, say
from qa_arena_desktop.context import open_catalog
from qa_arena_desktop.judging import flags
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.models import JudgeResult
from qa_arena_desktop.judging.precheck import read_test_file
from qa_arena_desktop.judging.recovery import recover_interrupted
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.judging.verdicts import SubmissionStatus
from qa_arena_desktop.packs.loader import PackError, load_pack
from qa_arena_desktop.packs.model import Pack


def resolve_pack(args: argparse.Namespace, catalog: Catalog) -> Pack:
    """The pack named by --pack or --problem; raises PackError or UnknownProblem."""
    if args.pack:
        return load_pack(Path(args.pack))
    return store.get_pack(catalog, args.problem)


def summary_line(result: JudgeResult) -> str:
    if result.status is SubmissionStatus.SUCCESS:
        return (f"{result.problem}: SUCCESS  score {result.score:.1f}  "
                f"({result.killed_mutants}/{result.total_mutants} mutants killed)")
    return f"{result.problem}: {result.status.value}  score {result.score:.1f}  {result.message}"


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
            return judge_tests(args, read_test_file(tests_path), catalog, backend)
        finally:
            catalog.close()
    finally:
        backend.close()  # after the output: removing containers need not delay it


def judge_tests(args: argparse.Namespace, data: bytes, catalog: Catalog, backend: DockerBackend,
                out: TextOut | None = None, err: TextOut | None = None) -> int:
    """Judge ``data`` (the test file's bytes) against the pack ``args`` names; print the result."""
    try:
        pack = resolve_pack(args, catalog)
    except (PackError, store.UnknownProblem) as exc:
        error(str(exc), err)
        return EXIT_BAD_INPUT
    service = JudgingService(catalog, backend)
    recover_interrupted(catalog, service)
    listener = (lambda _event: None) if args.json else LiveJudgeOutput(out)
    result = service.judge(pack, data, listener)
    if args.json:
        print_json(result.to_json_dict(), out)
    else:
        say(summary_line(result), out)
        for line in flags.describe(result.flags):
            say(f"  flagged {line}", out)
        if result.status is SubmissionStatus.ERROR:
            error(result.message, err)
    return EXIT_JUDGE_ERROR if result.status is SubmissionStatus.ERROR else EXIT_OK
