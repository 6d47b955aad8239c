"""The pytest side of a run: arguments, the collector plugin, and a configuration built once.

Results come back as data through :class:`Collector`, never as parsed terminal text.
Everything here runs in the zygote (before any learner code exists) or in a test
process; the result document it produces is untrusted by the supervisor all the same,
because the learner's code shares the test process with it.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

TARGET_FILE = "target.py"
TESTS_FILE = "test_submission.py"
MAX_TESTS_REPORTED = 500
MAX_TEST_ID_CHARS = 256


def short(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def test_id(nodeid: str) -> str:
    prefix = TESTS_FILE + "::"
    name = nodeid[len(prefix):] if nodeid.startswith(prefix) else nodeid
    return short(name, MAX_TEST_ID_CHARS)


class Collector:
    """pytest plugin: per-test outcomes and first failure messages, as data."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.select: frozenset[str] = frozenset()  # run only these test ids (empty: all)
        self.tests: dict[str, dict[str, str]] = {}
        self.collect_errors: list[str] = []
        self.memory_error = False

    def _message(self, report: Any) -> str:
        crash = getattr(report.longrepr, "reprcrash", None)
        if crash is not None and getattr(crash, "message", None):
            message = crash.message
            if message.startswith("AssertionError: assert "):
                message = message[len("AssertionError: "):]
            return short(message, self.limit)
        text = report.longreprtext or ""
        # A fixture or setup error has no crash line: pytest marks its reason with "E ".
        marked = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
        if marked:
            return short("\n".join(marked), self.limit)
        return short(text.strip().splitlines()[-1] if text.strip() else "", self.limit)

    def pytest_collection_modifyitems(self, items: list[Any]) -> None:
        """With ``select`` (the host asks why tests failed on golden): only those tests."""
        if self.select:
            items[:] = [item for item in items if test_id(item.nodeid) in self.select]

    def pytest_collection_finish(self, session: Any) -> None:
        """From here on (the tests' own failures, not collection's), pytest's tracebacks
        are plain Python ones: a failure's message is its crash line either way (see
        :meth:`_message`; a ``MemoryError`` still ends the text), and a long traceback,
        with the source of every frame parsed and laid out, was most of the cost of a run
        whose tests fail (a killed mutant's)."""
        session.config.option.tbstyle = "native"

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed and len(self.collect_errors) < 5:
            text = report.longreprtext or "collection failed"
            # pytest marks the error itself with "E   "; the frames above it are its own.
            marked = [line[4:] if line.startswith("E   ") else line[1:].strip()
                      for line in text.splitlines() if line.startswith("E ")]
            self.collect_errors.append(short("\n".join(marked) or text, self.limit))

    def pytest_runtest_logreport(self, report: Any) -> None:
        name = test_id(report.nodeid)
        entry = self.tests.get(name)
        if entry is None:
            if len(self.tests) >= MAX_TESTS_REPORTED and (
                    not report.failed or not self._make_room()):
                return
            entry = self.tests[name] = {"id": name, "outcome": "passed", "message": ""}
        if report.failed:
            if "MemoryError" in (report.longreprtext or "")[-2000:]:
                self.memory_error = True
            if entry["outcome"] not in ("failed", "error"):
                entry["outcome"] = "failed" if report.when == "call" else "error"
                entry["message"] = self._message(report)
        elif report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"

    def _make_room(self) -> bool:
        """Past the cap, a failure takes the place of the latest passed or skipped test:
        what is reported keeps every failure it can (they decide the verdict)."""
        for name in reversed(self.tests):
            if self.tests[name]["outcome"] in ("passed", "skipped"):
                del self.tests[name]
                return True
        return False

    def document(self, exit_code: int) -> dict[str, Any]:
        return {"exit_code": exit_code, "tests": list(self.tests.values()),
                "collect_errors": self.collect_errors, "memory_error": self.memory_error}


def pytest_args(tests_path: str) -> list[str]:
    return [
        tests_path, "-q",
        "-p", "no:cacheprovider", "-p", "no:stepwise", "-p", "no:pastebin",
        "-p", "no:junitxml", "-p", "no:doctest", "-p", "no:nose", "-p", "no:setuponly",
        "-p", "no:setupplan", "-p", "no:legacypath",
        "--rootdir", os.path.dirname(tests_path),
        "-c", os.devnull,
        "--color=no",
        "-s",  # output goes to /dev/null: never buffered, never fills a disk
    ]


WARM_TARGET = """def answer():
    return 42


def boom(items):
    return items[1]
"""
WARM_TESTS = """import pytest
from target import answer, boom


@pytest.fixture
def value():
    return answer()


@pytest.mark.parametrize('x', [1, 2])
def test_answer(x, monkeypatch, value):
    assert answer() == value


def test_fails(value):
    assert value == [1, {'a': 2}]
    assert value


def test_raises_in_target():
    boom([])


class TestGroup:
    def test_raises(self):
        with pytest.raises(ValueError):
            boom([1])
"""


