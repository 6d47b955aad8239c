"""Distributed grading for real: redis-server, several ``qa-arena worker`` processes, the engine.

One class of 40 files is graded locally once (module fixture); then two workers
grade it through the broker and every row, bug by bug, must be the same; then the
same again while workers are SIGKILLed ten times; then a poison file that kills
its worker each time must end as a dead letter while the rest is graded; and a
pickled message planted on the broker must never be unpickled by a worker. The
figures (time, kills, redeliveries) are printed for docs/classroom.md.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.classroom.fakes import MUTANTS
from tests.classroom.poison_worker import POISON_MARK
from tests.classroom.redis_lab import WorkerPool, qa_arena, redis_server
from tests.conftest import REPO
from tests.packs.factory import manifest, write_pack

pytestmark = [pytest.mark.docker, pytest.mark.redis]

# Each file is judged in one container, golden first, locally and on the workers alike. With
# more containers per file, a FAILURE's mutant list holds whichever verdicts came in before
# golden's failure stopped the run: the score and counts are the same, that list is not.
SAME_LAYOUT = {"QA_ARENA_SHARDS": "1"}

TEMPLATES = {  # what each kind of student writes; {n} makes every file's bytes unique
    "all": "from target import add_one\n\ndef test_zero():\n    assert add_one(0) == 1  # {n}\n",
    "one": "from target import add_one\n\ndef test_zero():\n    assert add_one(0) != 0  # {n}\n",
    "two": "from target import add_one\n\ndef test_one():\n    assert add_one(1) > 1  # {n}\n",
    "none": "from target import add_one\n\ndef test_type():\n    assert isinstance(add_one(3), int)  # {n}\n",
    "wrong": "from target import add_one\n\ndef test_zero():\n    assert add_one(0) == 2  # {n}\n",
    "syntax": "def test_a(:  # {n}\n    pass\n",
    "empty": "# {n}: no tests at all\n",
    # Hostile: writes to a host path when imported. It may only ever run in the sandbox.
    "writes": ("import pathlib\npathlib.Path({marker!r}).parent.mkdir(parents=True, exist_ok=True)\n"
               "pathlib.Path({marker!r}).write_text('ran on the host')\n"
               "from target import add_one\n\ndef test_zero():\n    assert add_one(0) == 1  # {n}\n"),
}


def write_class(folder: Path, size: int, marker: Path) -> list[str]:
    folder.mkdir(parents=True)
    kinds = list(TEMPLATES)
    names = []
    for n in range(size):
        kind = kinds[n % len(kinds)]
        name = f"student{n:02}_{kind}.py"
        (folder / name).write_text(TEMPLATES[kind].format(n=n, marker=str(marker)))
        names.append(name)
    return names


def students(report: Path) -> dict[str, dict[str, Any]]:
    """Per file name: everything the JSON report says about it except ids and timings."""
    found = {}
    for entry in json.loads(report.read_text())["students"]:
        entry = dict(entry)
        name = Path(entry.pop("file")).name
        entry.pop("submission_id")
        entry["mte_report"] = entry["mte_report"] and Path(entry["mte_report"]).name
        if entry["golden"]:
            entry["golden"].pop("duration_ms", None)
        for mutant in entry["mutants"]:
            for timing in ("duration_ms", "budget_ms", "rechecked"):  # from golden's run time
                mutant.pop(timing, None)
        found[name] = entry
    return found


def mte_reports(folder: Path) -> dict[str, Any]:
    """The mutation-testing-elements reports, without submission ids and durations."""
    reports = {}
    for path in sorted(folder.glob("*.json")):
        report = json.loads(path.read_text())
        report["config"].pop("submission_id")
        for mutant in report["files"]["target.py"]["mutants"]:
            mutant.pop("duration", None)
        reports[path.name] = report
    return reports


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, judge_image: None) -> Any:
    root = tmp_path_factory.mktemp("lab")
    pack = write_pack(root / "packs", toml=manifest(mutants=MUTANTS).replace(
        "time_limit_s = 5", "time_limit_s = 3"), mutants=MUTANTS)
    marker = root / "host-marker" / "written.txt"
    names = write_class(root / "class", 40, marker)
    env = {**os.environ, **SAME_LAYOUT, "QA_ARENA_HOME": str(root / "instructor")}
    started = time.monotonic()
    local = qa_arena("grade", "--pack", str(pack), str(root / "class"), "--out",
                     str(root / "local.json"), env=env)
    assert local.returncode == 0, local.stderr
    print(f"\nlocal grade of 40 files: {time.monotonic() - started:.1f} s")
    with redis_server(root / "redis") as url:
        yield {"root": root, "pack": pack, "names": names, "marker": marker, "url": url,
               "local": students(root / "local.json"), "env": env}


def flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def run_keys(url: str) -> dict[str, Any]:
    """The one run's done hash and attempts, read straight from Redis."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        [done_key] = client.keys("qa-arena:run:*:done")
        run = done_key.decode().rsplit(":", 1)[0]
        return {"done": {k.decode(): v.decode() for k, v in client.hgetall(done_key).items()},
                "attempts": {k.decode(): int(v) for k, v in client.hgetall(run + ":attempts").items()},
                "events_left": client.llen(run + ":events"),
                "dead": [json.loads(d) for d in client.lrange(run + ":dead", 0, -1)]}
    finally:
        client.close()


