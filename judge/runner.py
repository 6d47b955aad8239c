#!/usr/bin/env python3
"""In-container judge runner (stdlib + pytest only; runs as PID 1, non-root).

Protocol
--------
stdin: one JSON document (a request) on one line, then optional hint lines while variants
run; after ``done`` the runner waits for the next request (a host that keeps containers
warm may reuse one for another submission, which starts as clean as any variant)::

    {"tests": "<learner's test file>",
     "variants": [{"key": "v0", "source": "<module text>", "golden": true}, ...],
     "time_limit_s": 5.0, "budget": {"k": 5, "c_s": 0.5, "min_s": 1.0},
     "golden_ms": null, "max_message_chars": 2000}
    {"golden_ms": 41}        # a hint: golden's duration, measured in another container

Golden always runs with the full ``time_limit_s``; so does every mutant until
golden's duration is known (from this container or a hint); after that a mutant's
budget is ``k x golden + c_s`` (at least ``min_s``, at most ``time_limit_s``). Golden's
budget cannot depend on its position, and a derived budget always follows a real
golden run, so a slow test can never pass golden and time out mutants by design.

stdout: JSON lines, one event each, flushed as soon as known::

    {"event": "ready", "python": "3.11.2", "pytest": "7.2.1"}   # warm, before stdin is read
    {"event": "variant", "key": "v3", "outcome": "failed", "duration_ms": 38,
     "budget_ms": 1000, "rechecked": false,
     "tests": [{"id": "test_x", "outcome": "failed", "message": "..."}],
     "failed_tests": ["test_x"], "message": "assert ..."}
    {"event": "done", "ran": 6}
    {"event": "error", "message": "..."}      # the runner itself failed

Each variant runs in a forked child of this process (pytest already imported),
always at the same paths (``/work/run/target.py``, ``/work/run/test_submission.py``)
with the same environment, in a random order. Between variants every process
but this one is killed, every writable place is wiped and IPC objects are removed,
so nothing one run leaves behind is visible to the next and a run cannot tell which variant it is.
Results come back over a private pipe through a small pytest plugin; terminal
output is never parsed.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import gc
import json
import os
import random
import select
import shutil
import signal
import sys
import time

WORK = "/work"
RUN_DIR = "/work/run"
HOME_DIR = "/work/home"
WRITABLE_DIRS = ("/work", "/tmp", "/dev/shm")
TARGET_FILE = "target.py"
TESTS_FILE = "test_submission.py"
MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
MAX_RESULT_BYTES = 4 * 1024 * 1024
MAX_TESTS_REPORTED = 500
IDLE_TIMEOUT_S = 1800  # a container started ahead of time waits this long for its request
CHILD_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": HOME_DIR,
    "LANG": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    "TMPDIR": "/tmp",
}
MEMORY_EVENTS = ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control")


def _emit(stream, event: dict) -> None:
    stream.write(json.dumps(event, ensure_ascii=False) + "\n")
    stream.flush()


@functools.cache
def _libc():
    """The C library (loaded once), or None where it cannot be loaded."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _make_undumpable() -> None:
    """Stop same-uid processes from reading this process's memory or environ."""
    libc = _libc()
    if libc is not None:
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4


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


def _kill_everything_else() -> None:
    """SIGKILL every other process in the container and reap them (we are PID 1)."""
    for _ in range(200):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        except PermissionError:
            pass
        reaped_any = False
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                break
            reaped_any = True
        if not reaped_any:
            time.sleep(0.002)


SYSV_IPC = (("/proc/sysvipc/shm", "shmctl"), ("/proc/sysvipc/msg", "msgctl"),
            ("/proc/sysvipc/sem", "semctl"))
IPC_RMID = 0
MQUEUE_DIR = "/dev/mqueue"


