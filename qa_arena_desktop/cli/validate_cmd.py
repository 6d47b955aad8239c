"""``qa-arena problems validate [DIR ...] [--json]``: prove packs with the real judge."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qa_arena_desktop import paths
from qa_arena_desktop.authoring.validation import PackValidation, validate_packs
from qa_arena_desktop.cli.main import EXIT_BAD_INPUT, EXIT_JUDGE_ERROR, EXIT_OK
from qa_arena_desktop.console.output import error, print_json
from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.exit_codes import ExitCode
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.packs.loader import pack_dirs

EXIT_INVALID = ExitCode.INVALID_PACKS  # at least one pack is not valid


def _targets(dirs: list[str]) -> list[Path]:
    if not dirs:
        return pack_dirs(paths.problems_dir())
    targets: list[Path] = []
    for name in dirs:
        path = Path(name)
        if (path / "problem.toml").is_file() or path.suffix == ".zip":
            targets.append(path)
        elif path.is_dir():
            targets.extend(pack_dirs(path))  # a folder of packs
        else:
            targets.append(path)  # reported by the loader as missing
    return targets


def _print_human(result: PackValidation) -> None:
    mark = "✓" if result.ok else "✗"
    details = []
    if result.min_killing_subset is not None:
        details.append(f"smallest killing subset {result.min_killing_subset}")
    if result.deterministic is not None:
        details.append("deterministic" if result.deterministic else "NOT deterministic")
    if result.examples_score is not None:
        ceiling = (f" (ceiling {result.examples_ceiling:g})"
                   if result.examples_ceiling is not None else "")
        details.append(f"examples-only score {result.examples_score:g}{ceiling}")
    elif result.examples == 0:
        details.append("no examples in the description")
    print(f"{mark} {result.slug}  {'  '.join(details)}", flush=True)
    for problem in result.errors:
        print(f"    - {problem}", flush=True)


def run_validate(args: argparse.Namespace) -> int:
    targets = _targets(args.dirs)
    if not targets:
        error("no packs found to validate")
        return EXIT_BAD_INPUT
    try:
        results = validate_packs(targets, DockerBackend(),
                                 progress=(lambda _r: None) if args.json else _print_human)
    except JudgeUnavailable as exc:
        if args.json:
            print_json({"ok": False, "error": str(exc), "packs": []})
        error(str(exc))
        return EXIT_JUDGE_ERROR
    ok = all(r.ok for r in results)
    if args.json:
        print_json({"ok": ok, "packs": [r.to_json_dict() for r in results]})
    else:
        failed = sum(1 for r in results if not r.ok)
        print(f"{len(results) - failed} of {len(results)} packs valid", file=sys.stdout)
    return EXIT_OK if ok else EXIT_INVALID
