"""The zygote: a pristine process that forks one test process per run.

The supervisor starts it as a fresh interpreter (never a fork of itself) before any
request arrives. It imports pytest, warms it up and builds pytest's configuration once,
then waits on a Unix socket. For each run the supervisor sends four pipe ends
(files in, result out, audit out, status out) and nothing else: the zygote never holds a
request, a variant's source, its name, its position or its time budget, so neither do
the test processes it forks. Messages back (``started``, ``exited``) are JSON lines.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import socket
import stat
import sys
import time

from qa_judge import sandbox
from qa_judge.collector import TARGET_FILE, TESTS_FILE, PreparedPytest, warm_up
from qa_judge.hypothesis_profile import load_profile
from qa_judge.protocol import dumps, support_files

CHILD_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": sandbox.HOME_DIR,
    "LANG": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    "TMPDIR": "/tmp",
}
MAX_FILES_BYTES = 64 * 1024 * 1024
FORK_PATIENCE_S = 10.0  # how long a fork waits for the PID limit to free up
EXIT_SANDBOX = 97  # only ever read through the status pipe's text, never trusted alone
AUDITED = True  # audit hooks in every test process (see main)
NULL_FDS: tuple[int, ...] = ()  # descriptors on /dev/null the zygote holds (see main)


def _read_all(fd: int, cap: int) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            raise ValueError("run files too large")
        chunks.append(chunk)


def _restamp_start() -> None:
    """Clocks read at import time in the zygote date the zygote, hence its container
    (``time.time() - logging._startTime``): set them to this run's start, as a fresh
    process would have them (docs/reliability.md, class 4)."""
    import logging

    logging._startTime = time.time()  # type: ignore[attr-defined]


def _null_fds() -> tuple[int, ...]:
    """The descriptors beyond 0-2 this process holds on /dev/null (the ones pytest's
    configuration opened: faulthandler's copy of stderr, the logging plugin's file)."""
    null = os.stat(os.devnull)
    found = []
    for fd in range(3, 256):
        try:
            status = os.fstat(fd)
        except OSError:
            continue
        if stat.S_ISCHR(status.st_mode) and status.st_rdev == null.st_rdev:
            found.append(fd)
    return tuple(found)


def _test_process(prepared: PreparedPytest | None, fds: list[int], namespaced: bool,
                  size_mb: int) -> None:
    """Body of one test process: set up, read own files, lock down, run pytest, report."""
    files_fd, result_fd, audit_fd, status_fd = fds
    try:
        sandbox.prepare_run(namespaced, size_mb)
        document = json.loads(_read_all(files_fd, MAX_FILES_BYTES))
        os.close(files_fd)
        limit = int(document["limit"])
        select = frozenset(str(test) for test in document.get("select") or ())
        support = support_files(document.get("support"))
        for name, text in ((TARGET_FILE, document["target"]), (TESTS_FILE, document["tests"]),
                           *support.items()):
            with open(os.path.join(sandbox.RUN_DIR, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        for name in support:  # read-only, as a reminder: the run's tmpfs is its own anyway
            os.chmod(os.path.join(sandbox.RUN_DIR, name), 0o444)
        del document
        devnull = os.open(os.devnull, os.O_RDWR)  # the run's own, in its own root
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        for fd in NULL_FDS:  # the zygote's /dev/null is the container's: dated by its start
            os.dup2(devnull, fd, inheritable=False)
        os.close(devnull)
        _restamp_start()
        os.environ.clear()
        os.environ.update(CHILD_ENV)
        os.chdir(sandbox.RUN_DIR)
        sys.path.insert(0, sandbox.RUN_DIR)
        sys.argv = ["pytest"]
        sandbox.lock_down(namespaced)
        os.write(status_fd, b"ok")
        os.close(status_fd)
    except BaseException as exc:  # noqa: BLE001 - a judge fault, told through the status pipe
        try:
            os.write(status_fd, f"{type(exc).__name__}: {exc}"[:500].encode("utf-8", "replace"))
        finally:
            os._exit(EXIT_SANDBOX)
    status = 1
    try:
        if AUDITED:
            from qa_judge import audit

            audit.install(sandbox.RUN_DIR, audit_fd)  # before any learner module is imported
        # A pack's conftest.py (a support file) must be found by pytest's conftest lookup,
        # which the prepared configuration did once, in an empty run directory: such a
        # run takes the public path, which looks again.
        if prepared is not None and "conftest.py" not in support:
            prepared.collector.limit = limit
            prepared.collector.select = select
            collector, exit_code = prepared.run()
        else:
            import pytest

            from qa_judge.collector import Collector, pytest_args

            collector = Collector(limit)
            collector.select = select
            exit_code = int(pytest.main(pytest_args(os.path.join(sandbox.RUN_DIR, TESTS_FILE)),
                                        plugins=[collector]))
        os.write(audit_fd, b'{"sealed": true}\n')  # pytest finished: the hooks were not cut off
        data = json.dumps(collector.document(exit_code), ensure_ascii=True).encode("ascii")
        view = memoryview(data)
        while view:
            view = view[os.write(result_fd, view):]
        status = 0
    except BaseException:  # noqa: BLE001 - the child must never return into the zygote's loop
        status = 1
    finally:
        os._exit(status)


def _fork(patience_s: float = FORK_PATIENCE_S) -> int:
    """``os.fork``, waiting out a full PID limit: the processes of a run just killed (a fork
    bomb, say) still count against the container's limit until the kernel has reaped them."""
    deadline = time.monotonic() + patience_s
    pause = 0.01
    while True:
        try:
            return os.fork()
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def _run_holder(prepared: PreparedPytest | None, fds: list[int], namespaced: bool,
                size_mb: int) -> None:
    """The zygote's child: make the namespaces, fork the test process into them, wait."""
    status_fd = fds[3]
    if not namespaced:
        _test_process(prepared, fds, namespaced, size_mb)
    try:
        sandbox.enter_namespaces()
        pid = _fork()
    except BaseException as exc:  # noqa: BLE001
        os.write(status_fd, f"{type(exc).__name__}: {exc}"[:500].encode("utf-8", "replace"))
        os._exit(EXIT_SANDBOX)
    if pid == 0:
        _test_process(prepared, fds, namespaced, size_mb)
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        os._exit(128 + os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _fill_inspect_cache() -> None:
    """Map every module loaded by now to its file, once: pytest shows a failure's source
    through ``inspect.findsource``, whose first call otherwise resolves the path of every
    module in ``sys.modules`` (a ``realpath`` each) in every test process."""
    import inspect

    inspect.getmodule(compile("", "<judge warm-up>", "exec"))


def _work_size_mb() -> int:
    try:
        stat = os.statvfs(sandbox.WORK)
        return max(16, stat.f_blocks * stat.f_frsize // (1024 * 1024))
    except OSError:
        return 64


def main(sock_fd: int) -> int:
    sandbox.make_undumpable()
    sock = socket.socket(fileno=sock_fd)
    import pytest

    warm_up(sandbox.WORK)
    load_profile()  # Hypothesis, when installed: imported and set up before any fork
    try:
        prepared: PreparedPytest | None = PreparedPytest(sandbox.RUN_DIR, CHILD_ENV)
    except Exception:  # noqa: BLE001 - the slower, public path still works
        prepared = None
    namespaced = os.environ.get("QA_JUDGE_NO_NAMESPACES") != "1" and sandbox.namespaces_available()
    global AUDITED
    # Only the host sets the container's environment (bench/judge_speed.py's "old runner"
    # row); a test process's environment is CHILD_ENV, whatever this says.
    AUDITED = os.environ.get("QA_JUDGE_NO_AUDIT") != "1"
    if AUDITED:
        from qa_judge import audit

        audit.prepare(sandbox.RUN_DIR)  # the image's paths, once; the hook goes in per run
    size_mb = _work_size_mb()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    _fill_inspect_cache()
    global NULL_FDS
    NULL_FDS = _null_fds()
    gc.collect()
    gc.freeze()  # forks then copy as little as possible
    sock.sendall(dumps({"ready": True, "namespaces": namespaced, "prepared": prepared is not None,
                        "python": sys.version.split()[0], "pytest": pytest.__version__}).encode())
    while True:
        try:
            ready, _, _ = select.select([sock, wake_r], [], [])
        except InterruptedError:
            continue
        if wake_r in ready:
            os.read(wake_r, 4096)
            while True:
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                sock.sendall(dumps({"exited": pid,
                                    "code": os.waitstatus_to_exitcode(status)}).encode())
        if sock in ready:
            message, fds, _flags, _addr = socket.recv_fds(sock, 1024, 4)
            if not message:
                return 0
            if len(fds) != 4:
                for fd in fds:
                    os.close(fd)
                continue
            try:
                pid = _fork()
            except OSError as exc:
                for fd in fds:
                    os.close(fd)
                sock.sendall(dumps({"started": 0, "error": f"fork: {exc}"[:300]}).encode())
                continue
            if pid == 0:
                sock.close()
                os.close(wake_r)
                os.close(wake_w)
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _run_holder(prepared, fds, namespaced, size_mb)
            for fd in fds:
                os.close(fd)
            sock.sendall(dumps({"started": pid}).encode())


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
