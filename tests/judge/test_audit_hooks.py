"""The runner's audit hooks, on the host: a fresh interpreter per run (no Docker).

Each run writes a run directory with ``target.py`` and ``test_submission.py`` (and
sometimes a ``conftest.py``), installs the hooks with a pipe, runs ``pytest.main`` on it
and reads the pipe. All runs start at once (one module-scoped fixture) and every test
looks up its own run's result.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

JUDGE_DIR = Path(__file__).resolve().parents[2] / "judge"

HARNESS = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
run_dir, out = sys.argv[2], sys.argv[3]
os.chdir(run_dir)
sys.path.insert(0, run_dir)
import pytest
from qa_judge import audit
from qa_judge.hypothesis_profile import load_profile
load_profile()  # as the zygote does, before any run: Hypothesis imported and set up
read_end, write_end = os.pipe()
audit.install(run_dir, write_end)
code = pytest.main([os.path.join(run_dir, "test_submission.py"), "-q", "-s", "-p", "no:cacheprovider",
                    "-p", "no:stepwise", "--rootdir", run_dir, "-c", os.devnull, "--color=no"])
audit.seal(write_end)
os.close(write_end)
data = os.read(read_end, 1 << 16)
with open(out, "w") as handle:
    json.dump({"exit": int(code), "audit": data.decode()}, handle)
"""

TARGET = '''\
import os

SECRET_THRESHOLD = 41


def add(a, b):
    """Add two numbers."""
    return a + b


def checked_divide(numerator, denominator):
    if denominator == 0:
        raise ZeroDivisionError("denominator must not be zero")
    return numerator / denominator


def apply(callback, value):
    hidden_local = SECRET_THRESHOLD + 1
    return callback(value) + hidden_local - hidden_local


def counter(limit):
    current = 0
    while current < limit:
        yield current
        current += 1


def shout(text):
    print(text.upper())


def own_size():
    with open(__file__, encoding="utf-8") as handle:
        return len(handle.read()) + 0 * os.path.getsize(__file__)
'''

HONEST = '''\
import collections
import dataclasses
import inspect
import logging
import os
import typing
from unittest import mock

import pytest

import target
from target import add, checked_divide


@pytest.mark.parametrize("a, b, expected", [(1, 2, 3), (2, 2, 4), (0, 0, 0)])
def test_add(a, b, expected):
    assert add(a, b) == expected


def test_add_fails():
    assert add(2, 2) == 5


def test_divide_fails_inside_target():
    assert checked_divide(1, 0) == 0


def test_fails_through_a_callback():
    target.apply(lambda value: value / 0, 1)


def test_raises():
    with pytest.raises(ZeroDivisionError, match="zero") as excinfo:
        checked_divide(1, 0)
    assert "zero" in str(excinfo.value)
    assert excinfo.type is ZeroDivisionError
    assert repr(excinfo).startswith("<ExceptionInfo")


def test_approx():
    assert checked_divide(1, 3) == pytest.approx(0.3333, rel=1e-3)


def test_tmp_path(tmp_path):
    data = tmp_path / "data.txt"
    data.write_text("1 2")
    a, b = map(int, data.read_text().split())
    assert add(a, b) == 3
    assert os.path.exists(data) and os.listdir(tmp_path) == ["data.txt"]
    with open(tmp_path / "out.txt", "w") as handle:
        handle.write("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt", "out.txt"]


def test_capsys(capsys):
    target.shout("hi")
    assert capsys.readouterr().out == "HI\\n"


def test_monkeypatch(monkeypatch, tmp_path):
    monkeypatch.setattr(target, "SECRET_THRESHOLD", 1)
    monkeypatch.setattr("target.add", lambda a, b: 0)
    monkeypatch.chdir(tmp_path)
    assert target.add(1, 1) == 0


def test_callback_and_generator():
    assert target.apply(lambda value: value * 2, 3) == 6
    assert list(target.counter(3)) == [0, 1, 2]
    assert inspect.getgeneratorstate(target.counter(1)) == "GEN_CREATED"


def test_the_target_may_read_its_own_file():
    assert target.own_size() > 0


def test_library_helpers_that_look_at_frames(caplog):
    logging.getLogger("t").warning("seen")
    T = typing.TypeVar("T")
    Point = collections.namedtuple("Point", "x y")

    @dataclasses.dataclass
    class Pair:
        left: int
        right: int = 0

    assert "seen" in caplog.text and T.__name__ == "T" and Point(1, 2).y == 2 and Pair(1).right == 0


def test_signature_and_autospec(request_value):
    assert list(inspect.signature(add).parameters) == ["a", "b"]
    assert not inspect.iscoroutinefunction(add)
    with mock.patch.object(target, "add", autospec=True) as fake:
        fake.return_value = 9
        assert target.add(1, 2) == 9 == request_value


class TestClass:
    def test_method(self):
        assert add(-1, 1) == 0
'''

