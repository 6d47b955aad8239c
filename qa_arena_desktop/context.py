"""What every entry point (CLI command or desktop app) needs at start: the catalog, synced."""

from __future__ import annotations

import logging
from pathlib import Path

from qa_arena_desktop import paths
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.catalog.sync import SyncReport, sync_bundled

log = logging.getLogger(__name__)


def open_catalog(sync: bool = True, db_path: Path | None = None) -> tuple[Catalog, SyncReport]:
    """Open (creating or upgrading) the catalog and sync the bundled packs into it."""
    catalog = Catalog(db_path or paths.database_path())
    report = sync_bundled(catalog) if sync else SyncReport()
    for error in report.errors:
        log.warning("%s", error)
    return catalog, report
