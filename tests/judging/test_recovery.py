"""Claims and crash recovery: one owner per run, one terminal state per submission."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from qa_arena_desktop.catalog import claims, store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.verdicts import InvalidTransition, SubmissionStatus
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.recovery import recover_interrupted
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack
from tests.packs.factory import write_pack


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def catalog(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    yield catalog
    catalog.close()


@pytest.fixture
def pack(tmp_path, catalog):
    pack = load_pack(write_pack(tmp_path / "packs"))
    store.upsert_pack(catalog, pack)
    return pack


def orphan(catalog: Catalog, submission_id: str, pack, status: str = "RUNNING",
           attempts: int = 1, pid: int | None = None, source: str = "") -> None:
    """A submission as a killed process leaves it."""
    store.create_submission(catalog, submission_id, pack.slug, pack.reference_tests,
                            pack_hash=pack.content_hash, pack_source=source)
    connection = sqlite3.connect(catalog.path)
    connection.execute("UPDATE submissions SET status = ?, attempts = ?, owner_pid = ? "
                       "WHERE id = ?", (status, attempts, pid or dead_pid(), submission_id))
    connection.commit()
    connection.close()


def test_claim_moves_pending_to_running_once(catalog, pack):
    store.create_submission(catalog, "s1", pack.slug, "code", pack.content_hash)
    assert claims.claim_submission(catalog, "s1", 2) == 1
    with pytest.raises(claims.SubmissionBusy):
        claims.claim_submission(catalog, "s1", 2)


def test_a_live_owners_submission_is_not_an_orphan(catalog, pack):
    orphan(catalog, "s1", pack, pid=os.getppid())
    assert claims.orphaned_submissions(catalog) == []
    with pytest.raises(claims.SubmissionBusy):
        claims.claim_submission(catalog, "s1", 2)


def test_a_dead_owners_submission_is_an_orphan_and_can_be_taken_over(catalog, pack):
    orphan(catalog, "s1", pack)
    assert [o.id for o in claims.orphaned_submissions(catalog)] == ["s1"]
    assert claims.claim_submission(catalog, "s1", 2) == 2
    assert claims.orphaned_submissions(catalog) == []


def test_terminal_submissions_cannot_be_claimed(catalog, pack):
    orphan(catalog, "s1", pack, status="SUCCESS")
    with pytest.raises(InvalidTransition):
        claims.claim_submission(catalog, "s1", 2)


def test_an_orphan_of_a_changed_pack_ends_as_interrupted_saying_why(catalog, pack, tmp_path):
    orphan(catalog, "s1", pack)
    changed = write_pack(tmp_path / "changed")
    (changed / "description.md").write_text("# Changed\n")
    store.upsert_pack(catalog, load_pack(changed))
    report = recover_interrupted(catalog, JudgingService(catalog, DockerBackend()))
    assert report.interrupted == ["s1"]
    detail = store.get_submission(catalog, "s1")
    assert detail.summary.status is SubmissionStatus.ERROR
    assert detail.summary.message.startswith("interrupted: problem 'add-one' changed")


def test_an_orphan_already_rerun_once_is_not_rerun_again(catalog, pack):
    orphan(catalog, "s1", pack, attempts=2)
    report = recover_interrupted(catalog, JudgingService(catalog, DockerBackend()))
    assert report.interrupted == ["s1"]
    assert "stopped twice" in store.get_submission(catalog, "s1").summary.message


def test_a_pending_orphan_of_a_vanished_problem_is_interrupted(catalog, pack):
    orphan(catalog, "s1", pack, status="PENDING", attempts=0)
    store.remove_problems(catalog, {pack.slug})
    report = recover_interrupted(catalog, JudgingService(catalog, DockerBackend()))
    assert report.interrupted == ["s1"]


def test_a_killed_pack_folder_run_whose_folder_changed_or_went_says_so(catalog, tmp_path):
    folder = write_pack(tmp_path / "folder")
    pack = load_pack(folder)  # judged with --pack: never in the catalog
    orphan(catalog, "changed", pack, source=str(folder))
    orphan(catalog, "gone", pack, source=str(tmp_path / "nowhere" / "add-one"))
    (folder / "description.md").write_text("# Changed\n")
    report = recover_interrupted(catalog, JudgingService(catalog, DockerBackend()))
    assert sorted(report.interrupted) == ["changed", "gone"]
    changed = store.get_submission(catalog, "changed").summary.message
    gone = store.get_submission(catalog, "gone").summary.message
    assert changed == (f"interrupted: the pack of problem 'add-one' at {folder} changed since; "
                       "a re-run would not judge the same code")
    assert "nowhere" in gone and "is gone" in gone
    assert "not in the catalog any more" not in changed + gone  # it never was


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_a_killed_pack_folder_run_is_rerun_from_its_folder(catalog, tmp_path):
    folder = write_pack(tmp_path / "folder")
    pack = load_pack(folder)
    orphan(catalog, "s1", pack, source=str(folder))
    report = recover_interrupted(catalog, JudgingService(catalog, DockerBackend()))
    assert report.rerun == ["s1"]
    detail = store.get_submission(catalog, "s1")
    assert detail.summary.status is SubmissionStatus.SUCCESS and detail.summary.score == 100.0


@pytest.mark.docker
@pytest.mark.usefixtures("no_leftover_containers")
def test_a_safe_orphan_is_rerun_once_to_the_same_verdicts_without_duplicates(catalog, pack):
    orphan(catalog, "s1", pack)
    connection = sqlite3.connect(catalog.path)
    connection.execute("INSERT INTO mutant_results (submission_id, mutant_name, position, weight,"
                       " status, duration_ms, killed_by, message, tests) VALUES"
                       " ('s1', 'returns-same', 0, 1.0, 'KILLED', 5, '[\"test_zero\"]', '', '[]')")
    connection.commit()
    report = recover_interrupted(catalog, JudgingService(catalog, DockerBackend()))
    assert report.rerun == ["s1"]
    detail = store.get_submission(catalog, "s1")
    assert detail.summary.status is SubmissionStatus.SUCCESS
    assert detail.summary.score == 100.0
    rows = connection.execute("SELECT mutant_name, COUNT(*) FROM mutant_results "
                              "WHERE submission_id = 's1' GROUP BY mutant_name").fetchall()
    assert sorted(rows) == [("adds-two", 1), ("returns-same", 1)]
    assert "attempt 2: re-run" in detail.execution_log
