"""A judged submission's flags show in the app: under the results banner and in the history.

Flags come through the real JudgingService (a scripted backend, no Docker): golden's
run reports ``introspects-code-under-test`` and a mutant's run a flag made of markup,
``<b>x</b>`` (a flag is the judge's text: the panel must show it as it is). Each flag
shows as its meaning then the flag in parentheses; nothing shows for an unflagged
result or while a new run is going; a flag never changes the verdict or the score.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from qa_arena_desktop.domain.judge_models import JudgeRequest, JudgeResult, VariantRun
from qa_arena_desktop.domain.judge_models import TestOutcome as Entry  # not a pytest class
from qa_arena_desktop.domain.verdicts import Outcome, SubmissionStatus
from qa_arena_desktop.ui.history_panel import REVIEW_COLUMN
from qa_arena_desktop.ui.main_window import MainWindow
from qa_arena_desktop.ui.results_panel import ResultsPanel
from tests.judging.scripted import ScriptedRuns
from tests.ui.conftest import PROBLEM
from tests.ui.test_hostile_text import TIP, as_qt_shows, interpreted

MARKUP_FLAG = "<b>x</b>"
FLAGS = ("introspects-code-under-test", MARKUP_FLAG)
INTROSPECTS_LINE = ("While running, the tests read the code under test's source, bytecode or "
                    "internals (introspects-code-under-test)")
MARKUP_LINE = f"An unrecognised flag ({MARKUP_FLAG})"
FAILING = "test_a[<i>y</i>]"  # a test id with markup, in the message of a failed submission


@dataclass
class FlaggingRuns:
    """Golden passes (with ``flags[:1]``), the first mutant is killed (with ``flags[1:]``),
    the others survive; ``hold``, when given, keeps the run going until it is set.
    ``golden_fails``: golden's run fails ``FAILING`` instead (with all the flags)."""

    flags: tuple[str, ...] = FLAGS
    hold: threading.Event | None = None
    golden_fails: bool = False
    backend: ScriptedRuns = field(init=False)

    def __post_init__(self) -> None:
        self.backend = ScriptedRuns(self.script)

    def script(self, request: JudgeRequest) -> list[VariantRun]:
        if self.hold is not None:
            self.hold.wait(10)
        if self.golden_fails:
            return [VariantRun(variant="golden", golden=True, outcome=Outcome.FAILED,
                               failed_tests=(FAILING,), message="assert 1 == 2", flags=self.flags)]
        passing = (Entry(id="test_a", outcome="passed"),)
        first, *others = request.mutants
        return [VariantRun(variant="golden", golden=True, outcome=Outcome.PASSED, tests=passing,
                           flags=self.flags[:1]),
                VariantRun(variant=first.name, outcome=Outcome.FAILED, failed_tests=("test_a",),
                           tests=(Entry(id="test_a", outcome="failed", message="assert 1 == 2"),),
                           flags=self.flags[1:]),
                *(VariantRun(variant=m.name, outcome=Outcome.PASSED, tests=passing)
                  for m in others)]


def submit(window: MainWindow, qtbot: QtBot) -> JudgeResult:
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        window.submit()
    assert window.shown_result is not None
    return window.shown_result


def shown_flags(panel: ResultsPanel) -> QTextDocument | None:
    """What the results panel shows of the flags (None when it shows none)."""
    if panel.flags_box.isHidden():
        return None
    document = QTextDocument()
    document.setHtml(panel.flags_text.text())
    return document


def assert_shows_the_flags(panel: ResultsPanel) -> None:
    document = shown_flags(panel)
    assert document is not None, "no flags shown"
    lines = document.toPlainText().splitlines()
    assert lines[0] == "Flagged for review"
    assert INTROSPECTS_LINE in lines and MARKUP_LINE in lines, lines
    assert "never change the verdict or the score" in document.toPlainText()
    # the flag's markup is text: only the panel's own title is bold, nothing else is markup
    assert "<img" not in document.toHtml()
    assert interpreted(document) == ["Flagged for review"], document.toHtml()


