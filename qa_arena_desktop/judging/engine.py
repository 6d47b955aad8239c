"""Connecting to the Docker engine, and the errors that mean "the judge cannot run".

Everything the app knows about reaching an engine lives here, so the CLI, the
GUI and the doctor give the same advice.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass

import docker
import docker.errors
import requests.exceptions

from qa_arena_desktop import __version__, env_settings
from qa_arena_desktop.domain.backend import JudgeUnavailable

IMAGE_REPOSITORY = "qa-arena-judge"
IMAGE_TAG = f"{IMAGE_REPOSITORY}:{__version__}"
IMAGE_LATEST = f"{IMAGE_REPOSITORY}:latest"
LABEL = "qa-arena-desktop"  # on every image and container the app creates
LABEL_PID = "qa-arena-desktop.pid"
LABEL_HOST = "qa-arena-desktop.host"
LABEL_JUDGE_HASH = "qa-arena-desktop.judge-hash"
LABEL_SESSION = "qa-arena-desktop.session"
SESSION_TAG_ENV = "QA_ARENA_SESSION_TAG"


def start_engine_advice() -> str:
    system = platform.system()
    if system == "Darwin":
        return "Start Docker Desktop (or colima), then try again"
    if system == "Windows":
        return "Start Docker Desktop, then try again"
    return (
        "Start the Docker engine (e.g. `sudo systemctl start docker`; on a machine without "
        "systemd run `sudo dockerd &`), make sure your user may use it, then try again"
    )


TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    docker.errors.APIError,
)


# A fixed API version (Docker 19.03 and newer): "auto" would contact the engine while the
# client is being built, before ``trust_env`` can be switched off (see connect()).
API_VERSION = "1.40"


HOST_ENV = "DOCKER_HOST"
# Set with DOCKER_HOST by ``--docker-host`` (cli/main.py; also seen by the processes the
# CLI starts), so a message can name the setting the user actually gave.
HOST_OPTION_ENV = "QA_ARENA_DOCKER_HOST_OPTION"


def host_setting() -> str:
    """The setting that names the engine (``DOCKER_HOST`` or ``--docker-host``), or ``""``
    for the local default."""
    value = os.environ.get(HOST_ENV, "")
    if not value:
        return ""
    return ("--docker-host" if env_settings.current().docker_host_option == value
            else HOST_ENV)


def _setting_advice(setting: str) -> str:
    drop = "leave out --docker-host" if setting.startswith("--") else f"unset {HOST_ENV}"
    return (f"{setting} is the cause: start an engine at that address or correct it, "
            f"or {drop} to use the local Docker engine")


def connect(timeout: float = 30.0) -> docker.DockerClient:
    """A client for the engine named by ``DOCKER_HOST`` (or the local default), pinged once.

    ``trust_env`` is off: with it, ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` (set on many
    machines for a corporate CA) would replace the engine's TLS CA from ``DOCKER_CERT_PATH``
    and every ``tcp://`` + TLS connection would fail verification.

    Every failure is a :class:`JudgeUnavailable` in words (never a library's exception
    text); when ``DOCKER_HOST`` or ``--docker-host`` named the engine, the message says
    that this setting is the cause and shows its value.
    """
    setting = host_setting()
    where = os.environ.get(HOST_ENV) or "the local Docker socket"
    cause = f", set by {setting}" if setting else ""
    advice = _setting_advice(setting) if setting else start_engine_advice()
    client: docker.DockerClient | None = None
    try:
        client = docker.from_env(version=API_VERSION, timeout=int(timeout), use_ssh_client=False)
        client.api.trust_env = False
        client.ping()
    except (docker.errors.DockerException, requests.exceptions.ConnectionError,
            ValueError) as exc:
        _close(client)
        raise JudgeUnavailable(
            f"no Docker engine is reachable at {where}{cause} ({reason(exc)})", advice
        ) from None
    except requests.exceptions.RequestException as exc:
        _close(client)
        raise JudgeUnavailable(
            f"the Docker engine at {where}{cause} did not answer ({reason(exc)})", advice
        ) from None
    return client


def _close(client: docker.DockerClient | None) -> None:
    """A client whose engine did not answer: its connection pool goes now, not at exit."""
    if client is not None:
        client.close()


# (what a library's error text says, what the user reads), first match wins
_REASONS = (
    ("connection refused", "connection refused: nothing listens at that address"),
    ("no such file or directory", "no socket file at that path"),
    ("permission denied", "permission denied: your user may not use this engine"),
    ("name or service not known", "host name not found"),
    ("nodename nor servname", "host name not found"),
    ("temporary failure in name resolution", "host name not found"),
    ("failed to resolve", "host name not found"),
    ("timed out", "no answer in time"),
    ("read timeout", "no answer in time"),
    ("port out of range", "the port number is out of range"),
    ("invalid port", "the port number is not valid"),
    ("invalid bind address", "not an engine address: use unix://, tcp://, ssh:// or npipe://"),
    ("url scheme", "not an engine address: use unix://, tcp://, ssh:// or npipe://"),
    ("certificate", "the engine's TLS certificate was not accepted (check DOCKER_CERT_PATH)"),
    ("ssl", "the TLS connection failed (check DOCKER_TLS_VERIFY and DOCKER_CERT_PATH)"),
    ("connection reset", "the engine closed the connection"),
    ("connection aborted", "the connection was cut"),
    ("network is unreachable", "the network is unreachable"),
    ("no route to host", "no route to that host"),
)


def reason(exc: BaseException) -> str:
    """Why a connection failed, in words (a library's exception text is never shown)."""
    chain: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 8:
        chain.append(f"{type(seen).__name__} {seen}".lower())
        seen = seen.__cause__ or seen.__context__
    text = " ".join(chain)
    for needle, words in _REASONS:
        if needle in text:
            return words
    return "the connection failed"


@dataclass(frozen=True)
class EngineInfo:
    reachable: bool
    version: str = ""
    api_version: str = ""
    cgroup_version: str = ""
    error: str = ""
    advice: str = ""
    setting: str = ""  # DOCKER_HOST or --docker-host when one of them named the engine


def engine_info() -> EngineInfo:
    try:
        client = connect(timeout=10)
    except JudgeUnavailable as exc:
        return EngineInfo(reachable=False, error=exc.message, advice=exc.advice,
                          setting=host_setting())
    try:
        version = client.version()
        info = client.info()
        return EngineInfo(
            reachable=True,
            version=str(version.get("Version", "?")),
            api_version=str(version.get("ApiVersion", "?")),
            cgroup_version=str(info.get("CgroupVersion", "?")),
        )
    finally:
        client.close()
