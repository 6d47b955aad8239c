"""Where a judge server listens, and which server a CLI call may use (standard library only).

A server is shared only by calls that would behave the same: the key covers the
app's code (a file fingerprint, so an upgrade or an edit starts a new server), the
Python that runs it, and every setting it reads from the environment (``QA_ARENA_*``,
``DOCKER_*``, and ``HOME``/``XDG_DATA_HOME``, which place the data dir). Sockets live
in a directory only this user can enter.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SERVER_ENV = "QA_ARENA_JUDGE_SERVER"  # "off" judges in the calling process
PROTOCOL_VERSION = 1
_KEY_PREFIXES = ("QA_ARENA_", "DOCKER_")
_KEY_NAMES = ("HOME", "XDG_DATA_HOME")
_NOT_IN_KEY = (SERVER_ENV,)
_MAX_SOCKET_PATH = 100  # AF_UNIX paths: 108 bytes on Linux, 104 on macOS
_PACKAGE_DIR = Path(__file__).resolve().parents[1]


class ServerUnavailable(Exception):
    """No judge server can be used here (the caller judges in its own process)."""


class SettingsRefused(ServerUnavailable):
    """The server would not start on these settings: a ``QA_ARENA_*`` value is not valid
    (the message names it, as ``qa-arena`` would; the call exits 2)."""


# The client's own tiny reader of its one setting (it cannot import pydantic): the same
# words as ``env_settings`` (tests/judge_server/test_address.py checks they agree).
_ON_WORDS = ("on", "1", "true", "yes", "enabled")
_OFF_WORDS = ("off", "0", "false", "no", "disabled")


def switch(value: str | None, default: bool) -> bool | None:
    """An on/off variable's value as ``env_settings`` reads it; None when it is not valid."""
    if value is None or value == "":
        return default
    word = value.strip().lower()
    return True if word in _ON_WORDS else False if word in _OFF_WORDS else None


def enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``judge`` goes through a judge server. Not for an invalid value: the call is
    then judged in its own process, which reports the bad setting (exit 2)."""
    value = switch((environ if environ is not None else os.environ).get(SERVER_ENV), True)
    return bool(value) and os.name == "posix" and hasattr(socket, "AF_UNIX")


def code_fingerprint() -> str:
    """Names, sizes and modification times of the app's code and of the judge image's sources."""
    digest = hashlib.sha256()
    for root in (_PACKAGE_DIR, _PACKAGE_DIR.parent / "judge", _PACKAGE_DIR / "_bundled" / "judge"):
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "_bundled"))
            for name in sorted(files):
                if name.endswith(".py") or name == "Dockerfile":
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def settings_key(environ: Mapping[str, str] | None = None) -> str:
    environ = environ if environ is not None else os.environ
    settings = {name: value for name, value in environ.items()
                if (name.startswith(_KEY_PREFIXES) or name in _KEY_NAMES)
                and name not in _NOT_IN_KEY}
    document = json.dumps({"protocol": PROTOCOL_VERSION, "python": sys.executable,
                           "code": code_fingerprint(), "settings": settings}, sort_keys=True)
    return hashlib.sha256(document.encode()).hexdigest()[:20]


def _private_dir(path: Path) -> Path:
    """``path`` created with mode 0700, or ServerUnavailable when it is not this user's alone."""
    try:
        path.mkdir(mode=0o700, parents=False, exist_ok=True)
        info = os.lstat(path)
    except OSError as exc:
        raise ServerUnavailable(f"cannot create {path}: {exc.strerror}") from exc
    if not os.path.isdir(path) or os.path.islink(path):
        raise ServerUnavailable(f"{path} is not a directory")
    if info.st_uid != os.getuid():
        raise ServerUnavailable(f"{path} belongs to another user")
    if info.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def runtime_dir(environ: Mapping[str, str] | None = None) -> Path:
    """This user's private directory for server sockets and locks."""
    environ = environ if environ is not None else os.environ
    xdg = environ.get("XDG_RUNTIME_DIR", "")
    if xdg and os.path.isdir(xdg):
        candidate = Path(xdg) / "qa-arena"
        if len(str(candidate)) + 40 <= _MAX_SOCKET_PATH:
            return _private_dir(candidate)
    return _private_dir(Path(tempfile.gettempdir()) / f"qa-arena-{os.getuid()}")


@dataclass(frozen=True)
class Address:
    key: str
    socket: Path  # where the server listens
    lock: Path  # held by the running server for its whole life
    errors: Path  # the server's stderr before its log is set up


def address(environ: Mapping[str, str] | None = None) -> Address:
    folder = runtime_dir(environ)
    key = settings_key(environ)
    return Address(key, folder / f"judge-{key}.sock", folder / f"judge-{key}.lock",
                   folder / f"judge-{key}.err")


def all_sockets(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Every judge server socket of this user (any settings)."""
    return sorted(runtime_dir(environ).glob("judge-*.sock"))
