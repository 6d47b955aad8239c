"""Run states as a learner lives them: cancelled is not an error, runs on several problems,
what counts as a try, what "out of date" and "judged" mean (the scripted backend through
the real JudgingService, real widgets, a real SQLite catalog; the real engine's versions
are in ``test_docker_runs.py``)."""

from __future__ import annotations

import threading

from qa_arena_desktop.catalog import store
from qa_arena_desktop.domain.events import RunFinished
from qa_arena_desktop.domain.verdicts import Outcome, SubmissionStatus
from qa_arena_desktop.ui.main_window import TAB_HISTORY
from qa_arena_desktop.ui.problem_browser import tried_text
from qa_arena_desktop.ui.problem_models import ProblemRole
from tests.ui.conftest import PROBLEM, ScriptedBackend

OTHER = "count-vowels"


class StepBackend(ScriptedBackend):
    """Reports golden, then waits for ``step`` before each mutant (so a test can stop it
    half way), per problem."""

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.step = threading.Semaphore(0)

    def run(self, request, on_variant, cancel=None, log=lambda _l: None, on_start=None):  # type: ignore[no-untyped-def]
        cancel = cancel or threading.Event()

        def slow(run):  # type: ignore[no-untyped-def]
            if not run.is_golden:
                while not self.step.acquire(timeout=0.02):
                    if cancel.is_set():
                        from qa_arena_desktop.domain.backend import JudgeCancelled
                        raise JudgeCancelled()
            on_variant(run)

        super().run(request, slow, cancel, log, on_start)


def _summary(window, slug):  # type: ignore[no-untyped-def]
    return next(p for p in store.list_problems(window.catalog) if p.slug == slug)


def _browser_text(window, slug):  # type: ignore[no-untyped-def]
    model = window.browser.model
    row = next(r for r in range(model.rowCount())
               if model.index(r, 0).data(ProblemRole.SLUG) == slug)
    return model.index(row, 0)


def test_cancel_ends_cancelled_not_an_error_and_is_not_a_try(make_window, qtbot):
    backend = StepBackend(killed={"no-collapse"})
    window = make_window(backend)
    window.select_problem(PROBLEM)
    with qtbot.waitSignal(window.runs.variant_finished, timeout=10_000):
        window.submit()  # golden's verdict arrives; the mutants wait for a step
    backend.step.release()  # one mutant judged
    qtbot.waitUntil(lambda: window.results_model.judged_count() == 2, timeout=10_000)
    finished: list[RunFinished] = []
    window.runs.run_finished.connect(finished.append)
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        window.editor_pane.cancel_button.click()
    result = finished[0].result
    assert result.status is SubmissionStatus.CANCELLED and result.score == 0
    assert window.results.banner_title.text() == "Run cancelled"
    assert window.results.banner_kind() == "info"
    assert "2 of 6 judged" in window.results.banner_text.text()
    assert window.results.progress_label.text() == "2 / 6 judged"
    assert not window.results.doctor_button.isVisibleTo(window.results)
    assert window.statusBar().currentMessage() == "Run cancelled"
    # not a try: Tries, "attempted" and the sidebar do not move
    assert _summary(window, PROBLEM).attempts == 0
    assert "attempted" not in window.progress.summary.text()
    assert tried_text(_browser_text(window, PROBLEM).data(ProblemRole.BEST_SCORE)) == "not tried"
    stored = store.get_submission(window.catalog, result.submission_id)
    assert stored.summary.status is SubmissionStatus.CANCELLED
    # History: shown as cancelled, with every variant's row (judged ones with their verdict)
    history = window.history.model
    assert history.index(0, 1).data() == "Cancelled"
    assert history.index(0, 2).data() == "—"
    window.tabs.setCurrentIndex(TAB_HISTORY)
    window.show_submission_result(result.submission_id)
    states = window.results_model.states()
    assert len(states) == 6 and states["golden"] == "PASSED"
    assert sorted(states.values()).count("NOT RUN") == 4, states
    assert window.results.banner_title.text() == "Run cancelled"
    assert window.results.progress_label.text() == "2 / 6 judged"


