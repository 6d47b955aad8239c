"""``grade --broker`` and ``worker`` refuse bad input in one line, before anything runs.

The extra missing (Celery blocked from import), a URL that is not Redis, a broker
that does not answer: one line naming the thing, exit 2 (bad input) or 3 (no
broker), never a traceback. A local ``grade`` never imports Celery.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_judge_command import run_cli
from tests.import_blocker import import_with_blocked
from tests.packs.factory import write_pack

WITHOUT_CELERY = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("celery", "redis", "kombu"):
            raise ImportError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
from qa_arena_desktop.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def lesson(tmp_path: Path) -> tuple[Path, Path]:
    pack = write_pack(tmp_path / "packs")
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "alice.py").write_text("def test_a():\n    assert True\n")
    return pack, folder


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the probe is closed


def one_line(completed: subprocess.CompletedProcess) -> str:
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    return lines[0]


def test_without_the_classroom_extra_grade_broker_and_worker_say_so_and_exit_2(lesson, tmp_path):
    """A fresh interpreter where celery, redis and kombu cannot be imported (this one has them)."""
    pack, folder = lesson
    for args in (["grade", "--pack", str(pack), str(folder), "--out", str(tmp_path / "g.csv"),
                  "--broker", "redis://127.0.0.1:6379/0"],
                 ["worker", "--broker", "redis://127.0.0.1:6379/0"]):
        completed = subprocess.run([sys.executable, "-c", WITHOUT_CELERY, *args],
                                   capture_output=True, text=True, timeout=120)
        assert completed.returncode == 2, completed.stderr
        line = one_line(completed)
        assert "needs the classroom extra" in line
        assert "pip install 'qa-arena-desktop[classroom]'" in line
    assert not (tmp_path / "g.csv").exists()


def test_a_local_grade_never_imports_celery_or_redis():
    completed = import_with_blocked(["celery", "redis", "kombu"], ["qa_arena_desktop.cli.grade_cmd",
                                                                   "qa_arena_desktop.cli.worker_cmd"])
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize(("url", "says"), [
    ("amqp://127.0.0.1:5672/0", "--broker must be a redis:// URL"),
    ("redis://127.0.0.1/0", "--broker needs a host and a port"),
])
def test_a_bad_broker_url_is_one_line_and_exit_2(lesson, tmp_path, url, says):
    pack, folder = lesson
    for args in (["grade", "--pack", str(pack), str(folder), "--out", str(tmp_path / "g.csv"),
                  "--broker", url], ["worker", "--broker", url]):
        completed = run_cli(*args)
        assert completed.returncode == 2
        assert says in one_line(completed)


def test_out_of_range_numbers_are_refused(lesson, tmp_path):
    pack, folder = lesson
    url = "redis://127.0.0.1:6379/0"
    grade = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(tmp_path / "g.csv"),
                    "--broker", url, "--max-attempts", "0")
    assert grade.returncode == 2 and "--max-attempts must be between 1 and 100" in one_line(grade)
    worker = run_cli("worker", "--broker", url, "--concurrency", "0")
    assert worker.returncode == 2 and "--concurrency must be between 1 and 64" in one_line(worker)
    worker = run_cli("worker", "--broker", url, "--visibility-timeout", "1")
    assert worker.returncode == 2 and "--visibility-timeout must be between" in one_line(worker)


def test_a_broker_that_does_not_answer_is_one_line_and_exit_3_without_its_password(lesson, tmp_path):
    pack, folder = lesson
    url = f"redis://:hunter2@127.0.0.1:{closed_port()}/0"
    completed = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(tmp_path / "g.csv"),
                        "--broker", url)
    assert completed.returncode == 3
    line = one_line(completed)
    assert line.startswith("qa-arena: cannot reach the broker at redis://:***@127.0.0.1:")
    assert "hunter2" not in completed.stderr
    assert not (tmp_path / "g.csv").exists()


def test_a_worker_without_an_engine_takes_no_task_and_exits_3_in_one_line():
    engine = f"tcp://127.0.0.1:{closed_port()}"
    completed = run_cli("--docker-host", engine, "worker", "--broker",
                        f"redis://127.0.0.1:{closed_port()}/0")
    assert completed.returncode == 3
    assert f"no Docker engine is reachable at {engine}" in one_line(completed)


HEADER = "from target import add_one\n\n"
KILLS = "def test_zero():\n    assert add_one(0) != 0\n\n"
WRONG_A = "def test_wrong_a():\n    assert add_one(2) == 4\n\n"
WRONG_B = "def test_wrong_b():\n    assert add_one(3) == 3\n\n"
DROP_CLASS = {  # what --invalid drop does to each: two tests dropped, all dropped, none, none
    "ann.py": HEADER + WRONG_A + KILLS + WRONG_B,
    "ben.py": HEADER + WRONG_A + WRONG_B,
    "cat.py": HEADER + KILLS + "def test_one():\n    assert add_one(1) == 2\n",
    "dan.py": "def test_a(:\n    pass\n",
}


def graded(folder: Path) -> dict[str, Any]:
    """Per file: the JSON report's entry without ids and timings, the state's row (status,
    score, kills, dropped) and the student report; plus the class report's dropped tests."""
    found: dict[str, Any] = {}
    for entry in json.loads((folder / "grades.json").read_text())["students"]:
        name = Path(entry.pop("file")).name
        entry.pop("submission_id")
        entry["mte_report"] = entry["mte_report"] and Path(entry["mte_report"]).name
        if entry["golden"]:
            entry["golden"].pop("duration_ms", None)
        for mutant in entry["mutants"]:
            for timing in ("duration_ms", "budget_ms", "rechecked"):
                mutant.pop(timing, None)
        found[name] = {"report": entry,
                       "student": (folder / "students" / f"{Path(name).stem}.md").read_text()}
    for line in (folder / "grades.state.jsonl").read_text().splitlines():
        row = json.loads(line)["row"]
        found[Path(row["file"]).name]["state"] = {
            k: row[k] for k in ("status", "score", "killed_mutants", "total_mutants", "message",
                                "dropped")}
    found["class"] = json.loads((folder / "grades-class-report.json").read_text())["dropped_tests"]
    return found


