"""One ExitCode enum: every meaning its own value, documented, listed in --help."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from qa_arena_desktop.cli.main import build_parser
from qa_arena_desktop.exit_codes import ExitCode
from tests.conftest import REPO


def test_the_contract_values_are_fixed():
    assert (ExitCode.OK, ExitCode.BAD_INPUT, ExitCode.JUDGE_ERROR, ExitCode.CANCELLED) == (
        0, 2, 3, 130)
    assert ExitCode.INTERNAL_ERROR == 1


def test_internal_error_invalid_packs_and_no_display_each_have_their_own_value():
    values = [int(code) for code in ExitCode]
    assert len(values) == len(set(values))
    others = {ExitCode.INTERNAL_ERROR, ExitCode.INVALID_PACKS, ExitCode.NO_DISPLAY}
    assert len({int(code) for code in others}) == 3
    assert not {int(code) for code in others} & {0, 2, 3, 130}


def test_every_code_is_listed_in_the_top_level_help():
    text = build_parser().format_help()
    for code in ExitCode:
        assert re.search(rf"^\s+{int(code)}\s+\S", text, re.MULTILINE), code


def test_every_code_is_documented_in_the_judge_docs():
    table = (REPO / "docs" / "judge.md").read_text(encoding="utf-8")
    section = table.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(value) for value in re.findall(r"^\| `(\d+)` \|", section, re.MULTILINE)}
    assert documented == {int(code) for code in ExitCode}


def test_the_judge_client_gets_its_codes_without_importing_the_cli():
    """A fresh interpreter: this one has imported the CLI already."""
    code = ("import sys, qa_arena_desktop.judge_server.client as c; "
            "print(sorted(m for m in sys.modules if m.startswith('qa_arena_desktop.cli')))")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               cwd=REPO, check=True)
    assert completed.stdout.strip() == "[]"


def test_the_installed_script_hands_the_exit_code_to_the_shell(tmp_path):
    """A real process through the `qa-arena` console script (installed beside this Python):
    the wrapper pip writes must pass main's code on, not 0 or 1."""
    script = Path(sys.executable).parent / "qa-arena"
    assert script.is_file(), f"{script} is missing: install the package (README) first"
    missing = tmp_path / "nope.py"
    completed = subprocess.run([str(script), "judge", "--problem", "clamp", "--tests", str(missing)],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == ExitCode.BAD_INPUT == 2, completed.stderr
    assert completed.stderr == f"qa-arena: test file not found: {missing}\n"
