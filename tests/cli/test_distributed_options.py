"""``grade --broker`` and ``worker`` refuse bad input in one line, before anything runs.

The extra missing (Celery blocked from import), a URL that is not Redis, a broker
that does not answer: one line naming the thing, exit 2 (bad input) or 3 (no
broker), never a traceback. A local ``grade`` never imports Celery.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

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


def test_dropping_failing_tests_is_refused_with_a_broker_rather_than_silently_not_done(lesson,
                                                                                         tmp_path):
    pack, folder = lesson
    grade = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(tmp_path / "g.csv"),
                    "--broker", "redis://127.0.0.1:6379/0", "--invalid", "drop")
    assert grade.returncode == 2
    assert "--invalid drop cannot be combined with --broker" in one_line(grade)
    assert not (tmp_path / "g.csv").exists()
