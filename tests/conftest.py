"""Shared fixtures: an isolated data dir per test, and a real Docker engine for `docker` tests.

Tests marked ``@pytest.mark.docker`` need a reachable engine and the judge image.
Locally they skip when no engine answers; under ``CI=true`` that is a failure.
A missing or stale judge image is built once per session (offline path included).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own QA_ARENA_HOME (SQLite file, drafts, logs, settings)."""
    home = tmp_path / "qa-arena-home"
    monkeypatch.setenv("QA_ARENA_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # `qa-arena judge` judges in its own process unless a test is about the judge server.
    monkeypatch.setenv("QA_ARENA_JUDGE_SERVER", "off")
    return home


@pytest.fixture(scope="session")
def judge_image() -> Iterator[None]:
    """A reachable engine with a current judge image, or skip (fail under CI)."""
    from qa_arena_desktop.domain.backend import JudgeUnavailable
    from qa_arena_desktop.judging import engine
    from qa_arena_desktop.judging.image import build_image, image_status

    try:
        client = engine.connect(timeout=10)
    except JudgeUnavailable as exc:
        message = f"Docker engine not reachable: {exc}"
        if IN_CI:
            pytest.fail(message + " (CI=true: Docker tests must run, not skip)")
        pytest.skip(message)
    try:
        if image_status(client).problem:
            build_image(client, lambda _line: None)
        yield
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _docker_marker(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("docker") is not None:
        request.getfixturevalue("judge_image")


@pytest.fixture
def no_leftover_containers(judge_image: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Assert that the test leaves no judge container behind.

    The test's containers (its own process's and its subprocesses') carry a unique
    session tag, so other programs using the same engine at the same time do not count.
    """
    import uuid

    import docker

    from qa_arena_desktop.judging.engine import LABEL_SESSION, SESSION_TAG_ENV

    tag = f"test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(SESSION_TAG_ENV, tag)
    yield
    # Containers are removed in the background once a run is over; give that a moment.
    client = docker.from_env()
    deadline = time.monotonic() + 20
    while True:
        # the low-level list: no per-container inspect racing a removal in progress
        left = [c["Id"][:12] for c in client.api.containers(
            all=True, filters={"label": f"{LABEL_SESSION}={tag}"})]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    client.close()
    assert left == [], f"judge containers were left behind: {left}"
