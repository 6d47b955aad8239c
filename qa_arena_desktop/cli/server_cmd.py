"""``qa-arena server start|stop|status``: the judge server that keeps ``qa-arena judge`` warm."""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from qa_arena_desktop.cli.main import EXIT_JUDGE_ERROR
from qa_arena_desktop.judge_server import address as addresses
from qa_arena_desktop.judge_server import client

STOP_WAIT_S = 150.0


def _ask(socket_path: Path, op: str) -> dict[str, Any] | None:
    """Send ``op`` to the server at ``socket_path``; its status document (for status), {}
    otherwise, None when nothing answers there."""
    sock = client.connect(socket_path)
    if sock is None:
        return None
    replies: list[dict[str, Any]] = []
    client.exchange(sock, {"op": op}, replies.append)
    for reply in replies:
        if "status" in reply:
            return dict(reply["status"])
    return {}


def current_status() -> dict[str, Any] | None:
    """The status of the server for the current settings, or None when none runs."""
    return _ask(addresses.address().socket, "status")


def _describe(status: dict[str, Any], current: bool) -> str:
    started = datetime.fromtimestamp(status["started_at"]).strftime("%Y-%m-%d %H:%M:%S")
    mark = "  (these settings)" if current else ""
    engine = status["docker_host"] or "local engine"
    return (f"pid {status['pid']}  since {started}  judged {status['judged']}  "
            f"running {status['active']}  warm containers {status['warm_containers']}  "
            f"idle timeout {status['idle_timeout_s']:g} s{mark}\n"
            f"    data dir {status['data_dir']}  engine {engine}\n    log {status['log']}")


def run_server(args: argparse.Namespace) -> int:
    try:
        where = addresses.address()
        if args.server_command == "start":
            client.ensure_server(where).close()
            status = _ask(where.socket, "status")
            print(_describe(status, True) if status else "judge server started")
            return 0
        if args.server_command == "stop":
            targets = addresses.all_sockets() if args.all else [where.socket]
            stopped = 0
            for path in targets:
                status = _ask(path, "status")
                if status is None:
                    continue
                _ask(path, "stop")
                deadline = time.monotonic() + STOP_WAIT_S
                while path.exists() and time.monotonic() < deadline:
                    time.sleep(0.05)  # it finishes runs in progress and removes its containers
                print(f"stopped the judge server (pid {status.get('pid')})")
                stopped += 1
            if not stopped:
                print("no judge server was running" + ("" if args.all else " for these settings"))
            return 0
        statuses = []
        for path in addresses.all_sockets():
            status = _ask(path, "status")
            if status is not None:
                statuses.append((status, path == where.socket))
        if args.json:
            print(json.dumps([{**s, "current": c} for s, c in statuses], indent=2))
        elif not statuses:
            print("no judge server is running; `qa-arena judge` starts one when it needs it")
        else:
            for status, current in statuses:
                print(_describe(status, current))
        return 0
    except addresses.ServerUnavailable as exc:
        client._note(str(exc))
        return EXIT_JUDGE_ERROR
