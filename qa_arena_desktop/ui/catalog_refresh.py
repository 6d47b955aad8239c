"""Re-read scores and history off the GUI thread after a run wrote them.

Listing every problem (with its mutants) and a problem's submissions takes tens of
milliseconds; a run's end is exactly when the event loop should stay free, so these
reads go to the service pool and come back as one plain :class:`CatalogSnapshot`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.catalog.store import ProblemSummary, SubmissionSummary
from qa_arena_desktop.ui.background import FunctionRunnable, Report, TaskDispatcher


@dataclass(frozen=True)
class CatalogSnapshot:
    slug: str  # the problem whose submissions were read ("" for none)
    problems: list[ProblemSummary]
    submissions: list[SubmissionSummary]


class CatalogRefresher(QObject):
    refreshed = Signal(object)  # CatalogSnapshot

    def __init__(self, catalog: Catalog, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._pool = pool
        self._dispatcher = TaskDispatcher(self)
        self._dispatcher.done.connect(self.refreshed, Qt.ConnectionType.QueuedConnection)

    def refresh(self, slug: str) -> None:
        catalog = self._catalog

        def read(_report: Report) -> CatalogSnapshot:
            submissions = store.list_submissions(catalog, slug) if slug else []
            return CatalogSnapshot(slug, store.list_problems(catalog), submissions)

        self._pool.start(FunctionRunnable(read, self._dispatcher))
