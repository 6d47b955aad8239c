"""Where things live: the user's data dir and the files bundled with the app.

The bundled folders (``judge/``, ``problems/``, ``resources/``) sit at the repository
root in a source checkout or an editable install, and inside the package
(``_bundled/``) in a wheel. Both layouts are looked up here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from qa_arena_desktop import env_settings

APP_NAME = "qa-arena-desktop"
HOME_ENV = "QA_ARENA_HOME"

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The data directory (SQLite file, drafts, logs); ``QA_ARENA_HOME`` moves it."""
    override = env_settings.current().home
    path = Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path() -> Path:
    return data_dir() / "catalog.sqlite3"


def drafts_dir() -> Path:
    path = data_dir() / "drafts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _bundled(name: str) -> Path:
    source_checkout = _PACKAGE_DIR.parent / name
    if source_checkout.is_dir():
        return source_checkout
    return _PACKAGE_DIR / "_bundled" / name


def judge_dir() -> Path:
    return _bundled("judge")


def problems_dir() -> Path:
    return _bundled("problems")


def resources_dir() -> Path:
    return _bundled("resources")


def docs_dir() -> Path:
    """The user docs the app shows in Help (a wheel carries only those pages)."""
    return _bundled("docs")
