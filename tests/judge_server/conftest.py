"""Fixtures of the judge server tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.judge_server.server_cli import qa


@pytest.fixture
def server_env(no_leftover_containers, monkeypatch):
    """The judge server switched on, with a private runtime dir; every server stopped after."""
    runtime = Path(tempfile.mkdtemp(prefix="qa-rt-"))
    monkeypatch.setenv("QA_ARENA_JUDGE_SERVER", "on")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("QA_ARENA_SERVER_IDLE_S", "120")
    yield dict(os.environ)
    qa("server", "stop", "--all", env=dict(os.environ))
    shutil.rmtree(runtime, ignore_errors=True)
