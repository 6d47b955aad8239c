""""Why is my test wrong?": a test that fails on golden is run alone on every mutant; when
it passes on exactly one or two, their hints name the misreading (real engine)."""

from __future__ import annotations

import json

import pytest

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack
from tests.cli.test_judge_command import run_cli
from tests.packs.factory import MUTANTS as FACTORY_MUTANTS
from tests.packs.factory import write_pack

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leftover_containers")]

MUTANTS = {**FACTORY_MUTANTS, "subtracts": "def add_one(x: int) -> int:\n    return x - 1\n"}
HINTS = {"returns-same": "Adding one means the result is never the input itself.",
         "adds-two": "One, not two.", "subtracts": "Up, not down."}


@pytest.fixture
def pack_dir(tmp_path):
    folder = write_pack(tmp_path / "packs", mutants=MUTANTS)
    toml = (folder / "problem.toml").read_text()
    for name, hint in HINTS.items():  # each mutant's hint, after its name
        head, _, tail = toml.partition(f'name = "{name}"')
        toml = head + f'name = "{name}"' + tail.replace('hint = "Look closely."',
                                                         f'hint = "{hint}"', 1)
    (folder / "problem.toml").write_text(toml)
    return folder


@pytest.fixture
def service(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    backend = DockerBackend()
    yield JudgingService(catalog, backend, explain_failures=True)
    backend.close()
    catalog.close()


def test_a_test_expecting_one_mutants_behaviour_gets_that_mutants_hint(service, pack_dir):
    result = service.judge(load_pack(pack_dir), """
from target import add_one

def test_fine():
    assert add_one(0) == 1

def test_one():
    assert add_one(1) == 1
""")
    assert result.status is SubmissionStatus.FAILURE and result.score == 0
    assert [(m.mutant, m.hint) for m in result.misconceptions] == [
        ("returns-same", HINTS["returns-same"])]
    assert result.message.startswith("test_one failed on the correct implementation")
    stored = store.get_submission(service.catalog, result.submission_id).result
    assert stored is not None and stored.misconceptions == result.misconceptions


def test_no_hint_when_the_answer_is_not_that_specific(service, pack_dir):
    nowhere = service.judge(load_pack(pack_dir), """
from target import add_one
def test_five():
    assert add_one(1) == 5
""")
    assert nowhere.status is SubmissionStatus.FAILURE and nowhere.misconceptions == ()
    everywhere = service.judge(load_pack(pack_dir), """
def test_always_fails_on_golden_only():
    import target
    assert target.add_one(3) != 4
""")
    # passes on every mutant (3 of them): no specific misreading
    assert everywhere.status is SubmissionStatus.FAILURE and everywhere.misconceptions == ()


def test_not_looked_for_when_the_service_does_not_explain(tmp_path, pack_dir):
    catalog = Catalog(tmp_path / "plain.sqlite3")
    backend = DockerBackend()
    try:
        result = JudgingService(catalog, backend).judge(load_pack(pack_dir), """
from target import add_one
def test_one():
    assert add_one(1) == 1
""")
    finally:
        backend.close()
        catalog.close()
    assert result.status is SubmissionStatus.FAILURE and result.misconceptions == ()


def test_judge_json_and_human_output_carry_it_and_hints_off_turns_it_off(tmp_path, pack_dir):
    tests = tmp_path / "test_mine.py"
    tests.write_text("from target import add_one\n\ndef test_one():\n    assert add_one(1) == 1\n")
    completed = run_cli("judge", "--no-server", "--pack", str(pack_dir), "--tests", str(tests),
                        "--json")
    assert json.loads(completed.stdout)["misconceptions"] == [
        {"mutant": "returns-same", "hint": HINTS["returns-same"]}]
    human = run_cli("judge", "--no-server", "--pack", str(pack_dir), "--tests", str(tests))
    assert ("your test expects the behaviour of a known misreading: "
            + HINTS["returns-same"]) in human.stdout
    assert "returns-same" not in human.stdout.split("FAILURE", 1)[1]  # the bug stays unnamed
    off = run_cli("judge", "--no-server", "--pack", str(pack_dir), "--tests", str(tests),
                  "--json", env={"QA_ARENA_HINTS": "off"})
    assert json.loads(off.stdout)["misconceptions"] == []
