"""Run ``qa-arena`` as a test needs it: in this process (fast) or as a real process.

Starting ``python -m qa_arena_desktop`` costs about a second of imports per call, and the
suite makes hundreds of calls; most only check what ``main(argv)`` prints and returns, which
the same code does in this process. :func:`run_cli` calls ``main`` here and hands back the
same :class:`subprocess.CompletedProcess` a real run gives (exit code, stdout, stderr as
text), so a test reads the same either way. It leaves the process as it found it: the
environment (``--docker-host`` sets ``DOCKER_HOST``), the signal handlers, the root logger
and the working directory are put back after each call, and a call that leaves a signal
handler changed or a (non-daemon) thread running fails.

:func:`run_cli_process` runs the real program. Keep it for what only a process shows: the
entry point itself, Ctrl+C (SIGINT), a reader closing the pipe, a fresh interpreter with a
package blocked, a second engine's environment. Say why in the test's docstring.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping

# The signals a command could take over (judge and grade: SIGINT; the server: TERM, HUP).
GUARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def run_cli(*args: str, env: Mapping[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``qa-arena ARGS`` in this process, with ``env`` added to the environment for the call.

    The result is what :func:`run_cli_process` would return for the same call. A call that
    runs longer than ``timeout`` seconds dumps every thread's stack and ends the test run
    (a real process would be killed; a hung call in this process cannot be).
    """
    from qa_arena_desktop.cli.main import main

    out, err = _Captured(), _Captured()
    with _process_state_restored(args, env or {}), contextlib.redirect_stdout(out.stream), \
            contextlib.redirect_stderr(err.stream), _hang_guard(timeout):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, --version, a usage error
            code = _exit_status(exc.code, err.stream)
    return subprocess.CompletedProcess(["qa-arena", *args], int(code), out.text(), err.text())


def run_cli_process(*args: str, env: Mapping[str, str] | None = None,
                    timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m qa_arena_desktop ARGS`` as a real process (see the module docstring)."""
    return subprocess.run(
        [sys.executable, "-m", "qa_arena_desktop", *args], capture_output=True, text=True,
        timeout=timeout, env={**os.environ, **(env or {})},
    )


class _Captured:
    """A stream like a pipe's: UTF-8, strict (a lone surrogate fails as it would on a
    pipe), read back with universal newlines as ``subprocess.run(text=True)`` does."""

    def __init__(self) -> None:
        self.stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict",
                                       write_through=True)

    def text(self) -> str:
        self.stream.flush()
        raw = self.stream.buffer.getvalue()  # type: ignore[attr-defined]
        return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _exit_status(code: object, err: io.TextIOBase) -> int:
    """What the interpreter makes of ``SystemExit(code)``: None is 0, text goes to stderr as 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    err.write(f"{code}\n")
    return 1


@contextlib.contextmanager
def _process_state_restored(args: tuple[str, ...], env: Mapping[str, str]) -> Iterator[None]:
    environ = dict(os.environ)
    handlers = {signum: signal.getsignal(signum) for signum in GUARDED_SIGNALS}
    root = logging.getLogger()
    root_handlers, root_level = list(root.handlers), root.level
    cwd = os.getcwd()
    threads = set(threading.enumerate())
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(environ)
        changed = [signal.Signals(s).name for s, h in handlers.items() if signal.getsignal(s) != h]
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        root.handlers[:] = root_handlers
        root.setLevel(root_level)
        os.chdir(cwd)
    # A command that takes over a signal must give it back (the app and the judge server
    # call the same code and keep running).
    assert not changed, f"qa-arena {' '.join(args)} left signal handlers changed: {changed}"
    # A thread still running that is not a daemon would keep a real process from exiting.
    left = [t.name for t in set(threading.enumerate()) - threads if t.is_alive() and not t.daemon]
    assert not left, f"qa-arena {' '.join(args)} left threads running: {left}"


@contextlib.contextmanager
def _hang_guard(timeout: float) -> Iterator[None]:
    faulthandler.dump_traceback_later(timeout, exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
