"""Every problem kind judged on the real engine: its example pack, pytest's features,
Hypothesis's determinism, support files and several goldens (with the attacks they open).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_arena_desktop import paths
from qa_arena_desktop.authoring.validation import validate_pack
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack
from tests.packs.factory import manifest, write_pack

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leftover_containers")]

EXAMPLE_PACKS = {"function": "clamp", "class": "lru-cache", "errors": "parse-port",
                 "dependencies": "rate-limiter", "properties": "merge-sorted"}


def bundled(slug: str) -> Pack:
    return load_pack(paths.problems_dir() / slug)


class Service:
    def __init__(self, tmp_path: Path) -> None:
        self.catalog = Catalog(tmp_path / "catalog.sqlite3")
        self.backend = DockerBackend(keep_warm=True, shards=2)
        self.service = JudgingService(self.catalog, self.backend)

    def __call__(self, pack: Pack, tests: str) -> JudgeResult:
        return self.service.judge(pack, textwrap.dedent(tests))

    def close(self) -> None:
        self.backend.close()
        self.catalog.close()


@pytest.fixture
def judge(tmp_path: Path) -> Iterator[Service]:
    service = Service(tmp_path)
    yield service
    service.close()


@pytest.mark.parametrize("kind", sorted(EXAMPLE_PACKS))
def test_each_kinds_example_pack_scores_100_with_its_reference_tests(judge, kind):
    pack = bundled(EXAMPLE_PACKS[kind])
    assert pack.kind.value == kind
    result = judge(pack, pack.reference_tests)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert result.score == 100.0, [(m.name, m.status, m.message) for m in result.mutants]
    assert result.flags == ()  # Hypothesis, helpers and fixtures are not introspection


def test_hypothesis_reference_tests_give_identical_verdicts_in_two_runs(judge):
    pack = bundled("merge-sorted")
    first, second = (judge(pack, pack.reference_tests) for _ in range(2))

    def verdicts(result: JudgeResult) -> dict[str, tuple]:
        return {m.name: (m.status, tuple((t.id, t.outcome) for t in m.tests),
                         m.message) for m in result.mutants}

    assert verdicts(first) == verdicts(second)
    assert first.golden is not None and second.golden is not None
    assert first.golden.outcome == second.golden.outcome == "passed"


def test_validate_proves_two_goldens_and_lists_the_examples_score():
    result = validate_pack(paths.problems_dir() / "lru-cache", DockerBackend())
    assert result.ok, result.errors
    assert result.deterministic
    assert result.examples and result.examples_score is not None
    assert result.examples_score <= 70.0


def test_a_test_that_depends_on_open_behaviour_fails_naming_the_clause(judge):
    pack = bundled("lru-cache")
    result = judge(pack, """
        from target import LRUCache

        def test_keys_most_recent_first():
            cache = LRUCache(2)
            cache.put("a", 1)
            cache.put("b", 2)
            assert cache.keys() == ["b", "a"]
    """)
    assert result.status is SubmissionStatus.FAILURE
    assert "test_keys_most_recent_first" in result.message
    assert "keys() returns the cached keys in no particular order" in result.message
    assert "golden:" not in result.message and "goldens/" not in result.message
    assert result.score == 0.0
    honest = judge(pack, """
        from target import LRUCache

        def test_keys_in_any_order():
            cache = LRUCache(2)
            cache.put("a", 1)
            cache.put("b", 2)
            assert sorted(cache.keys()) == ["a", "b"]
    """)
    assert honest.status is SubmissionStatus.SUCCESS, honest.message


FEATURES_MANIFEST = manifest(extra='support_files = ["helpers.py", "conftest.py"]')
HELPERS = "class Recorder:\n    def __init__(self):\n        self.calls = []\n"
CONFTEST = textwrap.dedent("""
    import pytest

    @pytest.fixture
    def numbers():
        return [-5, 0, 7]
