"""The Author studio: write, preview, validate and publish problem packs (File › Author studio…).

The main window owns its studio (``MainWindow.studio``, created on first use by
``MainWindow.open_studio``, which calls :func:`create_studio`): one studio per main
window, shown again when already open; publishing from it refreshes the learner's
problem browser at once. Closing the studio (Ctrl+W) asks Save / Discard / Cancel
when the pack has unsaved edits, then hides it. Quitting the app (the main window's
close, Ctrl+Q in either window) asks the studio the same question first: Cancel keeps
both windows open; otherwise the studio closes with the main window and its jobs are
drained.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_arena_desktop.ui.main_window import MainWindow
    from qa_arena_desktop.ui.studio.studio_window import StudioWindow


def create_studio(window: MainWindow) -> StudioWindow:
    """A new studio wired to ``window``: its publishing refreshes the browser, and quitting
    the app asks it first and drains it. ``window`` keeps it (``window.studio``)."""
    from PySide6.QtWidgets import QApplication

    from qa_arena_desktop.ui.studio.studio_window import StudioWindow

    studio = StudioWindow(window.catalog)
    studio.published.connect(lambda _slug: window.refresh_scores())
    studio.on_quit = window.close  # Ctrl+Q in the studio quits the app, asking first
    window.quit_guards.append(studio)
    window.destroyed.connect(studio.shutdown)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(studio.shutdown)
    return studio
