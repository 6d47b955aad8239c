"""`qa-arena` commands as the judge server tests run them."""

from __future__ import annotations

import json
import subprocess
import sys


def qa(*args: str, env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa_arena_desktop", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def servers(env: dict[str, str]) -> list[dict]:
    completed = qa("server", "status", "--json", env=env)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)
