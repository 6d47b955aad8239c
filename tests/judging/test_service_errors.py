"""Whatever the backend does, a submission ends in exactly one terminal state."""

import pytest

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.judging.events import RunFinished
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.judging.verdicts import SubmissionStatus
from qa_arena_desktop.packs.loader import load_pack
from tests.packs.factory import write_pack


class ExplodingBackend:
    """Stands in for the Docker backend inside this unit test of the service."""

    def run(self, request, on_variant, cancel=None, log=lambda _l: None, on_start=None):
        raise KeyError("a bug in the backend")


def test_an_unexpected_backend_exception_ends_the_submission_as_error(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    pack = load_pack(write_pack(tmp_path / "packs"))
    events = []
    result = JudgingService(catalog, ExplodingBackend()).judge(
        pack, "def test_a():\n    pass\n", events.append)
    assert result.status is SubmissionStatus.ERROR
    assert "this is a bug" in result.message and "KeyError" in result.message
    assert isinstance(events[-1], RunFinished)
    detail = store.get_submission(catalog, result.submission_id)
    assert detail.summary.status is SubmissionStatus.ERROR
    assert "KeyError" in detail.execution_log
    catalog.close()


@pytest.mark.parametrize("tests", ["", "def test_a(:\n"])
def test_precheck_failures_never_reach_the_backend(tmp_path, tests):
    catalog = Catalog(tmp_path / "c.sqlite3")
    pack = load_pack(write_pack(tmp_path / "packs"))
    result = JudgingService(catalog, ExplodingBackend()).judge(pack, tests)
    assert result.status is SubmissionStatus.FAILURE
    catalog.close()
