"""View › Theme for one window: the learner's choice, applied now and remembered.

The choice (light, dark, follow the system) is kept in the settings; at start
``QA_ARENA_THEME`` wins for the session. The application's :class:`ThemeManager`
(made by ui/app.py) applies it; where there is none yet (tests, tools) only a light
or dark choice makes one, so "follow the system" leaves an unstyled app as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction

from qa_arena_desktop.ui import settings
from qa_arena_desktop.ui.theme import (
    FOLLOW_SYSTEM,
    Theme,
    ThemeManager,
    current_theme,
    forced_choice,
    theme_manager,
)


class WindowThemeChoice:
    def __init__(self, actions: dict[str, QAction], app_settings: settings.AppSettings,
                 remember: bool, repaint: Callable[[Theme], None],
                 shown: Callable[[], Theme]) -> None:
        """``repaint``: the window's apply_theme; ``shown``: the theme its widgets show now."""
        self.actions = actions
        self._settings = app_settings
        self._remember = remember
        self._repaint = repaint
        self._shown = shown
        self.manager: ThemeManager | None = None

    def start(self) -> None:
        """Apply the remembered choice (or the one ``QA_ARENA_THEME`` forces)."""
        stored = self._settings.get_str(settings.THEME, FOLLOW_SYSTEM) if self._remember else ""
        choice = forced_choice() or stored or FOLLOW_SYSTEM
        if theme_manager(create=False) is None and choice == FOLLOW_SYSTEM:
            self.actions[FOLLOW_SYSTEM].setChecked(True)
            return
        self._manager().choose(choice)
        self.actions[choice].setChecked(True)

    def choose(self, choice: str) -> None:
        """View › Theme: apply ``choice`` now and remember it."""
        self._manager().choose(choice)
        self.actions[choice].setChecked(True)
        if self._remember:
            self._settings.set(settings.THEME, choice)
            self._settings.sync()

    def _manager(self) -> ThemeManager:
        if self.manager is None:
            manager = theme_manager()
            assert manager is not None, "a QApplication exists while a window does"
            manager.changed.connect(self._repaint)
            self.manager = manager
            if current_theme() is not self._shown():
                self._repaint(current_theme())
        return self.manager
