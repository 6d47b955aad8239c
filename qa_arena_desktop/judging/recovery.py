"""Finish what a crashed or killed app left unfinished, at the next start.

Each submission ends in exactly one terminal state. An orphaned submission
(PENDING or RUNNING, its owner process gone) is judged again once when that is
safe, or ended as ERROR "interrupted" when it is not:

* safe: the pack is at hand with the same content hash as when it was submitted (in
  the catalog, or in the ``--pack`` folder or zip it was loaded from), so the re-run
  judges the same tests against the same code and its verdicts are the ones the first
  run would have given (per-mutant results are keyed by (submission, mutant), so a
  re-run never duplicates one);
* not safe: the pack changed or is gone, so the original inputs cannot be
  reproduced (the message says which); or the submission was already re-run once (a
  submission that kills its judge must not loop forever).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qa_arena_desktop.catalog import claims, store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import PackError, load_pack

MAX_ATTEMPTS = 2  # the first run and one re-run


@dataclass
class RecoveryReport:
    rerun: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)


def recover_interrupted(catalog: Catalog, service: JudgingService) -> RecoveryReport:
    report = RecoveryReport()
    for orphan in claims.orphaned_submissions(catalog):
        pack, reason = _pack_for_rerun(catalog, orphan)
        if pack is None:
            if claims.fail_interrupted(catalog, orphan.id, reason):
                report.interrupted.append(orphan.id)
            continue
        try:
            service.resume(orphan.id, pack, orphan.test_code)
        except claims.SubmissionBusy:
            continue  # another instance took it first
        report.rerun.append(orphan.id)
    return report


def _pack_for_rerun(catalog: Catalog, orphan: claims.Orphan) -> tuple[Pack | None, str]:
    """The very pack the submission was judged on, or None and why it cannot be re-run."""
    if orphan.attempts >= MAX_ATTEMPTS:
        return None, "the judge stopped twice during this submission; not re-run again"
    if not orphan.pack_hash:
        return None, "the submission does not record which pack version it was judged on"
    try:
        pack = store.get_pack(catalog, orphan.problem)
        if pack.content_hash == orphan.pack_hash:
            return pack, ""
    except store.UnknownProblem:
        pack = None
    if orphan.pack_source:
        try:
            loaded = load_pack(Path(orphan.pack_source))
        except PackError:
            loaded = None
        if loaded is not None and loaded.slug == orphan.problem \
                and loaded.content_hash == orphan.pack_hash:
            return loaded, ""
        if pack is None:
            gone = "is gone" if loaded is None else "changed since"
            return None, (f"the pack of problem {orphan.problem!r} at {orphan.pack_source} "
                          f"{gone}; a re-run would not judge the same code")
    if pack is None:
        return None, (f"problem {orphan.problem!r} is not in the catalog and its pack's "
                      "folder is not known; cannot re-run")
    return None, (f"problem {orphan.problem!r} changed since the submission; a re-run "
                  "would not judge the same code")
