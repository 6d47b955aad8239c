#!/usr/bin/env python3
"""Kill test: SIGKILL the judging process at random moments, restart it, check the invariants.

Each round starts ``qa-arena judge`` on a bundled problem with a slow-ish test file,
kills it with SIGKILL after a random delay, then runs the judge again (the restart,
which recovers what the killed one left) and lets it finish. After every restart:

* every submission is in exactly one terminal state (SUCCESS, FAILURE or ERROR);
* no (submission, mutant) result exists twice, and a SUCCESS has one result per mutant;
* no judge container of this test's session tag is left;
* the learner's draft file is byte-for-byte intact.

Usage: python tools/kill_test.py [--rounds 20] [--seed N] [--json]
Exit code 0 when every round held, 1 otherwise. Needs a Docker engine and the judge image.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PROBLEM = "normalize-whitespace"
SLOW_TESTS = '''import time
from target import normalize_whitespace


def test_inner():
    time.sleep(0.05)
    assert normalize_whitespace("a  b") == "a b"


def test_leading():
    time.sleep(0.05)
    assert normalize_whitespace("  a") == "a"


def test_trailing():
    time.sleep(0.05)
    assert normalize_whitespace("a \\t\\n") == "a"
'''


def judge(env: dict[str, str], tests: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "qa_arena_desktop", "judge", "--problem", PROBLEM, "--tests",
         str(tests), "--json"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def containers_with_tag(tag: str) -> list[str]:
    import docker

    client = docker.from_env()
    try:
        return [c.short_id for c in client.containers.list(
            all=True, filters={"label": f"qa-arena-desktop.session={tag}"})]
    finally:
        client.close()


def check(db: Path, draft: Path, draft_digest: str, tag: str) -> list[str]:
    problems = []
    connection = sqlite3.connect(db)
    try:
        open_rows = connection.execute(
            "SELECT id, status FROM submissions WHERE status NOT IN "
            "('SUCCESS', 'FAILURE', 'ERROR')").fetchall()
        if open_rows:
            problems.append(f"submissions not terminal: {open_rows}")
        duplicates = connection.execute(
            "SELECT submission_id, mutant_name, COUNT(*) FROM mutant_results "
            "GROUP BY submission_id, mutant_name HAVING COUNT(*) > 1").fetchall()
        if duplicates:
            problems.append(f"duplicate results: {duplicates}")
        incomplete = connection.execute(
            "SELECT s.id, s.total_mutants, COUNT(r.id) FROM submissions s LEFT JOIN "
            "mutant_results r ON r.submission_id = s.id WHERE s.status = 'SUCCESS' "
            "GROUP BY s.id HAVING COUNT(r.id) != s.total_mutants").fetchall()
        if incomplete:
            problems.append(f"SUCCESS without one result per mutant: {incomplete}")
    finally:
        connection.close()
    leftovers = containers_with_tag(tag)
    if leftovers:
        problems.append(f"orphan containers: {leftovers}")
    if hashlib.sha256(draft.read_bytes()).hexdigest() != draft_digest:
        problems.append("the draft changed")
    return problems


def run(rounds: int, seed: int) -> dict:
    rng = random.Random(seed)
    home = Path(tempfile.mkdtemp(prefix="qa-arena-kill-"))
    tag = f"kill-{uuid.uuid4().hex[:10]}"
    # The process that judges is the one killed: `qa-arena judge` itself, not a judge server
    # (tests/judge_server/test_judge_server.py kills a server mid-run).
    env = {**os.environ, "QA_ARENA_HOME": str(home), "QA_ARENA_SESSION_TAG": tag,
           "QA_ARENA_JUDGE_SERVER": "off"}
    tests = home / "test_slow.py"
    tests.write_text(SLOW_TESTS)
    draft = home / "drafts" / f"{PROBLEM}.py"
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.write_text("# my unfinished tests\nfrom target import normalize_whitespace\n")
    draft_digest = hashlib.sha256(draft.read_bytes()).hexdigest()
    # warm: the catalog exists and the limits probe is cached before the first kill
    subprocess.run([sys.executable, "-m", "qa_arena_desktop", "judge", "--problem", PROBLEM,
                    "--tests", str(tests), "--json"], env=env, capture_output=True, check=True)
    summary: dict = {"rounds": rounds, "seed": seed, "killed_while_running": 0,
                     "recovered_rerun": 0, "recovered_interrupted": 0, "failures": []}
    for number in range(1, rounds + 1):
        process = judge(env, tests)
        time.sleep(rng.uniform(0.05, 2.0))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            summary["killed_while_running"] += 1
        process.wait()
        restart = subprocess.run(
            [sys.executable, "-m", "qa_arena_desktop", "judge", "--problem", PROBLEM, "--tests",
             str(tests), "--json"], env=env, capture_output=True, text=True, timeout=300,
        )
        if restart.returncode not in (0, 3) or "Traceback" in restart.stderr:
            summary["failures"].append(f"round {number}: restart failed: {restart.stderr[-500:]}")
        problems = check(home / "catalog.sqlite3", draft, draft_digest, tag)
        summary["failures"] += [f"round {number}: {p}" for p in problems]
    connection = sqlite3.connect(home / "catalog.sqlite3")
    summary["recovered_rerun"] = connection.execute(
        "SELECT COUNT(*) FROM submissions WHERE attempts >= 2 AND status != 'ERROR'").fetchone()[0]
    summary["recovered_interrupted"] = connection.execute(
        "SELECT COUNT(*) FROM submissions WHERE message LIKE 'interrupted:%'").fetchone()[0]
    summary["submissions"] = connection.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    summary["duplicates"] = connection.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM mutant_results GROUP BY submission_id, mutant_name "
        "HAVING COUNT(*) > 1)").fetchone()[0]
    summary["orphan_containers"] = len(containers_with_tag(tag))
    connection.close()
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    summary = run(args.rounds, args.seed)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for key, value in summary.items():
            if key != "failures":
                print(f"{key}: {value}")
        for failure in summary["failures"]:
            print(f"FAIL {failure}")
    return 0 if not summary["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
