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

from qa_arena_desktop import __version__

IMAGE_REPOSITORY = "qa-arena-judge"
IMAGE_TAG = f"{IMAGE_REPOSITORY}:{__version__}"
IMAGE_LATEST = f"{IMAGE_REPOSITORY}:latest"
LABEL = "qa-arena-desktop"  # on every image and container the app creates
LABEL_PID = "qa-arena-desktop.pid"
LABEL_HOST = "qa-arena-desktop.host"
LABEL_JUDGE_HASH = "qa-arena-desktop.judge-hash"
LABEL_SESSION = "qa-arena-desktop.session"
SESSION_TAG_ENV = "QA_ARENA_SESSION_TAG"


class JudgeUnavailable(Exception):
    """The judge cannot run (no engine, no image, engine died): never the learner's fault."""

    def __init__(self, message: str, advice: str = "") -> None:
        self.message = message
        self.advice = advice
        super().__init__(f"{message}. {advice}".strip() if advice else message)


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


def connect(timeout: float = 30.0) -> docker.DockerClient:
    """A client for the engine named by ``DOCKER_HOST`` (or the local default), pinged once.

    ``trust_env`` is off: with it, ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` (set on many
    machines for a corporate CA) would replace the engine's TLS CA from ``DOCKER_CERT_PATH``
    and every ``tcp://`` + TLS connection would fail verification.
    """
    try:
        client = docker.from_env(version=API_VERSION, timeout=int(timeout), use_ssh_client=False)
        client.api.trust_env = False
        client.ping()
    except (docker.errors.DockerException, requests.exceptions.ConnectionError) as exc:
        where = os.environ.get("DOCKER_HOST", "the local Docker socket")
        raise JudgeUnavailable(
            f"no Docker engine is reachable at {where} ({_reason(exc)})", start_engine_advice()
        ) from None
    except requests.exceptions.RequestException as exc:
        raise JudgeUnavailable(
            f"the Docker engine did not answer ({_reason(exc)})", start_engine_advice()
        ) from None
    return client


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) < 200 else text[:197] + "..."


@dataclass(frozen=True)
class EngineInfo:
    reachable: bool
    version: str = ""
    api_version: str = ""
    cgroup_version: str = ""
    error: str = ""
    advice: str = ""


def engine_info() -> EngineInfo:
    try:
        client = connect(timeout=10)
    except JudgeUnavailable as exc:
        return EngineInfo(reachable=False, error=exc.message, advice=exc.advice)
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