@pytest.mark.docker
@pytest.mark.redis
def test_grade_broker_with_invalid_drop_writes_the_rows_and_reports_of_a_local_drop_run(
        tmp_path, no_leftover_containers):
    """Two real workers on the real engine drop the failing tests exactly as a local
    ``grade --invalid drop`` does: rows, JSON report, resume state, class and student reports."""
    from tests.classroom.fakes import MUTANTS
    from tests.classroom.redis_lab import WorkerPool, redis_server
    from tests.conftest import REPO
    from tests.packs.factory import manifest

    pack = write_pack(tmp_path / "packs", mutants=MUTANTS, toml=manifest(mutants=MUTANTS).replace(
        "time_limit_s = 5", "time_limit_s = 3"))
    folder = tmp_path / "class"
    folder.mkdir()
    for name, text in DROP_CLASS.items():
        (folder / name).write_text(text)
    layout = {"QA_ARENA_SHARDS": "1"}  # one container per file, as in test_distributed_grading
    env = {**os.environ, **layout, "QA_ARENA_HOME": str(tmp_path / "instructor")}

    def grade(where: str, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "qa_arena_desktop", "grade", "--pack", str(pack), str(folder),
             "--out", str(tmp_path / where / "grades.json"), "--invalid", "drop",
             "--student-reports", str(tmp_path / where / "students"), "--feedback", "practice",
             *extra], capture_output=True, text=True, timeout=600, env=env, cwd=REPO)

    local = grade("local")
    assert local.returncode == 0, local.stderr
    with redis_server(tmp_path / "redis") as url:
        workers = WorkerPool(url, tmp_path / "workers", count=2, concurrency=1, env=layout)
        try:
            distributed = grade("broker", "--broker", url)
            again = grade("broker", "--broker", url)
        finally:
            workers.stop()
    assert distributed.returncode == 0, distributed.stderr + workers.logs()
    assert "tests that fail on the correct code are dropped" in distributed.stderr
    expected, got = graded(tmp_path / "local"), graded(tmp_path / "broker")
    assert [t for t, _ in expected["ann.py"]["state"]["dropped"]] == ["test_wrong_a", "test_wrong_b"]
    assert (expected["ann.py"]["state"]["status"], expected["ann.py"]["state"]["score"]) == \
        ("SUCCESS", 53.3)  # returns-same killed, 1 of 3
    assert len(expected["ben.py"]["state"]["dropped"]) == 2
    assert expected["cat.py"]["state"]["dropped"] == expected["dan.py"]["state"]["dropped"] == []
    for name in [*DROP_CLASS, "class"]:
        assert got[name] == expected[name], name
    assert again.returncode == 0 and "(0 judged, 4 unchanged)" in again.stdout, again.stderr
    assert graded(tmp_path / "broker") == got  # resumed under the same policy: nothing changed