def _remove_ipc_objects() -> None:
    """Remove System V IPC objects and POSIX message queues a run left behind.

    They outlive the processes that made them. The judge's seccomp profile refuses
    the syscalls that create them; this is the second line, for an engine that did not
    apply the profile.
    """
    libc = _libc()
    if libc is None:
        return
    for path, call in SYSV_IPC:
        try:
            with open(path, encoding="ascii") as handle:
                rows = handle.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 1 and fields[1].isdigit():
                ident = int(fields[1])
                if call == "semctl":
                    libc.semctl(ident, 0, IPC_RMID)
                else:
                    getattr(libc, call)(ident, IPC_RMID, None)
    try:
        queues = os.listdir(MQUEUE_DIR)
    except OSError:
        queues = []
    for name in queues:
        libc.mq_unlink(("/" + name).encode())


def _wipe(path: str) -> None:
    try:
        entries = os.listdir(path)
    except OSError:
        return
    for name in entries:
        full = os.path.join(path, name)
        try:
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full, ignore_errors=True)
            else:
                os.unlink(full)
        except OSError:
            pass


def _clean_slate() -> None:
    """Nothing a run left behind: no other process, no file, no IPC object."""
    _kill_everything_else()
    for path in WRITABLE_DIRS:
        _wipe(path)
    _remove_ipc_objects()


def _reset_sandbox(tests: str, source: str) -> None:
    _clean_slate()
    os.makedirs(RUN_DIR, mode=0o700, exist_ok=True)
    os.makedirs(HOME_DIR, mode=0o700, exist_ok=True)
    for name, text in ((TARGET_FILE, source), (TESTS_FILE, tests)):
        with open(os.path.join(RUN_DIR, name), "w", encoding="utf-8") as handle:
            handle.write(text)