def warm_up(work_dir: str) -> None:
    """Run pytest once on tests of our own, before any fork.

    pytest imports much of itself lazily on first use (assertion rewriting, the python
    plugin, fixtures) and caches what it compiles (the tokenizer's patterns, used to
    show a failing statement that is not its block's last line); doing that once here,
    on passing and failing tests (an assert, an exception in the target, a failed
    ``pytest.raises``), means every forked run starts warm.
    """
    import pytest

    warm_dir = os.path.join(work_dir, "warmup")
    os.makedirs(warm_dir, exist_ok=True)
    with open(os.path.join(warm_dir, TARGET_FILE), "w", encoding="utf-8") as handle:
        handle.write(WARM_TARGET)
    test_path = os.path.join(warm_dir, TESTS_FILE)
    with open(test_path, "w", encoding="utf-8") as handle:
        handle.write(WARM_TESTS)
    saved_path = list(sys.path)
    sys.path.insert(0, warm_dir)
    try:
        pytest.main(pytest_args(test_path), plugins=[Collector(200)])
    finally:
        sys.path[:] = saved_path
        for name in ("target", "test_submission", "conftest"):
            sys.modules.pop(name, None)
        shutil.rmtree(warm_dir, ignore_errors=True)


class PreparedPytest:
    """pytest's configuration and session set up once, in the zygote, before any fork.

    A small run used to spend most of its pytest time before collecting anything:
    building the configuration, ``pytest_configure`` of every plugin, and the session
    start, where the fixture manager parses the fixtures of every plugin module. None of
    it depends on a run's files (the paths, arguments and environment are fixed), so the
    zygote does all of it once and each forked test process only collects and runs its
    own tests on its own copy (:meth:`run`, the rest of ``_pytest.main.wrap_session``).
    None of it ever sees learner code. Two things made here must not reach a run: the
    session's start time (it would date the zygote, hence the container: see
    docs/reliability.md, class 4) is set again in each run, and faulthandler's copy of
    stderr is a copy of ``/dev/null``, as it is in the test process.
    """

    def __init__(self, run_dir: str, env: dict[str, str]) -> None:
        from _pytest.config import _prepareconfig
        from _pytest.main import ExitCode, Session

        self.collector = Collector(2000)
        os.makedirs(run_dir, mode=0o700, exist_ok=True)
        saved_env, saved_cwd, saved_argv = dict(os.environ), os.getcwd(), sys.argv
        saved_stderr = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)  # re-pointed in each run (zygote.NULL_FDS)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(run_dir)
        sys.argv = ["pytest"]
        try:
            self.config = _prepareconfig(pytest_args(os.path.join(run_dir, TESTS_FILE)),
                                         [self.collector])
            os.dup2(devnull, 2)  # faulthandler's pytest_configure keeps a copy of fd 2
            self.session = Session.from_config(self.config)
            self.session.exitstatus = ExitCode.OK
            self.config._do_configure()
            self.config.hook.pytest_sessionstart(session=self.session)
        finally:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
            os.close(devnull)
            os.environ.clear()
            os.environ.update(saved_env)
            os.chdir(saved_cwd)
            sys.argv = saved_argv

    def run(self) -> tuple[Collector, int]:
        """In the test process: ``wrap_session`` of pytest 7.2 from ``doit`` on (collect,
        run, finish, unconfigure), with its error handling."""
        import _pytest._code
        from _pytest import timing
        from _pytest.config import UsageError
        from _pytest.main import ExitCode, _main
        from _pytest.outcomes import Failed, exit

        config, session = self.config, self.session
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter._sessionstarttime = timing.time()  # this run's start, not the zygote's
        try:
            try:
                session.exitstatus = _main(config, session) or 0
            except UsageError:
                session.exitstatus = ExitCode.USAGE_ERROR
            except Failed:
                session.exitstatus = ExitCode.TESTS_FAILED
            except (KeyboardInterrupt, exit.Exception):
                excinfo = _pytest._code.ExceptionInfo.from_current()
                exitstatus: int = ExitCode.INTERRUPTED
                if isinstance(excinfo.value, exit.Exception) and (
                        excinfo.value.returncode is not None):
                    exitstatus = excinfo.value.returncode
                config.hook.pytest_keyboard_interrupt(excinfo=excinfo)
                session.exitstatus = exitstatus
            except BaseException:  # noqa: BLE001 - as pytest: an internal error, exit code 3
                session.exitstatus = ExitCode.INTERNAL_ERROR
                excinfo = _pytest._code.ExceptionInfo.from_current()
                try:
                    config.notify_exception(excinfo, config.option)
                except exit.Exception as exc:
                    if exc.returncode is not None:
                        session.exitstatus = exc.returncode
        finally:
            excinfo = None
            os.chdir(session.startpath)
            try:
                config.hook.pytest_sessionfinish(session=session, exitstatus=session.exitstatus)
            except exit.Exception as exc:
                if exc.returncode is not None:
                    session.exitstatus = exc.returncode
            finally:
                config._ensure_unconfigure()
        return self.collector, int(session.exitstatus)
