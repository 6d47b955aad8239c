"""Schema versions and upgrades for the catalog, keyed on SQLite's ``PRAGMA user_version``.

Why not Alembic: the catalog is one local SQLite file per user with a handful of
tables; upgrades must run unattended at app start, in-process, with no
migration scripts directory to ship or configure. An ordered table of Python
steps (``STEPS[n]`` upgrades version ``n-1`` to ``n``), each run in the same
transaction as the version bump, after a copy of the file is kept beside it,
does that with no extra dependency. A new database is created from the ORM
metadata at the latest version directly.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect

from qa_arena_desktop.catalog.schema import SCHEMA_VERSION, Base

Step = Callable[[Connection], None]

def _v2_submission_owner(connection: Connection) -> None:
    """v2: the judging process, attempts and pack hash (crash recovery); time budgets; meta."""
    for ddl in (
        "ALTER TABLE submissions ADD COLUMN owner_pid INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE submissions ADD COLUMN owner_host VARCHAR(255) NOT NULL DEFAULT ''",
        "ALTER TABLE submissions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE submissions ADD COLUMN pack_hash VARCHAR(64) NOT NULL DEFAULT ''",
        "ALTER TABLE mutant_results ADD COLUMN budget_ms INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE mutant_results ADD COLUMN rechecked BOOLEAN NOT NULL DEFAULT 0",
        "CREATE TABLE app_meta (key VARCHAR(64) NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key))",
    ):
        connection.exec_driver_sql(ddl)


def _v3_cancelled(connection: Connection) -> None:
    """v3: a cancelled run has its own state, CANCELLED; older releases stored it as ERROR
    with the message "cancelled before the judge finished" (and counted it as a try).
    And where a submission's pack came from, so a killed ``--pack`` run can be re-run."""
    connection.exec_driver_sql(
        "ALTER TABLE submissions ADD COLUMN pack_source VARCHAR(4096) NOT NULL DEFAULT ''")
    connection.exec_driver_sql("ALTER TABLE submissions ADD COLUMN misconceptions JSON")
    connection.exec_driver_sql(
        "UPDATE submissions SET status = 'CANCELLED', score = 0 "
        "WHERE status = 'ERROR' AND message = 'cancelled before the judge finished'")


def _v4_mutant_title(connection: Connection) -> None:
    """v4: a mutant's learner-facing title. The bundled packs' hashes and the bundled folder's
    fingerprint are cleared so the next sync reads each again (an unchanged pack would
    otherwise never bring its titles in); an imported pack gets them when imported again."""
    connection.exec_driver_sql("ALTER TABLE mutants ADD COLUMN title TEXT NOT NULL DEFAULT ''")
    _reread_bundled(connection)


def _v5_pack_extras(connection: Connection) -> None:
    """v5: a problem's kind, chapter, API block, support files and further goldens (read
    again from the bundled packs at the next sync, as for v4)."""
    connection.exec_driver_sql("ALTER TABLE problems ADD COLUMN extras JSON")
    _reread_bundled(connection)


def _reread_bundled(connection: Connection) -> None:
    connection.exec_driver_sql("UPDATE problems SET content_hash = '' WHERE origin = 'bundled'")
    connection.exec_driver_sql("DELETE FROM app_meta WHERE key = 'bundled-fingerprint'")


# version -> step that upgrades the schema from version - 1 to version.
STEPS: dict[int, Step] = {2: _v2_submission_owner, 3: _v3_cancelled, 4: _v4_mutant_title,
                          5: _v5_pack_extras}


class DatabaseTooNew(RuntimeError):
    """The file was written by a newer release; opening it could lose data."""


def current_version(connection: Connection) -> int:
    return int(connection.exec_driver_sql("PRAGMA user_version").scalar() or 0)


def upgrade(
    engine: Engine,
    db_path: Path | None = None,
    steps: Mapping[int, Step] = STEPS,
    target: int = SCHEMA_VERSION,
) -> tuple[int, int]:
    """Bring the database to ``target``; returns (version before, version after).

    ``engine`` must issue its own ``BEGIN`` (see :func:`db.make_engine`): pysqlite's
    default would commit DDL at once, and a failed step must roll back whole.
    """
    with engine.begin() as connection:
        before = current_version(connection)
        if before > target:
            raise DatabaseTooNew(
                f"the catalog at {db_path or engine.url} has schema version {before}, newer than "
                f"this release understands ({target}); install a newer QA Arena Desktop"
            )
        if before == target:
            return before, before
        if before == 0 and not inspect(connection).get_table_names():
            Base.metadata.create_all(connection)
            connection.exec_driver_sql(f"PRAGMA user_version = {target}")
            return 0, target
        missing = [v for v in range(before + 1, target + 1) if v not in steps]
        if missing:
            raise RuntimeError(f"no migration step to schema version {missing[0]}")
    if db_path is not None and db_path.exists():
        shutil.copy2(db_path, db_path.with_name(f"{db_path.name}.before-v{target}.bak"))
    with engine.begin() as connection:
        for version in range(before + 1, target + 1):
            steps[version](connection)
        connection.exec_driver_sql(f"PRAGMA user_version = {target}")
    return before, target
