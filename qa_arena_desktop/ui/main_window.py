"""The main window: problem browser | statement + editor | results, matrix, hints, history.

This module wires widgets to the practice flow; it holds no judging logic. The
judge is a plain callable (``JudgingService.judge`` in the app) run by the
:class:`RunController` in its pool; what the result tabs show is decided by the
:class:`ResultsPresenter`. Catalog reads on a click (opening a problem or a past
submission) are short queries on the GUI thread (WAL mode: never blocked by the
judge's writes); the heavier re-reads after a run, the Docker check and the image
build go to the window's task runner (``self.tasks``, ui/tasks.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.events import RunErrored, RunFinished, VariantFinished, VariantStarted
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.judging.bug_labels import BugLabels, bug_labels
from qa_arena_desktop.practice.doctor import DockerHealth, check_docker_health
from qa_arena_desktop.practice.drafts import DraftStore
from qa_arena_desktop.practice.hints import HINTS_ENV, hints_allowed
from qa_arena_desktop.practice.starter import starter_tests
from qa_arena_desktop.ui import icons, settings
from qa_arena_desktop.ui.catalog_refresh import CatalogRefresher, CatalogSnapshot, submission_flags
from qa_arena_desktop.ui.docker_status import DockerStatusChecker, DockerStatusWidget
from qa_arena_desktop.ui.doctor_dialog import DoctorDialog, ImageBuildDialog
from qa_arena_desktop.ui.editor_pane import EditorPane
from qa_arena_desktop.ui.help_pages import HelpDialog, scoring_markdown, shortcuts_markdown
from qa_arena_desktop.ui.hints_panel import HintsPanel
from qa_arena_desktop.ui.history_panel import HistoryPanel
from qa_arena_desktop.ui.kill_matrix_view import KillMatrixView
from qa_arena_desktop.ui.live_lint import LiveLinter
from qa_arena_desktop.ui.menus import build_menus
from qa_arena_desktop.ui.problem_browser import ProblemBrowser
from qa_arena_desktop.ui.problem_view import ProblemView
from qa_arena_desktop.ui.progress_panel import ProgressPanel
from qa_arena_desktop.ui.results_model import ResultsModel
from qa_arena_desktop.ui.results_panel import ResultsPanel
from qa_arena_desktop.ui.results_presenter import ResultsPresenter
from qa_arena_desktop.ui.run_controller import JudgeFunction, RunController
from qa_arena_desktop.ui.tasks import TaskRunner
from qa_arena_desktop.ui.theme import Theme
from qa_arena_desktop.ui.theme_choice import WindowThemeChoice
from qa_arena_desktop.ui.unsaved import QuitGuard
from qa_arena_desktop.ui.untrusted import line, window_title

if TYPE_CHECKING:  # the studio's modules load when it is first opened
    from qa_arena_desktop.ui.studio.studio_window import StudioWindow

log = logging.getLogger(__name__)

TAB_RESULTS, TAB_MATRIX, TAB_HINTS, TAB_HISTORY, TAB_PROGRESS = range(5)
TAB_NAMES = {"results": TAB_RESULTS, "matrix": TAB_MATRIX, "hints": TAB_HINTS,
             "history": TAB_HISTORY, "progress": TAB_PROGRESS}
SERVICE_WAIT_MS = 2000
APP_TITLE = "QA Arena"  # also the application's display name (ui/app.py)


def _scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a scroll area of its own: however long a run's messages, the panel
    scrolls inside and its minimum size never reaches the splitters (the problem list
    and the editor keep their widths until the learner drags them)."""
    area = QScrollArea()
    area.setObjectName("tabScroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


def _pane(widget: QWidget) -> QFrame:
    frame = QFrame()
    frame.setObjectName("pane")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(1, 1, 1, 1)
    layout.addWidget(widget)
    return frame


class MainWindow(QMainWindow):
    catalog_refreshed = Signal()  # the browser, progress and history show the latest scores

    def __init__(self, catalog: Catalog, judge: JudgeFunction, *, auto_doctor: bool = True,
                 health_check: Callable[[], DockerHealth] = check_docker_health,
                 drafts: DraftStore | None = None, remember: bool = True) -> None:
        super().__init__()
        self._remember = remember  # False: neither read nor write window settings (screenshots)
        self.catalog = catalog
        self.settings = settings.AppSettings()
        self.drafts = drafts or DraftStore()
        self._auto_doctor = auto_doctor
        self._doctor_shown = False
        self._shut_down = False
        self._drained = True
        self.pack: Pack | None = None
        self.doctor: DoctorDialog | None = None
        self.build_dialog: ImageBuildDialog | None = None
        self.help_pages: dict[str, HelpDialog] = {}
        self.studio: StudioWindow | None = None  # the Author studio, once opened (open_studio)
        # Windows opened from this one that may hold unsaved work (the Author studio):
        # asked before the app quits, and closed with it.
        self.quit_guards: list[QuitGuard] = []

        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(icons.icon("app"))
        self.resize(1400, 900)
        self.tasks = TaskRunner(self, max_threads=2)  # catalog re-reads, Docker check, image build
        self.runs = RunController(judge, self)
        self.docker = DockerStatusChecker(self.tasks, self, check=health_check)
        self.refresher = CatalogRefresher(catalog, self.tasks, self)
        self.refresher.refreshed.connect(self._on_catalog_read)

        self.browser = ProblemBrowser()
        self.browser.load_bundled_chapters(self.settings.get_bool(settings.CHAPTER_LOCKS, False))
        self.problem_view = ProblemView()
        self.editor_pane = EditorPane(self.drafts)
        self.editor = self.editor_pane.editor
        self.linter = LiveLinter(self.editor, self)  # pyflakes while typing
        self.results_model = ResultsModel(self)
        self.results = ResultsPanel(self.results_model)
        self.matrix = KillMatrixView()
        self.hints = HintsPanel()
        self.history = HistoryPanel()
        self.progress = ProgressPanel()
        self.presenter = ResultsPresenter(self.results_model, self.results, self.matrix,
                                          self.hints, self.editor, self)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for widget, name, label in (
            (_scrolling(self.results), "results", "Results"),
            (self.matrix, "matrix", "Kill matrix"), (_scrolling(self.hints), "hint", "Hints"),
            (self.history, "history", "History"), (self.progress, "progress", "Progress"),
        ):
            self.tabs.addTab(widget, icons.icon(name), label)

        self.center = QSplitter(Qt.Orientation.Vertical)
        self.center.addWidget(_pane(self.problem_view))
        self.center.addWidget(_pane(self.editor_pane))
        self.center.setStretchFactor(0, 2)
        self.center.setStretchFactor(1, 3)
        self.center.setSizes([330, 520])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(_pane(self.browser))
        self.splitter.addWidget(self.center)
        self.splitter.addWidget(_pane(self.tabs))
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([280, 590, 530])
        self.splitter.setChildrenCollapsible(False)
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.splitter)
        self.setCentralWidget(container)

        self.docker_widget = DockerStatusWidget()
        self.statusBar().addPermanentWidget(self.docker_widget)
        actions = build_menus(self)
        self.submit_action, self.cancel_action, self.hints_action = (
            actions.submit, actions.cancel, actions.hints)
        self.theme_actions = actions.themes
        self.themes = WindowThemeChoice(actions.themes, self.settings, remember,
                                        self.apply_theme, self.editor.current_theme)
        self.hints_action.toggled.connect(self._on_hints_toggled)
        self._connect()
        if remember:
            self._restore_settings()
        self.themes.start()
        self.refresh_problems()
        self._apply_hint_policy()
        self.docker.check()
        last = self.settings.get_str(settings.LAST_PROBLEM) if remember else ""
        if not (last and self.select_problem(last)) and self.browser.proxy.rowCount():
            self.browser.view.setCurrentIndex(self.browser.proxy.index(0, 0))

    # ---- construction ----------------------------------------------------------------------

    def _connect(self) -> None:
        self.browser.problem_selected.connect(self.select_problem)
        self.browser.problem_activated.connect(lambda _slug: self.editor.setFocus())
        self.editor.submit_requested.connect(self.submit)
        self.editor.zoom_changed.connect(self._on_zoom_changed)
        self.editor_pane.submit_requested.connect(self.submit)
        self.editor_pane.cancel_requested.connect(self.cancel_run)
        self.editor_pane.reset_requested.connect(self.reset_to_starter)
        self.runs.run_started.connect(self.presenter.run_started)
        self.runs.variant_started.connect(self.presenter.variant_started)
        self.runs.variant_finished.connect(self.presenter.variant_finished)
        self.runs.background_finished.connect(self._on_background_finished)
        self.runs.judging_changed.connect(self._show_judging)
        self.runs.run_finished.connect(self._on_run_finished)
        self.runs.run_errored.connect(self._on_run_errored)
        self.runs.busy_changed.connect(self._on_busy_changed)
        self.results.open_doctor_requested.connect(self.open_doctor)
        self.results.build_image_requested.connect(self.build_image)
        self.results.go_to_line_requested.connect(self.editor.go_to_line)
        self.results.go_to_test_requested.connect(self.go_to_test)
        self.history.open_code_requested.connect(self.open_submission)
        self.history.show_result_requested.connect(self.show_submission_result)
        self.progress.problem_requested.connect(self.select_problem)
        self.docker.checked.connect(self._on_docker_checked)
        self.docker_widget.clicked.connect(self.open_doctor)

    def _restore_settings(self) -> None:
        geometry = self.settings.get_bytes(settings.GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        for key, splitter in ((settings.MAIN_SPLITTER, self.splitter),
                              (settings.CENTER_SPLITTER, self.center)):
            state = self.settings.get_bytes(key)
            if state is not None:
                splitter.restoreState(state)
        self.editor.set_point_size(self.settings.get_int(settings.POINT_SIZE, self.editor.point_size()))

    def _on_zoom_changed(self, size: int) -> None:
        if self._remember:
            self.settings.set(settings.POINT_SIZE, size)

    def choose_theme(self, choice: str) -> None:
        """View › Theme: light, dark or system, applied now and remembered."""
        self.themes.choose(choice)

    def apply_theme(self, theme: Theme) -> None:
        """Repaint what bakes colours in (editor, statement, icons) after a theme switch."""
        self.editor.apply_theme(theme)
        self.problem_view.refresh()
        for index, name in enumerate(("results", "matrix", "hint", "history", "progress")):
            self.tabs.setTabIcon(index, icons.icon(name))
        if self.docker.last is not None:
            self.docker_widget.show_health(self.docker.last)
        self.presenter.refresh_hints()
        for page in self.help_pages.values():
            page.refresh()
        for view in (self.results.table, self.matrix.table, self.history.table,
                     self.progress.table, self.browser.view):
            view.viewport().update()

    # ---- problems ----------------------------------------------------------------------------

    def refresh_problems(self) -> None:
        problems = store.list_problems(self.catalog)
        self.browser.set_problems(problems)
        self.progress.set_problems(problems)

    def _on_catalog_read(self, snapshot: CatalogSnapshot) -> None:
        self.browser.set_problems(snapshot.problems)
        self.progress.set_problems(snapshot.problems)
        if self.pack is not None and self.pack.slug == snapshot.slug:
            self.history.set_submissions(snapshot.submissions, snapshot.flags,
                                         self._history_labels())
        self.catalog_refreshed.emit()

    def select_problem(self, slug: str) -> bool:
        """Show a problem: its statement, its draft (or starter), its last result and history."""
        if self.pack is not None and self.pack.slug == slug:
            return True
        try:
            pack = store.get_pack(self.catalog, slug)
        except store.UnknownProblem:
            return False
        self.pack = pack  # a run going on the problem being left goes on (see RunController)
        self.browser.select(slug, emit=False)
        self.problem_view.show_pack(pack)
        # "<problem> — QA Arena": Qt appends the application's display name to a title
        # that does not already end with it, so the name shows once on every platform.
        self.setWindowTitle(f"{window_title(line(pack.title, 80))} — {APP_TITLE}")
        self.editor.mark_line(0)
        self.editor_pane.autosave.begin_problem(slug, starter_tests(pack.function_name,
                                                                    pack.description_md))
        if self._remember:
            self.settings.set(settings.LAST_PROBLEM, slug)
        live = self.runs.focus(slug)
        if live is None:
            self._show_latest_submission()
        else:  # its run is still going: show it as far as it got, then live
            job, events = live
            self.history.set_submissions(store.list_submissions(self.catalog, slug),
                                         submission_flags(self.catalog, slug),
                                         self._history_labels())
            self.presenter.begin_run(job.run_id, pack, job.tests)
            for event in events:
                if isinstance(event, VariantStarted):
                    self.presenter.variant_started(event)
                elif isinstance(event, VariantFinished):
                    self.presenter.variant_finished(event)
        return True

    def _show_latest_submission(self) -> None:
        assert self.pack is not None
        submissions = store.list_submissions(self.catalog, self.pack.slug)
        self.history.set_submissions(submissions, submission_flags(self.catalog, self.pack.slug),
                                     self._history_labels())
        finished = next((s for s in submissions if s.status.is_terminal), None)
        if finished is None:
            self.presenter.show_result(self.pack, None, None)
            return
        detail = store.get_submission(self.catalog, finished.id)
        self.presenter.show_result(self.pack, detail.result, detail.test_code)

    def _history_labels(self) -> BugLabels:
        """The shown problem's bugs as the learner knows them without a run: History's
        messages (a judge fault names its mutant) say "Bug N" unless a hint revealed it."""
        if self.pack is None:
            return BugLabels()
        return bug_labels(self.pack.scored_mutants, revealed=self.hints.revealed_bugs(self.pack.slug))

    @property
    def shown_result(self) -> JudgeResult | None:
        return self.presenter.shown_result

    def reset_to_starter(self) -> None:
        if self.pack is not None:
            self.editor.replace_text_undoably(starter_tests(self.pack.function_name,
                                                            self.pack.description_md))

    def go_to_test(self, name: str) -> None:
        pattern = re.compile(rf"^\s*(async\s+)?def\s+{re.escape(name)}\s*\(")
        for number, text in enumerate(self.editor.toPlainText().splitlines(), start=1):
            if pattern.match(text):
                self.editor.go_to_line(number)
                return

    # ---- runs ---------------------------------------------------------------------------------

    def submit(self) -> str:
        """Judge the editor's tests in the background; returns the run id ('' when nothing to do)."""
        if self.pack is None or self._shut_down:
            return ""
        self.editor_pane.autosave.flush()
        tests = self.editor.toPlainText()
        run_id = self.runs.submit(self.pack, tests)
        self.presenter.begin_run(run_id, self.pack, tests)
        self.tabs.setCurrentIndex(TAB_RESULTS)
        return run_id

    def cancel_run(self) -> None:
        if self.runs.cancel():
            self.statusBar().showMessage("Cancelling: stopping the judge container…")

    def _on_busy_changed(self, busy: bool) -> None:
        self.editor_pane.set_running(busy)
        self.cancel_action.setEnabled(busy)

    def _show_judging(self) -> None:
        """The status bar names the problems being judged (the window shows one of them)."""
        titles = [line(pack.title, 60) for pack in self.runs.judging()]
        if titles:
            self.statusBar().showMessage("Judging " + ", ".join(titles) + "…")
        else:
            self.statusBar().clearMessage()

    def _on_run_finished(self, event: RunFinished) -> None:
        result = event.result
        self.presenter.run_finished(result)
        if result.status is SubmissionStatus.ERROR:
            self.docker.check()
        self._announce(result, shown=True)
        self._after_run()

    def _on_background_finished(self, event: RunFinished | RunErrored) -> None:
        """Another problem's run ended: its score reaches the browser; the status bar says so."""
        if isinstance(event, RunFinished):
            self._announce(event.result, shown=False)
        else:
            self.statusBar().showMessage("The judge failed on another problem's run", 8000)
        self._after_run()

    def _announce(self, result: JudgeResult, shown: bool) -> None:
        if self.runs.judging():
            return  # the status bar keeps naming the runs still going
        where = "" if shown else f" ({line(self._title_of(result.problem), 60)})"
        if result.status is SubmissionStatus.CANCELLED:
            text = f"Run cancelled{where}"
        else:
            text = f"Run finished{where}: {result.status.value.title()}, score {result.score:g}"
        self.statusBar().showMessage(text, 8000)

    def _title_of(self, slug: str) -> str:
        found = next((p for p in self.runs.judging() if p.slug == slug), None)
        if found is not None:
            return found.title
        try:
            return store.get_pack(self.catalog, slug).title
        except store.UnknownProblem:
            return slug

    def _on_run_errored(self, event: RunErrored) -> None:
        self.presenter.run_errored(event)
        self.statusBar().showMessage("The judge failed", 8000)
        self._after_run()

    def _after_run(self) -> None:
        self.refresh_scores()

    def refresh_scores(self) -> None:
        """Scores and history changed (a run, a publish, a recovery): re-read them off the
        GUI thread; the browser, progress and history show them when read."""
        if not self._shut_down:
            self.refresher.refresh(self.pack.slug if self.pack is not None else "")

    # ---- history -----------------------------------------------------------------------------

    def open_submission(self, submission_id: str) -> None:
        """Put a past submission's code in the editor (one undo step) and show its results."""
        detail = store.get_submission(self.catalog, submission_id)
        if self.pack is None or detail.summary.problem != self.pack.slug:
            self.select_problem(detail.summary.problem)
        self.editor.replace_text_undoably(detail.test_code)
        self.presenter.show_result(self.pack, detail.result, detail.test_code, from_editor=False)
        self.statusBar().showMessage("Reopened a past submission (Ctrl+Z brings your draft back)",
                                     8000)

    def show_submission_result(self, submission_id: str) -> None:
        detail = store.get_submission(self.catalog, submission_id)
        self.presenter.show_result(self.pack, detail.result, detail.test_code, from_editor=False)
        self.tabs.setCurrentIndex(TAB_RESULTS)

    # ---- learning path ------------------------------------------------------------------------

    def set_chapter_locks(self, on: bool) -> None:
        """The learning path's locks: off is free practice (every chapter open)."""
        self.settings.set(settings.CHAPTER_LOCKS, on)
        self.browser.set_chapters(self.browser.chapters, on)

    # ---- hints --------------------------------------------------------------------------------

    def _apply_hint_policy(self) -> None:
        allowed = hints_allowed()
        self.hints_action.blockSignals(True)
        self.hints_action.setEnabled(allowed)
        self.hints_action.setChecked(allowed and self.settings.get_bool(settings.HINTS_ENABLED, True))
        self.hints_action.blockSignals(False)
        if not allowed:
            self.hints.set_enabled_by_policy(False, f"{HINTS_ENV}=off is set on this computer "
                                                    "(classroom mode).")
        else:
            self._on_hints_toggled(self.hints_action.isChecked())

    def _on_hints_toggled(self, enabled: bool) -> None:
        self.settings.set(settings.HINTS_ENABLED, enabled)
        self.hints.set_enabled_by_policy(enabled, "Turn them on in View › Show hints for survivors.")

    # ---- docker ---------------------------------------------------------------------------------

    def _on_docker_checked(self, health: DockerHealth) -> None:
        self.docker_widget.show_health(health)
        if not health.ready and self._auto_doctor and not self._doctor_shown:
            self.open_doctor()

    def open_doctor(self) -> DoctorDialog:
        self._doctor_shown = True
        if self.doctor is None:
            self.doctor = DoctorDialog(self.docker, self)
            self.doctor.build_requested.connect(self.build_image)
        self.doctor.show()
        self.doctor.raise_()
        if self.docker.last is None or not self.docker.last.ready:
            self.doctor.check_again()
        return self.doctor

    def build_image(self) -> ImageBuildDialog:
        if self.build_dialog is None or not self.build_dialog.is_building():
            self.build_dialog = ImageBuildDialog(self.tasks, self)
            self.build_dialog.finished_build.connect(lambda _ok: self.docker.check())
            self.build_dialog.start()
        self.build_dialog.show()
        self.build_dialog.raise_()
        return self.build_dialog

    # ---- author studio ---------------------------------------------------------------------

    def open_studio(self) -> StudioWindow:
        """File › Author studio…: this window's one studio, created on first use."""
        if self.studio is None:
            from qa_arena_desktop.ui.studio import create_studio  # loaded on first use only

            self.studio = create_studio(self)
        self.studio.show()
        self.studio.raise_()
        self.studio.activateWindow()
        return self.studio

    # ---- help and files ------------------------------------------------------------------------

    def show_help(self, page: str) -> HelpDialog:
        """Help › Keyboard shortcuts (``shortcuts``) or How scoring and hints work (``scoring``)."""
        dialog = self.help_pages.get(page)
        if dialog is None:
            title, text = (("Keyboard shortcuts", shortcuts_markdown()) if page == "shortcuts"
                           else ("How scoring and hints work", scoring_markdown()))
            dialog = self.help_pages[page] = HelpDialog(title, text, self)
        dialog.show()
        dialog.raise_()
        return dialog

    def save_tests_as(self) -> None:
        name = f"test_{self.pack.slug.replace('-', '_')}.py" if self.pack else "test_mine.py"
        self.editor_pane.save_file_as(name)

    # ---- shutdown -------------------------------------------------------------------------------

    def shutdown(self) -> bool:
        """Save the draft and settings, cancel runs, wait (bounded) for workers. Idempotent."""
        if self._shut_down:
            return self._drained
        self._shut_down = True
        lint_done = self.linter.shutdown()
        self.editor_pane.autosave.flush()
        if self._remember:
            self.settings.set(settings.GEOMETRY, self.saveGeometry())
            self.settings.set(settings.MAIN_SPLITTER, self.splitter.saveState())
            self.settings.set(settings.CENTER_SPLITTER, self.center.saveState())
            self.settings.sync()
        runs_done = self.runs.shutdown()
        services_done = self.tasks.shutdown(SERVICE_WAIT_MS)
        if not runs_done:
            log.warning("a judge run did not stop in time; its container is swept at next start")
        self._drained = runs_done and services_done and lint_done
        return self._drained

    def confirm_quit(self) -> bool:
        """Ask every other window with unsaved work (the studio) first; False: do not quit."""
        return all(guard.confirm_close() for guard in self.quit_guards)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # Closing the main window quits the app: windows with unsaved work ask first, and
        # Cancel there keeps every window open. The editor's draft is saved by shutdown.
        if not self._shut_down and not self.confirm_quit():
            event.ignore()
            return
        self.shutdown()
        for guard in self.quit_guards:
            guard.close_for_quit()
        super().closeEvent(event)
