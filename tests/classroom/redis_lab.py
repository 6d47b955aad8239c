"""A real lab on this machine for distributed-grading tests: redis-server and worker processes.

:func:`redis_server` starts Debian's ``redis-server`` on a free loopback port in a
temporary folder (no persistence, never the system service) and stops it;
without the program the test skips locally and fails under ``CI=true``.
:class:`WorkerPool` runs real ``qa-arena worker`` processes (optionally through
``poison_worker.py``), kills them with SIGKILL and starts them again.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import IN_CI, REPO


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A private redis-server on 127.0.0.1; yields its URL (database 0)."""
    program = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None)
    if program is None:
        message = "needs Debian's redis-server (apt-get install redis-server)"
        if IN_CI:
            pytest.fail(message + " (CI=true: the distributed grading tests must run)")
        pytest.skip(message)
    assert program is not None
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(5):
        port = _free_port()
        with (folder / "redis.log").open("ab") as log:  # the server keeps its own copy
            process = subprocess.Popen(
                [program, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                 "--save", "", "--appendonly", "no", "--protected-mode", "yes",
                 "--daemonize", "no"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                time.sleep(0.1)
        if process.poll() is None:
            break
    else:
        pytest.fail("redis-server did not start: " + (folder / "redis.log").read_text()[-500:])
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def qa_arena(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa_arena_desktop", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=REPO)


class WorkerPool:
    """``count`` real ``qa-arena worker`` processes; each has its own data dir and log."""

    def __init__(self, broker: str, folder: Path, count: int = 2, concurrency: int = 1,
                 visibility_timeout: float = 5, poison: bool = False,
                 env: dict[str, str] | None = None) -> None:
        self.broker = broker
        self.env = env or {}
        self.folder = folder
        self.concurrency = concurrency
        self.visibility_timeout = visibility_timeout
        self.poison = poison
        self.kills = 0
        self.caught_judging = 0
        self.started = 0
        self.processes: list[subprocess.Popen] = []
        folder.mkdir(parents=True, exist_ok=True)
        for slot in range(count):
            self.processes.append(self._start(slot))

    def _start(self, slot: int) -> subprocess.Popen:
        env = {**os.environ, **self.env, "QA_ARENA_HOME": str(self.folder / f"home-{slot}"),
               "PYTHONUNBUFFERED": "1"}
        args = ["worker", "--broker", self.broker, "--concurrency", str(self.concurrency),
                "--visibility-timeout", str(self.visibility_timeout)]
        command = [sys.executable, str(Path(__file__).with_name("poison_worker.py")), *args] \
            if self.poison else [sys.executable, "-m", "qa_arena_desktop", *args]
        self.started += 1
        with (self.folder / f"worker-{slot}.log").open("ab") as log:  # the worker keeps a copy
            return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                    cwd=REPO, start_new_session=True)

    def revive(self) -> int:
        """Start again every worker that died (a poison file kills its worker); how many."""
        revived = 0
        for slot, process in enumerate(self.processes):
            if process.poll() is not None:
                self.processes[slot] = self._start(slot)
                revived += 1
        return revived

    def judging(self) -> list[int]:
        """The slots of the workers that hold a lease now (they are judging a file)."""
        import redis

        client = redis.Redis.from_url(self.broker)
        try:
            holders = {client.get(key) or b"" for key in client.scan_iter("qa-arena:run:*:lease:*")}
        finally:
            client.close()
        return [slot for slot, process in enumerate(self.processes)
                if process.poll() is None
                and any(h.startswith(f"qa-arena-{process.pid}@".encode()) for h in holders)]

    def kill_random(self, rng: random.Random, wait_for_judging_s: float = 0) -> None:
        """SIGKILL one worker (no clean-up of any kind), reap it, start a new one in its slot.

        With ``wait_for_judging_s``, the victim is one caught judging a file when one is
        within that time (so the kill loses work in flight), else any.
        """
        deadline = time.monotonic() + wait_for_judging_s
        candidates = self.judging()
        while not candidates and time.monotonic() < deadline:
            time.sleep(0.1)
            candidates = self.judging()
        slot = rng.choice(candidates) if candidates else rng.randrange(len(self.processes))
        self.caught_judging += bool(candidates)
        process = self.processes[slot]
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)  # reaped: its containers now count as a dead owner's
        self.kills += 1
        self.processes[slot] = self._start(slot)

    def completions(self) -> int:
        """Completion lines the workers printed (a killed worker may not have printed its last)."""
        return sum(1 for log in self.folder.glob("worker-*.log")
                   for line in log.read_text(errors="replace").splitlines()
                   if "(attempt " in line and not line.startswith("qa-arena"))

    def stop(self) -> None:
        """SIGTERM: each worker finishes what it holds, removes its containers and exits."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
                         for log in sorted(self.folder.glob("worker-*.log")))
