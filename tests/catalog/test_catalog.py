import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from qa_arena_desktop.catalog import claims, store
from qa_arena_desktop.catalog.db import Catalog, make_engine
from qa_arena_desktop.catalog.migrations import DatabaseTooNew, upgrade
from qa_arena_desktop.catalog.schema import SCHEMA_VERSION
from qa_arena_desktop.catalog.sync import sync_bundled
from qa_arena_desktop.domain.judge_models import JudgeResult, MutantResult
from qa_arena_desktop.domain.verdicts import InvalidTransition, MutantStatus, SubmissionStatus
from qa_arena_desktop.packs.loader import load_pack
from tests.packs.factory import write_pack


@pytest.fixture
def catalog(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    yield catalog
    catalog.close()


def test_new_database_is_wal_and_at_the_latest_schema(catalog):
    connection = sqlite3.connect(catalog.path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"problems", "mutants", "submissions", "mutant_results"} <= tables


def test_sync_is_idempotent_and_updates_a_changed_pack(catalog, tmp_path):
    root = tmp_path / "problems"
    pack_dir = write_pack(root)
    first = sync_bundled(catalog, root)
    assert first.added == ["add-one"]
    assert sync_bundled(catalog, root).unchanged == ["add-one"]
    (pack_dir / "description.md").write_text("# Add one\n\nNew words.\n")
    assert sync_bundled(catalog, root).updated == ["add-one"]
    assert store.get_pack(catalog, "add-one").description_md.endswith("New words.\n")


def test_sync_never_touches_submissions_even_when_a_pack_goes_away(catalog, tmp_path):
    root = tmp_path / "problems"
    pack_dir = write_pack(root)
    sync_bundled(catalog, root)
    store.create_submission(catalog, "s1", "add-one", "def test_a(): pass\n")
    for file in sorted(pack_dir.rglob("*"), reverse=True):
        file.rmdir() if file.is_dir() else file.unlink()
    pack_dir.rmdir()
    report = sync_bundled(catalog, root)
    assert report.removed == ["add-one"]
    assert store.get_submission(catalog, "s1").test_code == "def test_a(): pass\n"


def test_a_broken_pack_keeps_its_previous_rows(catalog, tmp_path):
    root = tmp_path / "problems"
    pack_dir = write_pack(root)
    sync_bundled(catalog, root)
    (pack_dir / "golden.py").write_text("def add_one(:\n")
    report = sync_bundled(catalog, root)
    assert len(report.errors) == 1 and report.removed == []
    assert store.get_pack(catalog, "add-one").golden_source.startswith("def add_one(x: int)")


def test_unknown_problem_is_a_specific_error(catalog):
    with pytest.raises(store.UnknownProblem, match="no problem with slug 'nope'"):
        store.get_pack(catalog, "nope")


def test_submission_is_created_once_per_id(catalog):
    assert store.create_submission(catalog, "s1", "add-one", "code") is True
    assert store.create_submission(catalog, "s1", "add-one", "other code") is False
    assert store.get_submission(catalog, "s1").test_code == "code"
    assert len(store.list_submissions(catalog)) == 1


def _result(status: SubmissionStatus, mutants=()) -> JudgeResult:
    return JudgeResult(submission_id="s1", problem="add-one", status=status, score=30.0,
                       killed_mutants=0, total_mutants=2, kill_ratio=0.0, mutants=mutants)


def test_state_machine_is_enforced_by_the_store(catalog):
    store.create_submission(catalog, "s1", "add-one", "code")
    with pytest.raises(InvalidTransition):
        store.finish_submission(catalog, _result(SubmissionStatus.SUCCESS))
    claims.claim_submission(catalog, "s1", 2)
    store.finish_submission(catalog, _result(SubmissionStatus.SUCCESS))
    with pytest.raises(InvalidTransition):
        store.finish_submission(catalog, _result(SubmissionStatus.FAILURE))
    assert store.get_submission(catalog, "s1").summary.status is SubmissionStatus.SUCCESS


def test_a_repeated_mutant_result_updates_the_one_row(catalog):
    store.create_submission(catalog, "s1", "add-one", "code")
    claims.claim_submission(catalog, "s1", 1)
    first = MutantResult(name="m", weight=1.0, status=MutantStatus.SURVIVED)
    again = MutantResult(name="m", weight=1.0, status=MutantStatus.KILLED, killed_by=("test_a",))
    store.record_mutant_result(catalog, "s1", first)
    store.record_mutant_result(catalog, "s1", again)
    store.finish_submission(catalog, _result(SubmissionStatus.SUCCESS, (again,)))
    connection = sqlite3.connect(catalog.path)
    rows = connection.execute("SELECT mutant_name, status FROM mutant_results").fetchall()
    assert rows == [("m", "KILLED")]


def test_unique_key_is_enforced_by_sqlite_itself(catalog):
    store.create_submission(catalog, "s1", "add-one", "code")
    connection = sqlite3.connect(catalog.path)
    insert = ("INSERT INTO mutant_results (submission_id, mutant_name, position, weight, status, duration_ms,"
              " killed_by, message, tests) VALUES ('s1', 'm', 0, 1, 'KILLED', 0, '[]', '', '[]')")
    connection.execute(insert)
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(insert)


def test_writers_from_many_threads_do_not_collide(catalog):
    def work(index: int) -> None:
        store.create_submission(catalog, f"s{index}", "add-one", "code")
        claims.claim_submission(catalog, f"s{index}", 0)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.list_submissions(catalog)) == 16


