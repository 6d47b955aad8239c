"""`qa-arena judge` as a user runs it: exit codes, JSON contract, and every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import run_cli  # in this process; other CLI tests import it from here
from tests.packs.factory import manifest, write_pack


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    text = manifest().replace("time_limit_s = 5", "time_limit_s = 2")
    from tests.packs.factory import MUTANTS

    return write_pack(tmp_path / "packs", toml=text, mutants=MUTANTS)


def write_tests(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "test_mine.py"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def judge_json(pack: Path, tests: Path) -> tuple[int, dict, str]:
    completed = run_cli("judge", "--pack", str(pack), "--tests", str(tests), "--json")
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed.returncode, json.loads(completed.stdout), completed.stderr


# ---- usage errors: exit 2, no judge run --------------------------------------------------------


def test_missing_test_file_is_a_usage_error(tmp_path, pack):
    completed = run_cli("judge", "--pack", str(pack), "--tests", str(tmp_path / "nope.py"))
    assert completed.returncode == 2
    assert completed.stderr.strip() == f"qa-arena: test file not found: {tmp_path / 'nope.py'}"


def test_unknown_problem_slug_is_a_usage_error(tmp_path):
    tests = write_tests(tmp_path, "def test_a():\n    pass\n")
    completed = run_cli("judge", "--problem", "no-such-problem", "--tests", str(tests))
    assert completed.returncode == 2
    assert "no problem with slug 'no-such-problem'" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_pack_with_missing_files_is_a_usage_error_listing_them(tmp_path, pack):
    (pack / "golden.py").unlink()
    tests = write_tests(tmp_path, "def test_a():\n    pass\n")
    completed = run_cli("judge", "--pack", str(pack), "--tests", str(tests))
    assert completed.returncode == 2
    assert "golden.py: golden: file is missing" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_no_engine_is_one_clear_line_and_exit_3(tmp_path, pack):
    tests = write_tests(tmp_path, "def test_a():\n    pass\n")
    completed = run_cli("judge", "--pack", str(pack), "--tests", str(tests),
                        env={"DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock"})
    assert completed.returncode == 3
    assert "Traceback" not in completed.stderr
    assert "no Docker engine is reachable" in completed.stderr
    # DOCKER_HOST named the engine: the advice is about that setting (issue 13 item 19)
    assert "DOCKER_HOST is the cause: start an engine at that address" in completed.stderr


def test_no_engine_with_json_still_prints_one_error_object(tmp_path, pack):
    tests = write_tests(tmp_path, "def test_a():\n    pass\n")
    completed = run_cli("judge", "--pack", str(pack), "--tests", str(tests), "--json",
                        env={"DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock"})
    assert completed.returncode == 3
    result = json.loads(completed.stdout)
    assert result["status"] == "ERROR" and result["score"] == 0.0
    assert "no Docker engine is reachable" in result["message"]


# ---- the learner's file is wrong: FAILURE with a clear message, exit 0 ---------------------------

HOST_CHECKED = [
    ("empty", "", "your test file is empty"),
    ("syntax-error", "def test_a(:\n    pass\n", "syntax error in your tests at line 1"),
    ("no-tests", "def helper():\n    return 1\n", "no test functions found"),
    ("not-utf8", b"def test_a():\n    assert '\xe9'\n", "not valid UTF-8"),
    ("too-big", "def test_a():\n    pass\n" + "#" * 300_000, "over the 256 KiB limit"),
]


@pytest.mark.parametrize(("case", "content", "expected"), HOST_CHECKED,
                         ids=[c[0] for c in HOST_CHECKED])
def test_files_refused_before_any_container(tmp_path, pack, case, content, expected):
    code, result, _ = judge_json(pack, write_tests(tmp_path, content))
    assert code == 0
    assert result["status"] == "FAILURE" and result["score"] == 0.0
    assert expected in result["message"]


IN_CONTAINER = [
    ("sys-exit", "import sys\n\ndef test_a():\n    sys.exit(3)\n",
     "test_a failed on the correct implementation: SystemExit: 3"),
    ("os-exit", "import os\n\ndef test_a():\n    os._exit(0)\n",
     "your tests crashed the test process"),
    ("missing-module", "import numpy\n\ndef test_a():\n    pass\n",
     "No module named 'numpy'"),
    ("endless-loop", "def test_a():\n    while True:\n        pass\n",
     "time limit of 2 s"),
    ("memory-bomb", "def test_a():\n    blocks = []\n    while True:\n"
                    "        blocks.append(bytearray(50_000_000))\n", "memory limit"),
    ("fork-bomb", "import os\n\ndef test_a():\n    while True:\n        try:\n"
                  "            os.fork()\n        except OSError:\n            pass\n",
     "time limit of 2 s"),
]


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
@pytest.mark.parametrize(("case", "content", "expected"), IN_CONTAINER,
                         ids=[c[0] for c in IN_CONTAINER])
def test_hostile_or_broken_tests_give_failure_without_hanging(tmp_path, pack, case, content,
                                                              expected):
    code, result, _ = judge_json(pack, write_tests(tmp_path, content))
    assert code == 0
    assert result["status"] == "FAILURE", result
    assert expected in result["message"]


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_fifty_megabytes_of_output_do_not_break_the_run(tmp_path, pack):
    content = ("from target import add_one\n\ndef test_a():\n"
               "    for _ in range(50):\n        print('x' * 1_000_000)\n"
               "    assert add_one(1) == 2\n")
    code, result, _ = judge_json(pack, write_tests(tmp_path, content))
    assert code == 0
    assert result["status"] == "SUCCESS"
    assert result["golden"]["outcome"] == "passed"


@pytest.mark.docker
def test_json_output_has_the_documented_shape(tmp_path, pack):
    tests = write_tests(tmp_path, (pack / "reference_tests.py").read_text())
    code, result, _ = judge_json(pack, tests)
    assert code == 0
    assert set(result) >= {"submission_id", "problem", "status", "score", "killed_mutants",
                           "total_mutants", "kill_ratio", "message", "flags", "golden", "mutants"}
    assert result["golden"].keys() >= {"outcome", "duration_ms", "failed_tests"}
    assert result["mutants"][0].keys() >= {"name", "weight", "status", "duration_ms",
                                           "killed_by", "message"}
    assert result["score"] == 100.0


@pytest.mark.docker
def test_human_output_shows_each_verdict_and_a_summary(tmp_path, pack):
    tests = write_tests(tmp_path, "from target import add_one\n\ndef test_zero():\n"
                                  "    assert add_one(0) == 1\n")
    completed = run_cli("judge", "--pack", str(pack), "--tests", str(tests))
    assert completed.returncode == 0
    lines = completed.stdout.splitlines()
    assert lines[0] == "judging add-one: golden + 2 mutants"
    assert any(line.split()[:2] == ["returns-same", "KILLED"] for line in lines)
    assert lines[-1] == "add-one: SUCCESS  score 100.0  (2/2 mutants killed)"


def test_problems_list_json_has_the_documented_fields():
    completed = run_cli("problems", "list", "--json")
    assert completed.returncode == 0
    problems = json.loads(completed.stdout)
    assert problems, "the bundled catalog is empty"
    assert set(problems[0]) >= {"slug", "title", "difficulty", "mutants", "best_score",
                                "chapter"}
    assert "normalize-whitespace" in {p["slug"] for p in problems}
    chapters = {p["slug"]: p["chapter"] for p in problems}
    assert chapters["clamp"] == "boundaries" and chapters["lru-cache"] == "state"


def test_problems_list_prints_the_learning_path():
    completed = run_cli("problems", "list")
    assert completed.returncode == 0
    lines = completed.stdout.splitlines()
    start = lines.index("learning path:")
    assert lines[start + 1].startswith("  1. Boundaries: 0 of ")
    assert lines[start + 7].startswith("  7. Properties")


@pytest.mark.docker
def test_submissions_json_lists_what_was_judged(tmp_path, pack):
    tests = write_tests(tmp_path, "def test_a():\n    pass\n")
    judge_json(pack, tests)
    completed = run_cli("submissions", "--problem", "add-one", "--json")
    [row] = json.loads(completed.stdout)
    assert row["status"] == "SUCCESS" and row["score"] == 30.0
    assert set(row) >= {"id", "problem", "status", "score", "killed_mutants", "total_mutants",
                        "created_at", "finished_at"}


@pytest.mark.docker
def test_ctrl_c_cancels_the_run_which_ends_cancelled_with_exit_130(tmp_path, pack,
                                                                  no_leftover_containers):
    """A real process: Ctrl+C is a signal to the process, and the handler is its main thread's."""
    import signal
    import time

    tests = write_tests(tmp_path, "from target import add_one\n\ndef test_slow():\n"
                                  "    while True:\n        pass\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "qa_arena_desktop", "judge", "--no-server", "--pack", str(pack),
         "--tests", str(tests)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    first = process.stdout.readline()  # "judging add-one: golden + 5 mutants": under way
    assert first.startswith("judging add-one"), first
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err, err
    assert "CANCELLED" in out
    completed = run_cli("submissions", "--problem", "add-one", "--json")
    [row] = json.loads(completed.stdout)
    assert row["status"] == "CANCELLED"


def test_a_reader_closing_the_pipe_ends_the_listing_quietly():
    """A real process and a real pipe: only a closed pipe raises BrokenPipeError."""
    completed = subprocess.run(
        f"{sys.executable} -m qa_arena_desktop problems list | head -1", shell=True,
        capture_output=True, text=True, timeout=120)
    assert completed.stdout.strip()
    assert "BrokenPipe" not in completed.stderr and "internal error" not in completed.stderr, \
        completed.stderr
