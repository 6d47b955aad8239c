"""`qa-arena judge`'s human output says "Bug N" for a bug not caught; `--json` keeps the names."""

from __future__ import annotations

import io
import json

import pytest

from qa_arena_desktop.console.output import LiveJudgeOutput
from qa_arena_desktop.domain.events import RunStarted, VariantFinished
from qa_arena_desktop.domain.judge_models import GoldenResult, MutantResult
from qa_arena_desktop.domain.pack import MutantSource
from qa_arena_desktop.domain.verdicts import MutantStatus
from tests.cli.test_judge_command import pack, run_cli, write_tests  # noqa: F401 - fixture

MUTANTS = (MutantSource(name="returns-same", source="", weight=1),
           MutantSource(name="adds-two", source="", weight=1, title="Adds too much"))


def events(golden: str, *verdicts: tuple[str, MutantStatus], golden_after: int = 0) -> str:
    """Feed the live printer a run; golden's verdict arrives after ``golden_after`` mutants."""
    out = io.StringIO()
    live = LiveJudgeOutput(out, MUTANTS)
    live(RunStarted(submission_id="s", problem="add-one",
                    mutants=tuple((m.name, m.weight) for m in MUTANTS)))
    finished = [VariantFinished(submission_id="s", mutant=MutantResult(
        name=name, weight=1, status=status, killed_by=("test_zero",)
        if status.counts_as_killed else ())) for name, status in verdicts]
    golden_event = VariantFinished(submission_id="s", golden=GoldenResult(outcome=golden))
    for event in [*finished[:golden_after], golden_event, *finished[golden_after:]]:
        live(event)
    live.flush()
    return out.getvalue()


def test_live_lines_name_only_the_bugs_caught_and_use_the_packs_title():
    text = events("passed", ("returns-same", MutantStatus.SURVIVED),
                  ("adds-two", MutantStatus.KILLED))
    lines = text.splitlines()
    assert lines[2].split()[:3] == ["Bug", "1", "SURVIVED"]
    assert lines[3].split()[:4] == ["Adds", "too", "much", "KILLED"]
    assert "returns-same" not in text and "adds-two" not in text


def test_a_kill_reported_before_goldens_verdict_waits_for_it():
    text = events("passed", ("adds-two", MutantStatus.KILLED), golden_after=1)
    lines = text.splitlines()
    assert lines[1].split()[:2] == ["golden", "PASSED"]
    assert lines[2].split()[:4] == ["Adds", "too", "much", "KILLED"]


def test_kills_on_a_failing_golden_name_nothing():
    text = events("failed", ("returns-same", MutantStatus.KILLED),
                  ("adds-two", MutantStatus.KILLED), golden_after=2)
    assert "returns-same" not in text and "Adds too much" not in text
    assert [line.split()[:2] for line in text.splitlines()[2:]] == [["Bug", "1"], ["Bug", "2"]]


@pytest.mark.docker
def test_human_output_hides_the_survivor_and_names_idle_tests_while_json_keeps_names(
        tmp_path, pack):  # noqa: F811 - the fixture
    tests = write_tests(tmp_path, "from target import add_one\n\n"
                                  "def test_not_same():\n    assert add_one(0) != 0\n\n"
                                  "def test_nothing():\n    assert True\n")
    human = run_cli("judge", "--pack", str(pack), "--tests", str(tests))
    assert human.returncode == 0, human.stderr
    assert "adds-two" not in human.stdout  # survived: Bug 2
    assert any(line.split()[:3] == ["Bug", "2", "SURVIVED"] for line in human.stdout.splitlines())
    assert any(line.split()[:2] == ["returns-same", "KILLED"] for line in human.stdout.splitlines())
    lines = human.stdout.splitlines()
    assert lines[-2:] == ["  tests that catch no bug: test_nothing",
                          "add-one: SUCCESS  score 65.0  (1/2 mutants killed)"]
    machine = run_cli("judge", "--pack", str(pack), "--tests", str(tests), "--json")
    result = json.loads(machine.stdout)
    assert {m["name"]: m["status"] for m in result["mutants"]} == {
        "returns-same": "KILLED", "adds-two": "SURVIVED"}


def test_a_judge_fault_is_reported_with_the_bugs_label_and_json_keeps_the_name(isolated_home):
    from qa_arena_desktop.console.judge import judge_tests
    from qa_arena_desktop.context import open_catalog
    from tests.ui.conftest import FaultyBackend

    catalog, _ = open_catalog()
    try:
        def judge(json_output: bool) -> tuple[int, str, str]:
            out, err = io.StringIO(), io.StringIO()
            code = judge_tests(b"def test_a():\n    pass\n", catalog,
                               FaultyBackend(killed={"no-collapse"}),
                               problem="normalize-whitespace", as_json=json_output,
                               out=out, err=err)
            return code, out.getvalue(), err.getvalue()

        code, out, err = judge(False)
        assert code == 3
        assert "spaces-only" not in out + err
        assert "ERROR  score 0.0  the judge failed on Bug 3: the engine went away" in out
        assert "the judge failed on Bug 3" in err
        code, out, _ = judge(True)
        assert json.loads(out)["message"].startswith("the judge failed on mutant spaces-only:")
    finally:
        catalog.close()
