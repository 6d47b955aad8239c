"""`qa-arena grade` as an instructor runs it: a class folder, a gradebook, resuming, bad input."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from tests.cli.test_judge_command import run_cli
from tests.packs.factory import MUTANTS, REFERENCE, manifest, write_pack

COLUMNS = ["file", "status", "score", "killed_mutants", "total_mutants", "message", "flags"]
SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "classroom" / "data"
                     / "mutation-testing-report-schema.json").read_text())
PARTIAL = "from target import add_one\n\ndef test_zero():\n    assert add_one(0) != 0\n"
CLASS = {
    "alice_test.py": REFERENCE,                                           # kills both
    "bob_test.py": PARTIAL,                                               # kills one
    "carol_test.py": "def test_a(:\n    pass\n",                          # syntax error
    "dave_test.py": "import os\n\ndef test_a():\n    os._exit(0)\n",      # kills the test process
    "erin_test.py": "def test_a():\n    while True:\n        pass\n",     # endless loop
    "frank_test.py": b"def test_a():\n    assert '\xe9'\n",               # not UTF-8
}


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    text = manifest().replace("time_limit_s = 5", "time_limit_s = 2")
    return write_pack(tmp_path / "packs", toml=text, mutants=MUTANTS)


def write_class(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content)
    return folder


def read_csv(path: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    return list(reader.fieldnames or []), {Path(r["file"]).name: r for r in rows}


# ---- bad input: exit 2 (no engine needed) ------------------------------------------------------


def test_a_report_that_is_not_csv_or_json_is_refused(tmp_path, pack):
    folder = write_class(tmp_path / "class", {"a.py": PARTIAL})
    completed = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(tmp_path / "g.xlsx"))
    assert completed.returncode == 2
    assert completed.stderr.strip() == (
        f"qa-arena: --out must name a .csv or .json report, got '{tmp_path / 'g.xlsx'}'")


@pytest.mark.parametrize(("setup", "expected"), [
    ("missing", "no such file or folder"),
    ("empty", "no test files found"),
    ("jobs", "--jobs must be between 1 and 64"),
    ("bad-pack", "golden.py: golden: file is missing"),
    ("unknown-problem", "no problem with slug 'nope'"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, pack, setup, expected):
    folder = write_class(tmp_path / "class", {} if setup == "empty" else {"a.py": PARTIAL})
    args = ["grade", "--pack", str(pack), str(folder), "--out", str(tmp_path / "g.csv")]
    if setup == "missing":
        args[3] = str(tmp_path / "nowhere")
    elif setup == "jobs":
        args += ["--jobs", "0"]
    elif setup == "bad-pack":
        (pack / "golden.py").unlink()
    elif setup == "unknown-problem":
        args[1:3] = ["--problem", "nope"]
    completed = run_cli(*args)
    assert completed.returncode == 2, completed.stderr
    assert expected in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "g.csv").exists()


def test_no_engine_is_checked_once_before_grading_and_exits_3(tmp_path, pack):
    folder = write_class(tmp_path / "class", {"a.py": PARTIAL, "b.py": PARTIAL})
    completed = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(tmp_path / "g.csv"),
                        env={"DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock"})
    assert completed.returncode == 3
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and "no Docker engine is reachable" in lines[0]
    assert not (tmp_path / "g.csv").exists()


# ---- with the real judge -----------------------------------------------------------------------


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_a_class_folder_is_graded_end_to_end_into_a_gradebook(tmp_path, pack):
    folder = write_class(tmp_path / "class", CLASS)
    out = tmp_path / "out" / "grades.csv"
    completed = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(out), "--jobs", "2",
                        timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    columns, rows = read_csv(out)
    assert columns == COLUMNS
    assert set(rows) == set(CLASS)
    assert (rows["alice_test.py"]["status"], rows["alice_test.py"]["score"],
            rows["alice_test.py"]["killed_mutants"], rows["alice_test.py"]["total_mutants"]) == (
        "SUCCESS", "100.0", "2", "2")
    assert (rows["bob_test.py"]["status"], rows["bob_test.py"]["score"]) == ("SUCCESS", "65.0")
    for name, expected in [("carol_test.py", "syntax error"), ("dave_test.py", "crashed"),
                           ("erin_test.py", "time limit of 2 s"), ("frank_test.py", "UTF-8")]:
        assert rows[name]["status"] == "FAILURE" and expected in rows[name]["message"], rows[name]
        assert rows[name]["score"] == "0.0"
    progress = [line for line in completed.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == len(CLASS) and progress[-1].startswith(f"[{len(CLASS)}/{len(CLASS)}]")
    assert any(line.endswith("alice_test.py SUCCESS 100.0") for line in progress)
    assert completed.stdout.startswith(f"graded {len(CLASS)} file(s) ({len(CLASS)} judged, 0 unchanged)")
    # one mutation-testing-elements report per student, valid against the official schema
    for name in CLASS:
        report = json.loads((tmp_path / "out" / "grades-mte" / f"{Path(name).stem}.json").read_text())
        jsonschema.validate(report, SCHEMA)
    alice = json.loads((tmp_path / "out" / "grades-mte" / "alice_test.json").read_text())
    assert {m["status"] for m in alice["files"]["target.py"]["mutants"]} == {"Killed"}


@pytest.mark.docker
def test_a_rerun_judges_only_new_or_changed_files_and_json_has_kill_matrices(tmp_path, pack):
    folder = write_class(tmp_path / "class", {"alice_test.py": REFERENCE, "bob_test.py": PARTIAL})
    out = tmp_path / "grades.json"
    first = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(out))
    assert first.returncode == 0, first.stderr
    (folder / "bob_test.py").write_text(REFERENCE.replace("test_zero", "test_zero_again"))
    write_class(folder, {"carol_test.py": PARTIAL})
    second = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(out))
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("graded 3 file(s) (2 judged, 1 unchanged)")
    assert "alice_test.py SUCCESS 100.0  (unchanged, not judged again)" in second.stderr
    report = json.loads(out.read_text())
    students = {Path(s["file"]).name: s for s in report["students"]}
    assert students["bob_test.py"]["score"] == 100.0
    matrix = students["carol_test.py"]["kill_matrix"]
    assert matrix["tests"] == ["test_zero"] and matrix["mutants"] == ["returns-same", "adds-two"]
    assert matrix["cells"] == [["failed", "passed"]]
    assert students["carol_test.py"]["mte_report"] == "grades-mte/carol_test.json"
    # the same state serves a CSV of the same class without judging anything
    third = run_cli("grade", "--pack", str(pack), str(folder), "--out", str(tmp_path / "grades.csv"))
    assert "(0 judged, 3 unchanged)" in third.stdout


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(tmp_path, pack):
    folder = write_class(tmp_path / "class", {f"s{i:02}_test.py": PARTIAL.replace("0", str(i))
                                              for i in range(8)})
    out = tmp_path / "grades.csv"
    command = [sys.executable, "-m", "qa_arena_desktop", "grade", "--pack", str(pack), str(folder),
               "--out", str(out), "--jobs", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=os.environ.copy())
    assert process.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if line.startswith("[2/8]"):
            break
        assert line, "grade ended before the second file"
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    assert process.returncode == 130, rest
    assert "interrupted:" in rest and "run the same command again" in rest
    assert "Traceback" not in rest
    assert not out.exists()
    resumed = run_cli(*command[3:], timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    unchanged = int(resumed.stdout.split(" judged, ")[1].split(" unchanged")[0])
    assert unchanged >= 2
    _, rows = read_csv(out)
    assert len(rows) == 8 and {r["status"] for r in rows.values()} == {"SUCCESS"}
