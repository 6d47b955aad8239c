"""The window's layout never moves with what a run reports; filters never switch problems."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qa_arena_desktop.domain.judge_models import JudgeRequest, VariantRun
from qa_arena_desktop.domain.judge_models import TestOutcome as Entry  # not a pytest class
from qa_arena_desktop.domain.verdicts import Outcome
from tests.judging.scripted import ScriptedRuns
from tests.ui.conftest import PROBLEM

WORDS = " ".join(f"word{n}" for n in range(700))  # about 5,000 characters with spaces
LONG_MESSAGE = "assert 'x' == 'y'\n" + WORDS[:5000]
UNBROKEN_MESSAGE = ("assert 'x' == '" + "y" * 2000 + "'\n" + WORDS)[:5000]


def long_failures(golden_fails: bool, message: str = LONG_MESSAGE) -> ScriptedRuns:
    def script(request: JudgeRequest) -> list[VariantRun]:
        if golden_fails:
            return [VariantRun(variant="golden", golden=True, outcome=Outcome.FAILED,
                               failed_tests=("test_long",), message=message)]
        passing = (Entry(id="test_long", outcome="passed"),)
        killing = (Entry(id="test_long", outcome="failed", message=message),)
        return [VariantRun(variant="golden", golden=True, outcome=Outcome.PASSED, tests=passing),
                *(VariantRun(variant=m.name, outcome=Outcome.FAILED, tests=killing,
                             failed_tests=("test_long",), message=message)
                  for m in request.mutants)]

    return ScriptedRuns(script)


def _shown_window(make_window, qtbot, backend):  # type: ignore[no-untyped-def]
    window = make_window(backend)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.select_problem(PROBLEM)
    qtbot.wait(50)
    return window


def _submit(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        window.submit()
    qtbot.wait(100)  # let the layout settle as a user would see it


def test_a_long_failure_message_moves_no_splitter(make_window, qtbot):
    for golden_fails, message in ((True, LONG_MESSAGE), (False, LONG_MESSAGE),
                                  (True, UNBROKEN_MESSAGE), (False, UNBROKEN_MESSAGE)):
        window = _shown_window(make_window, qtbot, long_failures(golden_fails, message))
        sizes, center = window.splitter.sizes(), window.center.sizes()
        browser_width = window.browser.view.viewport().width()
        _submit(window, qtbot)
        window.results.table.selectRow(1)  # a killed bug: its message in the details
        qtbot.wait(50)
        assert window.splitter.sizes() == sizes
        assert window.center.sizes() == center
        assert window.browser.view.viewport().width() == browser_width
        assert window.size().width() == 1400 and window.size().height() == 900
        window.close()


def test_a_long_message_wraps_and_an_unbroken_one_scrolls_inside_the_panel(make_window, qtbot):
    window = _shown_window(make_window, qtbot, long_failures(True))
    _submit(window, qtbot)
    area = window.tabs.currentWidget()
    assert area.widget() is window.results
    assert window.results.width() <= area.viewport().width()  # words wrap: no sideways scroll
    assert area.verticalScrollBar().maximum() > 0  # too tall: the panel scrolls, not the window
    unbroken = _shown_window(make_window, qtbot, long_failures(True, UNBROKEN_MESSAGE))
    _submit(unbroken, qtbot)
    area = unbroken.tabs.currentWidget()
    if unbroken.results.width() > area.viewport().width():  # an 80-character run in monospace
        assert area.horizontalScrollBar().isVisible()


def test_choosing_a_level_keeps_the_open_problem(make_window, qtbot):
    window = make_window()
    window.select_problem(PROBLEM)  # Easy
    browser = window.browser
    for level in ("Hard", "Medium", "All levels", "Easy"):
        browser.difficulty.setCurrentText(level)
        assert window.pack is not None and window.pack.slug == PROBLEM, level
    assert browser.current_slug() == PROBLEM  # listed again: current again
    browser.difficulty.setCurrentText("Hard")
    assert browser.current_slug() == ""  # hidden: nothing current, nothing opened
    browser.view.setCurrentIndex(browser.proxy.index(0, 0))  # the learner picks one
    assert window.pack.slug == browser.current_slug() != PROBLEM


def test_a_search_with_no_match_says_so_and_escape_clears_it(make_window, qtbot):
    window = make_window()
    window.show()
    window.select_problem(PROBLEM)
    browser = window.browser
    browser.focus_search()
    qtbot.keyClicks(browser.search, "zzqx")
    assert browser.proxy.rowCount() == 0
    assert browser.empty_label.isVisible()
    assert browser.empty_label.text().startswith("No problem matches “zzqx”")
    assert window.pack is not None and window.pack.slug == PROBLEM
    qtbot.keyClick(browser.search, Qt.Key.Key_Escape)
    assert browser.search.text() == ""
    assert not browser.empty_label.isVisible()
    assert browser.current_slug() == PROBLEM


def test_the_problem_list_and_description_have_no_horizontal_scrollbar(make_window, qtbot):
    window = make_window()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.select_problem("glob-match")  # long example lines in a code block
    qtbot.wait(50)
    assert not window.browser.view.horizontalScrollBar().isVisible()
    assert not window.problem_view.description.horizontalScrollBar().isVisible()


def test_the_window_title_names_qa_arena_once(make_window, qtbot):
    window = make_window()
    window.select_problem(PROBLEM)
    assert window.windowTitle() == "Normalize whitespace — QA Arena"
    assert window.windowTitle().count("QA Arena") == 1
