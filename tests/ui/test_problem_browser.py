"""The problem browser: rows from the catalog, filtering, keyboard navigation, scores."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTextBrowser

from qa_arena_desktop.catalog import store
from qa_arena_desktop.domain.pack import Difficulty
from qa_arena_desktop.ui.problem_models import ProblemFilterProxy, ProblemListModel, ProblemRole
from tests.ui.conftest import PROBLEM, ScriptedBackend


def _rows(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(row, 0).data(ProblemRole.SLUG) for row in range(model.rowCount())]


def test_model_exposes_every_problem_through_data_roles(qtbot, catalog):
    problems = store.list_problems(catalog)
    model = ProblemListModel()
    model.set_problems(problems)
    assert model.rowCount() == len(problems)
    row = model.row_of(PROBLEM)
    index = model.index(row, 0)
    assert index.data(Qt.ItemDataRole.DisplayRole) == "Normalize whitespace"
    assert index.data(ProblemRole.DIFFICULTY) == "Easy"
    assert index.data(ProblemRole.BEST_SCORE) is None
    assert index.data(ProblemRole.SOLVED) is False
    assert "unicode" in index.data(ProblemRole.TAGS)
    assert index.data(ProblemRole.MUTANTS) == 5
    assert "Best score: —" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_filter_by_difficulty_and_search_text(qtbot, catalog):
    model = ProblemListModel()
    model.set_problems(store.list_problems(catalog))
    proxy = ProblemFilterProxy()
    proxy.setSourceModel(model)

    proxy.set_difficulty(Difficulty.EASY)
    assert proxy.rowCount() > 0
    assert {proxy.index(r, 0).data(ProblemRole.DIFFICULTY) for r in range(proxy.rowCount())} == {"Easy"}
    assert PROBLEM in _rows(proxy)

    proxy.set_search_text("whitespace")
    assert _rows(proxy) == [PROBLEM]
    proxy.set_difficulty(Difficulty.HARD)
    assert _rows(proxy) == []

    proxy.set_difficulty(None)
    proxy.set_search_text("UNICODE strings")  # tags, any case, every word must match
    assert PROBLEM in _rows(proxy)
    proxy.set_search_text("")
    assert proxy.rowCount() == model.rowCount()


def test_selecting_in_the_browser_opens_the_problem(make_window, qtbot):
    window = make_window()
    assert window.browser.select(PROBLEM)
    assert window.pack is not None and window.pack.slug == PROBLEM
    assert window.problem_view.title.text() == "Normalize whitespace"
    assert "def normalize_whitespace" in window.problem_view.plain_signature()
    assert "from target import normalize_whitespace" in window.editor.toPlainText()
    html = window.problem_view.description.toHtml()
    assert "Contract" in html and "<h1" not in window.problem_view.description.toMarkdown()[:5]


def test_keyboard_search_then_arrow_keys_walk_the_list(make_window, qtbot):
    window = make_window()
    window.show()
    window.browser.focus_search()
    qtbot.keyClicks(window.browser.search, "e")
    count = window.browser.proxy.rowCount()
    assert count >= 2
    qtbot.keyClick(window.browser.search, Qt.Key.Key_Down)
    assert window.browser.view.hasFocus() or window.browser.view.currentIndex().isValid()
    first = window.browser.current_slug()
    qtbot.keyClick(window.browser.view, Qt.Key.Key_Down)
    second = window.browser.current_slug()
    assert second and second != first
    assert window.pack is not None and window.pack.slug == second


def test_best_score_and_solved_mark_follow_submissions(make_window, qtbot, catalog):
    pack = store.get_pack(catalog, PROBLEM)
    window = make_window(ScriptedBackend(killed={m.name for m in pack.mutants}))
    window.select_problem(PROBLEM)
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        window.submit()
    index = window.browser.model.index(window.browser.model.row_of(PROBLEM), 0)
    assert index.data(ProblemRole.BEST_SCORE) == 100.0
    assert index.data(ProblemRole.SOLVED) is True
    assert window.browser.progress_label.text().startswith("1 of ")


def test_the_browser_shows_the_learning_path_with_progress_and_a_lesson(make_window, qtbot):
    window = make_window()
    browser = window.browser
    entries = [browser.chapter.itemText(i) for i in range(browser.chapter.count())]
    assert entries[0] == "Learning path: all chapters"
    assert entries[1].startswith("1. Boundaries · 0/") and entries[-1].startswith("7. Properties")
    assert not browser.locking  # free practice by default: every chapter open
    browser.chapter.setCurrentIndex(browser.chapter.findData("state"))
    assert "Chapter 5: 0 of 6 solved" in browser.progress_label.text()
    rows = _rows(browser.proxy)
    assert "lru-cache" in rows and "clamp" not in rows
    assert {browser.proxy.index(r, 0).data(ProblemRole.CHAPTER)
            for r in range(browser.proxy.rowCount())} == {"state"}
    assert browser.lesson_button.isVisibleTo(browser)
    browser.show_lesson()
    assert "Objects with state" in browser.lesson_dialog.findChild(
        QTextBrowser, "lessonText").toPlainText()
    browser.lesson_dialog.close()
    browser.chapter.setCurrentIndex(0)
    assert browser.proxy.rowCount() == browser.model.rowCount()


def test_with_locks_on_only_the_first_chapter_is_open(make_window, qtbot):
    window = make_window()
    window.set_chapter_locks(True)
    browser = window.browser
    assert browser.locking
    visible = {browser.proxy.index(r, 0).data(ProblemRole.CHAPTER)
               for r in range(browser.proxy.rowCount())}
    assert visible <= {"boundaries", ""}
    second = browser.chapter.findData("equivalence-classes")
    assert not browser.chapter.model().item(second).isEnabled()
    assert browser.chapter.itemText(second).endswith("(locked)")
    window.set_chapter_locks(False)
    assert browser.proxy.rowCount() == browser.model.rowCount()
