"""The doctor on an engine address that answers nothing: the setting is named, never a traceback.

Real connections to 127.0.0.1 (a port nobody listens on) and to a socket path that does
not exist; nothing is mocked.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from qa_arena_desktop.practice.doctor import check_docker_health
from tests.cli_runner import run_cli

RAW = ("HTTPConnectionPool", "Max retries", "Errno", "Error(", "Traceback", "urllib3",
       "object at 0x", "Caused by")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_in_words(text: str) -> None:
    for raw in RAW:
        assert raw not in text, (raw, text)


@pytest.mark.parametrize("kind", ["tcp", "unix", "port-out-of-range", "scheme"])
def test_an_unreachable_docker_host_is_named_as_the_cause(kind, tmp_path: Path, monkeypatch):
    url = {"tcp": f"tcp://127.0.0.1:{closed_port()}",
           "unix": f"unix://{tmp_path}/no-engine.sock",
           "port-out-of-range": "tcp://127.0.0.1:99999",
           "scheme": "htp://127.0.0.1:2375"}[kind]
    monkeypatch.setenv("DOCKER_HOST", url)
    health = check_docker_health()
    engine = health.engine
    assert not engine.reachable and not health.ready
    assert engine.setting == "DOCKER_HOST"
    assert f"no Docker engine is reachable at {url}, set by DOCKER_HOST (" in engine.error
    assert "DOCKER_HOST is the cause" in engine.advice and "unset DOCKER_HOST" in engine.advice
    expected = {"tcp": "connection refused", "unix": "no socket file at that path",
                "port-out-of-range": "port number is out of range",
                "scheme": "not an engine address"}[kind]
    assert expected in engine.error
    assert_in_words(engine.error + engine.advice + health.summary())
    assert health.summary() == "Docker: not reachable (DOCKER_HOST)"


def _doctor(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "doctor", env=env)


def test_cli_doctor_names_docker_host_or_the_option(tmp_path: Path):
    url = f"tcp://127.0.0.1:{closed_port()}"
    from_env = _doctor(env={"DOCKER_HOST": url})
    assert from_env.returncode == 3
    assert f"reachable at {url}, set by DOCKER_HOST (connection refused" in from_env.stdout
    assert "fix: DOCKER_HOST is the cause" in from_env.stdout
    assert_in_words(from_env.stdout + from_env.stderr)

    socket_url = f"unix://{tmp_path}/none.sock"
    from_option = _doctor("--docker-host", socket_url, env={"DOCKER_HOST": ""})
    assert from_option.returncode == 3
    assert f"reachable at {socket_url}, set by --docker-host (no socket file" in from_option.stdout
    assert "leave out --docker-host" in from_option.stdout
    assert_in_words(from_option.stdout + from_option.stderr)

    bad_port = _doctor("--docker-host", "tcp://127.0.0.1:99999", env={})
    assert bad_port.returncode == 3, bad_port.stderr  # bad setting, not an internal error
    assert "port number is out of range" in bad_port.stdout and "internal error" not in bad_port.stderr
