"""Opening the catalog: one SQLite file, WAL mode, short sessions, one writer lane.

Reads use deferred transactions; writes go through :meth:`Catalog.write`, which
serialises writers in this process with a lock and takes SQLite's write lock
up front (``BEGIN IMMEDIATE``) so that two app instances on one data dir queue
instead of failing half-way.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from qa_arena_desktop import paths
from qa_arena_desktop.catalog.migrations import upgrade

BUSY_TIMEOUT_S = 30


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to WAL (a lasting property of the file, so usually already done).

    Changing the journal mode needs the file to itself, and SQLite answers "database is
    locked" at once, without its busy handler, when another process (a second app
    instance creating the same catalog) holds it; so wait and try again, boundedly.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def make_engine(path: Path, begin: str) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql(begin)

    return engine


class Catalog:
    """The catalog database. Thread-safe: each unit of work gets its own short session."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.database_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._read_engine = make_engine(self.path, "BEGIN")
        self._write_engine = make_engine(self.path, "BEGIN IMMEDIATE")
        self._reads = sessionmaker(self._read_engine, expire_on_commit=False)
        self._writes = sessionmaker(self._write_engine, expire_on_commit=False)
        self._write_lock = threading.Lock()
        with self._write_lock:
            self.schema_versions = upgrade(self._write_engine, self.path)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reads() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write_lock, self._writes() as session, session.begin():
            yield session

    def close(self) -> None:
        self._read_engine.dispose()
        self._write_engine.dispose()
