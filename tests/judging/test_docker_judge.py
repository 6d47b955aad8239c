"""The judge against a real Docker engine: verdicts, scores and what the learner is told."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import docker
import pytest

from qa_arena_desktop import paths
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.events import RunFinished, RunStarted, VariantFinished
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.engine import LABEL_SESSION, SESSION_TAG_ENV
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack, pack_dirs

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leftover_containers")]

BUNDLED = pack_dirs(paths.problems_dir())


@pytest.fixture
def service(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    yield JudgingService(catalog, DockerBackend())
    catalog.close()


@pytest.mark.parametrize("pack_dir", BUNDLED, ids=[p.name for p in BUNDLED])
def test_reference_tests_score_100_and_kill_every_mutant(service, pack_dir):
    pack = load_pack(pack_dir)
    result = service.judge(pack, pack.reference_tests)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert result.score == 100.0
    assert result.killed_mutants == result.total_mutants == len(pack.scored_mutants)
    for mutant in result.mutants:
        assert mutant.status is MutantStatus.KILLED, mutant.name
        assert mutant.killed_by, mutant.name


@pytest.mark.parametrize("pack_dir", BUNDLED, ids=[p.name for p in BUNDLED])
def test_an_empty_test_scores_30_with_every_mutant_surviving(service, pack_dir):
    pack = load_pack(pack_dir)
    result = service.judge(pack, "def test_nothing():\n    pass\n")
    assert result.status is SubmissionStatus.SUCCESS
    assert result.score == 30.0
    assert {m.status for m in result.mutants} == {MutantStatus.SURVIVED}


def test_a_test_failing_on_golden_is_failure_naming_the_test(service, sample_pack):
    tests = ("from target import add_one\n\n"
             "def test_ok():\n    assert add_one(1) == 2\n\n"
             "def test_wrong_expectation():\n    assert add_one(1) == 3\n")
    result = service.judge(load_pack(sample_pack), tests)
    assert result.status is SubmissionStatus.FAILURE
    assert result.score == 0.0
    assert result.message.startswith("test_wrong_expectation failed on the correct implementation")
    assert "assert 2 == 3" in result.message


def test_events_arrive_in_order_and_each_verdict_is_persisted_as_it_arrives(service, sample_pack):
    pack = load_pack(sample_pack)
    seen = []

    def listener(event):
        if isinstance(event, VariantFinished) and event.mutant is not None:
            detail = service.catalog  # the row must already be there when the event is sent
            import sqlite3

            rows = sqlite3.connect(detail.path).execute(
                "SELECT mutant_name FROM mutant_results WHERE submission_id = ?",
                (event.submission_id,),
            ).fetchall()
            assert (event.mutant.name,) in rows
        seen.append(type(event).__name__)

    service.judge(pack, pack.reference_tests, listener)
    assert seen[0] == "RunStarted" and seen[-1] == "RunFinished"
    assert seen.count("VariantFinished") == 1 + len(pack.mutants)


def test_same_submission_id_twice_runs_once(service, sample_pack):
    pack = load_pack(sample_pack)
    events: list[object] = []
    first = service.judge(pack, pack.reference_tests, submission_id="fixed-id")
    second = service.judge(pack, pack.reference_tests, events.append, submission_id="fixed-id")
    assert first == second
    assert [type(e) for e in events] == [RunFinished]


def test_cancel_stops_the_run_and_removes_its_container(service, sample_pack):
    tests = "from target import add_one\n\ndef test_slow():\n    while True:\n        pass\n"
    cancel = threading.Event()

    def listener(event):
        if isinstance(event, RunStarted):
            threading.Timer(1.0, cancel.set).start()

    result = service.judge(load_pack(sample_pack), tests, listener, cancel)
    assert result.status is SubmissionStatus.CANCELLED and result.score == 0
    assert "cancelled" in result.message


def test_engine_fault_mid_run_is_retried_for_the_remaining_variants(service, tmp_path):
    from tests.packs.factory import write_pack

    many = {f"off-by-{n}": f"def add_one(x: int) -> int:\n    return x + {n}\n" for n in range(2, 9)}
    pack = load_pack(write_pack(tmp_path, mutants=many))
    tests = ("import time\nfrom target import add_one\n\n"
             "def test_one():\n    time.sleep(0.3)\n    assert add_one(1) == 2\n")
    client = docker.from_env()
    killed = threading.Event()
    finished_before_kill: list[str] = []

    def listener(event):
        if isinstance(event, VariantFinished) and not killed.is_set():
            finished_before_kill.append("golden" if event.golden else event.mutant.name)
            mine = {"label": f"{LABEL_SESSION}={os.environ[SESSION_TAG_ENV]}"}
            for container in client.api.containers(filters=mine):
                client.api.kill(container["Id"])
            killed.set()

    result = service.judge(pack, tests, listener)
    client.close()
    assert killed.is_set()
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert result.killed_mutants == 7
    assert "engine error (attempt 1 of 3)" in service_log(service, result.submission_id)


def service_log(service: JudgingService, submission_id: str) -> str:
    from qa_arena_desktop.catalog import store

    return store.get_submission(service.catalog, submission_id).execution_log


def test_verdicts_agree_with_plain_pytest_on_a_pack_outside_the_repository(service, tmp_path):
    from tests.packs.factory import write_pack

    mutants = {
        "returns-same": "def add_one(x: int) -> int:\n    return x\n",
        "negative-bug": "def add_one(x: int) -> int:\n    return x + 1 if x >= 0 else x\n",
        "big-bug": "def add_one(x: int) -> int:\n    return x + 1 if x < 1000 else 0\n",
        "raises-on-zero": "def add_one(x: int) -> int:\n    if x == 0:\n        raise ValueError\n"
                          "    return x + 1\n",
    }
    pack = load_pack(write_pack(tmp_path / "packs", mutants=mutants))
    tests = ("from target import add_one\n\n"
             "def test_small():\n    assert add_one(0) == 1\n\n"
             "def test_negative():\n    assert add_one(-3) == -2\n")
    result = service.judge(pack, tests)
    judged = {m.name: m.status for m in result.mutants}
    plain = {}
    for mutant in pack.mutants:
        work = tmp_path / "plain" / mutant.name
        work.mkdir(parents=True)
        (work / "target.py").write_text(mutant.source)
        (work / "test_it.py").write_text(tests)
        code = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               str(work / "test_it.py")], cwd=work, capture_output=True).returncode
        plain[mutant.name] = MutantStatus.SURVIVED if code == 0 else MutantStatus.KILLED
    assert judged == plain
    assert judged["big-bug"] is MutantStatus.SURVIVED


@pytest.fixture
def sample_pack(tmp_path: Path) -> Path:
    from tests.packs.factory import write_pack

    return write_pack(tmp_path / "packs")


def test_a_file_reading_the_target_source_is_judged_and_flagged(service, sample_pack):
    tests = ("import inspect\nimport target\nfrom target import add_one\n\n"
             "def test_peek():\n    assert 'return x + 1' in inspect.getsource(target)\n")
    result = service.judge(load_pack(sample_pack), tests)
    assert result.status is SubmissionStatus.SUCCESS
    # The static check, the run-time audit hook (inspect.getsource opens target.py) and the
    # withheld messages of the mutants' failures (pytest quoted their source) each flag it.
    assert set(result.flags) == {"reads-target-source", "introspects-code-under-test",
                                 "message-withheld"}
    assert result.score == 100.0  # flagged, not blocked: the teacher decides
    assert all("return x" not in mutant.message for mutant in result.mutants)
