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


def warm_up(work_dir: str) -> None:
    """Run pytest once on a trivial test of our own, before any fork.

    pytest imports much of itself lazily on first use (assertion rewriting, the python
    plugin, fixtures); doing that once here means every forked run starts warm.
    """
    import pytest

    warm_dir = os.path.join(work_dir, "warmup")
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
    try:
        pytest.main(pytest_args(test_path), plugins=[Collector(200)])
    finally:
        sys.path[:] = saved_path
        for name in ("target", "test_submission", "conftest"):
            sys.modules.pop(name, None)
        shutil.rmtree(warm_dir, ignore_errors=True)


class PreparedPytest:
    """pytest's configuration built once, in the zygote, before any fork.

    ``pytest.main`` spends about half of a small run building its configuration; that
    work depends only on the fixed paths and arguments, so each forked test process only
    runs the session on its own copy. The configuration never sees learner code.
    """

    def __init__(self, run_dir: str, env: dict[str, str]) -> None:
        from _pytest.config import _prepareconfig

        self.collector = Collector(2000)
        os.makedirs(run_dir, mode=0o700, exist_ok=True)
        saved_env, saved_cwd, saved_argv = dict(os.environ), os.getcwd(), sys.argv
        os.environ.clear()
        os.environ.update(env)
        os.chdir(run_dir)
        sys.argv = ["pytest"]
        try:
            self.config = _prepareconfig(pytest_args(os.path.join(run_dir, TESTS_FILE)),
                                         [self.collector])
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            os.chdir(saved_cwd)
            sys.argv = saved_argv

    def run(self) -> tuple[Collector, int]:
        """In the test process: what ``pytest.main`` does after building the configuration."""
        try:
            code = self.config.hook.pytest_cmdline_main(config=self.config)
        finally:
            self.config._ensure_unconfigure()
        return self.collector, int(code)