def test_a_runs_flags_show_under_the_banner_with_their_meanings(make_window, qtbot):
    window = make_window(FlaggingRuns().backend)
    window.select_problem(PROBLEM)
    assert shown_flags(window.results) is None  # the idle panel, or an unflagged past run
    result = submit(window, qtbot)
    assert result.status is SubmissionStatus.SUCCESS and result.flags == FLAGS
    assert window.results.banner_kind() == "success"
    assert window.results.score_label.text() == f"{result.score:g}"
    assert_shows_the_flags(window.results)


def test_flags_go_when_a_new_run_starts_and_stay_away_for_an_unflagged_result(make_window, qtbot):
    runs = FlaggingRuns()
    window = make_window(runs.backend)
    window.select_problem(PROBLEM)
    flagged = submit(window, qtbot)
    assert_shows_the_flags(window.results)

    runs.flags, runs.hold = (), threading.Event()
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        try:
            with qtbot.waitSignal(window.runs.run_started, timeout=10_000):
                window.submit()
            assert window.results.banner_kind() == "running"
            assert shown_flags(window.results) is None
            assert window.results.flags_text.text() == ""
        finally:
            runs.hold.set()
    unflagged = window.shown_result
    assert unflagged is not None and unflagged.flags == ()
    assert unflagged.submission_id != flagged.submission_id
    assert unflagged.score == flagged.score  # a flag never changes the score
    assert window.results.banner_kind() == "success"
    assert shown_flags(window.results) is None


def test_history_marks_flagged_submissions_and_reopening_one_shows_its_flags(make_window, qtbot):
    runs = FlaggingRuns()
    window = make_window(runs.backend)
    window.select_problem(PROBLEM)
    submit(window, qtbot)
    runs.flags = ()
    submit(window, qtbot)

    history = window.history.model
    assert history.rowCount() == 2  # newest first: row 1 is the flagged one
    assert history.headerData(REVIEW_COLUMN, Qt.Orientation.Horizontal) == "Review"
    assert history.index(0, REVIEW_COLUMN).data() == ""
    assert history.index(1, REVIEW_COLUMN).data() == "Flagged"
    assert history.index(0, 0).data(TIP) is None  # no message, no flags: no tooltip
    for column in range(history.columnCount()):
        tooltip = as_qt_shows(history.index(1, column).data(TIP))
        shown = tooltip.toPlainText()
        assert "Flagged for review" in shown
        assert INTROSPECTS_LINE in shown and MARKUP_LINE in shown, shown
        assert "<img" not in tooltip.toHtml() and interpreted(tooltip) == []

    window.history.select_row(1)
    window.history.show_button.click()
    assert window.shown_result is not None and window.shown_result.flags == FLAGS
    assert_shows_the_flags(window.results)
    window.history.select_row(0)
    window.history.show_button.click()
    assert shown_flags(window.results) is None
    window.history.select_row(1)
    window.history.open_button.click()  # its code back in the editor, and its results
    assert_shows_the_flags(window.results)

    reopened = make_window()  # the app started again: history read when the problem opens
    assert reopened.history.model.index(1, REVIEW_COLUMN).data() == "Flagged"
    assert reopened.history.model.index(0, REVIEW_COLUMN).data() == ""
    assert shown_flags(reopened.results) is None  # the latest submission is the unflagged one


def test_a_failed_submission_with_markup_in_its_message_shows_its_flags_as_text(make_window, qtbot):
    window = make_window(FlaggingRuns(golden_fails=True).backend)
    window.select_problem(PROBLEM)
    result = submit(window, qtbot)
    assert result.status is SubmissionStatus.FAILURE and result.flags == FLAGS
    assert window.results.banner_kind() == "failure"
    assert_shows_the_flags(window.results)
    # Qt reads a tooltip as HTML when its first line has a tag (here the test id): the
    # flags after it must still show as text.
    tooltip = as_qt_shows(window.history.model.index(0, 0).data(TIP))
    shown = tooltip.toPlainText()
    assert FAILING in shown and INTROSPECTS_LINE in shown and MARKUP_LINE in shown, shown
    assert "<img" not in tooltip.toHtml() and interpreted(tooltip) == []