def test_two_catalog_instances_on_one_file_share_the_data(tmp_path):
    first = Catalog(tmp_path / "c.sqlite3")
    second = Catalog(tmp_path / "c.sqlite3")
    store.create_submission(first, "s1", "p", "code")
    assert store.get_submission(second, "s1").test_code == "code"
    first.close()
    second.close()


V1_ADD_NOTES = "ALTER TABLE submissions ADD COLUMN notes TEXT NOT NULL DEFAULT ''"


def test_upgrade_runs_steps_in_order_keeps_data_and_a_backup(tmp_path):
    path = tmp_path / "c.sqlite3"
    catalog = Catalog(path)
    write_pack(tmp_path / "problems")
    store.upsert_pack(catalog, load_pack(tmp_path / "problems" / "add-one"))
    store.create_submission(catalog, "s1", "add-one", "kept code")
    catalog.close()

    seen = []

    def step(connection):
        seen.append(SCHEMA_VERSION + 1)
        connection.exec_driver_sql(V1_ADD_NOTES)

    engine = make_engine(path, "BEGIN IMMEDIATE")
    assert upgrade(engine, path, steps={SCHEMA_VERSION + 1: step}, target=SCHEMA_VERSION + 1) == (
        SCHEMA_VERSION, SCHEMA_VERSION + 1)
    assert seen == [SCHEMA_VERSION + 1]
    columns = {c["name"] for c in inspect(engine).get_columns("submissions")}
    assert "notes" in columns
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT test_code FROM submissions").fetchone() == ("kept code",)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert (tmp_path / f"c.sqlite3.before-v{SCHEMA_VERSION + 1}.bak").is_file()
    engine.dispose()


def test_a_failing_step_rolls_back_and_leaves_the_version(tmp_path):
    path = tmp_path / "c.sqlite3"
    Catalog(path).close()

    def broken(connection):
        connection.exec_driver_sql(V1_ADD_NOTES)
        raise RuntimeError("boom")

    engine = make_engine(path, "BEGIN IMMEDIATE")
    with pytest.raises(RuntimeError):
        upgrade(engine, path, steps={SCHEMA_VERSION + 1: broken}, target=SCHEMA_VERSION + 1)
    columns = {c["name"] for c in inspect(engine).get_columns("submissions")}
    assert "notes" not in columns
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    engine.dispose()


def test_a_database_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "c.sqlite3"
    Catalog(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseTooNew, match="install a newer QA Arena Desktop"):
        Catalog(path)


def test_a_real_v1_database_upgrades_to_the_latest_schema_keeping_everything(tmp_path):
    """schema_v1.sql is the file 0.1.0's first schema wrote; its data must survive."""
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    connection.executescript((Path(__file__).parent / "data" / "schema_v1.sql").read_text())
    connection.execute(
        "INSERT INTO submissions (id, problem_slug, test_code, status, score, killed_mutants,"
        " total_mutants, kill_ratio, message, flags, execution_log, created_at)"
        " VALUES ('old', 'add-one', 'def test_a(): pass', 'SUCCESS', 30.0, 0, 2, 0.0, '', '[]',"
        " '', '2026-11-01 10:00:00')")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()

    catalog = Catalog(path)
    assert catalog.schema_versions == (1, SCHEMA_VERSION)
    detail = store.get_submission(catalog, "old")
    assert detail.test_code == "def test_a(): pass" and detail.summary.score == 30.0
    fresh = Catalog(tmp_path / "fresh.sqlite3")
    for table in ("problems", "mutants", "submissions", "mutant_results"):
        upgraded = {c["name"] for c in inspect(catalog._write_engine).get_columns(table)}
        created = {c["name"] for c in inspect(fresh._write_engine).get_columns(table)}
        assert upgraded == created, table
    catalog.close()
    fresh.close()