""")
FEATURES_TESTS = """
    import json
    from unittest import mock

    import pytest
    from hypothesis import given, strategies as st

    from helpers import Recorder
    from target import add_one

    @pytest.mark.parametrize("x, y", [(0, 1), (-5, -4), (41, 42)])
    def test_parametrize(x, y):
        assert add_one(x) == y

    def test_fixture_from_the_packs_conftest(numbers):
        assert [add_one(n) for n in numbers] == [-4, 1, 8]

    def test_tmp_path(tmp_path):
        (tmp_path / "n.json").write_text(json.dumps(add_one(1)))
        assert json.loads((tmp_path / "n.json").read_text()) == 2

    def test_capsys(capsys):
        print(add_one(2))
        assert capsys.readouterr().out == "3\\n"

    def test_monkeypatch(monkeypatch):
        recorder = Recorder()
        monkeypatch.setattr(recorder, "calls", [add_one(0)])
        assert recorder.calls == [1]

    def test_approx():
        assert add_one(0.1) == pytest.approx(1.1)

    def test_mock():
        spy = mock.Mock(side_effect=add_one)
        assert spy(3) == 4
        spy.assert_called_once_with(3)

    @given(st.integers())
    def test_property(x):
        assert add_one(x) - x == 1

    @given(st.integers(min_value=-10, max_value=10))
    def test_property_at_zero(x):
        assert add_one(x) != x
"""


def write_features_pack(root: Path) -> Pack:
    path = write_pack(root, toml=FEATURES_MANIFEST)
    (path / "helpers.py").write_text(HELPERS)
    (path / "conftest.py").write_text(CONFTEST)
    return load_pack(path)


def test_pytest_features_helpers_and_a_packs_fixture_file_work_unflagged(judge, tmp_path):
    pack = write_features_pack(tmp_path / "packs")
    result = judge(pack, FEATURES_TESTS)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert result.score == 100.0, [(m.name, m.status, m.message) for m in result.mutants]
    assert result.flags == ()


def test_changing_a_support_file_reaches_no_other_run(judge, tmp_path):
    """Attack: each run checks that the pack's files are pristine, then rewrites them
    (helpers, conftest, and a marker in every writable place). Were anything to outlive
    a run, a later run (a mutant, or a second golden) would fail: a free kill, or a
    FAILURE that tells goldens from mutants."""
    pack = write_features_pack(tmp_path / "packs")
    result = judge(pack, f"""
        import os
        import pathlib

        HELPERS = {HELPERS!r}

        def test_files_are_pristine_then_spoil_them():
            here = pathlib.Path("helpers.py")
            assert here.read_text() == HELPERS
            for place in (".", "/tmp", os.path.expanduser("~"), "/dev/shm"):
                marker = pathlib.Path(place, "spoiled")
                assert not marker.exists()
                try:
                    marker.write_text("x")
                except OSError:
                    pass
            for name in ("helpers.py", "conftest.py"):
                path = pathlib.Path(name)
                os.chmod(path, 0o644)
                path.write_text("raise SystemExit('spoiled')\\n")
    """)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert [m.status for m in result.mutants] == [MutantStatus.SURVIVED] * len(result.mutants)
    assert result.score == 30.0


def test_second_golden_runs_are_indistinguishable_from_the_inside(judge, tmp_path):
    """Attack: with two goldens, a test that could tell "I am a golden run" (a run's
    position, a name, a file left by the run before) would pass there and fail on the
    mutants. Every run sees the same world: the test passes everywhere or nowhere."""
    path = write_pack(tmp_path / "packs", toml=manifest(
        extra='goldens = [{file = "golden2.py", clause = "how x + 1 is computed"}]'))
    (path / "golden2.py").write_text("def add_one(x: int) -> int:\n    return 1 + x\n")
    pack = load_pack(path)
    result = judge(pack, """
        import os
        import sys

        def fingerprint():
            seen = sorted(os.listdir("."))
            return (os.getpid(), seen, sorted(sys.modules)[:0], os.environ.get("QA_GOLDEN"))

        def test_looks_the_same_in_every_run():
            pid, seen, _, flag = fingerprint()
            assert pid == 1 or pid > 0
            assert flag is None
            assert "golden2.py" not in seen and "golden.py" not in seen
            assert seen == sorted(["target.py", "test_submission.py"] + [
                n for n in seen if n in ("__pycache__",)])
    """)
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert {m.status for m in result.mutants} == {MutantStatus.SURVIVED}


def test_introspection_inside_a_hypothesis_test_is_still_flagged(judge):
    """Hypothesis's own failure handling is exempt from the audit; a test body that reads
    the code under test is not, whatever calls it."""
    pack = bundled("merge-sorted")
    result = judge(pack, """
        import inspect

        from hypothesis import given, strategies as st

        from target import merge_sorted

        @given(st.lists(st.integers(), max_size=3))
        def test_reads_the_source(items):
            assert "def merge_sorted" in inspect.getsource(merge_sorted)
            assert merge_sorted(sorted(items), []) == sorted(items)
    """)
    assert "introspects-code-under-test" in result.flags
