"""`qa-arena judge` through the judge server, against a real engine: same verdicts as judging
in-process, live output, bad input, concurrent calls, a server killed mid-run, idle exit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa_arena_desktop import paths
from qa_arena_desktop.packs.loader import load_pack
from tests.judge_server.server_cli import qa, servers

pytestmark = pytest.mark.docker

PROBLEM = "normalize-whitespace"


def first_test_only(source: str) -> str:
    """The reference tests' imports and first test: some mutants survive it."""
    head, *tests = source.split("\ndef test_")
    return head + "\ndef test_" + tests[0]


def verdicts(document: dict) -> dict[str, str]:
    return {m["name"]: m["status"] for m in document["mutants"]}


def test_the_server_judges_like_the_process_itself_and_saves_to_the_same_catalog(
        server_env, tmp_path):
    pack = load_pack(paths.problems_dir() / PROBLEM)
    tests = tmp_path / "my_tests.py"
    tests.write_text(first_test_only(pack.reference_tests))

    served = [qa("judge", "--problem", PROBLEM, "--tests", str(tests), "--json", env=server_env)
              for _ in range(2)]
    local = qa("judge", "--problem", PROBLEM, "--tests", str(tests), "--json", "--no-server",
               env=server_env)

    for completed in (*served, local):
        assert completed.returncode == 0, completed.stderr
    documents = [json.loads(c.stdout) for c in (*served, local)]
    assert {d["status"] for d in documents} == {"SUCCESS"}
    assert verdicts(documents[0]) == verdicts(documents[1]) == verdicts(documents[2])
    assert documents[0]["score"] == documents[2]["score"] < 100  # some mutants survive
    assert len({d["submission_id"] for d in documents}) == 3
    (server,) = servers(server_env)
    assert server["judged"] == 2 and server["data_dir"] == server_env["QA_ARENA_HOME"]
    doctor = qa("doctor", env=server_env)
    assert f"judge server: running (pid {server['pid']}, 2 judged" in doctor.stdout
    listed = json.loads(qa("submissions", "--problem", PROBLEM, "--json", env=server_env).stdout)
    assert {s["id"] for s in listed} == {d["submission_id"] for d in documents}


def test_live_output_and_bad_input_come_back_through_the_server(server_env, tmp_path):
    pack = load_pack(paths.problems_dir() / PROBLEM)
    tests = tmp_path / "my_tests.py"
    tests.write_text(pack.reference_tests)

    live = qa("judge", "--problem", PROBLEM, "--tests", str(tests), env=server_env)
    assert live.returncode == 0, live.stderr
    lines = live.stdout.splitlines()
    assert lines[0] == f"judging {PROBLEM}: golden + {len(pack.mutants)} mutants"
    assert any(line.split()[:2] == ["golden", "PASSED"] for line in lines)
    assert lines[-1].startswith(f"{PROBLEM}: SUCCESS  score 100.0")

    broken = tmp_path / "broken-pack"
    broken.mkdir()
    invalid = qa("judge", "--pack", str(broken), "--tests", str(tests), env=server_env)
    assert invalid.returncode == 2 and "problem.toml: file is missing" in invalid.stderr
    unknown = qa("judge", "--problem", "no-such-problem", "--tests", str(tests), env=server_env)
    assert unknown.returncode == 2 and "no problem with slug 'no-such-problem'" in unknown.stderr
    missing = qa("judge", "--problem", PROBLEM, "--tests", str(tmp_path / "nope.py"),
                 env=server_env)
    assert missing.returncode == 2 and "test file not found" in missing.stderr
    assert invalid.stdout == unknown.stdout == missing.stdout == ""

    huge = tmp_path / "huge_tests.py"
    huge.write_text("x = 1\n" * 500_000)  # 3 MB: read up to the same cap both ways
    messages = []
    for options in ((), ("--no-server",)):
        completed = qa("judge", "--problem", PROBLEM, "--tests", str(huge), "--json", *options,
                       env=server_env)
        assert completed.returncode == 0, completed.stderr
        document = json.loads(completed.stdout)
        assert document["status"] == "FAILURE"
        messages.append(document["message"])
    assert messages[0] == messages[1] and "KiB limit" in messages[0]


