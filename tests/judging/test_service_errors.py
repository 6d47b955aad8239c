"""Whatever the backend does, a submission ends in exactly one terminal state."""

import pytest

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.events import RunFinished
from qa_arena_desktop.domain.judge_models import VariantRun
from qa_arena_desktop.domain.verdicts import Outcome, SubmissionStatus
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack
from tests.judging.scripted import ScriptedRuns
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


# ---- the ERROR branches of the verdict, through the service and the real catalog --------

def _golden(outcome, message=""):
    return VariantRun(variant="golden", golden=True, outcome=outcome, message=message)


def _mutant(name, outcome, message=""):
    return VariantRun(variant=name, outcome=outcome, message=message,
                      failed_tests=("test_a",) if outcome is Outcome.FAILED else ())


def _judged(tmp_path, script):
    catalog = Catalog(tmp_path / "c.sqlite3")
    pack = load_pack(write_pack(tmp_path / "packs"))
    result = JudgingService(catalog, ScriptedRuns(script)).judge(pack, "def test_a():\n    pass\n")
    stored = store.get_submission(catalog, result.submission_id).summary
    catalog.close()
    assert stored.status is result.status
    return result


def test_a_run_that_never_reports_golden_ends_as_error(tmp_path):
    result = _judged(tmp_path, lambda request: [_mutant(m.name, Outcome.FAILED)
                                                for m in request.mutants])
    assert result.status is SubmissionStatus.ERROR and result.score == 0.0
    assert result.message == "the judge did not report the golden run"


def test_a_judge_error_on_golden_ends_as_error_never_failure(tmp_path):
    result = _judged(tmp_path, lambda request: [_golden(Outcome.ERROR, "runner broke")])
    assert result.status is SubmissionStatus.ERROR
    assert result.message == "the judge failed: runner broke"
    assert result.golden is not None and result.golden.outcome is Outcome.ERROR


def test_a_judge_error_on_a_mutant_ends_as_error_with_no_score(tmp_path):
    result = _judged(tmp_path, lambda request: [
        _golden(Outcome.PASSED), _mutant("returns-same", Outcome.FAILED),
        _mutant("adds-two", Outcome.ERROR, "engine hiccup")])
    assert result.status is SubmissionStatus.ERROR
    assert result.message == "the judge failed on mutant adds-two: engine hiccup"
    assert (result.score, result.killed_mutants, result.kill_ratio) == (0.0, 0, 0.0)


def test_a_run_missing_a_mutant_is_downgraded_from_success_to_error(tmp_path):
    result = _judged(tmp_path, lambda request: [_golden(Outcome.PASSED),
                                                _mutant("returns-same", Outcome.FAILED)])
    assert result.status is SubmissionStatus.ERROR
    assert result.message == "the judge did not report every mutant"
    assert result.score == 0.0 and len(result.mutants) == 1
