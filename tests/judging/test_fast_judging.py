"""Fast judging keeps verdicts and isolation: shards, strict mode, derived time budgets."""

from __future__ import annotations

import time

import pytest

from qa_arena_desktop import paths
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.container_run import JudgeContainer
from qa_arena_desktop.judging.docker_backend import BUDGET_POLICY, DockerBackend
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack, pack_dirs
from tests.packs.factory import write_pack

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leftover_containers")]

MANY = {f"off-by-{n}": f"def add_one(x: int) -> int:\n    return x + {n}\n" for n in range(2, 9)}


@pytest.fixture
def judge(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    backends: list[DockerBackend] = []

    def run(pack, tests, **backend_options):
        backend = DockerBackend(**backend_options)
        backends.append(backend)
        return JudgingService(catalog, backend).judge(pack, tests)

    yield run
    for backend in backends:
        backend.close()
    catalog.close()


@pytest.fixture
def container_starts(monkeypatch):
    """A list that gets one entry per container started from now on."""
    started: list[int] = []
    original = JudgeContainer.start.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(JudgeContainer, "start", classmethod(
        lambda cls, client, limits: started.append(1) or original(cls, client, limits)))
    return started


def first_test_only(source: str) -> str:
    """``source`` with every test after the first left out (imports, helpers, fixtures and
    decorators kept): a test file that kills only some mutants, for every kind of pack."""
    import ast

    lines = source.splitlines(keepends=True)
    kept: list[str] = []
    seen_test = False
    for node in ast.parse(source).body:
        is_test = (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                   and node.name.startswith("test")) or (
            isinstance(node, ast.ClassDef) and node.name.startswith("Test"))
        if is_test and seen_test:
            continue
        seen_test = seen_test or is_test
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        kept += lines[start - 1:node.end_lineno]
    return "".join(kept)


def verdicts(result):
    return {m.name: m.status for m in result.mutants}


@pytest.mark.parametrize("pack_dir", pack_dirs(paths.problems_dir()), ids=lambda p: p.name)
def test_every_way_of_judging_gives_the_same_verdicts_on_every_bundled_pack(judge, pack_dir):
    """fast (2 shards), strict (a fresh container per variant: the backbone's design), one
    container, and a kept-warm container reused for a second submission: same verdicts."""
    pack = load_pack(pack_dir)
    first_test = first_test_only(pack.reference_tests)
    fast = judge(pack, first_test)
    strict = judge(pack, first_test, isolation="strict")
    single = judge(pack, first_test, shards=1)
    warm = DockerBackend(keep_warm=True)
    catalog = Catalog(paths.data_dir() / "warm.sqlite3")
    try:
        service = JudgingService(catalog, warm)
        service.judge(pack, pack.reference_tests)
        reused = service.judge(pack, first_test)  # in the containers the first one used
    finally:
        warm.close()
        catalog.close()
    results = (fast, strict, single, reused)
    assert {r.status for r in results} == {SubmissionStatus.SUCCESS}, [r.message for r in results]
    assert verdicts(fast) == verdicts(strict) == verdicts(single) == verdicts(reused)


def test_an_endless_loop_mutant_costs_the_derived_budget_not_the_pack_limit(judge, tmp_path):
    loops = {**MANY, "loops": "def add_one(x: int) -> int:\n    while True:\n        pass\n"}
    pack = load_pack(write_pack(tmp_path / "p", mutants=loops))
    result = judge(pack, "from target import add_one\n\ndef test_one():\n"
                         "    assert add_one(1) == 2\n", shards=1)
    loop = {m.name: m for m in result.mutants}["loops"]
    assert loop.status is MutantStatus.TIMEOUT
    # Whether it ran before golden (pack limit) or after (derived), the budget is reported.
    assert loop.budget_ms in (BUDGET_POLICY["min_s"] * 1000, pack.time_limit_s * 1000)
    assert not loop.rechecked


def test_a_slow_but_idle_test_is_rechecked_and_never_cut_short(judge, tmp_path):
    pack = load_pack(write_pack(tmp_path / "p", mutants=MANY))
    # Golden sleeps briefly; mutants sleep 1.5 s: past a 1 s derived budget, but idle.
    tests = ("import time\nfrom target import add_one\n\n"
             "def test_one():\n    time.sleep(0.05 if add_one(1) == 2 else 1.5)\n")
    result = judge(pack, tests, shards=1)
    assert result.status is SubmissionStatus.SUCCESS
    assert set(verdicts(result).values()) == {MutantStatus.SURVIVED}
    assert any(m.rechecked for m in result.mutants) or all(
        m.budget_ms == pack.time_limit_s * 1000 for m in result.mutants)


def test_a_busy_test_slower_than_the_budget_only_on_mutants_is_timeout(judge, tmp_path):
    pack = load_pack(write_pack(tmp_path / "p", mutants=MANY))
    tests = ("import time\nfrom target import add_one\n\n"
             "def test_one():\n    end = time.monotonic() + (0.01 if add_one(1) == 2 else 3)\n"
             "    while time.monotonic() < end:\n        pass\n")
    result = judge(pack, tests, shards=1)
    assert result.status is SubmissionStatus.SUCCESS
    after_golden = [m for m in result.mutants if m.budget_ms < pack.time_limit_s * 1000]
    assert all(m.status is MutantStatus.TIMEOUT for m in after_golden)
    # before golden ran, the pack's limit applied: 3 s of work fits and the mutant survives
    before_golden = [m for m in result.mutants if m.budget_ms == pack.time_limit_s * 1000]
    assert all(m.status is MutantStatus.SURVIVED for m in before_golden)


def test_containers_started_ahead_are_used_for_a_pack_with_its_own_time_limit(
        judge, tmp_path, container_starts):
    from tests.packs.factory import manifest

    pack = load_pack(write_pack(tmp_path / "p", mutants=MANY,
                                toml=manifest(mutants=MANY).replace("time_limit_s = 5",
                                                                    "time_limit_s = 3")))
    backend = DockerBackend()
    backend.prepare()
    backend.pool.wait_started(timeout=60)  # the prepared containers are up before we count
    container_starts.clear()
    catalog = Catalog(tmp_path / "warm.sqlite3")
    try:
        result = JudgingService(catalog, backend).judge(pack, pack.reference_tests)
    finally:
        backend.close()
        catalog.close()
    assert result.status is SubmissionStatus.SUCCESS
    assert container_starts == [], "the run started its own containers instead of the prepared ones"


def test_keep_warm_prepares_the_next_runs_containers(judge, tmp_path):
    pack = load_pack(write_pack(tmp_path / "p", mutants=MANY))
    backend = DockerBackend(keep_warm=True)
    catalog = Catalog(tmp_path / "warm.sqlite3")
    try:
        JudgingService(catalog, backend).judge(pack, pack.reference_tests)
        deadline = time.monotonic() + 10  # started a moment after the run (KEEP_WARM_DELAY_S)
        while backend.warm_containers < backend.shards and time.monotonic() < deadline:
            time.sleep(0.05)
        assert backend.warm_containers == backend.shards
    finally:
        backend.close()
        catalog.close()


FEATURES = '''import logging
import os
import sys
import warnings

import pytest

from target import add_one

SEEN = []


def setup_module(module):
    SEEN.append("setup_module")


@pytest.fixture
def base(request):
    assert request.config.rootpath.name == "run"
    return 41


@pytest.mark.parametrize("x, want", [(0, 1), (-5, -4), (10, 11)])
def test_parametrized(x, want):
    assert add_one(x) == want


def test_capfd(capfd):
    os.write(1, b"raw")
    assert capfd.readouterr().out == "raw"


def test_builtin_fixtures(tmp_path, capsys, monkeypatch, caplog, recwarn, base):
    (tmp_path / "f.txt").write_text("x")
    assert (tmp_path / "f.txt").read_text() == "x"
    print("hello")
    assert capsys.readouterr().out == "hello\\n"
    monkeypatch.setenv("QA_X", "1")
    assert os.environ["QA_X"] == "1"
    with caplog.at_level(logging.INFO):
        logging.getLogger("t").info("logged")
    assert "logged" in caplog.text
    warnings.warn("careful", UserWarning)
    assert len(recwarn) == 1
    assert add_one(base) == 42


def test_raises_approx_and_setup_module():
    with pytest.raises(TypeError):
        add_one("a")
    assert add_one(0.1) == pytest.approx(1.1)
    assert SEEN == ["setup_module"]


class TestInAClass:
    def test_method(self):
        assert add_one(1) == 2


@pytest.mark.skip(reason="skipped on purpose")
def test_skipped():
    raise AssertionError


@pytest.mark.xfail(strict=True)
def test_expected_to_fail():
    assert add_one(1) == 3


def test_cwd_and_argv_are_the_runs():
    assert os.getcwd() == "/work/run"
    assert sys.argv == ["pytest"]
'''


def test_pytest_features_work_in_every_forked_variant(judge, tmp_path):
    """The configuration is built once before the forks: learners' pytest features still work."""
    pack = load_pack(write_pack(tmp_path / "p"))
    result = judge(pack, FEATURES)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert result.golden is not None and result.golden.outcome == "passed"
    assert all(m.status is MutantStatus.KILLED for m in result.mutants)
    outcomes = {t.id: t.outcome for t in result.mutants[0].tests}
    assert outcomes["test_skipped"] == "skipped"
    assert outcomes["test_cwd_and_argv_are_the_runs"] == "passed"
    assert outcomes["test_parametrized[0-1]"] == "failed"


def test_a_fixture_error_is_reported_with_its_reason_not_its_location(judge, tmp_path):
    pack = load_pack(write_pack(tmp_path / "p"))
    result = judge(pack, "def test_both(capsys, capfd):\n    pass\n")
    assert result.status is SubmissionStatus.FAILURE
    assert "cannot use capfd and capsys at the same time" in result.message


def test_the_runner_builds_pytests_configuration_once_before_forking():
    import threading

    from qa_arena_desktop.domain.judge_models import Limits
    from qa_arena_desktop.judging import engine

    client = engine.connect()
    container = JudgeContainer.start(client, Limits())
    never = threading.Event()
    try:
        container.send({"tests": "def test_x():\n    pass\n",
                        "variants": [{"key": "v0", "source": "x = 1\n", "golden": True}]})
        events = list(container.events(never, never, lambda _line: None, 30))
    finally:
        container.close_stream()
        container.remove()
        client.close()
    ready = next(e for e in events if e["event"] == "ready")
    assert ready["prepared"] is True, "the runner fell back to pytest.main per variant"
    assert next(e for e in events if e["event"] == "variant")["outcome"] == "passed"


LEAVE_TRACES = '''import os, subprocess, sys
from target import add_one

def test_leaves_traces():
    for place in ("/work/run/marker", "/work/marker", "/tmp/marker", "/dev/shm/marker",
                  os.path.expanduser("~/marker")):
        if os.path.isdir(os.path.dirname(place)):
            with open(place, "w") as handle:
                handle.write("from an earlier submission")
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                     start_new_session=True)
    os.environ["QA_MARKER"] = "1"
    assert add_one(1) == 2
'''

FINDS_NO_TRACES = '''import os
from target import add_one

def test_starts_clean():
    found = [p for p in ("/work/run/marker", "/work/marker", "/tmp/marker", "/dev/shm/marker",
                         os.path.expanduser("~/marker")) if os.path.exists(p)]
    others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]
    assert not found and not others and "QA_MARKER" not in os.environ, (found, others)
    assert add_one(1) == 2
'''


def test_a_kept_warm_container_judges_the_next_submission_from_a_clean_state(
        tmp_path, container_starts):
    pack = load_pack(write_pack(tmp_path / "p", mutants=MANY))
    backend = DockerBackend(keep_warm=True)
    catalog = Catalog(tmp_path / "reuse.sqlite3")
    try:
        service = JudgingService(catalog, backend)
        first = service.judge(pack, LEAVE_TRACES)
        after_first = len(container_starts)
        second = service.judge(pack, FINDS_NO_TRACES)
    finally:
        backend.close()
        catalog.close()
    assert first.status is second.status is SubmissionStatus.SUCCESS, second.message
    assert len(container_starts) == after_first, "the second submission did not reuse them"
    # the traces would fail golden's run of the second file; every mutant is killed by add_one
    assert all(m.status is MutantStatus.KILLED for m in second.mutants)


def test_strict_isolation_never_reuses_a_container(tmp_path, container_starts):
    pack = load_pack(write_pack(tmp_path / "p", mutants=MANY))
    backend = DockerBackend(isolation="strict", keep_warm=True)
    catalog = Catalog(tmp_path / "strict.sqlite3")
    try:
        service = JudgingService(catalog, backend)
        for _ in range(2):
            assert service.judge(pack, pack.reference_tests).status is SubmissionStatus.SUCCESS
        assert backend.warm_containers == 0
    finally:
        backend.close()
        catalog.close()
    assert len(container_starts) == 2 * (1 + len(MANY))