def test_the_v3_upgrade_makes_old_cancelled_errors_cancelled_and_not_tries(tmp_path):
    """Before v3 a cancelled run was stored as ERROR "cancelled before the judge finished"."""
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    connection.executescript((Path(__file__).parent / "data" / "schema_v1.sql").read_text())
    for sid, status, message in (("stopped", "ERROR", "cancelled before the judge finished"),
                                 ("no-engine", "ERROR", "no Docker engine is reachable"),
                                 ("failed", "FAILURE", "test_a failed")):
        connection.execute(
            "INSERT INTO submissions (id, problem_slug, test_code, status, score, killed_mutants,"
            " total_mutants, kill_ratio, message, flags, execution_log, created_at)"
            f" VALUES ('{sid}', 'add-one', 'def test_a(): pass', '{status}', 0.0, 0, 2, 0.0,"
            f" '{message}', '[]', '', '2026-11-01 10:00:00')")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()

    catalog = Catalog(path)
    statuses = {sid: store.get_submission(catalog, sid).summary.status.value
                for sid in ("stopped", "no-engine", "failed")}
    assert statuses == {"stopped": "CANCELLED", "no-engine": "ERROR", "failed": "FAILURE"}
    catalog.close()


def _titled_pack(root: Path) -> Path:
    from tests.packs.factory import manifest

    text = manifest().replace('name = "adds-two"', 'name = "adds-two"\ntitle = "Adds too much"')
    return write_pack(root, toml=text)


def test_a_mutants_learner_facing_title_is_kept_in_the_catalog(catalog, tmp_path):
    root = tmp_path / "problems"
    _titled_pack(root)
    sync_bundled(catalog, root)
    titles = {m.name: m.title for m in store.get_pack(catalog, "add-one").mutants}
    assert titles == {"returns-same": "", "adds-two": "Adds too much"}


def test_the_v4_upgrade_adds_titles_and_reads_every_pack_again(tmp_path):
    """A v3 catalog has no title column, and its unchanged packs would never be re-read."""
    root = tmp_path / "problems"
    _titled_pack(root)
    path = tmp_path / "old.sqlite3"
    catalog = Catalog(path)
    sync_bundled(catalog, root)
    catalog.close()
    connection = sqlite3.connect(path)
    connection.execute("ALTER TABLE mutants DROP COLUMN title")  # the v3 shape
    connection.execute("ALTER TABLE problems DROP COLUMN extras")
    connection.execute("PRAGMA user_version = 3")
    connection.commit()
    connection.close()

    catalog = Catalog(path)
    assert catalog.schema_versions == (3, SCHEMA_VERSION)
    assert {m.title for m in store.get_pack(catalog, "add-one").mutants} == {""}
    assert sync_bundled(catalog, root).updated == ["add-one"]
    titles = {m.name: m.title for m in store.get_pack(catalog, "add-one").mutants}
    assert titles["adds-two"] == "Adds too much"
    catalog.close()


def test_a_packs_kind_chapter_api_support_files_and_goldens_survive_the_catalog(catalog):
    from qa_arena_desktop import paths

    for slug in ("lru-cache", "rate-limiter"):
        pack = load_pack(paths.problems_dir() / slug)
        store.upsert_pack(catalog, pack)
        stored = store.get_pack(catalog, slug)
        assert stored == pack.model_copy(update={"origin": stored.origin})
    summaries = {p.slug: p for p in store.list_problems(catalog)}
    assert summaries["lru-cache"].chapter == "state"
    assert summaries["rate-limiter"].chapter == "fakes"


def test_a_row_from_before_extras_reads_as_a_pure_function(catalog, tmp_path):
    pack = load_pack(write_pack(tmp_path))
    store.upsert_pack(catalog, pack)
    with catalog.write() as session:
        session.execute(text("UPDATE problems SET extras = NULL"))
    stored = store.get_pack(catalog, pack.slug)
    assert (stored.kind.value, stored.chapter, stored.support_files, stored.alt_goldens) == (
        "function", "", (), ())
    assert store.list_problems(catalog)[0].chapter == ""