def test_submitting_again_replaces_the_run_on_that_problem_which_ends_cancelled(make_window,
                                                                                 qtbot):
    backend = StepBackend()
    window = make_window(backend)
    window.select_problem(PROBLEM)
    with qtbot.waitSignal(window.runs.variant_finished, timeout=10_000):
        first = window.submit()
    finished: list[RunFinished] = []
    window.runs.run_finished.connect(finished.append)
    second = window.submit()
    for _ in range(10):  # the cancelled run may take one step before it sees the cancel
        backend.step.release()
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    qtbot.waitUntil(lambda: store.get_submission(window.catalog, first).summary.status.is_terminal,
                    timeout=10_000)
    assert [event.submission_id for event in finished] == [second]  # only the new run shows
    assert store.get_submission(window.catalog, first).summary.status is SubmissionStatus.CANCELLED
    assert finished[0].result.status is SubmissionStatus.SUCCESS
    assert _summary(window, PROBLEM).attempts == 1


def test_a_run_on_another_problem_goes_on_and_the_status_bar_names_it(make_window, qtbot):
    backend = StepBackend()
    window = make_window(backend)
    window.select_problem(PROBLEM)
    title = window.pack.title
    with qtbot.waitSignal(window.runs.variant_finished, timeout=10_000):
        run_id = window.submit()
    assert window.statusBar().currentMessage() == f"Judging {title}…"
    window.select_problem(OTHER)  # leaving the problem does not cancel its run
    assert window.runs.is_running(PROBLEM)
    assert not window.editor_pane.cancel_button.isEnabled()  # nothing to cancel here
    assert window.results.banner_title.text() == "No run yet"  # its rows never show here
    assert window.statusBar().currentMessage() == f"Judging {title}…"
    other_id = window.submit()  # and a run here does not cancel it either
    assert window.runs.is_running(PROBLEM) and window.runs.is_running(OTHER)
    other_title = window.pack.title
    assert window.statusBar().currentMessage() == f"Judging {title}, {other_title}…"
    backend.step.release()  # one mutant of one of them
    # back to the first problem: its run as far as it got, then live
    window.select_problem(PROBLEM)
    assert window.results_model.run_id == run_id
    assert window.editor_pane.cancel_button.isEnabled()
    assert window.results_model.row_state("golden") == "PASSED"
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        for _ in range(20):
            backend.step.release()
    qtbot.waitUntil(lambda: not window.runs.is_running(), timeout=10_000)
    for slug, sid in ((PROBLEM, run_id), (OTHER, other_id)):
        assert store.get_submission(window.catalog, sid).summary.status is SubmissionStatus.SUCCESS
        assert _summary(window, slug).attempts == 1
    assert window.results_model.judged_count() == 6


def test_a_failed_run_counts_as_tried_with_0_so_far(make_window, qtbot):
    window = make_window(ScriptedBackend(golden=Outcome.FAILED))
    window.select_problem(PROBLEM)
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        window.submit()
    summary = _summary(window, PROBLEM)
    assert summary.attempts == 1 and summary.best_score == 0
    assert "1 attempted" in window.progress.summary.text()
    assert tried_text(_browser_text(window, PROBLEM).data(ProblemRole.BEST_SCORE)) == "0 so far"
    assert window.results.progress_label.text() == "correct code failed: bugs not checked"
    assert window.results_model.judged_count() == 1


def test_a_submission_opened_from_history_is_never_out_of_date(make_window, qtbot):
    window = make_window(ScriptedBackend())
    window.select_problem(PROBLEM)
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        window.submit()
    old = store.list_submissions(window.catalog, PROBLEM)[0].id
    qtbot.keyClicks(window.editor, "# changed")
    assert window.results.is_stale()  # the editor's own latest run: compared with the editor
    window.show_submission_result(old)
    assert not window.results.is_stale()
    window.open_submission(old)
    qtbot.keyClicks(window.editor, "# edited again")
    assert not window.results.is_stale()


def test_a_misconception_hint_shows_in_the_failure_banner_without_the_bugs_name(make_window):
    from qa_arena_desktop.domain.judge_models import GoldenResult, JudgeResult, Misconception

    window = make_window(ScriptedBackend())
    window.select_problem(PROBLEM)
    mutant = window.pack.scored_mutants[0]
    result = JudgeResult(
        submission_id="s", problem=PROBLEM, status=SubmissionStatus.FAILURE, score=0,
        killed_mutants=0, total_mutants=len(window.pack.scored_mutants), kill_ratio=0,
        message="test_a failed on the correct implementation: assert 'a' == ' a'",
        golden=GoldenResult(outcome="failed", duration_ms=3, failed_tests=("test_a",)),
        misconceptions=(Misconception(mutant=mutant.name, hint="<b>Spaces</b> count."),))
    window.presenter.show_result(window.pack, result, "x", from_editor=False)
    text = window.results.banner_text.text()
    assert "Your test expects the behaviour of a known misreading: &lt;b&gt;Spaces" in text
    assert mutant.name not in text  # the bug stays unnamed
