"""Save, export and publish a pack: stable files on disk, a zip, and the local catalog.

Saving is byte-stable (see :mod:`toml_writer`): an unchanged pack saved twice
gives identical files, and a file whose text did not change is not rewritten
(``files.write_if_changed``: the package's one atomic write, fsynced).
Mutant files under ``mutants/`` that the pack no longer names (a mutant renamed
or deleted in the studio) are removed, so the folder always matches the
manifest. Only ``mutants/*.py`` is ever deleted: it is the part of the folder
the studio owns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from qa_arena_desktop.authoring.draft import PackDraft
from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.files import write_if_changed
from qa_arena_desktop.packs.content import content_issues
from qa_arena_desktop.packs.errors import PackError
from qa_arena_desktop.packs.loader import load_pack, pack_bytes_for_zip


@dataclass(frozen=True)
class SaveReport:
    folder: Path
    written: tuple[str, ...]  # files whose bytes changed
    removed: tuple[str, ...]  # stale mutant files


def _inside(folder: Path, relative: str) -> Path:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not relative.strip():
        raise ValueError(f"{relative!r} is not a path inside the pack")
    return folder.joinpath(*path.parts)


def write_pack(draft: PackDraft, folder: Path) -> SaveReport:
    """Write every file of ``draft`` into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = draft.files()
    written = [name for name, text in files.items()
               if write_if_changed(_inside(folder, name), text)]
    keep = {_inside(folder, name).resolve() for name in files}
    removed = []
    mutants_dir = folder / "mutants"
    if mutants_dir.is_dir():
        for stale in sorted(mutants_dir.glob("*.py")):
            if stale.resolve() not in keep:
                stale.unlink()
                removed.append(stale.relative_to(folder).as_posix())
    return SaveReport(folder=folder, written=tuple(written), removed=tuple(removed))


def export_zip(folder: Path, destination: Path) -> Path:
    """A zip of the saved pack folder (files at the zip's root), loadable by ``load_pack``."""
    data = pack_bytes_for_zip(folder)
    destination.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(destination, data)
    return destination


def publish(catalog: Catalog, folder: Path) -> tuple[Pack, str]:
    """Load the saved pack and add it to the catalog.

    Raises ``PackError`` when it does not load, or is not finished (the checks of
    ``problems validate`` in :mod:`packs.content`: starter description, no example, a
    mutant without a hint). Returns the pack and ``"added"``, ``"updated"`` or
    ``"unchanged"``.
    """
    pack = load_pack(folder)
    issues = content_issues(pack)
    if issues:
        raise PackError(str(folder), issues)
    return pack, store.upsert_pack(catalog, pack, origin="imported")
