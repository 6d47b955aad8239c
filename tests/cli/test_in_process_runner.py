"""`tests/cli_runner.py`: a call in this process reads like a real run and leaves no trace."""

from __future__ import annotations

import os

from qa_arena_desktop.exit_codes import ExitCode
from tests.cli_runner import run_cli, run_cli_process


def test_in_process_and_real_runs_agree_on_a_usage_error():
    """One real process, to compare against: argparse's SystemExit becomes the same code."""
    real = run_cli_process("judge", "--tests")
    here = run_cli("judge", "--tests")
    assert (here.returncode, here.stdout, here.stderr) == (real.returncode, real.stdout, real.stderr)
    assert here.returncode == 2 and "--tests: expected one argument" in here.stderr


def test_help_exits_0_with_the_text_on_stdout():
    completed = run_cli("--help")
    assert completed.returncode == 0 and "exit codes:" in completed.stdout
    assert completed.stderr == ""


def test_an_in_process_run_leaves_the_environment_as_it_was(tmp_path, monkeypatch):
    for name in ("DOCKER_HOST", "QA_ARENA_DOCKER_HOST_OPTION", "QA_ARENA_SHARDS"):
        monkeypatch.delenv(name, raising=False)
    socket_url = f"unix://{tmp_path}/none.sock"
    completed = run_cli("--docker-host", socket_url, "doctor", env={"QA_ARENA_SHARDS": "1"})
    assert completed.returncode == ExitCode.JUDGE_ERROR  # it ran with the option...
    assert f"reachable at {socket_url}, set by --docker-host" in completed.stdout
    # ...and what main set (DOCKER_HOST) and what the call added are gone again
    assert "DOCKER_HOST" not in os.environ and "QA_ARENA_DOCKER_HOST_OPTION" not in os.environ
    assert "QA_ARENA_SHARDS" not in os.environ
