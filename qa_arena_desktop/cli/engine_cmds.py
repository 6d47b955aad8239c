"""``qa-arena image build`` and ``qa-arena doctor``.

``image build`` streams its build log to stderr (progress) and prints the image it built
on stdout (the result), so ``qa-arena image build > built.txt`` holds only the outcome.
"""

from __future__ import annotations

import argparse
import sys

from qa_arena_desktop.cli.main import EXIT_JUDGE_ERROR, EXIT_OK
from qa_arena_desktop.console.output import error
from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.judging import engine
from qa_arena_desktop.judging.engine import IMAGE_LATEST, IMAGE_TAG
from qa_arena_desktop.judging.image import build_image, image_status
from qa_arena_desktop.judging.limits_check import ENFORCED_TEXT, UNENFORCED_FIX, check_limits


def run_image(args: argparse.Namespace) -> int:
    try:
        client = engine.connect()
        try:
            image_id = build_image(client, lambda line: print(line, file=sys.stderr, flush=True),
                                   base=args.base, mirror=args.mirror)
        finally:
            client.close()
    except JudgeUnavailable as exc:
        error(str(exc))
        return EXIT_JUDGE_ERROR
    print(f"built {IMAGE_TAG} and {IMAGE_LATEST} ({image_id or 'id not reported'})", flush=True)
    return EXIT_OK


def run_doctor(_args: argparse.Namespace) -> int:
    info = engine.engine_info()
    if not info.reachable:
        print(f"✗ Docker engine: {info.error}")
        print(f"  fix: {info.advice}")
        return EXIT_JUDGE_ERROR
    print(f"✓ Docker engine {info.version} (API {info.api_version}, cgroup v{info.cgroup_version})")
    client = engine.connect()
    try:
        status = image_status(client)
    finally:
        client.close()
    if status.problem:
        print(f"✗ {status.problem}")
        print("  fix: qa-arena image build")
        return EXIT_JUDGE_ERROR
    print(f"✓ judge image {status.tag} ({status.image_id[7:19]})")
    client = engine.connect()
    try:
        report = check_limits(client, use_cache=False)
    except JudgeUnavailable as exc:
        print(f"✗ sandbox limits: {exc}")
        return EXIT_JUDGE_ERROR
    finally:
        client.close()
    if not report.ok:
        for problem in report.problems():
            print(f"✗ {problem}")
        print(f"  fix: {UNENFORCED_FIX}")
        return EXIT_JUDGE_ERROR
    print(f"✓ {ENFORCED_TEXT}")
    print(f"  judge server: {judge_server_line()}")
    return EXIT_OK


def judge_server_line() -> str:
    from qa_arena_desktop.cli.server_cmd import current_status
    from qa_arena_desktop.judge_server import address

    if not address.enabled():
        return f"off ({address.SERVER_ENV}); `qa-arena judge` judges in its own process"
    try:
        status = current_status()
    except address.ServerUnavailable as exc:
        return f"unavailable ({exc}); `qa-arena judge` judges in its own process"
    if status is None:
        return "not running; the next `qa-arena judge` starts it"
    return (f"running (pid {status['pid']}, {status['judged']} judged, "
            f"{status['warm_containers']} warm containers)")
