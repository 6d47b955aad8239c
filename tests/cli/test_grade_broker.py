"""``grade --broker`` on a real redis-server with no worker: waiting, and Ctrl+C while waiting.

A class enqueued with no worker running waits (and says so); Ctrl+C then ends it
with exit 130, keeps no half report, and ends the run in Redis so that a worker
started later drops its tasks instead of judging them for nobody.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.classroom.redis_lab import redis_server
from tests.conftest import REPO
from tests.packs.factory import write_pack

pytestmark = pytest.mark.redis


def test_ctrl_c_while_no_worker_answers_ends_the_run_and_keeps_no_report(tmp_path):
    import redis

    pack = write_pack(tmp_path / "packs")
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("alice", "bob", "carol"):
        (folder / f"{name}.py").write_text(f"def test_{name}():\n    assert True\n")
    out = tmp_path / "grades.csv"
    with redis_server(tmp_path / "redis") as url:
        client = redis.Redis.from_url(url)
        grade = subprocess.Popen(
            [sys.executable, "-m", "qa_arena_desktop", "grade", "--pack", str(pack), str(folder),
             "--out", str(out), "--broker", url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            deadline = time.monotonic() + 60
            while client.llen("qa-arena-grade") < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            queued = [json.loads(base64.b64decode(json.loads(m)["body"]))[0][0]
                      for m in client.lrange("qa-arena-grade", 0, -1)]
            assert len(queued) == 3, "the three files were not enqueued"
            [run_id] = {task["run_id"] for task in queued}
            assert client.exists(f"qa-arena:run:{run_id}:alive")
            assert all(b"alice" not in json.dumps(t).encode() for t in queued), "a name left"
            grade.send_signal(signal.SIGINT)
            stdout, stderr = grade.communicate(timeout=30)
        finally:
            if grade.poll() is None:
                grade.kill()
        assert grade.returncode == 130, stderr
        assert "no worker answered yet: the files wait in the queue until one starts" in stderr
        assert "interrupted: 0 of 3 file(s) graded" in stderr
        assert "Traceback" not in stderr and stdout == ""
        assert not out.exists()
        assert not client.exists(f"qa-arena:run:{run_id}:alive"), \
            "a worker started now would judge files nobody waits for"
        client.close()
