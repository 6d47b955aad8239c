"""The main window's menu bar (File, Run, View, Help) and the actions other code toggles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from qa_arena_desktop.ui import icons

if TYPE_CHECKING:
    from qa_arena_desktop.ui.main_window import MainWindow


@dataclass(frozen=True)
class WindowActions:
    submit: QAction
    cancel: QAction
    hints: QAction
    themes: dict[str, QAction]  # "light", "dark", "system"


def build_menus(window: MainWindow) -> WindowActions:
    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    open_action = file_menu.addAction(icons.icon("open"), "&Open tests…")
    open_action.setShortcut(QKeySequence("Ctrl+O"))
    open_action.triggered.connect(window.editor_pane.open_file)
    save_as = file_menu.addAction("Save tests &as…")
    save_as.setShortcut(QKeySequence("Ctrl+Shift+S"))
    save_as.triggered.connect(window.save_tests_as)
    file_menu.addSeparator()
    studio = file_menu.addAction(icons.icon("matrix"), "&Author studio…")
    studio.setShortcut(QKeySequence("Ctrl+Shift+A"))
    studio.triggered.connect(lambda: window.open_studio())
    file_menu.addSeparator()
    quit_action = file_menu.addAction("&Quit")
    quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    quit_action.triggered.connect(window.close)

    run_menu = menu.addMenu("&Run")
    submit = QAction(icons.icon("submit"), "&Submit", window)
    # Window-wide; inside the editor, the editor claims Ctrl+Enter itself (no double submit).
    submit.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    submit.triggered.connect(window.submit)
    cancel = QAction(icons.icon("cancel"), "&Cancel run", window)
    cancel.setShortcut(QKeySequence("Ctrl+."))
    cancel.setEnabled(False)
    cancel.triggered.connect(window.cancel_run)
    run_menu.addAction(submit)
    run_menu.addAction(cancel)

    view_menu = menu.addMenu("&View")
    find = view_menu.addAction(icons.icon("search"), "&Find problem")
    find.setShortcut(QKeySequence.StandardKey.Find)
    find.triggered.connect(window.browser.focus_search)
    for text, keys, step in (("Zoom &in", "Ctrl+=", 1), ("Zoom &out", "Ctrl+-", -1)):
        action = view_menu.addAction(text)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False, s=step: window.editor.zoom(s))
    view_menu.addSeparator()
    hints = view_menu.addAction(icons.icon("hint"), "Show &hints for survivors")
    hints.setCheckable(True)
    theme_menu = view_menu.addMenu("&Theme")
    group = QActionGroup(window)
    group.setExclusive(True)
    themes: dict[str, QAction] = {}
    for choice, text in (("light", "&Light"), ("dark", "&Dark"), ("system", "Follow the &system")):
        action = theme_menu.addAction(text)
        action.setCheckable(True)
        action.setActionGroup(group)
        action.triggered.connect(lambda _=False, c=choice: window.choose_theme(c))
        themes[choice] = action
    locks = view_menu.addAction("&Lock chapters until the previous one is passed")
    locks.setCheckable(True)
    locks.setChecked(window.browser.locking)
    locks.toggled.connect(window.set_chapter_locks)

    help_menu = menu.addMenu("&Help")
    shortcuts = help_menu.addAction("&Keyboard shortcuts")
    shortcuts.setShortcut(QKeySequence("F1"))
    shortcuts.triggered.connect(lambda: window.show_help("shortcuts"))
    scoring = help_menu.addAction(icons.icon("hint"), "How &scoring and hints work")
    scoring.triggered.connect(lambda: window.show_help("scoring"))
    help_menu.addSeparator()
    doctor = help_menu.addAction(icons.icon("doctor"), "&Doctor…")
    doctor.triggered.connect(window.open_doctor)
    build = help_menu.addAction(icons.icon("build"), "&Build judge image…")
    build.triggered.connect(window.build_image)
    return WindowActions(submit=submit, cancel=cancel, hints=hints, themes=themes)
