"""console.judge: the judging the CLI and the judge server share, called with typed arguments."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.console.judge import judge_tests
from qa_arena_desktop.exit_codes import ExitCode


class NeverRuns:
    """A backend that records a run it should never have been asked for."""

    def __init__(self) -> None:
        self.runs = 0

    def run(self, *_args: object, **_kwargs: object) -> None:
        self.runs += 1


@pytest.fixture
def catalog(tmp_path: Path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    yield catalog
    catalog.close()


def test_a_missing_pack_folder_is_bad_input_naming_it_and_nothing_is_judged(catalog, tmp_path):
    out, err, backend = io.StringIO(), io.StringIO(), NeverRuns()
    missing = tmp_path / "no-such-pack"
    code = judge_tests(b"def test_a():\n    pass\n", catalog, backend, pack=str(missing),
                       out=out, err=err)
    assert code == ExitCode.BAD_INPUT
    assert str(missing) in err.getvalue()
    assert out.getvalue() == ""
    assert backend.runs == 0


def test_an_unknown_problem_is_bad_input_naming_the_slug(catalog):
    out, err, backend = io.StringIO(), io.StringIO(), NeverRuns()
    code = judge_tests(b"def test_a():\n    pass\n", catalog, backend, problem="no-such-problem",
                       as_json=True, out=out, err=err)
    assert code == ExitCode.BAD_INPUT
    assert "no problem with slug 'no-such-problem'" in err.getvalue()
    assert out.getvalue() == ""
    assert backend.runs == 0
