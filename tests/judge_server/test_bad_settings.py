"""A bad QA_ARENA_* value through the judge server: the server refuses to start on it and
the call says why in one line and exits 2, as judging in-process does (no engine needed)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from qa_arena_desktop.exit_codes import ExitCode
from tests.cli.test_judge_command import run_cli


def test_the_server_refuses_a_bad_setting_and_the_call_exits_2_naming_it(tmp_path):
    runtime = Path(tempfile.mkdtemp(prefix="qa-rt-"))
    try:
        tests = tmp_path / "t.py"
        tests.write_text("def test_a():\n    pass\n")
        env = {"QA_ARENA_JUDGE_SERVER": "on", "XDG_RUNTIME_DIR": str(runtime),
               "QA_ARENA_SERVER_IDLE_S": "never"}
        completed = run_cli("judge", "--problem", "normalize-whitespace", "--tests", str(tests),
                            env=env)
        assert completed.returncode == ExitCode.BAD_INPUT, completed.stderr
        assert completed.stderr == ("qa-arena: QA_ARENA_SERVER_IDLE_S='never' is not a valid "
                                    "setting (allowed: a number of seconds above 0)\n")
        assert not list((runtime / "qa-arena").glob("*.sock"))  # no server is left running
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def test_a_bad_value_of_the_server_switch_itself_is_reported_by_the_in_process_path(tmp_path):
    tests = tmp_path / "t.py"
    tests.write_text("def test_a():\n    pass\n")
    completed = run_cli("judge", "--problem", "normalize-whitespace", "--tests", str(tests),
                        env={"QA_ARENA_JUDGE_SERVER": "sometimes"})
    assert completed.returncode == ExitCode.BAD_INPUT
    assert completed.stderr.startswith("qa-arena: QA_ARENA_JUDGE_SERVER='sometimes' is not")
