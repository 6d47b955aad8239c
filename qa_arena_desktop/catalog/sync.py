"""Sync the bundled ``problems/`` folder into the catalog, idempotently, at start-up.

A pack whose content hash is unchanged is left alone; a changed pack updates its
rows; a bundled pack that is gone is removed from the browser. Submissions and
drafts are never touched (submissions are snapshots keyed by slug). A broken
pack is reported and skipped, the rest still load.
"""

from __future__ import annotations

import hashlib
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


FINGERPRINT_KEY = "bundled-fingerprint"


def fingerprint(root: Path) -> str:
    """Names, sizes and modification times of every file under ``root``: cheap to compute."""
    digest = hashlib.sha256(str(root.resolve()).encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def sync_bundled(catalog: Catalog, root: Path | None = None) -> SyncReport:
    """Bring the catalog in line with the bundled packs; skipped when no file changed."""
    root = root or paths.problems_dir()
    current = fingerprint(root) if root.is_dir() else ""
    if current and store.get_meta(catalog, FINGERPRINT_KEY) == current:
        return SyncReport(unchanged=sorted(store.problem_slugs(catalog, origin="bundled")))
    report = _sync(catalog, root)
    if current and not report.errors:
        store.set_meta(catalog, FINGERPRINT_KEY, current)
    return report


def _sync(catalog: Catalog, root: Path) -> SyncReport:
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
