"""Fast judging keeps verdicts and isolation: shards, strict mode, derived time budgets."""

from __future__ import annotations

import time

import pytest

from qa_arena_desktop import paths
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.judging.container_run import JudgeContainer
from qa_arena_desktop.judging.docker_backend import BUDGET_POLICY, DockerBackend
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.judging.verdicts import MutantStatus, SubmissionStatus
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


def verdicts(result):
    return {m.name: m.status for m in result.mutants}


@pytest.mark.parametrize("pack_dir", pack_dirs(paths.problems_dir())[:6],
                         ids=lambda p: p.name)
def test_fast_strict_and_single_container_give_the_same_verdicts(judge, pack_dir):
    pack = load_pack(pack_dir)
    first_test = pack.reference_tests.split("\ndef test_")[0] + "\ndef test_" + \
        pack.reference_tests.split("\ndef test_")[1]
    fast = judge(pack, first_test)
    strict = judge(pack, first_test, isolation="strict")
    single = judge(pack, first_test, shards=1)
    assert fast.status is strict.status is single.status is SubmissionStatus.SUCCESS
    assert verdicts(fast) == verdicts(strict) == verdicts(single)


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


def test_containers_started_ahead_are_used_for_a_pack_with_its_own_time_limit(judge, tmp_path):
    from tests.packs.factory import manifest

    pack = load_pack(write_pack(tmp_path / "p", mutants=MANY,
                                toml=manifest(mutants=MANY).replace("time_limit_s = 5",
                                                                    "time_limit_s = 3")))
    backend = DockerBackend()
    backend.prepare()
    for future in list(backend._standby):  # the prepared containers are up before we count
        future.result(timeout=60)
    catalog = Catalog(tmp_path / "warm.sqlite3")
    started = []
    original = JudgeContainer.start
    try:
        JudgeContainer.start = classmethod(  # type: ignore[method-assign]
            lambda cls, client, limits: started.append(1) or original.__func__(cls, client, limits))
        result = JudgingService(catalog, backend).judge(pack, pack.reference_tests)
    finally:
        JudgeContainer.start = original  # type: ignore[method-assign]
        backend.close()
        catalog.close()
    assert result.status is SubmissionStatus.SUCCESS
    assert started == [], "the run started its own containers instead of the prepared ones"


def test_keep_warm_prepares_the_next_runs_containers(judge, tmp_path):
    pack = load_pack(write_pack(tmp_path / "p", mutants=MANY))
    backend = DockerBackend(keep_warm=True)
    catalog = Catalog(tmp_path / "warm.sqlite3")
    try:
        JudgingService(catalog, backend).judge(pack, pack.reference_tests)
        deadline = time.monotonic() + 10  # started a moment after the run (KEEP_WARM_DELAY_S)
        while len(backend._standby) < backend.shards and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(backend._standby) == backend.shards
    finally:
        backend.close()
        catalog.close()
