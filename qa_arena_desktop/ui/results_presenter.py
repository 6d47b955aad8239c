"""What the right-hand tabs show: a live run's events, or a stored result, and whether it is stale.

One place decides how a run's events reach the results table, banner, kill matrix
and hints, so a live run and a result reopened from history look the same. It also
remembers which test text the shown results belong to: when the editor's text
differs, the results are marked out of date.

It also keeps every tab's bug labels in step (``judging/bug_labels.py``): the results
table follows the run's kills as they arrive; the matrix and hints get the finished
run's labels; a hint that reveals a bug relabels them all.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from qa_arena_desktop.domain.events import RunErrored, RunStarted, VariantFinished, VariantStarted
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.judging.bug_labels import BugLabels, labels_for_result
from qa_arena_desktop.ui.code_editor import CodeEditor
from qa_arena_desktop.ui.hints_panel import HintsPanel
from qa_arena_desktop.ui.kill_matrix_view import KillMatrixView
from qa_arena_desktop.ui.results_model import ResultsModel
from qa_arena_desktop.ui.results_panel import ResultsPanel, syntax_error_line


class ResultsPresenter(QObject):
    def __init__(self, model: ResultsModel, panel: ResultsPanel, matrix: KillMatrixView,
                 hints: HintsPanel, editor: CodeEditor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.panel = panel
        self.matrix = matrix
        self.hints = hints
        self.editor = editor
        self.pack: Pack | None = None
        self.shown_result: JudgeResult | None = None
        self.shown_tests: str | None = None  # the test text the shown results belong to
        editor.textChanged.connect(self.update_stale)
        hints.revealed_changed.connect(self.relabel)

    # ---- labels -------------------------------------------------------------------------------

    def revealed(self) -> frozenset[str]:
        return self.hints.revealed_bugs(self.pack.slug) if self.pack is not None else frozenset()

    def labels_for(self, result: JudgeResult | None) -> BugLabels:
        """The labels ``result`` is shown with (numbered in the shown pack's order)."""
        same = self.pack is not None and (result is None or self.pack.slug == result.problem)
        mutants = self.pack.scored_mutants if same and self.pack is not None else ()
        return labels_for_result(mutants, result, self.revealed())

    def relabel(self) -> None:
        """A hint revealed a bug (or hints were switched): every tab says its new label."""
        self.model.set_revealed(self.revealed())
        self.matrix.set_labels(self.labels_for(self.shown_result))
        self.panel.refresh_details()

    # ---- a live run ------------------------------------------------------------------------

    def begin_run(self, run_id: str, pack: Pack, tests: str) -> None:
        self.pack = pack
        self.shown_result = None
        self.shown_tests = tests
        self.model.start(run_id, pack, self.hints.revealed_bugs(pack.slug))
        self.panel.show_running()
        self.matrix.set_result(None)
        self.hints.set_context(pack, None)
        self.editor.mark_line(0)

    def run_started(self, _event: RunStarted) -> None:
        """Rows stay queued until their own run begins (``variant_started``)."""

    def variant_started(self, event: VariantStarted) -> None:
        self.model.mark_started(event.variant)

    def variant_finished(self, event: VariantFinished) -> None:
        if event.golden is not None:
            self.model.apply_golden(event.golden)
        if event.mutant is not None:
            self.model.apply_mutant(event.mutant)

    def run_finished(self, result: JudgeResult) -> None:
        self.shown_result = result
        self.model.finish(result)
        self.panel.show_result(result)
        self.matrix.set_result(result, self.labels_for(result))
        self.hints.set_context(self.pack, result)
        if result.status is SubmissionStatus.FAILURE:
            self.editor.mark_line(syntax_error_line(result.message))
        self.update_stale()

    def run_errored(self, event: RunErrored) -> None:
        self.model.finish(JudgeResult(
            submission_id=event.submission_id, problem=self.pack.slug if self.pack else "",
            status=SubmissionStatus.ERROR, score=0, killed_mutants=0, total_mutants=0,
            kill_ratio=0, message=event.message))
        self.panel.show_errored(event)
        self.update_stale()

    # ---- a stored result ---------------------------------------------------------------------

    def show_result(self, pack: Pack | None, result: JudgeResult | None, tests: str | None,
                    from_editor: bool = True) -> None:
        """Show a finished submission (or nothing) for ``pack``; ``tests`` is its code.

        Only the editor's latest run is compared with the editor (``from_editor``): a past
        submission opened from History is what it was, never "out of date"."""
        self.pack = pack
        self.shown_result = result
        self.shown_tests = tests if from_editor else None
        self.editor.mark_line(0)
        if result is None:
            self.model.clear()
            self.panel.show_idle()
        else:
            self.model.load_result(result, pack if pack and pack.slug == result.problem else None,
                                   self.revealed())
            self.panel.show_result(result)
        self.matrix.set_result(result, self.labels_for(result))
        self.hints.set_context(pack, result)
        self.update_stale()

    def refresh_hints(self) -> None:
        self.hints.set_context(self.pack, self.shown_result)

    # ---- staleness -----------------------------------------------------------------------------

    def update_stale(self) -> None:
        stale = self.shown_tests is not None and self.editor.toPlainText() != self.shown_tests
        if stale != self.panel.is_stale():
            self.panel.set_stale(stale)
