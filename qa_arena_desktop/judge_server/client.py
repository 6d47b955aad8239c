"""``qa-arena judge`` through the judge server (standard library only: it runs on every call).

:func:`judge` sends the call to the server for the current settings, starting one
first if none runs, and prints what the server sends back as it arrives. It
returns None when the call should be judged in this process instead (the server is
off, cannot start, or the input needs the in-process checks and messages).
"""

from __future__ import annotations

import argparse
import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa_arena_desktop.exit_codes import ExitCode
from qa_arena_desktop.judge_server import address as addresses
from qa_arena_desktop.judge_server import protocol
from qa_arena_desktop.judging.precheck import read_test_file

START_TIMEOUT_S = 60.0


def _note(message: str) -> None:
    sys.stderr.write(f"qa-arena: {message}\n")
    sys.stderr.flush()


def connect(socket_path: Path) -> socket.socket | None:
    """A connection to the server listening at ``socket_path``, or None when none answers."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(socket_path))
    except OSError:
        sock.close()
        return None
    return sock


def spawn(where: addresses.Address) -> subprocess.Popen[bytes]:
    """Start a server for the current settings, detached from this terminal."""
    env = dict(os.environ)
    package_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    with open(where.errors, "wb") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "qa_arena_desktop.judge_server", "--socket", str(where.socket),
             "--lock", str(where.lock)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=env,
            cwd="/", start_new_session=True, close_fds=True)


def ensure_server(where: addresses.Address, start: bool = True) -> socket.socket:
    """A connection to the server, started first if needed; raises ServerUnavailable."""
    sock = connect(where.socket)
    if sock is not None or not start:
        if sock is None:
            raise addresses.ServerUnavailable("no judge server is running for these settings")
        return sock
    process = spawn(where)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        sock = connect(where.socket)
        if sock is not None:
            return sock
        code = process.poll()
        if code == 0:
            # Another server holds the lock: one starting for another call (its socket appears
            # soon), or one shutting down (it lets go soon). Try again until one answers.
            time.sleep(0.05)
            process = spawn(where)
        elif code == ExitCode.BAD_INPUT:
            raise addresses.SettingsRefused(_tail(where).removeprefix("qa-arena: "))
        elif code is not None:
            raise addresses.ServerUnavailable(f"the judge server did not start: {_tail(where)}")
        time.sleep(0.01)
    raise addresses.ServerUnavailable(f"the judge server did not start within "
                                      f"{START_TIMEOUT_S:g} s: {_tail(where)}")


def _tail(where: addresses.Address) -> str:
    try:
        lines = where.errors.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        lines = []
    return lines[-1] if lines else "no error output"


def exchange(sock: socket.socket, request: dict[str, Any],
             on_message: Callable[[dict[str, Any]], None]) -> int | None:
    """Send one request; hand every reply to ``on_message``; the exit code, or None when the
    server went away before sending one."""
    with sock:
        protocol.send(sock, {"protocol": addresses.PROTOCOL_VERSION, **request})
        for message in protocol.messages(sock):
            if "exit" in message:
                return int(message["exit"])
            on_message(message)
    return None


def print_message(message: dict[str, Any]) -> None:
    for key, stream in (("out", sys.stdout), ("err", sys.stderr)):
        if key in message:
            stream.write(str(message[key]))
            stream.flush()


def judge(args: argparse.Namespace) -> int | None:
    """Judge through the server; None means "judge in this process"."""
    if getattr(args, "no_server", False) or not addresses.enabled():
        return None
    tests = Path(args.tests)
    try:
        if not tests.is_file():
            return None  # the in-process path reports it with its own message
        data = read_test_file(tests)  # as judging in-process reads it: the same limit message
        where = addresses.address()
        sock = ensure_server(where)
    except addresses.SettingsRefused as exc:
        _note(str(exc))
        return ExitCode.BAD_INPUT
    except (OSError, addresses.ServerUnavailable) as exc:
        _note(f"{exc}; judging in this process")
        return None
    request = {
        "op": "judge",
        "pack": os.path.abspath(args.pack) if args.pack else None,
        "problem": args.problem,
        "tests_path": str(tests),
        "tests_b64": base64.b64encode(data).decode("ascii"),
        "json": bool(args.json),
    }
    try:
        code = exchange(sock, request, print_message)
    except KeyboardInterrupt:
        _note("stopped waiting; the judge server finishes this run and saves it "
              "(see `qa-arena submissions`)")
        raise
    except (OSError, protocol.ProtocolError) as exc:
        _note(f"lost the judge server ({exc})")
        code = None
    if code is None:
        _note("the judge server stopped during the run; run the command again (its log is "
              "judge-server.log in the data dir's logs folder)")
        return ExitCode.JUDGE_ERROR
    return code