def test_calls_at_the_same_time_start_one_server_and_are_each_judged(server_env, tmp_path):
    pack = load_pack(paths.problems_dir() / PROBLEM)
    tests = tmp_path / "my_tests.py"
    tests.write_text(pack.reference_tests)
    processes = [subprocess.Popen(
        [sys.executable, "-m", "qa_arena_desktop", "judge", "--problem", PROBLEM, "--tests",
         str(tests), "--json"], env=server_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True) for _ in range(3)]
    outputs = [process.communicate(timeout=180) for process in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [err for _, err in outputs]
    documents = [json.loads(out) for out, _ in outputs]
    assert [d["score"] for d in documents] == [100.0] * 3
    assert len({d["submission_id"] for d in documents}) == 3
    assert len(servers(server_env)) == 1  # each call started one; the lock let one live


def test_a_server_that_cannot_start_leaves_the_call_to_this_process(server_env, tmp_path):
    home = Path(server_env["QA_ARENA_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "catalog.sqlite3").write_bytes(b"this is not a SQLite file" * 100)
    tests = tmp_path / "my_tests.py"
    tests.write_text("def test_x():\n    pass\n")
    completed = qa("judge", "--problem", PROBLEM, "--tests", str(tests), env=server_env)
    assert "the judge server did not start" in completed.stderr
    assert "judging in this process" in completed.stderr
    assert completed.returncode != 0 and "Traceback" not in completed.stderr
    assert servers(server_env) == []


SLOW = '''import time
from target import normalize_whitespace


def test_slowly():
    time.sleep(0.4)
    assert normalize_whitespace("a  b") == "a b"
'''


def test_a_server_killed_mid_run_fails_the_call_clearly_and_the_next_call_recovers_the_run(
        server_env, tmp_path):
    tests = tmp_path / "slow_tests.py"
    tests.write_text(SLOW)
    qa("server", "start", env=server_env)
    (server,) = servers(server_env)
    process = subprocess.Popen(
        [sys.executable, "-m", "qa_arena_desktop", "judge", "--problem", PROBLEM, "--tests",
         str(tests)], env=server_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    first_line = process.stdout.readline()  # the run has started in the server
    assert first_line.startswith(f"judging {PROBLEM}")
    os.kill(server["pid"], signal.SIGKILL)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 3
    assert "the judge server stopped during the run" in err

    again = qa("judge", "--problem", PROBLEM, "--tests", str(tests), "--json", env=server_env)
    assert again.returncode == 0, again.stderr
    (restarted,) = servers(server_env)
    assert restarted["pid"] != server["pid"]
    listed = json.loads(qa("submissions", "--problem", PROBLEM, "--json", env=server_env).stdout)
    assert len(listed) == 2
    assert {s["status"] for s in listed} == {"SUCCESS"}  # the killed run was judged again


def test_ctrl_c_stops_waiting_but_the_run_is_finished_and_saved(server_env, tmp_path):
    tests = tmp_path / "slow_tests.py"
    tests.write_text(SLOW)
    process = subprocess.Popen(
        [sys.executable, "-m", "qa_arena_desktop", "judge", "--problem", PROBLEM, "--tests",
         str(tests)], env=server_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().startswith(f"judging {PROBLEM}")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "the judge server finishes this run and saves it" in err
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        listed = json.loads(qa("submissions", "--problem", PROBLEM, "--json",
                               env=server_env).stdout)
        if listed and listed[0]["status"] not in ("PENDING", "RUNNING"):
            break
        time.sleep(0.3)
    assert [s["status"] for s in listed] == ["SUCCESS"]


def test_a_call_that_arrives_as_the_server_stops_is_still_judged(server_env, tmp_path):
    """Stopping and a new call race: the call is served by the old server or a new one,
    never dropped and never left waiting for a server that will not come."""
    from qa_arena_desktop.cli.server_cmd import _ask
    from qa_arena_desktop.judge_server import address

    tests = tmp_path / "my_tests.py"
    tests.write_text("from target import normalize_whitespace\n\ndef test_x():\n"
                     "    assert normalize_whitespace(' a ') == 'a'\n")
    socket_path = address.address(server_env).socket
    for delay in (0.0, 0.3, 0.6, 0.9):  # before, during and after the old server lets go
        qa("server", "start", env=server_env)
        _ask(socket_path, "stop")
        time.sleep(delay)
        started = time.monotonic()
        completed = qa("judge", "--problem", PROBLEM, "--tests", str(tests), "--json",
                       env=server_env)
        assert completed.returncode == 0, completed.stderr
        assert json.loads(completed.stdout)["status"] == "SUCCESS"
        assert time.monotonic() - started < 30


def test_an_idle_server_exits_and_removes_its_containers(server_env, tmp_path):
    env = {**server_env, "QA_ARENA_SERVER_IDLE_S": "2"}
    pack = load_pack(paths.problems_dir() / PROBLEM)
    tests = tmp_path / "my_tests.py"
    tests.write_text(pack.reference_tests)
    assert qa("judge", "--problem", PROBLEM, "--tests", str(tests), "--json",
              env=env).returncode == 0
    deadline = time.monotonic() + 60
    while servers(env) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert servers(env) == []
    # no_leftover_containers checks that its warm containers went with it


def test_a_data_folder_reset_while_the_server_waits_is_where_the_next_run_is_saved(
        server_env, tmp_path):
    """A server holds its catalog open between calls; when the data folder is deleted
    under it (a reset, a fresh start), the next call's submission must go to the new
    catalog, where `submissions` and the app see it, not into the deleted file."""
    import shutil

    tests = tmp_path / "my_tests.py"
    tests.write_text(first_test_only(load_pack(paths.problems_dir() / PROBLEM).reference_tests))
    first = qa("judge", "--problem", PROBLEM, "--tests", str(tests), "--json", env=server_env)
    assert first.returncode == 0, first.stderr
    (server,) = servers(server_env)

    shutil.rmtree(server_env["QA_ARENA_HOME"])
    second = qa("judge", "--problem", PROBLEM, "--tests", str(tests), "--json", env=server_env)
    assert second.returncode == 0, second.stderr
    assert [s["pid"] for s in servers(server_env)] == [server["pid"]]  # the same server

    listed = json.loads(qa("submissions", "--problem", PROBLEM, "--json", env=server_env).stdout)
    assert [s["id"] for s in listed] == [json.loads(second.stdout)["submission_id"]]
