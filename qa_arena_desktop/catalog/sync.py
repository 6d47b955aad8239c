"""Sync the bundled ``problems/`` folder into the catalog, idempotently, at start-up.

A pack whose content hash is unchanged is left alone; a changed pack updates its
rows; a bundled pack that is gone is removed from the browser. Submissions and
drafts are never touched (submissions are snapshots keyed by slug). A broken
pack is reported and skipped, the rest still load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qa_arena_desktop import paths
from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.packs.loader import PackError, load_packs, pack_dirs


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[PackError] = field(default_factory=list)


def sync_bundled(catalog: Catalog, root: Path | None = None) -> SyncReport:
    root = root or paths.problems_dir()
    packs, errors = load_packs(pack_dirs(root))
    report = SyncReport(errors=errors)
    for pack in packs:
        outcome = store.upsert_pack(catalog, pack, origin="bundled")
        getattr(report, outcome).append(pack.slug)
    # A broken pack keeps its old rows rather than vanishing from the learner's list.
    broken = {Path(e.origin).name for e in errors}
    gone = store.problem_slugs(catalog, origin="bundled") - {p.slug for p in packs} - broken
    store.remove_problems(catalog, gone)
    report.removed = sorted(gone)
    return report
