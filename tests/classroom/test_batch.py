"""Batch grading without Docker: discovery, order, concurrency, isolation of bad files, resume."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from qa_arena_desktop.classroom.batch import NoTestFiles, Progress, discover, grade_batch
from qa_arena_desktop.classroom.state import GradeState
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from tests.classroom.fakes import FakeJudge, make_pack, result


@pytest.fixture
def pack(tmp_path):
    return make_pack(tmp_path / "packs")


def write_class(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / name
        path.write_text(f"# {name}\ndef test_a():\n    pass\n")
        paths.append(path)
    return paths


# ---- discovery ---------------------------------------------------------------------------------


def test_a_folder_means_its_python_files_sorted_not_recursive(tmp_path):
    write_class(tmp_path / "class", ["carol.py", "alice.py", "bob.py"])
    (tmp_path / "class" / "notes.txt").write_text("not a test")
    write_class(tmp_path / "class" / "old", ["zed.py"])
    found = discover([tmp_path / "class"])
    assert [s.path.name for s in found] == ["alice.py", "bob.py", "carol.py"]


def test_files_and_folders_mix_and_a_file_named_twice_is_graded_once(tmp_path):
    [alice, bob] = write_class(tmp_path / "class", ["alice.py", "bob.py"])
    extra = write_class(tmp_path / "late", ["dan_tests.txt"])[0]
    found = discover([alice, tmp_path / "class", extra])
    assert [s.path.name for s in found] == ["alice.py", "bob.py", "dan_tests.txt"]
    assert found[0].display == str(alice)


def test_a_missing_path_or_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(NoTestFiles, match="no such file or folder: .*nowhere"):
        discover([tmp_path / "nowhere"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoTestFiles, match="no test files found"):
        discover([tmp_path / "empty"])


# ---- grading -----------------------------------------------------------------------------------


def test_rows_come_back_in_the_given_order_with_progress_for_each(tmp_path, pack):
    paths = write_class(tmp_path / "class", [f"s{i:02}.py" for i in range(8)])
    seen: list[Progress] = []
    rows = grade_batch(pack, discover(paths), FakeJudge(pack, delay_s=0.01), jobs=3,
                       on_progress=seen.append)
    assert [r.file for r in rows] == [str(p) for p in paths]
    assert [p.done for p in seen] == list(range(1, 9))
    assert {p.total for p in seen} == {8}
    assert all(r.status == "SUCCESS" and r.score == 30.0 and r.total_mutants == 3 for r in rows)


def test_jobs_bounds_how_many_files_are_judged_at_once(tmp_path, pack):
    paths = write_class(tmp_path / "class", [f"s{i}.py" for i in range(9)])
    judge = FakeJudge(pack, delay_s=0.05)
    grade_batch(pack, discover(paths), judge, jobs=3)
    assert judge.max_running == 3
    judge = FakeJudge(pack, delay_s=0.01)
    grade_batch(pack, discover(paths), judge, jobs=1)
    assert judge.max_running == 1


def test_an_exception_for_one_file_is_an_error_row_and_the_batch_goes_on(tmp_path, pack):
    paths = write_class(tmp_path / "class", ["a.py", "b.py", "c.py"])
    judge = FakeJudge(pack, {paths[1].read_bytes(): RuntimeError("engine exploded\nmore")})
    rows = grade_batch(pack, discover(paths), judge, jobs=2)
    assert [r.status for r in rows] == ["SUCCESS", "ERROR", "SUCCESS"]
    assert rows[1].message == "the judge failed on this file (RuntimeError: engine exploded)"
    assert rows[1].score == 0.0 and rows[1].total_mutants == 3 and rows[1].result is None


def test_a_file_that_vanished_is_an_error_row(tmp_path, pack):
    paths = write_class(tmp_path / "class", ["a.py", "b.py"])
    found = discover(paths)
    paths[0].unlink()
    rows = grade_batch(pack, found, FakeJudge(pack), jobs=2)
    assert rows[0].status == "ERROR" and "could not read the file" in rows[0].message
    assert rows[1].status == "SUCCESS"


def test_the_judges_verdict_and_flags_reach_the_row(tmp_path, pack):
    [path] = write_class(tmp_path / "class", ["a.py"])
    answer = result(pack, {"returns-same": MutantStatus.KILLED, "adds-two": MutantStatus.TIMEOUT},
                    flags=("reads-target-source",))
    [row] = grade_batch(pack, discover([path]), FakeJudge(pack, {path.read_bytes(): answer}))
    assert (row.status, row.score, row.killed_mutants, row.flags) == (
        "SUCCESS", answer.score, 2, ("reads-target-source",))
    assert row.result == answer and len(row.sha256) == 64


# ---- resume ------------------------------------------------------------------------------------


def test_a_second_run_judges_only_new_or_changed_files(tmp_path, pack):
    paths = write_class(tmp_path / "class", ["a.py", "b.py", "c.py"])
    state_file = tmp_path / "grades.state.jsonl"
    first = grade_batch(pack, discover(paths), FakeJudge(pack), state=GradeState(state_file))
    paths[1].write_text("def test_changed():\n    pass\n")
    write_class(tmp_path / "class", ["d.py"])
    judge = FakeJudge(pack)
    rows = grade_batch(pack, discover([tmp_path / "class"]), judge, state=GradeState(state_file))
    assert sorted(judge.calls) == sorted([paths[1].read_bytes(), (tmp_path / "class/d.py").read_bytes()])
    assert [r.reused for r in rows] == [True, False, True, False]
    assert rows[0].result == first[0].result and rows[0].file == first[0].file


def test_a_changed_pack_regrades_everything(tmp_path, pack):
    paths = write_class(tmp_path / "class", ["a.py", "b.py"])
    state_file = tmp_path / "grades.state.jsonl"
    grade_batch(pack, discover(paths), FakeJudge(pack), state=GradeState(state_file))
    changed = pack.model_copy(update={"content_hash": "0" * 64})
    judge = FakeJudge(changed)
    grade_batch(changed, discover(paths), judge, state=GradeState(state_file))
    assert len(judge.calls) == 2


def test_error_rows_are_retried_but_failures_are_not(tmp_path, pack):
    paths = write_class(tmp_path / "class", ["a.py", "b.py"])
    state_file = tmp_path / "grades.state.jsonl"
    answers = {paths[0].read_bytes(): result(pack, status=SubmissionStatus.FAILURE, message="x"),
               paths[1].read_bytes(): result(pack, status=SubmissionStatus.ERROR, message="no engine")}
    grade_batch(pack, discover(paths), FakeJudge(pack, answers), state=GradeState(state_file))
    judge = FakeJudge(pack)
    rows = grade_batch(pack, discover(paths), judge, state=GradeState(state_file))
    assert judge.calls == [paths[1].read_bytes()]
    assert [(r.status, r.reused) for r in rows] == [("FAILURE", True), ("SUCCESS", False)]


def test_ctrl_c_keeps_what_was_graded_and_the_rerun_finishes(tmp_path, pack):
    paths = write_class(tmp_path / "class", [f"s{i}.py" for i in range(6)])
    state_file = tmp_path / "grades.state.jsonl"
    judge = FakeJudge(pack, delay_s=0.05)

    def interrupt_after_two(progress: Progress) -> None:
        if progress.done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        grade_batch(pack, discover(paths), judge, jobs=1, state=GradeState(state_file),
                    on_progress=interrupt_after_two)
    assert judge.running == 0, "the pool was left running"
    assert len(judge.calls) <= 3, "queued files were judged after Ctrl+C"
    assert len(GradeState(state_file)) == 2
    rerun = FakeJudge(pack)
    rows = grade_batch(pack, discover(paths), rerun, state=GradeState(state_file))
    assert len(rerun.calls) == 4 and [r.reused for r in rows][:2] == [True, True]


def test_the_cancel_event_reaches_runs_in_flight(tmp_path, pack):
    paths = write_class(tmp_path / "class", ["a.py", "b.py"])
    cancel = threading.Event()
    cancel.set()
    rows = grade_batch(pack, discover(paths), FakeJudge(pack, delay_s=5), cancel=cancel)
    assert {r.status for r in rows} == {"ERROR"}
