"""Judge one test file and print the result as ``qa-arena judge`` shows it.

Shared by the CLI judging in its own process (``cli/judge_cmd.py``) and the judge
server judging for a client (``judge_server/server.py``): both bring a catalog, a
backend and the streams to print to, and get the command's exit code back. Plain typed
arguments, no ``argparse``: the server has no command line to hand over.
"""

from __future__ import annotations

import threading
from pathlib import Path

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.console.output import LiveJudgeOutput, TextOut, error, print_json, say
from qa_arena_desktop.domain.backend import Backend
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.exit_codes import ExitCode
from qa_arena_desktop.judging import flags
from qa_arena_desktop.judging.bug_labels import judge_message, labels_for_result
from qa_arena_desktop.judging.recovery import recover_interrupted
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import PackError, load_pack
from qa_arena_desktop.practice.hints import hints_allowed
from qa_arena_desktop.practice.kill_matrix import idle_tests
from qa_arena_desktop.text_safety import one_line


def find_pack(catalog: Catalog, pack: str | Path | None, problem: str | None) -> Pack:
    """The pack in folder or zip ``pack``, else the catalog's problem ``problem``;
    raises PackError or UnknownProblem."""
    if pack:
        return load_pack(Path(pack))
    return store.get_pack(catalog, problem or "")


def summary_line(result: JudgeResult, message: str | None = None) -> str:
    """``message``: the result's message as the reader may see it (default: as stored)."""
    if result.status is SubmissionStatus.SUCCESS:
        return (f"{result.problem}: SUCCESS  score {result.score:.1f}  "
                f"({result.killed_mutants}/{result.total_mutants} mutants killed)")
    message = result.message if message is None else message
    return f"{result.problem}: {result.status.value}  score {result.score:.1f}  {message}"


def judge_tests(data: bytes, catalog: Catalog, backend: Backend, *,
                pack: str | Path | None = None, problem: str | None = None,
                as_json: bool = False, out: TextOut | None = None, err: TextOut | None = None,
                cancel: threading.Event | None = None) -> int:
    """Judge ``data`` (the test file's bytes) against ``pack`` (a folder or zip) or the
    catalog's ``problem``; print the result (``as_json``: one JSON object) to ``out``.

    ``cancel`` set during the run ends it CANCELLED (exit code 130)."""
    try:
        judged = find_pack(catalog, pack, problem)
    except (PackError, store.UnknownProblem) as exc:
        error(str(exc), err)
        return ExitCode.BAD_INPUT
    service = JudgingService(catalog, backend, explain_failures=hints_allowed())
    recover_interrupted(catalog, service)
    live = None if as_json else LiveJudgeOutput(out, judged.scored_mutants)
    result = service.judge(judged, data, live or (lambda _event: None), cancel)
    if live is not None:
        live.flush()
    if as_json:
        print_json(result.to_json_dict(), out)
    else:
        idle = idle_tests(result)  # before the summary, which stays the last line
        if idle:
            say(f"  tests that catch no bug: {', '.join(one_line(t, 80) for t in idle)}", out)
        # A judge fault names its mutant: as "Bug N" unless caught (judging/bug_labels.py).
        message = judge_message(result.message, labels_for_result(judged.scored_mutants, result))
        say(summary_line(result, message), out)
        for line in flags.describe(result.flags):
            say(f"  flagged {line}", out)
        for misconception in result.misconceptions:  # the mutants stay unnamed
            say(f"  your test expects the behaviour of a known misreading: "
                f"{one_line(misconception.hint, 300)}", out)
        if result.status is SubmissionStatus.ERROR:
            error(message, err)
    if result.status is SubmissionStatus.CANCELLED:
        return ExitCode.CANCELLED
    return ExitCode.JUDGE_ERROR if result.status is SubmissionStatus.ERROR else ExitCode.OK
