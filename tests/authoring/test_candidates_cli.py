"""Candidates judged against reference tests, and ``qa-arena mutants generate``."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from qa_arena_desktop.authoring.checking import check_candidates
from qa_arena_desktop.authoring.mutation import generate_candidates
from qa_arena_desktop.cli.main import main
from qa_arena_desktop.domain import judge_models as models
from qa_arena_desktop.domain.verdicts import Outcome
from qa_arena_desktop.judging.docker_backend import DockerBackend

GOLDEN = "def clamp(value, low, high):\n    if value < low:\n        return low\n" \
         "    if value > high:\n        return high\n    return value\n"
TESTS = ("from target import clamp\n\n\ndef test_inside():\n    assert clamp(5, 0, 10) == 5\n\n\n"
         "def test_below():\n    assert clamp(-1, 0, 10) == 0\n\n\n"
         "def test_above():\n    assert clamp(11, 0, 10) == 10\n")
FIELDS = {"operator", "line", "diff", "source", "verdict"}


class FakeBackend:
    """Kills every candidate whose source contains ``marker``; golden passes unless told."""

    def __init__(self, marker: str = "None", golden: Outcome = Outcome.PASSED) -> None:
        self.marker = marker
        self.golden = golden
        self.requests = []

    def run(self, request, on_variant, cancel=None, log=lambda _l: None, on_start=None):  # type: ignore[no-untyped-def]
        self.requests.append(request)
        on_variant(models.VariantRun(variant="golden", golden=True, outcome=self.golden,
                                     failed_tests=("test_x",),
                              message="assert 1 == 2"))
        if self.golden is not Outcome.PASSED:
            return
        for mutant in request.mutants:
            killed = self.marker in mutant.source
            test = models.TestOutcome(id="test_x", outcome="failed" if killed else "passed")
            on_variant(models.VariantRun(variant=mutant.name,
                                         outcome=Outcome.FAILED if killed else Outcome.PASSED,
                                         tests=(test,), failed_tests=("test_x",) if killed else ()))


def test_golden_first_then_one_request_carries_every_candidate_and_verdicts_map_back():
    candidates = generate_candidates(GOLDEN)
    backend = FakeBackend()
    progress: list[tuple[int, int]] = []
    check = check_candidates(GOLDEN, TESTS, candidates, backend,
                             on_progress=lambda done, total: progress.append((done, total)))
    golden_only, batch = backend.requests
    assert golden_only.mutants == () and golden_only.with_golden
    assert golden_only.limits.time_limit_s == 5.0  # golden gets the pack's full limit
    assert not batch.with_golden and batch.golden_ms is not None and batch.budget is not None
    assert [m.name for m in batch.mutants] == [f"c{i:03d}" for i in range(1, len(candidates) + 1)]
    assert progress[0] == (0, len(candidates)) and progress[-1] == (len(candidates),) * 2
    assert [done for done, _ in progress] == list(range(len(candidates) + 1))
    assert check.golden_passed and not check.cancelled
    for candidate, verdict in zip(candidates, check.verdicts, strict=True):
        assert verdict == ("KILLED" if "None" in candidate.source else "SURVIVED")


def test_a_failing_golden_gives_no_verdicts_and_says_why():
    backend = FakeBackend(golden=Outcome.FAILED)
    check = check_candidates(GOLDEN, TESTS, generate_candidates(GOLDEN), backend)
    assert len(backend.requests) == 1  # no candidate runs at all
    assert not check.golden_passed
    assert "golden fails the reference tests (test_x)" in check.message
    assert set(check.verdicts) == {None}


def _write(tmp_path: Path) -> tuple[Path, Path]:
    golden, tests = tmp_path / "golden.py", tmp_path / "ref.py"
    golden.write_text(GOLDEN)
    tests.write_text(TESTS)
    return golden, tests


def test_cli_json_without_tests_has_the_design_shape(tmp_path: Path, capsys):
    golden, _ = _write(tmp_path)
    assert main(["mutants", "generate", str(golden), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["candidates"] and data["candidates"]
    for item in data["candidates"]:
        assert set(item) == FIELDS and item["verdict"] is None
        assert isinstance(item["line"], int) and item["diff"].startswith("--- golden.py")
        compile(item["source"], "m", "exec")


def test_cli_human_output_has_one_block_per_candidate(tmp_path: Path, capsys):
    golden, _ = _write(tmp_path)
    assert main(["mutants", "generate", str(golden)]) == 0
    out = capsys.readouterr().out
    count = len(generate_candidates(GOLDEN))
    assert out.count("--- golden.py") == count
    assert f"{count} candidate(s)" in out and "#1 " in out


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys):
    assert main(["mutants", "generate", str(tmp_path / "missing.py")]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    assert main(["mutants", "generate", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "does not compile: line 1" in err and err.strip().count("\n") == 0
    golden, _ = _write(tmp_path)
    assert main(["mutants", "generate", str(golden), "--tests", str(tmp_path / "nope.py")]) == 2


def test_cli_without_an_engine_exits_3(tmp_path: Path, capsys, monkeypatch):
    golden, tests = _write(tmp_path)
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    assert main(["mutants", "generate", str(golden), "--tests", str(tests), "--json"]) == 3
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip().count("\n") == 0


@pytest.mark.docker
def test_real_judge_kills_and_flags_survivors(no_leftover_containers):
    candidates = generate_candidates(GOLDEN)
    backend = DockerBackend()
    try:
        check = check_candidates(GOLDEN, TESTS, candidates, backend, threading.Event())
    finally:
        backend.close()
    assert check.golden_passed and None not in check.verdicts
    by_change = {c.description: v for c, v in zip(candidates, check.verdicts, strict=True)}
    assert by_change["`<` → `>`"] == "KILLED"
    # value == high returns high either way: an equivalent mutant survives.
    assert "SURVIVED" in check.verdicts


@pytest.mark.docker
def test_cli_with_tests_prints_verdicts(tmp_path: Path, capsys, no_leftover_containers):
    golden, tests = _write(tmp_path)
    assert main(["mutants", "generate", str(golden), "--tests", str(tests), "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["candidates"]
    assert {item["verdict"] for item in items} == {"KILLED", "SURVIVED"}
    bad = tmp_path / "bad.py"
    bad.write_text("from target import clamp\n\n\ndef test_wrong():\n    assert clamp(1, 0, 2) == 2\n")
    assert main(["mutants", "generate", str(golden), "--tests", str(bad)]) == 2
    assert "golden fails the reference tests (test_wrong)" in capsys.readouterr().err


def test_support_files_go_with_golden_and_every_candidate():
    from qa_arena_desktop.domain.pack import SupportFile

    backend = FakeBackend()
    helpers = (SupportFile(name="helpers.py", text="FAKE = 1\n"),)
    check_candidates(GOLDEN, TESTS, generate_candidates(GOLDEN), backend, support_files=helpers)
    assert [r.support_files for r in backend.requests] == [helpers, helpers]


def test_a_support_file_with_a_reserved_or_odd_name_is_bad_input(tmp_path, capsys):
    golden = tmp_path / "golden.py"
    golden.write_text(GOLDEN)
    tests = tmp_path / "ref.py"
    tests.write_text(TESTS)
    for name in ("target.py", "Helpers.txt"):
        support = tmp_path / name
        support.write_text("X = 1\n")
        code = main(["mutants", "generate", str(golden), "--tests", str(tests),
                     "--support", str(support)])
        assert code == 2
        assert "a support file is a module such as helpers.py" in capsys.readouterr().err


@pytest.mark.docker
def test_candidates_of_a_pack_with_helpers_are_judged_with_them(capsys, no_leftover_containers):
    """roll-dice's reference tests import its helpers.py: without --support golden cannot
    pass them (no verdicts, exit 2); with it every candidate gets a verdict."""
    from qa_arena_desktop import paths

    pack = paths.problems_dir() / "roll-dice"
    args = ["mutants", "generate", str(pack / "golden.py"), "--tests",
            str(pack / "reference_tests.py"), "--json"]
    assert main(args) == 2
    assert "No module named 'helpers'" in capsys.readouterr().err
    code = main([*args, "--support", str(pack / "helpers.py")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    verdicts = [c["verdict"] for c in json.loads(captured.out)["candidates"]]
    assert verdicts and None not in verdicts and "KILLED" in verdicts