def grade_command(lab: dict[str, Any], out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "qa_arena_desktop", "grade", "--pack", str(lab["pack"]),
            str(lab["root"] / "class"), "--out", str(out), "--broker", lab["url"], *extra]


def test_two_workers_grade_the_class_exactly_as_a_local_grade(lab, tmp_path, no_leftover_containers):
    flush(lab["url"])
    workers = WorkerPool(lab["url"], tmp_path / "workers", count=2, concurrency=1,
                         env=SAME_LAYOUT)
    try:
        started = time.monotonic()
        out = tmp_path / "distributed.json"
        completed = subprocess.run(grade_command(lab, out), capture_output=True, text=True,
                                   timeout=600, env=lab["env"], cwd=REPO)
        elapsed = time.monotonic() - started
    finally:
        workers.stop()
    assert completed.returncode == 0, completed.stderr + workers.logs()
    assert "through the broker at redis://127.0.0.1:" in completed.stderr
    distributed = students(out)
    assert list(distributed) == lab["names"]
    for name in lab["names"]:
        assert distributed[name] == lab["local"][name], name
    keys = run_keys(lab["url"])
    assert len(keys["done"]) == 40 and set(keys["done"].values()) == {"result"}
    assert keys["events_left"] == 0 and keys["dead"] == []
    assert not lab["marker"].exists(), "a student's file ran outside the sandbox"
    again = subprocess.run(grade_command(lab, out), capture_output=True, text=True, timeout=120,
                           env=lab["env"], cwd=REPO)  # resumable as a local run: nothing to judge
    assert again.returncode == 0 and "(0 judged, 40 unchanged)" in again.stdout, again.stderr
    assert students(out) == distributed
    local_mte = mte_reports(lab["root"] / "local-mte")
    assert len(local_mte) > 20 and mte_reports(tmp_path / "distributed-mte") == local_mte
    print(f"\n2 workers x 1, 40 files through the broker: {elapsed:.1f} s")


