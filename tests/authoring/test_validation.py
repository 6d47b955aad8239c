import pytest

from qa_arena_desktop.authoring.validation import (
    not_killed_by_a_test,
    smallest_killing_subset,
    validate_pack,
)
from qa_arena_desktop.domain.judge_models import GOLDEN, VariantRun
from qa_arena_desktop.domain.judge_models import TestOutcome as RunTest
from qa_arena_desktop.domain.verdicts import Outcome
from qa_arena_desktop.packs.loader import load_pack
from tests.packs.factory import EXAMPLE_MISSES, MUTANTS, is_examples_run, manifest, write_pack

HANGS_AT_IMPORT = "while True:\n    pass\n\n\ndef add_one(x: int) -> int:\n    return x + 1\n"


def _run(variant: str, outcome: Outcome, failing: tuple[str, ...] = (), message: str = "") -> VariantRun:
    tests = () if outcome in (Outcome.TIMEOUT, Outcome.MEMORY) else tuple(
        RunTest(id=t, outcome="failed" if t in failing else "passed")
        for t in ("test_zero", "test_negative"))
    return VariantRun(variant=variant, outcome=outcome, tests=tests, message=message,
                      golden=variant == GOLDEN)


class ScriptedBackend:
    """Reports the given runs for every reference run, as the Docker backend would; the
    description's examples catch no bug."""

    def __init__(self, *runs: VariantRun) -> None:
        self.runs = runs

    def run(self, request, on_variant, cancel=None, log=None, on_start=None):  # type: ignore[no-untyped-def]
        if is_examples_run(request):
            for mutant in (GOLDEN, *(m.name for m in request.mutants)):
                on_variant(VariantRun(variant=mutant, golden=mutant == GOLDEN,
                                      outcome=Outcome.PASSED))
            return
        for run in self.runs:
            on_variant(run)


def test_smallest_killing_subset_is_exact():
    matrix = {
        "t_big": {"a": True, "b": True, "c": False, "d": False},
        "t_c": {"a": False, "b": False, "c": True, "d": False},
        "t_d": {"a": False, "b": False, "c": False, "d": True},
        "t_cd": {"a": False, "b": False, "c": True, "d": True},
        "t_a": {"a": True, "b": False, "c": False, "d": False},
    }
    assert smallest_killing_subset(matrix, {"a", "b", "c", "d"}) == ("t_big", "t_cd")
    assert smallest_killing_subset(matrix, {"a"}) == ("t_a",)
    assert smallest_killing_subset(matrix, set()) == ()


def test_a_mutant_no_test_kills_gives_no_subset():
    assert smallest_killing_subset({"t": {"a": True, "b": False}}, {"a", "b"}) == ()


def test_structural_errors_are_reported_without_a_judge(tmp_path):
    pack = write_pack(tmp_path)
    (pack / "golden.py").unlink()

    class NoBackend:
        def run(self, *args, **kwargs):
            raise AssertionError("must not judge a pack that does not load")

    result = validate_pack(pack, NoBackend())
    assert not result.ok
    assert result.errors == ("golden.py: golden: file is missing",)


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_a_good_pack_validates_with_its_kill_matrix(tmp_path):
    from qa_arena_desktop.judging.docker_backend import DockerBackend

    result = validate_pack(write_pack(tmp_path, mutants={**MUTANTS, **EXAMPLE_MISSES}),
                           DockerBackend())
    assert result.ok, result.errors
    assert result.deterministic is True
    assert result.min_killing_subset == 1
    assert result.kill_matrix["test_zero"] == {"returns-same": True, "adds-two": True,
                                               "negatives-unchanged": False}
    assert result.examples_score is not None and result.examples_score < 100


