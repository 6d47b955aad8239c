"""User settings, stored as an INI file in the data dir (so ``QA_ARENA_HOME`` moves them too)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from qa_arena_desktop import paths

LAST_PROBLEM = "session/last_problem"
POINT_SIZE = "editor/point_size"
HINTS_ENABLED = "practice/hints_enabled"
THEME = "view/theme"  # light | dark | system (ui/theme.py CHOICES)
DOCTOR_SHOWN = "session/doctor_shown"
GEOMETRY = "window/geometry"
MAIN_SPLITTER = "window/main_splitter"
CENTER_SPLITTER = "window/center_splitter"
# The learning path's chapter locks (docs/pack-format.md): off by default, free practice.
CHAPTER_LOCKS = "practice/chapter_locks"


class AppSettings:
    def __init__(self) -> None:
        self._qsettings = QSettings(str(paths.data_dir() / "settings.ini"),
                                    QSettings.Format.IniFormat)

    def get_str(self, key: str, default: str = "") -> str:
        value = self._qsettings.value(key, default)
        return str(value) if value is not None else default

    def get_int(self, key: str, default: int) -> int:
        try:
            return int(str(self._qsettings.value(key, default)))
        except (TypeError, ValueError):
            return default

    def get_bool(self, key: str, default: bool) -> bool:
        value = self._qsettings.value(key, default)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes", "on")
        return bool(value)

    def get_bytes(self, key: str) -> QByteArray | None:
        value = self._qsettings.value(key)
        return value if isinstance(value, QByteArray) else None

    def set(self, key: str, value: Any) -> None:
        self._qsettings.setValue(key, value)

    def sync(self) -> None:
        self._qsettings.sync()
