"""After hostile submissions, one judge server still judges every bundled pack as a fresh one.

Attacks that try to leave something behind (undeletable folders, planted bytecode,
processes that outlive their test, signals to everything, a read-only run directory) go
through `qa-arena judge` with the judge server up, so its warm containers take them;
then the reference tests of every bundled pack, through the same server, must score
100 with no flag: what they get on a fresh machine (every bundled pack is validated).
"""

from __future__ import annotations

import json
import textwrap

import pytest

from qa_arena_desktop import paths
from tests.judge_server.server_cli import qa, servers

pytestmark = pytest.mark.docker

VICTIM = "normalize-whitespace"

ATTACKS = {
    "undeletable folders": """
        import os
        def test_leave():
            for place in ("/work", "/tmp", "/dev/shm", "."):
                try:
                    os.makedirs(f"{place}/keep/inner", exist_ok=True)
                    open(f"{place}/keep/inner/mark", "w").write("x")
                    os.chmod(f"{place}/keep/inner", 0o000)
                    os.chmod(f"{place}/keep", 0o500)
                except OSError:
                    pass
    """,
    "planted bytecode": """
        import importlib.util, marshal, os
        def test_plant():
            code = compile("def normalize_whitespace(text):\\n    return 'planted'\\n",
                           "target.py", "exec")
            header = importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + bytes(8)
            for place in (".", "/work", "/tmp"):
                try:
                    os.makedirs(f"{place}/__pycache__", exist_ok=True)
                    tag = importlib.util.cache_from_source("target.py").split("/")[-1]
                    open(f"{place}/__pycache__/{tag}", "wb").write(header + marshal.dumps(code))
                except OSError:
                    pass
    """,
    "processes that outlive the test": """
        import os, time
        def test_linger():
            for _ in range(20):
                try:
                    if os.fork() == 0:
                        os.setsid()
                        while True:
                            try:
                                open("/work/lingered", "a").write("x")
                            except OSError:
                                pass
                            time.sleep(0.05)
                except OSError:
                    break
    """,
    "signals to everything": """
        import os, signal
        def test_signals():
            for pid in (1, -1, 0, os.getppid()):
                for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
                    try:
                        os.kill(pid, sig)
                    except OSError:
                        pass
    """,
    "a read-only run directory": """
        import os
        def test_lock():
            os.chmod(".", 0o500)
            os.chmod("/work", 0o500)
    """,
}


def test_after_attacks_every_bundled_pack_still_scores_100(server_env, tmp_path):
    for name, source in ATTACKS.items():
        tests = tmp_path / f"test_{name.replace(' ', '_')}.py"
        tests.write_text(textwrap.dedent(source))
        completed = qa("judge", "--problem", VICTIM, "--tests", str(tests), "--json",
                       env=server_env)
        assert completed.returncode == 0, (name, completed.stderr)
        assert json.loads(completed.stdout)["status"] != "ERROR", name

    problems = sorted(p.name for p in paths.problems_dir().iterdir()
                      if (p / "problem.toml").is_file())
    assert len(problems) >= 24
    scores = {}
    for problem in problems:
        completed = qa("judge", "--problem", problem, "--tests",
                       str(paths.problems_dir() / problem / "reference_tests.py"), "--json",
                       env=server_env)
        document = json.loads(completed.stdout)
        scores[problem] = (document["status"], document["score"], tuple(document["flags"]))
    assert scores == {p: ("SUCCESS", 100.0, ()) for p in problems}
    (server,) = servers(server_env)  # one server took it all, in its warm containers
    assert server["judged"] == len(ATTACKS) + len(problems)
