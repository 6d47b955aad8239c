"""``qa-arena gui --screenshot OUT.png [--problem SLUG] [--tests FILE] [--cancel-after S]
[--help-page shortcuts|scoring]``: a picture of the real app (or of one Help page).

Opens the main window (offscreen), selects the problem, loads FILE into the editor,
judges it with the real engine and waits for the result, optionally switches to a
tab (``QA_ARENA_SCREENSHOT_TAB=results|matrix|hints|history|progress``), then saves
``window.grab()``. The learner's own drafts and window settings are left untouched:
a screenshot uses a throw-away drafts folder and the default layout.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QThread

from qa_arena_desktop import env_settings
from qa_arena_desktop.ui.main_window import TAB_NAMES, MainWindow

TAB_ENV = "QA_ARENA_SCREENSHOT_TAB"
# A chapter of the learning path to show in the browser (its id, as in problems/chapters.toml).
CHAPTER_ENV = "QA_ARENA_SCREENSHOT_CHAPTER"
RUN_TIMEOUT_S = 180.0
DOCKER_TIMEOUT_S = 20.0
SIZE = (1400, 900)


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Keep the event loop turning until ``predicate()`` or the timeout; True when it held."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThread.msleep(10)
    return True


def settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        QCoreApplication.processEvents()
        QThread.msleep(20)


def take_screenshot(window: MainWindow, out: Path, problem: str | None, tests: Path | None,
                    tab: str | None, cancel_after_s: float | None = None,
                    help_page: str | None = None) -> int:
    """Drive the window as a user would, then save a PNG. Exit code: 0 saved, 2 bad input.

    ``cancel_after_s``: press Cancel that long after submitting (a cancelled run).
    ``help_page``: save that Help page's dialog instead of the window."""
    window.resize(*SIZE)
    window.show()
    settle()
    if problem and not window.select_problem(problem):
        sys.stderr.write(f"qa-arena: no problem with slug {problem!r}\n")
        return 2
    wait_until(lambda: window.docker.last is not None, DOCKER_TIMEOUT_S)
    if tests is not None:
        window.editor.replace_text_undoably(tests.read_text(encoding="utf-8", errors="replace"))
        refreshed: list[bool] = []
        window.catalog_refreshed.connect(lambda: refreshed.append(True))
        window.submit()
        if cancel_after_s is not None:
            wait_until(lambda: False, cancel_after_s)
            window.editor_pane.cancel_button.click()
        finished = wait_until(lambda: not window.runs.is_running(), RUN_TIMEOUT_S)
        if not finished:
            sys.stderr.write("qa-arena: the run did not finish in time; saving the screenshot anyway\n")
        else:  # History and the scores are re-read after the run: show them as they end up
            wait_until(lambda: bool(refreshed), 10.0)
    chapter = env_settings.current().screenshot_chapter
    if chapter:
        found = window.browser.chapter.findData(chapter)
        if found < 0:
            sys.stderr.write(f"qa-arena: no chapter {chapter!r} in the learning path\n")
            return 2
        window.browser.chapter.setCurrentIndex(found)
        if problem:
            window.browser.select(problem, emit=False)
    tab = tab or env_settings.current().screenshot_tab
    if tab:
        if tab not in TAB_NAMES:
            sys.stderr.write(f"qa-arena: unknown tab {tab!r} (one of {', '.join(TAB_NAMES)})\n")
            return 2
        window.tabs.setCurrentIndex(TAB_NAMES[tab])
    window.editor.setFocus()
    # the editor's marks (pyflakes) come a moment after the text: wait for them
    wait_until(lambda: not window.linter.busy(), 5.0)
    settle()
    out.parent.mkdir(parents=True, exist_ok=True)
    shown = window.show_help(help_page) if help_page else window
    settle()
    if not shown.grab().save(str(out)):
        sys.stderr.write(f"qa-arena: could not write {out}\n")
        return 1
    print(f"saved {out}")
    return 0
