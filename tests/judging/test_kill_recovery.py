"""The kill test (tools/kill_test.py) in a few rounds: SIGKILL mid-run, restart, invariants hold."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "kill_test.py"


@pytest.mark.docker
def test_sigkill_at_random_moments_leaves_one_terminal_state_no_duplicates_no_orphans():
    completed = subprocess.run([sys.executable, str(TOOL), "--rounds", "3", "--seed", "7",
                                "--json"], capture_output=True, text=True, timeout=600)
    summary = json.loads(completed.stdout)
    assert summary["failures"] == [], summary
    assert summary["duplicates"] == 0 and summary["orphan_containers"] == 0
    assert summary["killed_while_running"] >= 1
    assert completed.returncode == 0
