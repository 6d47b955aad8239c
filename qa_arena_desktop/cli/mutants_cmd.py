"""``qa-arena mutants generate GOLDEN.py [--tests REF.py [--support FILE ...]] [--json]``: candidate mutants.

Without ``--tests`` it needs no Docker engine (verdicts are ``null``). With it, the
candidates are judged against REF.py in one run of the real judge. ``--json``
prints exactly ``{"candidates": [{"operator", "line", "diff", "source",
"verdict"}]}`` (DESIGN.md). Exit codes: 0 done, 2 bad input (missing file,
golden or tests that do not compile), 3 no engine or image (ERROR). When golden
fails its reference tests the candidates are still printed, without verdicts,
the reason goes to stderr, and the exit code is 2 (the input is wrong).
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

from qa_arena_desktop.authoring.checking import CandidateCheck, check_candidates
from qa_arena_desktop.authoring.mutation import Candidate, GoldenError, generate_candidates
from qa_arena_desktop.cli.main import EXIT_BAD_INPUT, EXIT_JUDGE_ERROR, EXIT_OK
from qa_arena_desktop.console.output import error, print_json
from qa_arena_desktop.domain.pack import RESERVED_SUPPORT_NAMES, SUPPORT_NAME_RE, SupportFile


def _read(path_text: str, what: str) -> str | None:
    path = Path(path_text)
    if not path.is_file():
        error(f"no such {what} file: {path}")
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        error(f"cannot read {what} file {path}: {exc}")
        return None


def _support(paths: list[str]) -> tuple[SupportFile, ...] | None:
    """The ``--support`` files (helpers or a conftest.py the tests import), by file name."""
    found: list[SupportFile] = []
    for path_text in paths:
        name = Path(path_text).name
        if not SUPPORT_NAME_RE.match(name) or name in RESERVED_SUPPORT_NAMES:
            error(f"--support {path_text}: a support file is a module such as helpers.py or "
                  "conftest.py (not target.py or test_submission.py)")
            return None
        if name in {f.name for f in found}:
            error(f"--support {path_text}: two support files are named {name}")
            return None
        text = _read(path_text, "support")
        if text is None:
            return None
        found.append(SupportFile(name=name, text=text))
    return tuple(found)


def _check(golden: str, tests: str, candidates: list[Candidate],
           support: tuple[SupportFile, ...]) -> CandidateCheck:
    from qa_arena_desktop.judging.docker_backend import DockerBackend

    # keep_warm: golden's container stays for the candidates' batch (one container start
    # fewer); close() removes it.
    backend = DockerBackend(keep_warm=True)
    try:
        return check_candidates(golden, tests, candidates, backend, support_files=support)
    finally:
        backend.close()


def _print_human(candidates: list[Candidate], verdicts: list[str | None]) -> None:
    for index, (candidate, verdict) in enumerate(zip(candidates, verdicts, strict=True), start=1):
        tail = f"  {verdict}" if verdict else ""
        print(f"#{index} {candidate.operator} line {candidate.line}: {candidate.description}{tail}")
        print(candidate.diff.rstrip("\n"))
        print()
    counted = [v for v in verdicts if v]
    summary = f"{len(candidates)} candidate(s)"
    if counted:
        summary += (f": {counted.count('KILLED')} killed, {counted.count('SURVIVED')} survived "
                    "(possibly equivalent, or a gap in the reference tests)")
    print(summary, flush=True)


def run_mutants_generate(args: argparse.Namespace) -> int:
    golden = _read(args.golden, "golden")
    if golden is None:
        return EXIT_BAD_INPUT
    try:
        candidates = generate_candidates(golden)
    except GoldenError as exc:
        error(str(exc).replace("golden.py", str(args.golden), 1))
        return EXIT_BAD_INPUT
    verdicts: list[str | None] = [None] * len(candidates)
    code = EXIT_OK
    if args.tests:
        tests = _read(args.tests, "reference tests")
        if tests is None:
            return EXIT_BAD_INPUT
        try:
            ast.parse(tests)
        except SyntaxError as exc:
            error(f"{args.tests} does not compile: line {exc.lineno}: {exc.msg}")
            return EXIT_BAD_INPUT
        support = _support(args.support or [])
        if support is None:
            return EXIT_BAD_INPUT
        from qa_arena_desktop.domain.backend import JudgeUnavailable

        try:
            check = _check(golden, tests, candidates, support)
        except JudgeUnavailable as exc:
            error(str(exc).splitlines()[0])
            return EXIT_JUDGE_ERROR
        verdicts = list(check.verdicts)
        if not check.golden_passed:
            error(f"{check.message} (no verdicts)")
            code = EXIT_BAD_INPUT
        elif check.message:
            error(check.message)
    if args.json:
        print_json({"candidates": [
            {"operator": c.operator, "line": c.line, "diff": c.diff, "source": c.source,
             "verdict": v} for c, v in zip(candidates, verdicts, strict=True)]})
    else:
        _print_human(candidates, verdicts)
    return code
