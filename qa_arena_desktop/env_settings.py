"""Every ``QA_ARENA_*`` environment variable, in one validated settings object.

Modules read :func:`current`, never ``os.environ``: a value is parsed and checked in one
place, with one list of on/off words, and a bad value is a :class:`SettingsError` that
names the variable and the values it allows (the CLI exits 2 with it, the app shows it).
The variables are listed in docs/development.md ("Settings").

Read once per environment: :func:`current` validates the ``QA_ARENA_*`` variables the
first time and returns the same object until one of them changes (a test's
``monkeypatch.setenv``, or a caller that sets one), so the settings always say what the
environment says, as the judge server's key does (it covers the same variables).

The judge server's client (standard library only, it runs on every ``qa-arena judge``)
cannot import this module: it reads its one switch with its own tiny reader
(``judge_server.address.switch``), tested to agree with this model.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PREFIX = "QA_ARENA_"
# The one list of words for a switch (compared stripped and lower-cased).
ON_WORDS = ("on", "1", "true", "yes", "enabled")
OFF_WORDS = ("off", "0", "false", "no", "disabled")
ON_OFF = f"on: {', '.join(ON_WORDS)}; off: {', '.join(OFF_WORDS)}"


class SettingsError(ValueError):
    """A ``QA_ARENA_*`` variable has a value the app cannot use (the message says which)."""


def _switch(value: object) -> object:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    raise ValueError("not an on/off word")


def _word(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


Switch = Annotated[bool, BeforeValidator(_switch)]


def _env(name: str, default: Any, allowed: str) -> Any:
    """The field's variable (``QA_ARENA_<NAME>``), its default and, for messages and the
    docs, what it allows."""
    return Field(default, validation_alias=PREFIX + name, description=allowed)


Tab = Literal["results", "matrix", "hints", "history", "progress"]
TABS: tuple[str, ...] = get_args(Tab)


class Settings(BaseSettings):
    """The app's environment settings (frozen: read them, never set them)."""

    model_config = SettingsConfigDict(case_sensitive=True, env_ignore_empty=True,
                                      extra="ignore", frozen=True)

    home: str | None = _env(
        "HOME", None, "a folder (the data dir: SQLite catalog, drafts, logs)")
    debian_mirror: str | None = _env(
        "DEBIAN_MIRROR", None, "a Debian mirror URL (for `image build` by debootstrap)")
    shards: Annotated[Annotated[int, Field(ge=1)] | None, BeforeValidator(_stripped)] = _env(
        "SHARDS", None, "a whole number of 1 or more (containers per submission)")
    isolation: Annotated[Literal["fast", "strict"], BeforeValidator(_word)] = _env(
        "ISOLATION", "fast", "fast, strict")
    session_tag: str = _env("SESSION_TAG", "", "any text (labels the judge containers)")
    allow_unenforced_limits: Switch = _env("ALLOW_UNENFORCED_LIMITS", False, ON_OFF)
    theme: Annotated[Literal["light", "dark", "system"], BeforeValidator(_word)] = _env(
        "THEME", "system", "light, dark, system")
    screenshot_tab: Annotated[Tab | None, BeforeValidator(_word)] = _env(
        "SCREENSHOT_TAB", None, ", ".join(TABS))
    screenshot_chapter: str | None = _env(
        "SCREENSHOT_CHAPTER", None, "a chapter id of the learning path (problems/chapters.toml)")
    hints: Switch = _env("HINTS", True, ON_OFF)
    judge_server: Switch = _env("JUDGE_SERVER", True, ON_OFF)
    docker_host_option: str | None = _env(
        "DOCKER_HOST_OPTION", None, "set by `qa-arena --docker-host` for what it starts")
    server_idle_s: Annotated[float, BeforeValidator(_stripped),
                             Field(gt=0, allow_inf_nan=False)] = _env(
        "SERVER_IDLE_S", 600.0, "a number of seconds above 0")

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The environment only (no ``.env`` file, no secrets directory)."""
        return init_settings, env_settings


class _Given(Settings):
    """Settings from a given mapping only (see :func:`load`), never the process's environment."""

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


VARIABLES = {str(field.validation_alias): name for name, field in Settings.model_fields.items()}


def allowed(variable: str) -> str:
    """What ``variable`` (``QA_ARENA_...``) allows, in words."""
    return Settings.model_fields[VARIABLES[variable]].description or ""


def _error(exc: ValidationError) -> SettingsError:
    problems = []
    for error in exc.errors():
        variable = str(error["loc"][0]) if error["loc"] else "a QA_ARENA_ variable"
        value = error.get("input")
        shown = f"={value!r}" if isinstance(value, str) else ""
        hint = allowed(variable) if variable in VARIABLES else error["msg"]
        problems.append(f"{variable}{shown} is not a valid setting (allowed: {hint})")
    return SettingsError("; ".join(problems))


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Validate the settings of ``environ`` (default: this process's environment)."""
    try:
        if environ is None:
            return Settings()
        given: dict[str, Any] = {name: value for name, value in environ.items()
                                 if name in VARIABLES and value != ""}
        return _Given(**given)
    except ValidationError as exc:
        raise _error(exc) from None


_lock = threading.Lock()
_cached: tuple[tuple[tuple[str, str], ...], Settings] | None = None


def _snapshot() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, value) for name, value in os.environ.items()
                        if name.startswith(PREFIX)))


def current() -> Settings:
    """The settings of this process's environment, validated once per distinct environment.

    Raises :class:`SettingsError` for a bad value (every time it is asked, until fixed).
    """
    global _cached
    snapshot = _snapshot()
    with _lock:
        if _cached is not None and _cached[0] == snapshot:
            return _cached[1]
    settings = load()
    with _lock:
        _cached = (snapshot, settings)
    return settings


def reload() -> Settings:
    """Read the environment again now (``current`` does so by itself when it changes)."""
    global _cached
    with _lock:
        _cached = None
    return current()
