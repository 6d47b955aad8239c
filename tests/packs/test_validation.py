import pytest

from qa_arena_desktop.packs.validation import smallest_killing_subset, validate_pack
from tests.packs.factory import MUTANTS, manifest, write_pack


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

    result = validate_pack(write_pack(tmp_path), DockerBackend())
    assert result.ok, result.errors
    assert result.deterministic is True
    assert result.min_killing_subset == 1
    assert result.kill_matrix["test_zero"] == {"returns-same": True, "adds-two": True}


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