def test_killing_workers_at_random_loses_no_file_and_makes_no_second_result(
        lab, tmp_path, no_leftover_containers):
    flush(lab["url"])
    rng = random.Random(16)
    workers = WorkerPool(lab["url"], tmp_path / "workers", count=2, concurrency=1,
                         env=SAME_LAYOUT)
    out = tmp_path / "killed.json"
    started = time.monotonic()
    grade = subprocess.Popen(grade_command(lab, out, "--max-attempts", "15"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=lab["env"], cwd=REPO)
    try:
        while workers.kills < 10 and grade.poll() is None:
            workers.kill_random(rng, wait_for_judging_s=10)  # a worker caught mid-file
            time.sleep(rng.uniform(0.3, 1.2))
        stdout, stderr = grade.communicate(timeout=600)
    finally:
        if grade.poll() is None:
            grade.kill()
        workers.stop()
    elapsed = time.monotonic() - started
    assert workers.kills == 10, f"grading ended after {workers.kills} kills: too fast to test"
    assert grade.returncode == 0, stderr + workers.logs()
    distributed = students(out)
    assert list(distributed) == lab["names"]
    for name in lab["names"]:
        assert distributed[name] == lab["local"][name], name
    keys = run_keys(lab["url"])
    assert len(keys["done"]) == 40 and set(keys["done"].values()) == {"result"}
    assert keys["events_left"] == 0 and keys["dead"] == []
    assert "ignored" not in stderr, stderr  # no second completion ever reached grade
    redelivered = sum(n - 1 for n in keys["attempts"].values())
    assert workers.caught_judging >= 5 and redelivered >= 5, "the kills missed the files in flight"
    print(f"\nworker kill test: 10 SIGKILLs ({workers.caught_judging} caught judging), "
          f"{redelivered} judging(s) redelivered, "
          f"40/40 files with one result each, {elapsed:.1f} s")


def test_a_poison_file_ends_as_a_dead_letter_and_the_rest_is_graded(tmp_path, lab, no_leftover_containers):
    flush(lab["url"])
    folder = tmp_path / "class"
    folder.mkdir()
    for name in lab["names"][:5]:
        (folder / name).write_bytes((lab["root"] / "class" / name).read_bytes())
    (folder / "mallory.py").write_bytes(
        b"# " + POISON_MARK + b"\nfrom target import add_one\n\ndef test_zero():\n"
        b"    assert add_one(0) == 1\n")
    workers = WorkerPool(lab["url"], tmp_path / "workers", count=2, concurrency=1, poison=True,
                         env=SAME_LAYOUT)
    out = tmp_path / "poison.csv"
    started = time.monotonic()
    grade = subprocess.Popen(
        [sys.executable, "-m", "qa_arena_desktop", "grade", "--pack", str(lab["pack"]), str(folder),
         "--out", str(out), "--broker", lab["url"]],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=lab["env"], cwd=REPO)
    try:
        while grade.poll() is None:  # a supervisor: start again whatever the poison killed
            workers.revive()
            time.sleep(0.5)
        stdout, stderr = grade.communicate(timeout=30)
    finally:
        if grade.poll() is None:
            grade.kill()
        workers.stop()
    elapsed = time.monotonic() - started
    assert grade.returncode == 0, stderr + workers.logs()
    import csv

    with out.open(newline="") as handle:
        rows = {Path(r["file"]).name: r for r in csv.DictReader(handle)}
    assert len(rows) == 6
    assert rows["mallory.py"]["status"] == "ERROR"
    assert "dead letter" in rows["mallory.py"]["message"]
    assert "the worker stopped while judging it" in rows["mallory.py"]["message"]
    assert "gave up after 3 attempt(s)" in rows["mallory.py"]["message"]
    for name in lab["names"][:5]:
        local = lab["local"][name]
        assert (rows[name]["status"], float(rows[name]["score"])) == (local["status"], local["score"])
    dead_lines = [line for line in stderr.splitlines() if line.startswith("qa-arena: dead letter: ")]
    assert len(dead_lines) == 1 and "mallory.py" in dead_lines[0], stderr
    keys = run_keys(lab["url"])
    [dead] = keys["dead"]
    assert dead["kind"] == "dead-letter" and dead["attempts"] == 3
    assert workers.started >= 2 + 3, "the poison file did not kill a worker on each attempt"
    print(f"\npoison test: dead letter after 3 attempts ({workers.started - 2} worker restarts), "
          f"5 other files graded, {elapsed:.1f} s")


class _Unpickled:
    """Runs a shell command on whoever unpickles it: what a forged broker message could carry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_a_pickled_message_on_the_broker_is_never_unpickled_by_a_worker(lab, tmp_path,
                                                                      no_leftover_containers):
    from qa_arena_desktop.classroom.broker import make_app
    from qa_arena_desktop.classroom.wire import QUEUE, TASK_NAME

    flush(lab["url"])
    marker = tmp_path / "unpickled-on-the-host"
    app = make_app(lab["url"])
    app.send_task(TASK_NAME, args=[_Unpickled(marker)], queue=QUEUE, serializer="pickle")
    workers = WorkerPool(lab["url"], tmp_path / "workers", count=1, concurrency=1, env=SAME_LAYOUT)
    try:
        folder = tmp_path / "class"
        folder.mkdir()
        name = lab["names"][0]
        (folder / name).write_bytes((lab["root"] / "class" / name).read_bytes())
        completed = subprocess.run(
            [sys.executable, "-m", "qa_arena_desktop", "grade", "--pack", str(lab["pack"]),
             str(folder), "--out", str(tmp_path / "g.json"), "--broker", lab["url"]],
            capture_output=True, text=True, timeout=300, env=lab["env"], cwd=REPO)
    finally:
        workers.stop()
    assert completed.returncode == 0, completed.stderr + workers.logs()
    assert students(tmp_path / "g.json")[name] == lab["local"][name]  # the worker went on
    assert not marker.exists(), "a worker unpickled a message from the broker"
    assert "ContentDisallowed" in workers.logs() or "disallowed" in workers.logs().lower()