HONEST_CONFTEST = '''\
import pytest


@pytest.fixture
def request_value():
    return 9
'''


def _attack(body: str, header: str = "") -> str:
    return (f"import os\nimport sys\nimport target\n{header}\n\ndef test_attack(tmp_path):\n"
            + textwrap.indent(textwrap.dedent(body), "    ") + "\n\ndef test_plain():\n"
            "    assert target.add(1, 2) == 3\n")


# name: (test file, substring expected in a "why", conftest or None)
ATTACKS: dict[str, tuple[str, str, str | None]] = {
    "open": (_attack("assert 'return' in open('target.py').read()"), "opened target.py", None),
    "open-built-name": (_attack("name = 'tar' + 'get.py'\nassert open(name).read()"),
                        "opened target.py", None),
    "os.stat": (_attack("assert os.stat('target.py').st_size > 10"), "stat target.py", None),
    "getsize": (_attack("assert os.path.getsize(target.__file__) > 10"), "stat target.py", None),
    "listdir-then-open": (_attack("""\
        names = [n for n in os.listdir('.') if n.startswith('tar')]
        assert open(names[0]).read()"""), "listed the run directory", None),
    "glob": (_attack("import glob\nassert glob.glob('*.py')"), "listed the run directory", None),
    "pathlib-read-text": (_attack("""\
        import pathlib
        assert 'return' in pathlib.Path(target.__file__).read_text()"""), "opened target.py", None),
    "inspect-getsource": (_attack("import inspect\nassert 'return' in inspect.getsource(target.add)"),
                          "target.add", None),
    "code-consts": (_attack("assert target.add.__code__.co_consts"), "__code__ of target.add", None),
    "dis": (_attack("import dis\ndis.dis(target.checked_divide)"), "__code__ of target", None),
    "globals": (_attack("assert target.add.__globals__['SECRET_THRESHOLD'] == 41"),
                "reads __globals__", None),
    "getframe": (_attack("assert sys._getframe(1).f_locals is not None"), "sys._getframe", None),
    "getframe-in-callback": (_attack("""\
        def peek(value):
            return sys._getframe(1).f_locals['hidden_local']
        assert target.apply(peek, 1) == 42"""), "sys._getframe", None),
    "traceback-frame": (_attack("""\
        try:
            target.checked_divide(1, 0)
        except ZeroDivisionError as exc:
            import traceback
            assert traceback.format_exception(exc)"""), "traceback frame of target.py", None),
    "excinfo-frame": (_attack("""\
        import pytest
        with pytest.raises(ZeroDivisionError) as excinfo:
            target.checked_divide(1, 0)
        assert excinfo.traceback[-1].frame.f_locals"""), "of target.py", None),
    "gc": (_attack("import gc\nassert gc.get_objects()"), "gc.get_objects", None),
    "gc-referrers": (_attack("import gc\nassert gc.get_referrers(target.add)"), "gc.get_referrers", None),
    "ctypes": (_attack("import ctypes\nassert ctypes.sizeof(ctypes.c_int)"), "ctypes", None),
    "pycache": (_attack("""\
        import importlib.util
        with open(importlib.util.cache_from_source(target.__file__), 'rb') as handle:
            assert handle.read()"""), "bytecode", None),
    "pycache-listing": (_attack("assert os.listdir('__pycache__')"), "__pycache__", None),
    "spec-from-file": (_attack("""\
        import importlib.util
        spec = importlib.util.spec_from_file_location('copy', 'target.py')
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)"""), "opened target.py", None),
    "loader-get-source": (_attack("assert target.__loader__.get_source('target')"),
                          "opened target.py", None),
    "custom-fspath": (_attack("""\
        class Sneaky:
            def __fspath__(self):
                return 'tar' + 'get.py'
        assert open(Sneaky()).read()"""), "opened target.py", None),
    "exec-string": (_attack("exec(\"assert open('tar' + 'get.py').read()\")"), "opened target.py", None),
    "compile-target-source": (_attack("""\
        code = 'def copy(numerator, denominator):\\n    return numerator / denominator\\n'
        exec(compile(code, '<copy>', 'exec'), {})"""), "compiled the source of target.py", None),
    "disguised-filename": (_attack("exec(compile('x = 1', os.__file__, 'exec'), {})"),
                           "library or target file name", None),
    "helper-module": (_attack("""\
        (tmp_path / 'helper_mod.py').write_text("SOURCE = open('target.py').read()\\n")
        sys.path.insert(0, str(tmp_path))
        import helper_mod
        assert helper_mod.SOURCE"""), "opened target.py", None),
    "conftest": (_attack("pass"), "opened target.py", "SOURCE = open('target.py').read()\n"),
    "symlink": (_attack("os.symlink(os.path.abspath('target.py'), tmp_path / 'x.py')"),
                "linked target.py", None),
    "subprocess": (_attack("import subprocess\nsubprocess.run(['cat', 'target.py'], check=False)"),
                   "started a process", None),
    "settrace": (_attack("sys.settrace(lambda *args: None)\nsys.settrace(None)"),
                 "trace function", None),
    "linecache": (_attack("import linecache\nassert linecache.getlines(target.__file__)"),
                  "linecache", None),
    "hypothesis-body": (_attack("""\
        from hypothesis import given, strategies as st

        @given(st.integers())
        def check(x):
            assert 'return' in inspect.getsource(target.add)
        check()""", header="import inspect"), "read __code__ of target.add", None),
}

