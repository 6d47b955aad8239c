"""Finish what a crashed or killed app left unfinished, at the next start.

Each submission ends in exactly one terminal state. An orphaned submission
(PENDING or RUNNING, its owner process gone) is judged again once when that is
safe, or ended as ERROR "interrupted" when it is not:

* safe: the problem is in the catalog with the same content hash as when it was
  submitted, so the re-run judges the same tests against the same code and its
  verdicts are the ones the first run would have given (per-mutant results are
  keyed by (submission, mutant), so a re-run never duplicates one);
* not safe: the pack changed or is not in the catalog (a ``--pack`` folder run),
  so the original inputs cannot be reproduced; or the submission was already
  re-run once (a submission that kills its judge must not loop forever).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_arena_desktop.catalog import claims, store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.judging.service import JudgingService

MAX_ATTEMPTS = 2  # the first run and one re-run


@dataclass
class RecoveryReport:
    rerun: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)


def recover_interrupted(catalog: Catalog, service: JudgingService) -> RecoveryReport:
    report = RecoveryReport()
    for orphan in claims.orphaned_submissions(catalog):
        reason = _why_not_rerun(catalog, orphan)
        if reason:
            if claims.fail_interrupted(catalog, orphan.id, reason):
                report.interrupted.append(orphan.id)
            continue
        try:
            service.resume(orphan.id, store.get_pack(catalog, orphan.problem), orphan.test_code)
        except claims.SubmissionBusy:
            continue  # another instance took it first
        report.rerun.append(orphan.id)
    return report


def _why_not_rerun(catalog: Catalog, orphan: claims.Orphan) -> str:
    if orphan.attempts >= MAX_ATTEMPTS:
        return "the judge stopped twice during this submission; not re-run again"
    try:
        pack = store.get_pack(catalog, orphan.problem)
    except store.UnknownProblem:
        return f"problem {orphan.problem!r} is not in the catalog any more; cannot re-run"
    if orphan.pack_hash and pack.content_hash != orphan.pack_hash:
        return (f"problem {orphan.problem!r} changed since the submission (or it came from a "
                "pack folder); a re-run would not judge the same code")
    if not orphan.pack_hash:
        return "the submission does not record which pack version it was judged on"
    return ""
