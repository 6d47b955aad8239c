"""--invalid drop on the real engine: tests that fail on golden are left out one by one."""

from __future__ import annotations

import threading

import pytest

from qa_arena_desktop.classroom.batch import ServiceJudge
from qa_arena_desktop.classroom.invalid_tests import DroppedResult, DroppingJudge
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.context import open_catalog
from qa_arena_desktop.packs.loader import load_pack
from tests.packs.factory import MUTANTS, manifest, write_pack

HEADER = "from target import add_one\n\n"
KILLS_RETURNS_SAME = "def test_zero():\n    assert add_one(0) != 0\n\n"
KILLS_ADDS_TWO = "def test_one():\n    assert add_one(1) == 2\n\n"
WRONG_A = "def test_wrong_a():\n    assert add_one(2) == 4\n\n"
WRONG_B = "def test_wrong_b():\n    assert add_one(3) == 3\n\n"


@pytest.fixture
def judge(tmp_path):
    pack = load_pack(write_pack(tmp_path / "packs", mutants=MUTANTS,
                                toml=manifest(mutants=MUTANTS).replace("time_limit_s = 5",
                                                                       "time_limit_s = 3")))
    catalog, _ = open_catalog(sync=False)
    inner = ServiceJudge(catalog, jobs=1)
    try:
        yield pack, DroppingJudge(inner), inner
    finally:
        inner.close()
        catalog.close()


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_drop_leaves_out_the_failing_tests_and_scores_the_rest(judge):
    pack, dropping, plain = judge
    data = (HEADER + WRONG_A + KILLS_RETURNS_SAME + WRONG_B).encode()
    zero = plain(pack, data, threading.Event())
    assert (zero.status.value, zero.score) == ("FAILURE", 0.0)  # the default policy
    result = dropping(pack, data, threading.Event())
    assert isinstance(result, DroppedResult)
    assert (result.status.value, result.killed_mutants, result.score) == ("SUCCESS", 1, 65.0)
    assert [test for test, _ in result.dropped] == ["test_wrong_a", "test_wrong_b"]
    assert "assert 3 == 4" in result.dropped[0][1]
    assert result.message.startswith("2 test(s) dropped because they fail on the correct "
                                     "implementation: test_wrong_a, test_wrong_b")
    killers = {m.name: m.killed_by for m in result.mutants}
    assert killers["returns-same"] == ("test_zero",)
    row = GradeRow.from_result("a.py", "0" * 64, result)
    assert row.dropped == result.dropped
    assert GradeRow.from_state(row.to_state()).dropped == row.dropped  # survives a resume


@pytest.mark.docker
def test_a_file_whose_tests_all_fail_on_golden_scores_zero(judge):
    pack, dropping, _ = judge
    result = dropping(pack, (HEADER + WRONG_A + WRONG_B).encode(), threading.Event())
    assert (result.status.value, result.score) == ("FAILURE", 0.0)
    assert isinstance(result, DroppedResult) and len(result.dropped) == 2
    assert result.message.startswith("every test fails on the correct implementation (2 dropped")


@pytest.mark.docker
def test_valid_files_and_other_failures_are_judged_as_usual(judge):
    pack, dropping, _ = judge
    good = dropping(pack, (HEADER + KILLS_RETURNS_SAME + KILLS_ADDS_TWO).encode(),
                    threading.Event())
    assert (good.status.value, good.score) == ("SUCCESS", 100.0)
    assert not isinstance(good, DroppedResult)
    broken = dropping(pack, b"def test_a(:\n", threading.Event())
    assert broken.status.value == "FAILURE" and not isinstance(broken, DroppedResult)


@pytest.fixture
def bundled_judge():
    """Bundled packs by slug, and a dropping judge over the real engine."""
    from qa_arena_desktop import paths

    catalog, _ = open_catalog(sync=False)
    inner = ServiceJudge(catalog, jobs=1)
    try:
        yield (lambda slug: load_pack(paths.problems_dir() / slug)), DroppingJudge(inner)
    finally:
        inner.close()
        catalog.close()


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_drop_runs_golden_with_the_packs_helpers(bundled_judge):
    """roll-dice's tests import its helpers.py: the golden-only runs that find the failing
    tests carry the support files too, so only the wrong test is dropped."""
    load, dropping = bundled_judge
    data = (b"from helpers import ScriptedRandom\nfrom target import roll\n\n"
            b"def test_minus():\n    assert roll('1d8-3', ScriptedRandom([2])) == -1\n\n"
            b"def test_wrong():\n    assert roll('1d6', ScriptedRandom([3])) == 4\n")
    result = dropping(load("roll-dice"), data, threading.Event())
    assert isinstance(result, DroppedResult)
    assert result.status.value == "SUCCESS", result.message
    assert [test for test, _ in result.dropped] == ["test_wrong"]


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_drop_also_leaves_out_a_test_that_fails_only_on_a_further_golden(bundled_judge):
    """dedupe leaves the order open (a second golden returns it sorted): a test pinning
    the first-seen order passes on golden and fails on the other, and is dropped."""
    load, dropping = bundled_judge
    data = (b"from target import dedupe\n\n"
            b"def test_members():\n    assert sorted(dedupe([3, 1, 3])) == [1, 3]\n\n"
            b"def test_order():\n    assert dedupe([3, 1, 3]) == [3, 1]\n")
    result = dropping(load("dedupe"), data, threading.Event())
    assert isinstance(result, DroppedResult)
    assert result.status.value == "SUCCESS", result.message
    assert [test for test, _ in result.dropped] == ["test_order"]