# Hypothesis failing, inside the target and in the test: its failure handling reads the
# failing frames and stats every module's file, for the report only (not flagged).
HONEST_HYPOTHESIS = """\
from hypothesis import given, strategies as st

from target import add, checked_divide


@given(st.integers(min_value=0, max_value=3))
def test_fails_inside_target(d):
    assert checked_divide(6, d) >= 0


@given(st.integers(), st.integers())
def test_fails_in_the_test(a, b):
    assert add(a, b) != a


@given(st.lists(st.integers(), max_size=4))
def test_passes(items):
    assert add(sum(items), 0) == sum(items)
"""


def _start(root: Path, name: str, tests: str, conftest: str | None) -> tuple[subprocess.Popen, Path]:
    run_dir = root / name / "run"
    run_dir.mkdir(parents=True)
    (run_dir / "target.py").write_text(TARGET)
    (run_dir / "test_submission.py").write_text(tests)
    if conftest is not None:
        (run_dir / "conftest.py").write_text(conftest)
    harness = root / name / "harness.py"
    harness.write_text(HARNESS)
    out = root / name / "out.json"
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # as in the judge image
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the __pycache__ attack needs target's bytecode
    process = subprocess.Popen([sys.executable, str(harness), str(JUDGE_DIR), str(run_dir), str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    return process, out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("audit-runs")
    cases = {name: (tests, conftest) for name, (tests, _why, conftest) in ATTACKS.items()}
    cases["honest"] = (HONEST, HONEST_CONFTEST)
    cases["honest-hypothesis"] = (HONEST_HYPOTHESIS, None)
    started = {name: _start(root, name, tests, conftest) for name, (tests, conftest) in cases.items()}
    results = {}
    for name, (process, out) in started.items():
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output.decode(errors="replace")
        document = json.loads(out.read_text())
        lines = [json.loads(line) for line in document["audit"].splitlines()]
        document["flags"] = [line for line in lines if "flag" in line]
        document["sealed"] = {"sealed": True} in lines
        document["output"] = output.decode(errors="replace")
        results[name] = document
    return results


def test_honest_tests_pass_and_fail_without_a_flag(runs):
    honest = runs["honest"]
    assert honest["flags"] == [], honest["output"]
    assert honest["sealed"]
    assert honest["exit"] == 1  # three tests fail on purpose, with tracebacks through target
    assert "3 failed" in honest["output"] and "13 passed" in honest["output"], honest["output"]


def test_hypothesis_failures_are_not_introspection(runs):
    run = runs["honest-hypothesis"]
    assert run["flags"] == [], run["output"]
    assert run["sealed"]
    assert "2 failed, 1 passed" in run["output"], run["output"]
    assert "ZeroDivisionError" in run["output"] and "Falsifying example" in run["output"]


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_introspection_is_flagged(runs, name):
    run = runs[name]
    whys = [flag["why"] for flag in run["flags"]]
    assert all(flag["flag"] == "introspects-code-under-test" for flag in run["flags"])
    assert any(ATTACKS[name][1] in why for why in whys), (whys, run["output"])
    assert 1 <= len(whys) <= 3
    assert run["sealed"]