@pytest.mark.docker
def test_survivors_golden_failures_and_too_easy_packs_are_named(tmp_path):
    from qa_arena_desktop.judging.docker_backend import DockerBackend

    backend = DockerBackend()
    survivor = {**MUTANTS, "big-only": "def add_one(x: int) -> int:\n"
                                       "    return x + 1 if x < 10**6 else 0\n"}
    result = validate_pack(write_pack(tmp_path / "a", mutants=survivor), backend)
    assert result.survivors == ("big-only",)
    assert ("mutants survive the reference tests (possibly equivalent or under-tested): "
            "big-only") in result.errors

    wrong_golden = "def add_one(x: int) -> int:\n    return x + 3\n"
    result = validate_pack(write_pack(tmp_path / "b", golden=wrong_golden), backend)
    assert not result.ok and result.golden_passed is False
    assert result.errors[0].startswith("golden does not pass its reference tests (failed")

    hard = manifest().replace('"Very Easy"', '"Hard"')
    result = validate_pack(write_pack(tmp_path / "c", toml=hard), backend)
    assert any(e.startswith("too easy for Hard: 1 reference test(s)") for e in result.errors), result


def test_mutants_killed_only_by_a_limit_or_a_judge_fault_are_named(tmp_path):
    pack = load_pack(write_pack(tmp_path, mutants={**MUTANTS, "loops": HANGS_AT_IMPORT,
                                                   "hogs": "def add_one(x):\n    return [x] * 10**9\n"}))
    runs = {
        GOLDEN: _run(GOLDEN, Outcome.PASSED),
        "returns-same": _run("returns-same", Outcome.FAILED, ("test_zero",)),
        "adds-two": _run("adds-two", Outcome.COLLECT_ERROR),
        "loops": _run("loops", Outcome.TIMEOUT, message="the time limit of 1 s was hit"),
        "hogs": _run("hogs", Outcome.MEMORY),
    }
    errors = not_killed_by_a_test(pack, runs)
    assert len(errors) == 2
    assert errors[0].startswith("mutant 'loops' is killed only by the time limit: the time limit "
                                "of 1 s was hit (TIMEOUT): does it loop forever, or not import")
    assert errors[1].startswith("mutant 'hogs' is killed only by the memory limit (MEMORY)")
    crashed = {**runs, "loops": _run("loops", Outcome.FAILED, ("test_zero",)),
               "hogs": _run("hogs", Outcome.ERROR, message="engine died")}
    assert not_killed_by_a_test(pack, crashed) == [
        "the judge could not run mutant 'hogs' (error: engine died)"]
    killed = {**crashed, "hogs": _run("hogs", Outcome.CRASHED)}
    assert not_killed_by_a_test(pack, killed) == []


def test_equivalent_mutants_are_not_held_to_it(tmp_path):
    text = manifest(mutants={**MUTANTS, "loops": ""}).replace(
        'file = "mutants/loops.py"', 'file = "mutants/loops.py"\nequivalent = true')
    pack = load_pack(write_pack(tmp_path, mutants={**MUTANTS, "loops": HANGS_AT_IMPORT}, toml=text))
    assert not_killed_by_a_test(pack, {"loops": _run("loops", Outcome.TIMEOUT)}) == []


def test_validate_fails_a_pack_whose_mutant_only_times_out(tmp_path):
    path = write_pack(tmp_path, mutants={**MUTANTS, "loops": HANGS_AT_IMPORT})
    backend = ScriptedBackend(
        _run(GOLDEN, Outcome.PASSED),
        _run("returns-same", Outcome.FAILED, ("test_zero", "test_negative")),
        _run("adds-two", Outcome.FAILED, ("test_zero", "test_negative")),
        _run("loops", Outcome.TIMEOUT, message="the time limit of 1 s was hit"),
    )
    result = validate_pack(path, backend)
    assert not result.ok and result.survivors == ()
    [error] = result.errors
    assert error.startswith("mutant 'loops' is killed only by the time limit")


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_a_mutant_that_loops_forever_at_import_fails_validation(tmp_path):
    from qa_arena_desktop.judging.docker_backend import DockerBackend

    text = manifest(mutants={**MUTANTS, "loops": ""}).replace("time_limit_s = 5", "time_limit_s = 2")
    path = write_pack(tmp_path, mutants={**MUTANTS, "loops": HANGS_AT_IMPORT}, toml=text)
    backend = DockerBackend()
    try:
        result = validate_pack(path, backend)
    finally:
        backend.close()
    assert not result.ok
    assert any(e.startswith("mutant 'loops' is killed only by the time limit") for e in result.errors), \
        result.errors
    assert not any("'returns-same'" in e or "'adds-two'" in e for e in result.errors), result.errors