def _short(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _test_id(nodeid: str) -> str:
    prefix = TESTS_FILE + "::"
    return nodeid[len(prefix):] if nodeid.startswith(prefix) else nodeid


class Collector:
    """pytest plugin: per-test outcomes and first failure messages, as data."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.tests: dict[str, dict] = {}
        self.collect_errors: list[str] = []
        self.memory_error = False

    def _message(self, report) -> str:
        crash = getattr(report.longrepr, "reprcrash", None)
        if crash is not None and getattr(crash, "message", None):
            message = crash.message
            if message.startswith("AssertionError: assert "):
                message = message[len("AssertionError: "):]
            return _short(message, self.limit)
        text = report.longreprtext or ""
        # A fixture or setup error has no crash line: pytest marks its reason with "E ".
        marked = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
        if marked:
            return _short("\n".join(marked), self.limit)
        return _short(text.strip().splitlines()[-1] if text.strip() else "", self.limit)

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            text = report.longreprtext or "collection failed"
            # pytest marks the error itself with "E   "; the frames above it are its own.
            marked = [line[4:] if line.startswith("E   ") else line[1:].strip()
                      for line in text.splitlines() if line.startswith("E ")]
            self.collect_errors.append(_short("\n".join(marked) or text, self.limit))

    def pytest_runtest_logreport(self, report) -> None:
        test_id = _test_id(report.nodeid)
        entry = self.tests.get(test_id)
        if entry is None:
            if len(self.tests) >= MAX_TESTS_REPORTED:
                return
            entry = self.tests[test_id] = {"id": test_id, "outcome": "passed", "message": ""}
        if report.failed:
            if "MemoryError" in (report.longreprtext or "")[-2000:]:
                self.memory_error = True
            if entry["outcome"] not in ("failed", "error"):
                entry["outcome"] = "failed" if report.when == "call" else "error"
                entry["message"] = self._message(report)
        elif report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"


def pytest_args(tests_path: str) -> list[str]:
    return [
        tests_path,
        "-q",
        "-p", "no:cacheprovider",
        "-p", "no:stepwise",
        "-p", "no:pastebin",
        "-p", "no:junitxml",
        "-p", "no:doctest",
        "-p", "no:nose",
        "-p", "no:setuponly",
        "-p", "no:setupplan",
        "-p", "no:legacypath",
        "--rootdir", os.path.dirname(tests_path),
        "-c", os.devnull,
        "--color=no",
        "-s",  # output goes to /dev/null: never buffered, never fills a disk
    ]


def warm_up() -> None:
    """Run pytest once on a trivial test of our own, in this process, before any fork.

    pytest imports much of itself lazily on first use (assertion rewriting, the python
    plugin, fixtures); doing that once here means every forked variant starts warm.
    Everything the warm-up added to ``sys.modules``/``sys.path`` is removed again, and
    the surviving heap is frozen (by the caller) so forks do not copy it on the next collection.
    """
    import pytest

    warm_dir = os.path.join(WORK, "warmup")
    os.makedirs(warm_dir, exist_ok=True)
    with open(os.path.join(warm_dir, TARGET_FILE), "w", encoding="utf-8") as handle:
        handle.write("def answer():\n    return 42\n")
    test_path = os.path.join(warm_dir, TESTS_FILE)
    with open(test_path, "w", encoding="utf-8") as handle:
        handle.write("import pytest\nfrom target import answer\n\n"
                     "@pytest.mark.parametrize('x', [1, 2])\n"
                     "def test_answer(x, monkeypatch):\n    assert answer() == 42\n\n"
                     "def test_fails():\n    assert answer() == [1, {'a': 2}]\n")
    saved_path = list(sys.path)
    sys.path.insert(0, warm_dir)
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved_stderr = os.dup(2)
    os.dup2(devnull, 2)
    try:
        pytest.main(pytest_args(test_path), plugins=[Collector(200)])
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        os.close(devnull)
        sys.path[:] = saved_path
        for name in ("target", "test_submission", "conftest"):
            sys.modules.pop(name, None)
        shutil.rmtree(warm_dir, ignore_errors=True)


class PreparedPytest:
    """pytest's configuration built once, in this process, before any fork.

    ``pytest.main`` spends about half of a small run building its configuration
    (registering some 30 plugins, building and running the argument parser), and that
    work is the same for every variant: it depends only on the fixed paths and
    arguments. It is done here, with the child's cwd and environment, so each forked
    child only runs the session (collection, the tests, unconfigure) on its own copy.
    The configuration never sees learner code: nothing of theirs exists yet.
    """

    def __init__(self, limit: int) -> None:
        from _pytest.config import _prepareconfig

        self.collector = Collector(limit)
        os.makedirs(RUN_DIR, mode=0o700, exist_ok=True)
        saved_env, saved_cwd, saved_argv = dict(os.environ), os.getcwd(), sys.argv
        os.environ.clear()
        os.environ.update(CHILD_ENV)
        os.chdir(RUN_DIR)
        sys.argv = ["pytest"]
        try:
            self.config = _prepareconfig(pytest_args(os.path.join(RUN_DIR, TESTS_FILE)),
                                         [self.collector])
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            os.chdir(saved_cwd)
            sys.argv = saved_argv

    def run(self) -> tuple[Collector, int]:
        """In the forked child: what ``pytest.main`` does after building the configuration."""
        try:
            code = self.config.hook.pytest_cmdline_main(config=self.config)
        finally:
            self.config._ensure_unconfigure()
        return self.collector, int(code)


def prepare_pytest(limit: int) -> PreparedPytest | None:
    """A :class:`PreparedPytest`, or None (children then call ``pytest.main``) if this pytest
    has no ``_prepareconfig`` or building the configuration failed."""
    try:
        return PreparedPytest(limit)
    except Exception:  # noqa: BLE001 - the slower, public path still works
        return None


PREPARED: PreparedPytest | None = None


def _run_child(tests_path: str, result_fd: int, limit: int) -> None:
    """Body of the forked child: run pytest, write the result, never return."""
    status = 1
    try:
        os.setsid()
        try:
            with open("/proc/self/oom_score_adj", "w", encoding="ascii") as handle:
                handle.write("1000")
        except OSError:
            pass
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.environ.clear()
        os.environ.update(CHILD_ENV)
        os.chdir(RUN_DIR)
        sys.path.insert(0, RUN_DIR)
        sys.argv = ["pytest"]
        if PREPARED is not None:
            collector, exit_code = PREPARED.run()
        else:
            import pytest

            collector = Collector(limit)
            exit_code = int(pytest.main(pytest_args(tests_path), plugins=[collector]))
        result = {
            "exit_code": exit_code,
            "tests": list(collector.tests.values()),
            "collect_errors": collector.collect_errors,
            "memory_error": collector.memory_error,
        }
        data = json.dumps(result).encode("utf-8")[:MAX_RESULT_BYTES]
        view = memoryview(data)
        while view:
            written = os.write(result_fd, view)
            view = view[written:]
        status = 0
    except BaseException:  # noqa: BLE001 - the child must never return into the parent's loop
        status = 1
    finally:
        os._exit(status)


def _classify(raw: dict | None, limit: int) -> tuple[str, list[dict], str]:
    """(outcome, tests, message) from the child's result document."""
    if raw is None:
        return "crashed", [], "the tests ended the test process before pytest finished (os._exit or a crash)"
    tests = raw.get("tests", [])
    failed = [t for t in tests if t["outcome"] in ("failed", "error")]
    if raw.get("collect_errors"):
        return "collect-error", tests, _short(raw["collect_errors"][0], limit)
    if raw.get("memory_error") and failed:
        return "memory", tests, "the memory limit was hit (MemoryError)"
    if failed:
        return "failed", tests, failed[0]["message"]
    code = raw.get("exit_code")
    if code == 5 or not tests:
        return "no-tests", tests, "no tests were collected (name test functions test_*)"
    if code not in (0, None):
        return "failed", tests, f"pytest stopped with exit code {code}"
    return "passed", tests, ""


def _cpu_seconds(pid: int) -> float:
    """CPU time a live process has used (user + system, all its threads)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def run_variant(tests: str, source: str, budget_s: float, cap_s: float, limit: int) -> dict:
    """Run one variant in a fresh fork; ``budget_s`` may be stretched to ``cap_s`` once.

    A run that reaches a budget shorter than the cap is a TIMEOUT only if it was busy
    (using the CPU most of the time: an endless loop). A mostly idle run (sleeping,
    waiting, or starved by a loaded machine) is borderline: it is re-checked by letting
    it go on to the cap, so a slow-but-correct run is never cut short by a derived budget.
    """
    _reset_sandbox(tests, source)
    oom_before = _oom_kills()
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        os.close(PROTOCOL_FD)
        _run_child(os.path.join(RUN_DIR, TESTS_FILE), write_fd, limit)
    os.close(write_fd)
    deadline = started + budget_s
    applied = budget_s
    rechecked = False
    chunks: list[bytes] = []
    size = 0
    timed_out = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            elapsed = time.monotonic() - started
            if applied < cap_s and _cpu_seconds(pid) < 0.5 * elapsed:
                rechecked = True
                applied = cap_s
                deadline = started + cap_s
                continue
            timed_out = True
            break
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        size += len(chunk)
        if size <= MAX_RESULT_BYTES:
            chunks.append(chunk)
    os.close(read_fd)
    status = 0
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    try:
        remaining = max(0.05, deadline - time.monotonic()) if not timed_out else 1.0
        end = time.monotonic() + remaining
        while True:
            waited, status = os.waitpid(pid, os.WNOHANG)
            if waited:
                break
            if time.monotonic() >= end:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                break
            time.sleep(0.002)
    except ChildProcessError:
        pass
    duration_ms = int((time.monotonic() - started) * 1000)
    _kill_everything_else()
    oom_after = _oom_kills()
    budget = {"budget_ms": int(applied * 1000), "rechecked": rechecked}

    if timed_out:
        return {"outcome": "timeout", "duration_ms": duration_ms, "tests": [], **budget,
                "message": f"the time limit of {applied:g} s was hit"}
    raw = None
    if chunks:
        try:
            raw = json.loads(b"".join(chunks).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raw = None
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    # With a readable OOM counter, trust it; without one, an unexplained SIGKILL is the OOM killer.
    oom = oom_after > oom_before if oom_before >= 0 else killed
    if raw is None and killed and oom:
        return {"outcome": "memory", "duration_ms": duration_ms, "tests": [], **budget,
                "message": "the memory limit was hit"}
    outcome, tests_list, message = _classify(raw, limit)
    if outcome == "crashed" and os.WIFSIGNALED(status):
        message = f"the test process was killed by signal {os.WTERMSIG(status)}"
    return {"outcome": outcome, "duration_ms": duration_ms, "tests": tests_list, **budget,
            "message": message}


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
        """The request; a container started ahead of time and never used gives up after a while,
        so one left by a crashed app does not idle forever."""
        give_up = time.monotonic() + IDLE_TIMEOUT_S
        while b"\n" not in self.buffer and not self.closed:
            if len(self.buffer) > MAX_PAYLOAD_BYTES:
                raise ValueError("payload too large")
            remaining = give_up - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no request within {IDLE_TIMEOUT_S} s")
            self._fill(remaining)
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def hints(self) -> list[dict]:
        """Hint lines available right now (never waits)."""
        self._fill(0)
        found = []
        while b"\n" in self.buffer:
            line, _, self.buffer = self.buffer.partition(b"\n")
            if line.strip():
                found.append(json.loads(line))
        return found


def variant_budget(golden_ms: int | None, policy: dict, cap_s: float) -> float:
    """k x golden + c, at least ``min_s``, at most the pack's cap; the cap until golden is known."""
    if golden_ms is None or not policy:
        return cap_s
    derived = policy["k"] * golden_ms / 1000 + policy["c_s"]
    return min(cap_s, max(policy["min_s"], derived))


def next_request(stdin: Stdin) -> dict | None:
    """The next request, or None once the host closed stdin. Hint lines meant for the
    previous request (sent after its last variant had started) are skipped."""
    while True:
        line = stdin.first_line()
        if not line.strip():
            if stdin.closed and not stdin.buffer:
                return None
            continue
        document = json.loads(line.decode("utf-8"))
        if "tests" in document:
            return document


def judge_request(out, stdin: Stdin, payload: dict) -> None:
    """Run one request's variants, each in a clean fork, emitting each result, then ``done``."""
    tests = payload["tests"]
    variants = list(payload["variants"])
    cap_s = float(payload.get("time_limit_s", 5.0))
    policy = payload.get("budget") or {}
    golden_ms: int | None = payload.get("golden_ms")
    limit = int(payload.get("max_message_chars", 2000))
    if PREPARED is not None:
        PREPARED.collector.limit = limit
    random.SystemRandom().shuffle(variants)
    ran = 0
    for variant in variants:
        for hint in stdin.hints():
            if golden_ms is None and isinstance(hint.get("golden_ms"), int):
                golden_ms = hint["golden_ms"]
        budget_s = cap_s if variant.get("golden") else variant_budget(golden_ms, policy, cap_s)
        result = run_variant(tests, variant["source"], budget_s, cap_s, limit)
        failed = [t["id"] for t in result["tests"] if t["outcome"] in ("failed", "error")]
        _emit(out, {"event": "variant", "key": variant["key"], **result,
                    "failed_tests": failed})
        ran += 1
        if variant.get("golden"):
            if result["outcome"] != "passed":
                break
            golden_ms = result["duration_ms"]
    _clean_slate()  # the next request (the host may reuse this container) starts clean too
    _emit(out, {"event": "done", "ran": ran})


PROTOCOL_FD = -1


def main() -> int:
    global PROTOCOL_FD, PREPARED
    PROTOCOL_FD = os.dup(1)
    out = os.fdopen(PROTOCOL_FD, "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    _make_undumpable()
    try:
        import pytest

        # Warm up before the request arrives: a pre-started container is ready at once.
        warm_up()
        PREPARED = prepare_pytest(2000)
        gc.collect()
        gc.freeze()  # the configuration too: forks then copy as little as possible
        _emit(out, {"event": "ready", "python": sys.version.split()[0],
                    "pytest": pytest.__version__, "prepared": PREPARED is not None})
        stdin = Stdin()
        while (payload := next_request(stdin)) is not None:
            judge_request(out, stdin, payload)
        return 0
    except Exception as exc:  # noqa: BLE001 - reported as data to the host
        try:
            _emit(out, {"event": "error", "message": f"{type(exc).__name__}: {exc}"})
        except OSError as write_error:
            if write_error.errno != errno.EPIPE:
                raise
        return 1


if __name__ == "__main__":
    sys.exit(main())
