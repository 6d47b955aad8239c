"""The supervisor: PID 1 of a judge container. See docs/judge.md for the protocol.

stdin: one JSON request per line, then optional hint lines while variants run::

    {"tests": "<learner's test file>",
     "variants": [{"key": "v0", "source": "<module text>", "golden": true}, ...],
     "time_limit_s": 5.0, "budget": {"k": 5, "c_s": 0.5, "min_s": 1.0},
     "golden_ms": null, "max_message_chars": 2000, "select": [],
     "support": {"helpers.py": "<module text>"}}   # the pack's support files, for every run
    {"golden_ms": 41}        # a hint: golden's duration, measured in another container

stdout: JSON lines (ASCII), one event each, flushed as soon as known::

    {"event": "ready", "python": "3.11.2", "pytest": "7.2.1", "namespaces": true}
    {"event": "started", "key": "v3"}       # v3's run begins (the others of it wait: queued)
    {"event": "variant", "key": "v3", "outcome": "failed", "duration_ms": 38,
     "budget_ms": 1000, "rechecked": false, "cpu_ms": 35, "flags": [],
     "tests": [{"id": "test_x", "outcome": "failed", "message": "..."}],
     "failed_tests": ["test_x"], "message": "assert ..."}
    {"event": "done", "ran": 6}
    {"event": "error", "message": "..."}      # the runner itself failed (a judge fault)

The supervisor holds the request; the test processes never do. Each run is one process
forked by the :mod:`zygote` into fresh namespaces (:mod:`sandbox`); the supervisor sends
it its own two files through a pipe and reads back its result document and audit lines
as untrusted data (:mod:`protocol`). A run that breaks the protocol crashed: the
learner's fault, never a judge error. Golden runs with the full ``time_limit_s``; a
mutant's budget is ``k x golden + c_s`` once golden's duration is known. A budget policy
with ``"cpu": 1`` (candidate mutants, docs/authoring.md) spends that budget in CPU time
rather than wall time, with ``time_limit_s`` as the wall-clock net: a run starved by a
busy machine accrues no CPU time, so load cannot turn it into a timeout.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any, TextIO

from qa_judge import protocol, sandbox
from qa_judge.zygote import FORK_PATIENCE_S

MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
IDLE_TIMEOUT_S = 1800  # a container started ahead of time waits this long for its request
ZYGOTE_START_S = 60.0
MEMORY_EVENTS = ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control")
CPU_USAGE = (("/sys/fs/cgroup/cpu.stat", 1e-6), ("/sys/fs/cgroup/cpuacct/cpuacct.usage", 1e-9))
# A CPU-time budget is looked at again after half of what is left of it in wall time (a
# run cannot use more than about two cores' worth), and at least this often.
CPU_POLL_S = 0.002
IGNORED_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGPIPE",
                   "SIGALRM", "SIGTSTP", "SIGTTIN", "SIGTTOU")


class JudgeFault(Exception):
    """The runner itself failed (never the learner's doing)."""


def _emit(out: TextIO, event: dict[str, Any]) -> None:
    out.write(protocol.dumps(event))
    out.flush()


def _oom_kills() -> int:
    """The container's OOM-kill counter (cgroup v2 or v1), or -1 when unreadable."""
    for path in MEMORY_EVENTS:
        try:
            with open(path, encoding="ascii") as handle:
                for line in handle:
                    name, _, value = line.partition(" ")
                    if name == "oom_kill":
                        return int(value)
        except (OSError, ValueError):
            continue
    return -1


def _cpu_seconds() -> float:
    """CPU time the whole container has used (its only busy process is the running test)."""
    for path, scale in CPU_USAGE:
        try:
            with open(path, encoding="ascii") as handle:
                text = handle.read()
        except OSError:
            continue
        for line in text.splitlines():
            name, _, value = line.partition(" ")
            if name == "usage_usec" or not value:
                return int(value or name) * scale
    return 0.0


class Zygote:
    """The zygote process and our end of its socket."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        code = (f"import sys; sys.path.insert(0, {package_dir!r}); "
                "from qa_judge.zygote import main; sys.exit(main(int(sys.argv[1])))")
        devnull = subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-u", "-X", "utf8", "-c", code, str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=devnull, stdout=devnull, stderr=None,
            cwd="/", env=dict(os.environ))
        theirs.close()
        self.sock = ours
        self.buffer = b""
        self.exits: dict[int, int] = {}
        self.replies: list[dict[str, Any]] = []
        ready = self.message(ZYGOTE_START_S)
        if not ready.get("ready"):
            raise JudgeFault("the test-process zygote did not start")
        self.info = ready

    def message(self, timeout: float) -> dict[str, Any]:
        """The next message that is not an ``exited`` notice (those are kept in ``exits``)."""
        deadline = time.monotonic() + timeout
        while not self.replies:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise JudgeFault("the test-process zygote stopped answering")
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if ready:
                self.pump()
        return self.replies.pop(0)

    def pump(self) -> None:
        """Read what the zygote sent: ``exited`` notices into ``exits``, the rest into ``replies``."""
        chunk = self.sock.recv(65536)
        if not chunk:
            raise JudgeFault("the test-process zygote ended")
        self.buffer += chunk
        while b"\n" in self.buffer:
            line, _, self.buffer = self.buffer.partition(b"\n")
            document = json.loads(line)
            if "exited" in document:
                self.exits[int(document["exited"])] = int(document["code"])
            else:
                self.replies.append(document)

    def start(self, fds: list[int]) -> int:
        socket.send_fds(self.sock, [b"run\n"], fds)
        started = self.message(10.0 + FORK_PATIENCE_S)
        if not started.get("started"):
            raise JudgeFault("the test-process zygote could not fork: " + str(started.get("error")))
        return int(started["started"])


def _classify(raw: dict[str, Any] | None, limit: int) -> tuple[str, list[dict[str, str]], str]:
    """(outcome, tests, message) from a checked result document."""
    if raw is None:
        return ("crashed", [],
                "the tests ended the test process before pytest finished (os._exit or a crash)")
    tests = raw["tests"]
    failed = [t for t in tests if t["outcome"] in ("failed", "error")]
    if raw["collect_errors"]:
        return "collect-error", tests, raw["collect_errors"][0][:limit]
    if raw["memory_error"] and failed:
        return "memory", tests, "the memory limit was hit (MemoryError)"
    if failed:
        return "failed", tests, failed[0]["message"]
    code = raw["exit_code"]
    if code == 5 or not tests:
        return "no-tests", tests, "no tests were collected (name test functions test_*)"
    if code != 0:
        return "failed", tests, f"pytest stopped with exit code {code}"
    return "passed", tests, ""


class Runs:
    """Runs test processes through the zygote, one at a time."""

    def __init__(self) -> None:
        self.zygote = Zygote()
        self.namespaced = bool(self.zygote.info.get("namespaces"))
        self.count = 0

    def run(self, tests: str, source: str, budget_s: float, cap_s: float,
            limit: int, only: list[str] | None = None,
            support: dict[str, str] | None = None,
            cpu_budget_s: float | None = None) -> dict[str, Any]:
        """One run. ``budget_s`` is wall time (re-checked up to ``cap_s`` when the run was
        mostly idle); with ``cpu_budget_s`` the budget is the run's CPU time instead and
        ``cap_s`` is the wall-clock limit (no re-check: starving costs no CPU time)."""
        if not self.namespaced and self.count:
            raise JudgeFault("this engine cannot isolate runs in one container (no user "
                             "namespaces); each run needs a container of its own")
        self.count += 1
        pipes = {name: os.pipe() for name in ("files", "result", "audit", "status")}
        oom_before, cpu_before = _oom_kills(), _cpu_seconds()
        started = time.monotonic()
        theirs = [pipes["files"][0], pipes["result"][1], pipes["audit"][1], pipes["status"][1]]
        try:
            pid = self.zygote.start(theirs)
        finally:
            for fd in theirs:
                os.close(fd)
        files_w = pipes["files"][1]
        writer = threading.Thread(target=_write_and_close, daemon=True, args=(
            files_w, protocol.files_message(tests, source, limit, only, support)))
        writer.start()
        readers = {pipes["result"][0]: "result", pipes["audit"][0]: "audit",
                   pipes["status"][0]: "status"}
        caps = {"result": protocol.MAX_RESULT_BYTES + 1, "audit": protocol.MAX_AUDIT_BYTES + 1,
                "status": 600}
        data: dict[str, bytearray] = {name: bytearray() for name in caps}
        if cpu_budget_s is not None:
            budget_s = cap_s
        deadline = started + budget_s
        applied, rechecked, timed_out, cpu_out = budget_s, False, False, False
        while readers or pid not in self.zygote.exits:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                elapsed = time.monotonic() - started
                if applied < cap_s and _cpu_seconds() - cpu_before < 0.5 * elapsed:
                    rechecked, applied, deadline = True, cap_s, started + cap_s
                    continue
                timed_out = True
                break
            wait = min(remaining, 0.5)
            if cpu_budget_s is not None:
                left = cpu_budget_s - (_cpu_seconds() - cpu_before)
                if left <= 0:
                    timed_out = cpu_out = True
                    break
                wait = min(wait, max(CPU_POLL_S, left / 2))
            watch: list[Any] = [*readers, self.zygote.sock]
            ready, _, _ = select.select(watch, [], [], wait)
            for fd in ready:
                if fd is self.zygote.sock:
                    self.zygote.pump()
                    continue
                chunk = os.read(fd, 65536)
                name = readers[fd]
                if not chunk:
                    os.close(fd)
                    del readers[fd]
                    continue
                room = caps[name] - len(data[name])
                if room > 0:
                    data[name] += chunk[:room]
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # the holder: the test process dies with it
            end = time.monotonic() + 10.0
            while pid not in self.zygote.exits and time.monotonic() < end:
                ready, _, _ = select.select([self.zygote.sock], [], [], 0.5)
                if ready:
                    self.zygote.pump()
        for fd in readers:
            os.close(fd)
        writer.join(timeout=1.0)
        code = self.zygote.exits.pop(pid, None)
        duration_ms = int((time.monotonic() - started) * 1000)
        cpu_ms = int((_cpu_seconds() - cpu_before) * 1000)
        status_text = bytes(data["status"]).decode("utf-8", "replace")
        if cpu_budget_s is not None and (cpu_out or not timed_out):
            applied = cpu_budget_s  # the budget that applied, unless the wall-clock net did
        budget = {"budget_ms": int(applied * 1000), "rechecked": rechecked, "cpu_ms": cpu_ms}
        if status_text != "ok" and not timed_out:
            raise JudgeFault("the test sandbox could not be set up: " + (status_text or "no answer"))
        if timed_out:
            limit_text = f"{applied:g} s of CPU time" if cpu_out else f"{applied:g} s"
            return {"outcome": "timeout", "duration_ms": duration_ms, "tests": [], **budget,
                    "flags": [], "message": f"the time limit of {limit_text} was hit"}
        reasons, sealed = protocol.parse_audit(bytes(data["audit"]))
        raw: dict[str, Any] | None = None
        violation = ""
        if data["result"]:
            try:
                raw = protocol.parse_result(bytes(data["result"]), limit)
            except protocol.ProtocolViolation as exc:
                violation = str(exc)
        if raw is not None and not sealed:
            reasons.append("the audit channel was closed by the tests")
        flags = [protocol.INTROSPECTS] if reasons else []
        killed = code is not None and code == 128 + signal.SIGKILL
        oom_after = _oom_kills()
        oom = oom_after > oom_before if oom_before >= 0 else killed
        if raw is None and killed and oom:
            return {"outcome": "memory", "duration_ms": duration_ms, "tests": [], **budget,
                    "flags": flags, "message": "the memory limit was hit"}
        outcome, tests_list, message = _classify(raw, limit)
        if violation:
            message = f"the tests broke the judge's result protocol ({violation})"
        elif outcome == "crashed" and code is not None and code > 128:
            message = f"the test process was killed by signal {code - 128}"
        return {"outcome": outcome, "duration_ms": duration_ms, "tests": tests_list, **budget,
                "flags": flags, "message": message}


def _write_and_close(fd: int, data: bytes) -> None:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError:
        pass  # the test process is gone: its run says so
    finally:
        os.close(fd)


class Stdin:
    """The request line, then hint lines the host may send while variants run."""

    def __init__(self) -> None:
        self.buffer = b""
        self.closed = False

    def _fill(self, timeout: float | None) -> None:
        if self.closed:
            return
        ready, _, _ = select.select([0], [], [], timeout)
        if ready:
            chunk = os.read(0, 1 << 20)
            if chunk:
                self.buffer += chunk
            else:
                self.closed = True

    def first_line(self) -> bytes:
        give_up = time.monotonic() + IDLE_TIMEOUT_S
        while b"\n" not in self.buffer and not self.closed:
            if len(self.buffer) > MAX_PAYLOAD_BYTES:
                raise JudgeFault("payload too large")
            remaining = give_up - time.monotonic()
            if remaining <= 0:
                raise JudgeFault(f"no request within {IDLE_TIMEOUT_S} s")
            self._fill(remaining)
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def hints(self) -> list[dict[str, Any]]:
        self._fill(0)
        found = []
        while b"\n" in self.buffer:
            line, _, self.buffer = self.buffer.partition(b"\n")
            if line.strip():
                found.append(json.loads(line))
        return found


def variant_budget(golden_ms: int | None, policy: dict[str, float], cap_s: float) -> float:
    """k x golden + c, at least ``min_s``, at most the pack's cap; the cap until golden is known."""
    if golden_ms is None or not policy:
        return cap_s
    derived = policy["k"] * golden_ms / 1000 + policy["c_s"]
    return min(cap_s, max(policy["min_s"], derived))


def next_request(stdin: Stdin) -> dict[str, Any] | None:
    while True:
        line = stdin.first_line()
        if not line.strip():
            if stdin.closed and not stdin.buffer:
                return None
            continue
        document = json.loads(line.decode("utf-8"))
        if "tests" in document:
            return document


def judge_request(out: TextIO, stdin: Stdin, runs: Runs, payload: dict[str, Any]) -> None:
    tests = payload["tests"]
    variants = list(payload["variants"])
    cap_s = float(payload.get("time_limit_s", 5.0))
    policy = payload.get("budget") or {}
    golden_ms: int | None = payload.get("golden_ms")
    limit = int(payload.get("max_message_chars", 2000))
    only = [str(test) for test in payload.get("select") or ()]  # the host's "select"
    support = protocol.support_files(payload.get("support"))  # the same for every variant
    # Golden first (every golden of the request: a pack may have several correct
    # implementations), so its verdict (which decides) comes first, and a failure stops the
    # rest at once; the mutants in an order no run can predict. A run cannot tell which
    # place it has: every run starts in fresh namespaces from the same zygote.
    golden = [variant for variant in variants if variant.get("golden") is True]
    mutants = [variant for variant in variants if variant.get("golden") is not True]
    random.SystemRandom().shuffle(mutants)
    ran = 0
    for variant in golden + mutants:
        for hint in stdin.hints():
            if golden_ms is None and isinstance(hint.get("golden_ms"), int):
                golden_ms = hint["golden_ms"]
        is_golden = variant.get("golden") is True
        budget_s = cap_s if is_golden else variant_budget(golden_ms, policy, cap_s)
        # A CPU-time budget only once golden's duration is known (else: the wall-clock cap).
        cpu_budget_s = budget_s if policy.get("cpu") and not is_golden and golden_ms else None
        _emit(out, {"event": "started", "key": variant["key"]})
        result = runs.run(tests, variant["source"], budget_s, cap_s, limit, only, support,
                          cpu_budget_s)
        failed = [t["id"] for t in result["tests"] if t["outcome"] in ("failed", "error")]
        _emit(out, {"event": "variant", "key": variant["key"], **result, "failed_tests": failed})
        ran += 1
        if is_golden:
            if result["outcome"] != "passed":
                break
            if variant is golden[0]:  # budgets follow the first golden, as with one
                golden_ms = result["duration_ms"]
    _emit(out, {"event": "done", "ran": ran})


def main() -> int:
    for name in IGNORED_SIGNALS:  # nothing a test does can interrupt the supervisor
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    protocol_fd = os.dup(1)
    out = os.fdopen(protocol_fd, "w", encoding="ascii")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    sandbox.make_undumpable()
    try:
        runs = Runs()
        info = runs.zygote.info
        _emit(out, {"event": "ready", "python": info.get("python"), "pytest": info.get("pytest"),
                    "prepared": info.get("prepared"), "namespaces": runs.namespaced})
        stdin = Stdin()
        while (payload := next_request(stdin)) is not None:
            judge_request(out, stdin, runs, payload)
        return 0
    except Exception as exc:  # noqa: BLE001 - reported as data to the host
        with contextlib.suppress(OSError):
            _emit(out, {"event": "error", "message": protocol.clean_text(
                f"{type(exc).__name__}: {exc}")[:500]})
        return 1
