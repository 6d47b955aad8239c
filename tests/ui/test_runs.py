"""Submitting, live rows, explained outcomes, stale marking, run tagging, history, hints.

These use the scripted backend through the real JudgingService (events, persistence and
threads are real; only Docker is replaced). The real-engine versions are in
``test_docker_runs.py``.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from qa_arena_desktop.catalog import store
from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.domain.events import RunErrored, RunFinished
from qa_arena_desktop.domain.verdicts import Outcome, SubmissionStatus
from qa_arena_desktop.ui.main_window import TAB_RESULTS
from qa_arena_desktop.ui.results_model import Column
from qa_arena_desktop.ui.run_controller import RunController
from qa_arena_desktop.ui.theme import current_theme
from tests.ui.conftest import DATA, PROBLEM, ScriptedBackend

KILLED = {"keeps-leading-space", "no-collapse"}


def _submit_and_wait(window, qtbot):  # type: ignore[no-untyped-def]
    """Submit, wait for the result and for the background refresh of scores and history."""
    finished: list[RunFinished] = []
    window.runs.run_finished.connect(finished.append)
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        window.submit()
    window.runs.run_finished.disconnect(finished.append)
    return finished[-1].result


def test_submit_fills_every_row_then_the_score(make_window, qtbot):
    window = make_window(ScriptedBackend(killed=KILLED))
    window.select_problem(PROBLEM)
    result = _submit_and_wait(window, qtbot)
    model = window.results_model
    assert model.rowCount() == 6
    assert model.index(0, Column.VARIANT).data() == "Correct code"
    assert model.row_state("golden") == "PASSED"
    for name in KILLED:
        assert model.row_state(name) == "KILLED"
    assert model.row_state("spaces-only") == "SURVIVED"
    row = [model.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) for r in range(6)].index("no-collapse")
    assert model.index(row, Column.KILLED_BY).data() == "test_a"
    assert model.index(row, Column.STATE).data(Qt.ItemDataRole.BackgroundRole) == \
        current_theme().verdict_colours("KILLED")[1]
    assert result.status is SubmissionStatus.SUCCESS
    assert window.results.banner_kind() == "success"
    assert window.results.score_label.text() == f"{result.score:g}"
    assert window.results.progress.value() == window.results.progress.maximum() == 6
    assert window.tabs.currentIndex() == TAB_RESULTS
    assert window.matrix.model.rowCount() == 2 and window.matrix.model.columnCount() == 6
    assert window.hints.survivor_count() == 3
    assert window.history.model.rowCount() == 1


def test_rows_start_queued_and_only_the_variant_being_run_says_running(make_window, qtbot):
    hold = threading.Event()
    window = make_window(ScriptedBackend(hold=hold))
    window.select_problem(PROBLEM)
    with qtbot.waitSignal(window.runs.variant_started, timeout=10_000):
        window.submit()
        assert set(window.results_model.states().values()) == {"QUEUED"}
    states = window.results_model.states()
    assert states.pop("golden") == "RUNNING"  # golden goes first; the bugs wait their turn
    assert set(states.values()) == {"QUEUED"}
    assert window.results_model.data(window.results_model.index(1, 1)) == "Queued"
    assert window.editor_pane.cancel_button.isEnabled()
    seen: list[dict[str, str]] = []
    window.runs.variant_finished.connect(lambda _e: seen.append(window.results_model.states()))
    with qtbot.waitSignal(window.runs.run_finished, timeout=10_000):
        hold.set()
    # when a mutant's verdict arrived, it had been RUNNING and the ones after it QUEUED
    assert any("QUEUED" in states.values() and "RUNNING" not in states.values()
               for states in seen[:-1]), seen
    assert not window.editor_pane.cancel_button.isEnabled()


def test_a_test_failing_on_golden_is_explained_in_place(make_window, qtbot):
    window = make_window(ScriptedBackend(golden=Outcome.FAILED))
    window.select_problem(PROBLEM)
    result = _submit_and_wait(window, qtbot)
    assert result.status is SubmissionStatus.FAILURE
    assert window.results.banner_kind() == "failure"
    assert "fails on the correct implementation" in window.results.banner_title.text()
    assert "test_a" in window.results.banner_text.text()
    assert window.results.go_button.isVisibleTo(window.results)
    assert window.results_model.row_state("golden") == "FAILED"
    assert window.results_model.row_state("no-collapse") == "NOT RUN"


def test_a_syntax_error_names_and_marks_its_line(make_window, qtbot):
    window = make_window()
    window.select_problem(PROBLEM)
    window.editor.setPlainText((DATA / "syntax_error.txt").read_text())
    _submit_and_wait(window, qtbot)
    assert window.results.banner_title.text() == "Your test file has a syntax error"
    assert window.results.go_button.text() == "Go to line 4"
    assert window.editor.marked_line() == 4
    window.results.go_button.click()
    assert window.editor.textCursor().blockNumber() == 3


def test_an_engine_error_says_what_to_do_with_a_button(make_window, qtbot):
    class NoEngine(ScriptedBackend):
        def run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise JudgeUnavailable("no Docker engine is reachable at the local Docker socket",
                                   "Start the Docker engine")

    window = make_window(NoEngine())
    window.select_problem(PROBLEM)
    result = _submit_and_wait(window, qtbot)
    assert result.status is SubmissionStatus.ERROR
    assert window.results.banner_kind() == "error"
    assert "Start Docker" in window.results.banner_text.text()
    # a run that could not start is not a try: the draft stays, no Tries, not "attempted"
    assert window.editor.toPlainText().strip()
    summary = next(p for p in store.list_problems(window.catalog) if p.slug == PROBLEM)
    assert summary.attempts == 0 and summary.best_score is None
    assert "attempted" not in window.progress.summary.text()
    assert window.results.doctor_button.isVisibleTo(window.results)
    assert not window.results.build_button.isVisibleTo(window.results)


def test_a_missing_image_offers_to_build_it(make_window, qtbot):
    class NoImage(ScriptedBackend):
        def run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise JudgeUnavailable("the judge image qa-arena-judge:0.1.0 is not built yet",
                                   "Build it with `qa-arena image build`")

    window = make_window(NoImage())
    window.select_problem(PROBLEM)
    _submit_and_wait(window, qtbot)
    assert window.results.build_button.isVisibleTo(window.results)


def test_an_exception_in_the_worker_becomes_an_error_event(qtbot, catalog):
    def broken_judge(pack, tests, listener, cancel, run_id):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    controller = RunController(broken_judge)
    pack = store.get_pack(catalog, PROBLEM)
    with qtbot.waitSignal(controller.run_errored, timeout=5000) as blocker:
        run_id = controller.submit(pack, "def test_x(): pass\n")
    event = blocker.args[0]
    assert isinstance(event, RunErrored)
    assert event.submission_id == run_id and "RuntimeError: boom" in event.message
    assert controller.shutdown()


def test_events_of_a_superseded_run_are_dropped(qtbot, catalog):
    release_first = threading.Event()
    seen: list[str] = []

    def judge(pack, tests, listener, cancel, run_id):  # type: ignore[no-untyped-def]
        if tests == "first":
            release_first.wait(5)
        from qa_arena_desktop.domain.judge_models import JudgeResult

        result = JudgeResult(submission_id=run_id, problem=pack.slug,
                             status=SubmissionStatus.SUCCESS, score=30, killed_mutants=0,
                             total_mutants=0, kill_ratio=0)
        listener(RunFinished(submission_id=run_id, result=result))
        return result

    controller = RunController(judge)
    controller.run_finished.connect(lambda event: seen.append(event.submission_id))
    pack = store.get_pack(catalog, PROBLEM)
    controller.submit(pack, "first")
    with qtbot.waitSignal(controller.run_finished, timeout=5000):
        second = controller.submit(pack, "second")
    release_first.set()
    assert controller.shutdown()
    qtbot.wait(100)  # let the first run's queued events arrive, and be dropped
    assert seen == [second]


def test_results_go_stale_when_the_tests_change_and_back_when_they_match(make_window, qtbot):
    window = make_window(ScriptedBackend(killed=KILLED))
    window.select_problem(PROBLEM)
    _submit_and_wait(window, qtbot)
    submitted = window.editor.toPlainText()
    assert not window.results.is_stale()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "# more")
    assert window.results.is_stale()
    assert window.results.stale_label.isVisibleTo(window.results)
    assert window.results_model.index(1, Column.STATE).data(Qt.ItemDataRole.ForegroundRole) == \
        QColor(current_theme().muted)
    assert window.results_model.index(1, Column.STATE).data(Qt.ItemDataRole.BackgroundRole) is None
    window.editor.setPlainText(submitted)
    assert not window.results.is_stale()
    assert not window.results.stale_label.isVisibleTo(window.results)


def test_history_reopens_a_past_submission_as_one_undo_step(make_window, qtbot):
    window = make_window(ScriptedBackend(killed=KILLED))
    window.select_problem(PROBLEM)
    first_code = "from target import normalize_whitespace\n\n\ndef test_one():\n    assert True\n"
    window.editor.setPlainText(first_code)
    _submit_and_wait(window, qtbot)
    window.editor.setPlainText(first_code + "\n\ndef test_two():\n    assert True\n")
    _submit_and_wait(window, qtbot)
    assert window.history.model.rowCount() == 2
    draft = "# my draft in progress\n"
    window.editor.setPlainText(draft)
    window.history.select_row(1)  # newest first: row 1 is the first submission
    window.history.open_button.click()
    assert window.editor.toPlainText() == first_code
    assert not window.results.is_stale()  # its own results are shown with it
    assert window.shown_result is not None
    window.editor.undo()
    assert window.editor.toPlainText() == draft


def test_reopening_the_app_shows_the_last_result_for_the_problem(make_window, qtbot):
    first = make_window(ScriptedBackend(killed=KILLED))
    first.select_problem(PROBLEM)
    result = _submit_and_wait(first, qtbot)
    first.close()
    second = make_window()
    assert second.shown_result is not None
    assert second.shown_result.submission_id == result.submission_id
    assert second.results.banner_kind() == "success"
    assert not second.results.is_stale()


def test_hints_are_graded_for_survivors(make_window, qtbot):
    window = make_window(ScriptedBackend(killed=KILLED))
    window.select_problem(PROBLEM)
    _submit_and_wait(window, qtbot)
    hints = window.hints
    mutant = hints.current_mutant()
    assert mutant in {"keeps-trailing-space", "spaces-only", "ignores-unicode-spaces"}
    assert hints.hint_text.text()
    assert not hints.changed_text.isVisibleTo(hints)
    hints.more_button.click()
    assert hints.changed_text.isVisibleTo(hints) and "line" in hints.changed_text.text()
    assert not hints.diff_view.isVisibleTo(hints)
    hints.more_button.click()
    assert hints.diff_view.isVisibleTo(hints)
    assert "buggy version" in hints.diff_view.toPlainText()
    assert not hints.more_button.isVisibleTo(hints)


def test_hints_can_be_turned_off_for_a_classroom(make_window, qtbot, monkeypatch):
    monkeypatch.setenv("QA_ARENA_HINTS", "off")
    window = make_window(ScriptedBackend(killed=KILLED))
    window.select_problem(PROBLEM)
    _submit_and_wait(window, qtbot)
    assert not window.hints.hints_enabled()
    assert window.hints.survivor_count() == 3
    assert not window.hints.survivors.isVisibleTo(window.hints)
    assert "QA_ARENA_HINTS=off" in window.hints.notice.text()
    assert not window.hints_action.isEnabled()
