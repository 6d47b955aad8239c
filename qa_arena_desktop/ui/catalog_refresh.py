"""Re-read scores and history off the GUI thread after a run wrote them.

Listing every problem (with its mutants) and a problem's submissions takes tens of
milliseconds; a run's end is exactly when the event loop should stay free, so these
reads go to the window's task runner (ui/tasks.py) and come back as one plain :class:`CatalogSnapshot`.

:func:`submission_flags` reads the flags of a problem's submissions for the history
(``store.SubmissionSummary`` does not carry them; once it does, this can go).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from sqlalchemy import select

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.catalog.schema import SubmissionRow
from qa_arena_desktop.catalog.store import ProblemSummary, SubmissionSummary
from qa_arena_desktop.ui.tasks import TaskContext, TaskRunner


@dataclass(frozen=True)
class CatalogSnapshot:
    slug: str  # the problem whose submissions were read ("" for none)
    problems: list[ProblemSummary]
    submissions: list[SubmissionSummary]
    flags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by submission id


def submission_flags(catalog: Catalog, slug: str) -> dict[str, tuple[str, ...]]:
    """The flags of ``slug``'s flagged submissions, by submission id."""
    with catalog.read() as session:
        rows = session.execute(select(SubmissionRow.id, SubmissionRow.flags)
                               .where(SubmissionRow.problem_slug == slug))
        return {submission_id: tuple(str(flag) for flag in flags)
                for submission_id, flags in rows if flags}


class CatalogRefresher(QObject):
    refreshed = Signal(object)  # CatalogSnapshot

    def __init__(self, catalog: Catalog, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._tasks = tasks

    def refresh(self, slug: str) -> None:
        catalog = self._catalog

        def read(_context: TaskContext) -> CatalogSnapshot:
            submissions = store.list_submissions(catalog, slug) if slug else []
            flags = submission_flags(catalog, slug) if slug else {}
            return CatalogSnapshot(slug, store.list_problems(catalog), submissions, flags)

        self._tasks.start(read).done.connect(self.refreshed)
