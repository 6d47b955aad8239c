"""The resume log: durable per file, tolerant of a torn last line, compacted on open."""

from __future__ import annotations

import json

from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.classroom.state import GradeState, state_path_for
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from tests.classroom.fakes import make_pack, result


def test_the_state_sits_beside_the_report_and_is_shared_by_csv_and_json(tmp_path):
    assert state_path_for(tmp_path / "grades.csv") == tmp_path / "grades.state.jsonl"
    assert state_path_for(tmp_path / "grades.json") == tmp_path / "grades.state.jsonl"


def test_a_recorded_row_is_on_disk_at_once_and_comes_back_equal(tmp_path):
    pack = make_pack(tmp_path / "packs")
    row = GradeRow.from_result("class/a.py", "ab" * 32, result(pack, flags=("x",)))
    state = GradeState(tmp_path / "s.jsonl")
    state.record("/abs/a.py", row, pack.slug, pack.content_hash)
    again = GradeState(tmp_path / "s.jsonl").lookup("/abs/a.py", "ab" * 32, pack.slug,
                                                    pack.content_hash, "shown/a.py")
    assert again is not None and again.reused
    assert again.file == "shown/a.py"
    assert (again.status, again.score, again.flags, again.result) == (
        row.status, row.score, row.flags, row.result)


def test_a_different_hash_problem_or_pack_is_a_miss(tmp_path):
    pack = make_pack(tmp_path / "packs")
    state = GradeState(tmp_path / "s.jsonl")
    state.record("k", GradeRow.from_result("a.py", "h1", result(pack)), "add-one", "p1")
    assert state.lookup("k", "h1", "add-one", "p1", "a.py") is not None
    assert state.lookup("k", "h2", "add-one", "p1", "a.py") is None
    assert state.lookup("k", "h1", "other", "p1", "a.py") is None
    assert state.lookup("k", "h1", "add-one", "p2", "a.py") is None
    assert state.lookup("other-key", "h1", "add-one", "p1", "a.py") is None


def test_error_rows_are_remembered_but_never_reused(tmp_path):
    pack = make_pack(tmp_path / "packs")
    state = GradeState(tmp_path / "s.jsonl")
    state.record("k", GradeRow.from_result("a.py", "h", result(pack, status=SubmissionStatus.ERROR)),
                 "add-one", "p")
    state.record("e", GradeRow.error("b.py", 3, "unreadable", "h"), "add-one", "p")
    assert len(state) == 2
    assert state.lookup("k", "h", "add-one", "p", "a.py") is None
    assert state.lookup("e", "h", "add-one", "p", "b.py") is None


def test_a_torn_last_line_from_a_crash_is_ignored(tmp_path):
    pack = make_pack(tmp_path / "packs")
    path = tmp_path / "s.jsonl"
    GradeState(path).record("k", GradeRow.from_result("a.py", "h", result(pack)), "add-one", "p")
    with path.open("a") as handle:
        handle.write('{"version": 1, "key": "half-writ')
    state = GradeState(path)
    assert state.ignored_lines == 1
    assert state.lookup("k", "h", "add-one", "p", "a.py") is not None


def test_opening_compacts_the_log_to_one_line_per_file(tmp_path):
    pack = make_pack(tmp_path / "packs")
    path = tmp_path / "s.jsonl"
    state = GradeState(path)
    for digest in ("h1", "h2", "h3"):
        state.record("k", GradeRow.from_result("a.py", digest, result(pack)), "add-one", "p")
    assert len(path.read_text().splitlines()) == 3
    GradeState(path)
    lines = path.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["sha256"] == "h3"
    assert not list(tmp_path.glob(".s.jsonl.*")), "a temporary file was left behind"
