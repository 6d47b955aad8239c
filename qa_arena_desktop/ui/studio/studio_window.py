"""The Author studio window: open or create a pack, edit it, validate, generate, save, publish.

The window owns one :class:`PackDraft` (GUI thread only) and the folder it saves
to. Edits land in the draft at once; a short timer then recomputes the inline
errors (:func:`field_errors`: milliseconds, no Docker). A field's errors show
once it was edited, or for every field after Validate or a refused Publish: a
pack just opened does not greet the author with red. The status bar's "N
problems to fix" counts them all and lists them: picking one jumps to its field. Validation and candidate
generation go to the studio's own task runner (ui/tasks.py) as one-shot jobs that get a deep copy of
the draft or plain strings (see ``authoring/jobs.py``), with a run id so an
older run's result never replaces a newer one, and a revision so a result from
before the latest edit is marked stale. The GUI thread never waits on Docker.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.authoring.draft import (
    DraftError,
    PackDraft,
    field_errors,
    load_draft,
    signature_from_golden,
)
from qa_arena_desktop.authoring.jobs import GenerateResult, generate_and_check, validate_draft
from qa_arena_desktop.authoring.pack_writer import export_zip, publish, write_pack
from qa_arena_desktop.authoring.validation import PackValidation
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.backend import Backend
from qa_arena_desktop.packs.loader import PackError
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.code_editor import CodeEditor
from qa_arena_desktop.ui.studio import class_report_dialog
from qa_arena_desktop.ui.studio.candidates_panel import CandidatesPanel, Pick
from qa_arena_desktop.ui.studio.fields import ErrorLabel, errors_for, visible_errors
from qa_arena_desktop.ui.studio.mutants_panel import MutantsPanel
from qa_arena_desktop.ui.studio.pack_form import PackForm
from qa_arena_desktop.ui.studio.validation_panel import ValidationPanel
from qa_arena_desktop.ui.studio.wizard import NewPackDialog
from qa_arena_desktop.ui.tasks import Task, TaskContext, TaskRunner
from qa_arena_desktop.ui.unsaved import Answer, Prompt, ask_save_discard_cancel
from qa_arena_desktop.ui.untrusted import line, window_title

TAB_PACK, TAB_GOLDEN, TAB_TESTS, TAB_MUTANTS, TAB_VALIDATE, TAB_GENERATE = range(6)
ERRORS_DELAY_MS = 120
SHUTDOWN_WAIT_MS = 5000


def _editor_tab(editor: CodeEditor, error: ErrorLabel) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(12, 12, 12, 12)
    layout.addWidget(error)
    layout.addWidget(editor, 1)
    return page


TITLE = "Author studio — QA Arena"


class StudioWindow(QMainWindow):
    published = Signal(str)  # slug, once the pack is in the catalog
    errors_refreshed = Signal(object)  # dict field -> messages
    validation_finished = Signal(object)  # PackValidation
    generation_finished = Signal(object)  # GenerateResult
    generation_progress = Signal(int, int)  # judged, total (the current run only)
    job_failed = Signal(str)

    def __init__(self, catalog: Catalog, backend: Backend | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self._backend = backend
        self._own_backend: Any = None
        self.draft: PackDraft | None = None
        self.folder: Path | None = None  # where Save writes; None until chosen
        self.errors: dict[str, list[str]] = {}  # every problem, shown or not
        self.touched: set[str] = set()  # fields edited since the pack was opened
        self.show_all = False  # after Validate (or a refused Publish): every field's errors
        self.last_message = ""
        self._revision = 0
        self._saved_revision = 0
        self._run_ids = itertools.count(1)
        self._current = {"validate": 0, "generate": 0}
        self._jobs: dict[str, Task] = {}  # the latest task of each kind ("validate", "generate")
        self._shut_down = False
        self._quitting = False  # the app is quitting and the question was asked already
        # The Save / Discard / Cancel question (tests pass their own answer), and what Quit
        # does (the main window's close when opened from it: it asks every window first).
        self.prompt: Prompt = ask_save_discard_cancel
        self.on_quit: Callable[[], object] | None = None
        self.tasks = TaskRunner(self, max_threads=2)
        self.setWindowTitle(TITLE)
        self.setWindowIcon(icons.icon("app"))
        self.resize(1400, 900)

        self.form = PackForm()
        self.golden = CodeEditor()
        self.golden_error = ErrorLabel("golden")
        self.tests = CodeEditor()
        self.tests_error = ErrorLabel("reference_tests")
        self.mutants = MutantsPanel()
        self.validation = ValidationPanel()
        self.candidates = CandidatesPanel()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for widget, label in ((self.form, "Pack"), (_editor_tab(self.golden, self.golden_error), "Golden"),
                              (_editor_tab(self.tests, self.tests_error), "Reference tests"),
                              (self.mutants, "Mutants"), (self.validation, "Validate"),
                              (self.candidates, "Generate")):
            self.tabs.addTab(widget, label)
        self.welcome = self._welcome_page()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.problems_label = QToolButton()
        self.problems_label.setObjectName("problemsButton")
        self.problems_label.setAutoRaise(True)
        self.problems_label.setStyleSheet(
            "QToolButton#problemsButton::menu-indicator { image: none; width: 0; }")
        self.problems_label.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.problems_menu = QMenu(self.problems_label)
        self.problems_label.setMenu(self.problems_menu)
        self.statusBar().addPermanentWidget(self.problems_label)
        self.toolbar_actions = self._build_toolbar()
        self._build_menu()

        self._errors_timer = QTimer(self)
        self._errors_timer.setSingleShot(True)
        self._errors_timer.setInterval(ERRORS_DELAY_MS)
        self._errors_timer.timeout.connect(self.refresh_errors)
        self.form.edited.connect(self._edited)
        self.mutants.edited.connect(self._edited)
        self.golden.textChanged.connect(self._golden_changed)
        self.tests.textChanged.connect(self._tests_changed)
        self.validation.run_button.clicked.connect(self.validate)
        self.candidates.generate_requested.connect(self.generate)
        self.candidates.add_requested.connect(self.add_candidates)
        self.candidates.cancel_requested.connect(self.cancel_generate)
        self._set_enabled(False)  # the welcome page says what to do: no status message too
        # Class report…: failing groups as mutant suggestions; the open dialog is kept here
        self.class_report_dialog: class_report_dialog.ClassReportDialog | None = None
        class_report_dialog.install(self)

    # ---- construction ------------------------------------------------------------------------

    def _build_toolbar(self) -> dict[str, QAction]:
        bar = QToolBar("Studio")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(bar)
        actions: dict[str, QAction] = {}
        for key, text, icon, shortcut, slot in (
            ("new", "New pack…", "app", QKeySequence.StandardKey.New, self.new_pack_dialog),
            ("open", "Open…", "open", QKeySequence.StandardKey.Open, self.open_dialog),
            ("save", "Save", "save", QKeySequence.StandardKey.Save, self.save),
            ("export", "Export zip…", "build", None, self.export_dialog),
            ("publish", "Publish", "progress", None, self.publish),
            (None, None, None, None, None),
            ("validate", "Validate", "matrix", QKeySequence("Ctrl+Shift+V"), self.validate),
            ("generate", "Generate candidates", "hint", QKeySequence("Ctrl+Shift+G"), self.generate),
        ):
            if key is None or text is None or icon is None or slot is None:
                bar.addSeparator()
                continue
            action = bar.addAction(icons.icon(icon), text)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            actions[key] = action
        return actions

    def _build_menu(self) -> None:
        """File menu: the toolbar's actions, Close window (Ctrl+W) and Quit (Ctrl+Q)."""
        menu = self.menuBar().addMenu("&File")
        for key in ("new", "open", "save", "export", "publish"):
            menu.addAction(self.toolbar_actions[key])
        menu.addSeparator()
        close = menu.addAction("&Close window")
        # Spelled out: the standard keys are empty on some Linux platform themes.
        close.setShortcut(QKeySequence("Ctrl+W"))
        close.triggered.connect(self.close)
        quit_action = menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.quit_app)
        self.toolbar_actions["close"], self.toolbar_actions["quit"] = close, quit_action

    def _welcome_page(self) -> QWidget:
        """What an empty studio shows: two ways in, and no form of blank fields."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        text = QLabel("Open a pack (a folder or a zip) or start a new one.")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setObjectName("muted")
        layout.addWidget(text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.welcome_new = QPushButton(icons.icon("app"), "New pack…")
        self.welcome_new.setObjectName("primaryButton")
        self.welcome_open = QPushButton(icons.icon("open"), "Open…")
        buttons.addWidget(self.welcome_new)
        buttons.addWidget(self.welcome_open)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.welcome_new.clicked.connect(self.new_pack_dialog)
        self.welcome_open.clicked.connect(self.open_dialog)
        return page

    def _set_enabled(self, enabled: bool) -> None:
        self.stack.setCurrentWidget(self.tabs if enabled else self.welcome)
        self.tabs.setEnabled(enabled)
        for key in ("save", "export", "publish", "validate", "generate"):
            self.toolbar_actions[key].setEnabled(enabled)

    def show_message(self, text: str, timeout_ms: int = 0) -> None:
        self.last_message = text
        self.statusBar().showMessage(text, timeout_ms)

    # ---- opening -----------------------------------------------------------------------------

    def load(self, draft: PackDraft, folder: Path | None) -> None:
        """Show ``draft``; Save writes to ``folder`` (None: asks on first save)."""
        self.draft, self.folder = draft, folder
        self.form.load(draft)
        for editor, text in ((self.golden, draft.golden_source), (self.tests, draft.reference_tests)):
            editor.blockSignals(True)
            editor.setPlainText(text)
            editor.blockSignals(False)
        self.mutants.load(draft)
        self.touched, self.show_all = set(), False
        self._revision += 1
        self._saved_revision = self._revision if folder is not None else -1
        self._set_enabled(True)
        if not draft.function_signature.strip():
            signature = signature_from_golden(draft.golden_source)
            if signature:
                self.form.set_signature(signature)  # an edit: the pack shows as changed
        self._update_title()
        self.refresh_errors()

    def open_path(self, path: Path) -> bool:
        try:
            draft = load_draft(path)
        except DraftError as exc:
            self.show_message(f"Could not open {path}: {exc}")
            return False
        self.load(draft, path if path.is_dir() else None)
        self.show_message(f"Opened {path}" + ("" if path.is_dir() else
                                               " (from a zip: Save asks where to write it)"))
        return True

    def confirm_close(self) -> bool:
        """Save / Discard / Cancel when the pack has unsaved edits; True: go on.

        Save that fails (a folder not chosen, a write error) keeps the window open with
        the reason in the status bar; Discard goes back to the saved pack (or an empty
        studio for a pack never saved). No edit is ever dropped without this question.
        """
        if not self.is_dirty():
            return True
        assert self.draft is not None
        name = self.draft.slug or "the new pack"
        answer = self.prompt(self, f"The pack {name} has unsaved changes. Save them first?")
        if answer is Answer.SAVE:
            return self.save()
        if answer is Answer.DISCARD:
            self.discard_edits()
            return True
        return False

    def discard_edits(self) -> None:
        """Drop unsaved edits: reload the saved pack, or empty the studio if never saved."""
        if self.folder is not None and self.folder.is_dir():
            try:
                self.load(load_draft(self.folder), self.folder)
                return
            except DraftError:
                pass
        self.draft, self.folder = None, None
        self._revision = self._saved_revision = 0
        self.errors = {}
        self.problems_label.setText("")
        self.problems_menu.clear()
        self._set_enabled(False)
        self._update_title()

    def quit_app(self) -> None:
        """Ctrl+Q: quit the whole app (the main window asks each window with unsaved work)."""
        if self.on_quit is not None:
            self.on_quit()
        else:
            self.close()

    def close_for_quit(self) -> None:
        """Close without asking again: the app is quitting and the question was answered."""
        self._quitting = True
        self.shutdown()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._quitting or self._shut_down or self.confirm_close():
            event.accept()
            super().closeEvent(event)
        else:
            event.ignore()

    def _discard_ok(self) -> bool:
        return self.confirm_close()

    def open_dialog(self) -> None:
        if not self._discard_ok():
            return
        folder = QFileDialog.getExistingDirectory(self, "Open a pack folder (Cancel to pick a zip)")
        if not folder:
            folder, _ = QFileDialog.getOpenFileName(self, "Open a pack zip", "", "Pack zip (*.zip)")
        if folder:
            self.open_path(Path(folder))

    def new_pack_dialog(self) -> None:
        if not self._discard_ok():
            return
        dialog = NewPackDialog(self)
        if dialog.exec() == NewPackDialog.DialogCode.Accepted:
            self.load(dialog.draft(), None)
            self.tabs.setCurrentIndex(TAB_GOLDEN)
            self.show_message("New pack: write reference tests, then generate or add mutants.")

    # ---- editing -----------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.draft is not None and self._revision != self._saved_revision

    def _edited(self, field: str = "") -> None:
        if field:
            self.touched.add(field)
        self._revision += 1
        self._update_title()
        self._errors_timer.start()

    def _golden_changed(self) -> None:
        if self.draft is not None:
            self.draft.golden_source = self.golden.toPlainText()
            self.mutants.refresh_diff()
            if not self.draft.function_signature.strip():
                signature = signature_from_golden(self.draft.golden_source)
                if signature:
                    self.form.set_signature(signature)  # an empty signature follows golden
            self._edited("golden")

    def _tests_changed(self) -> None:
        if self.draft is not None:
            self.draft.reference_tests = self.tests.toPlainText()
            self._edited("reference_tests")

    def _update_title(self) -> None:
        if self.draft is None:
            self.setWindowTitle(TITLE)
            return
        name = self.draft.slug or "untitled"
        # the pack first; "QA Arena" last and once (Qt appends the app's display name
        # to a title that does not end with it)
        self.setWindowTitle(window_title(f"{name}{' •' if self.is_dirty() else ''} — {TITLE}"))

    def refresh_errors(self) -> None:
        if self.draft is None:
            return
        self.errors = field_errors(self.draft)
        shown = visible_errors(self.errors, self.touched, self.show_all)
        self.form.show_errors(shown)
        self.golden_error.show_messages(errors_for(shown, "golden"))
        self.tests_error.show_messages(errors_for(shown, "reference_tests"))
        self.mutants.show_errors(shown)
        self._fill_problems_menu()
        self.tabs.setTabText(TAB_MUTANTS, f"Mutants ({len(self.draft.mutants)})")
        self.errors_refreshed.emit(self.errors)

    def _fill_problems_menu(self) -> None:
        """"N problems to fix" in the status bar: a menu of them all; each jumps to its field."""
        count = sum(len(m) for m in self.errors.values())
        self.problems_label.setText(f"⚠ {count} problem{'s' if count != 1 else ''} to fix"
                                    if count else "No problems found while typing")
        self.problems_label.setEnabled(bool(count))
        self.problems_label.setToolTip("Click to list them and jump to each field" if count else "")
        self.problems_menu.clear()
        for key, messages in self.errors.items():
            for message in messages:
                text = line(f"{key}: {message}", 160).replace("&", "&&")
                action = self.problems_menu.addAction(text)
                action.triggered.connect(lambda _checked=False, k=key: self.go_to_field(k))

    def problems(self) -> list[str]:
        """The texts of the problems menu (for tests)."""
        return [a.text().replace("&&", "&") for a in self.problems_menu.actions()]

    def go_to_field(self, key: str) -> None:
        """Show the tab of ``key`` (``slug``, ``golden``, ``mutants[2].hint``…), focus its input
        and show its errors (as if it were edited)."""
        self.touched.add(key)
        match = re.match(r"mutants\[(\d+)\](?:\.(\w+))?", key)
        if match:
            self.tabs.setCurrentIndex(TAB_MUTANTS)
            self.mutants.focus_field(int(match.group(1)), match.group(2) or "name")
        elif key == "mutants":
            self.tabs.setCurrentIndex(TAB_MUTANTS)
            self.mutants.list.setFocus()
        elif key in ("golden", "reference_tests"):
            self.tabs.setCurrentIndex(TAB_GOLDEN if key == "golden" else TAB_TESTS)
            (self.golden if key == "golden" else self.tests).setFocus()
        else:
            self.tabs.setCurrentIndex(TAB_PACK)
            widget = self.form.widget_for(key.split(".")[0])
            if widget is not None:
                widget.setFocus()
        self.refresh_errors()

    def reveal_all_errors(self) -> None:
        """Validate (or a refused Publish): every field shows its errors from now on."""
        self.show_all = True
        self.refresh_errors()

    def add_candidates(self, picks: list[Pick]) -> None:
        if self.draft is None:
            return
        added = [self.draft.add_mutant(pick.name, pick.candidate.source, pick.hint).name
                 for pick in picks]
        self.mutants.load(self.draft, select=len(self.draft.mutants) - 1)
        self._edited("mutants")
        self.show_message(f"Added {len(added)} mutant(s): {', '.join(added)}", 8000)

    # ---- saving, export, publish ---------------------------------------------------------------

    def save(self) -> bool:
        if self.draft is None:
            return False
        if self.folder is None:
            parent = QFileDialog.getExistingDirectory(self, "Save the pack in which folder?")
            if not parent:
                return False
            return self.save_to(Path(parent) / (self.draft.slug or "new-pack"))
        return self.save_to(self.folder)

    def save_to(self, folder: Path) -> bool:
        assert self.draft is not None
        try:
            report = write_pack(self.draft, folder)
        except (OSError, ValueError) as exc:
            self.show_message(f"Could not save: {exc}")
            return False
        self.folder = folder
        self._saved_revision = self._revision
        self._update_title()
        changed = len(report.written) + len(report.removed)
        self.show_message(f"Saved to {folder} ({changed} file(s) changed)", 8000)
        return True

    def export_dialog(self) -> None:
        if self.draft is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Export the pack as a zip",
                                                f"{self.draft.slug or 'pack'}.zip", "Zip (*.zip)")
        if target:
            self.export_to(Path(target))

    def export_to(self, destination: Path) -> bool:
        if not self.save():
            return False
        assert self.folder is not None
        export_zip(self.folder, destination)
        problems = " (it has problems: see the status bar)" if self.errors else ""
        self.show_message(f"Exported {destination}{problems}", 8000)
        return True

    def publish(self) -> bool:
        """Save, then import the pack into the local catalog (it must load cleanly)."""
        if not self.save():
            return False
        assert self.folder is not None and self.draft is not None
        try:
            pack, outcome = publish(self.catalog, self.folder)
        except PackError as exc:
            first = str(exc.issues[0]) if exc.issues else str(exc)
            self.show_message(f"Not published: {len(exc.issues)} problem(s), first: {first}")
            self.reveal_all_errors()
            return False
        self.show_message(f"Published {pack.slug} to the problem browser ({outcome})", 8000)
        self.published.emit(pack.slug)
        return True

    # ---- background jobs -----------------------------------------------------------------------

    def backend(self) -> Backend:
        if self._backend is None:
            from qa_arena_desktop.judging.docker_backend import DockerBackend

            # Kept warm: golden's container serves the candidates' batch, and the next
            # Validate or Generate starts at once; shutdown() removes them.
            self._own_backend = DockerBackend(keep_warm=True)
            self._backend = self._own_backend
        return self._backend

    def _start(self, kind: str, job: Callable[[TaskContext], Any],
               on_done: Callable[[Any, bool], None], on_failed: Callable[[str], None],
               on_progress: Callable[[Any], None] | None = None) -> int:
        """Run ``job`` on the studio's runner; returns its run id. Only the latest run of a
        kind reaches ``on_done`` (with whether the draft changed since it started),
        ``on_failed`` or ``on_progress``: an older run never overwrites a newer one."""
        run_id = next(self._run_ids)
        self._current[kind] = run_id
        revision = self._revision

        def current() -> bool:
            return run_id == self._current[kind]

        def done(value: object) -> None:
            if current():
                on_done(value, revision != self._revision)

        def failed(message: str) -> None:
            if current():
                on_failed(message)

        task = self._jobs[kind] = self.tasks.start(job)
        task.done.connect(done)
        task.failed.connect(failed)
        if on_progress is not None:
            task.progress.connect(lambda value: on_progress(value) if current() else None)
        return run_id

    def validate(self) -> int:
        if self.draft is None or self._shut_down:
            return 0
        snapshot, backend = copy.deepcopy(self.draft), self.backend()
        self.reveal_all_errors()
        self.tabs.setCurrentIndex(TAB_VALIDATE)
        self.validation.set_running(True, "Validating in the judge: reference tests against golden "
                                    "and every mutant, twice…")

        def finished(result: PackValidation, stale: bool) -> None:
            self.validation.show_result(result, snapshot.difficulty, stale,
                                        tuple(m.name for m in snapshot.mutants))
            self.show_message(f"Validation: {'valid' if result.ok else 'not valid yet'}", 8000)
            self.validation_finished.emit(result)

        def failed(message: str) -> None:
            self.validation.show_error(message)
            self.job_failed.emit(message)

        return self._start("validate", lambda _context: validate_draft(snapshot, backend),
                           finished, failed)

    def generate(self) -> int:
        """Generate candidates of golden and judge them as one batch (progress, cancellable).

        A new run cancels the one before it: its result would be dropped anyway.
        """
        if self.draft is None or self._shut_down:
            return 0
        golden, tests = self.draft.golden_source, self.draft.reference_tests
        support = self.draft.support_files()  # helpers the reference tests import
        limit = float(self.draft.time_limit_s or 5.0)
        self._cancel_job("generate")
        backend = self.backend()
        self.tabs.setCurrentIndex(TAB_GENERATE)
        self.candidates.set_running(True, "Generating candidates and judging them against the "
                                    "reference tests…")

        def job(context: TaskContext) -> GenerateResult:
            return generate_and_check(golden, tests, backend, limit, context.cancel,
                                      lambda done, total: context.report((done, total)),
                                      support_files=support)

        def finished(result: GenerateResult, _stale: bool) -> None:
            self.candidates.show_result(result)
            self.generation_finished.emit(result)

        def failed(message: str) -> None:
            self.candidates.set_running(False, f"Could not generate: {message}")
            self.job_failed.emit(message)

        return self._start("generate", job, finished, failed, self._generate_progress)

    def cancel_generate(self) -> None:
        """Stop the running batch: its containers are stopped, the verdicts so far kept."""
        self._cancel_job("generate")
        self.candidates.cancel_button.setEnabled(False)
        self.candidates.state.setText("Cancelling: stopping the judge containers…")

    def _cancel_job(self, kind: str) -> None:
        task = self._jobs.get(kind)
        if task is not None:
            task.cancel()

    def _generate_progress(self, progress: tuple[int, int]) -> None:
        done, total = progress
        self.candidates.set_progress(done, total)
        self.generation_progress.emit(done, total)

    # ---- shutdown ------------------------------------------------------------------------------

    def shutdown(self) -> bool:
        """Cancel candidate runs, wait (bounded) for the pool, release the judge. Idempotent."""
        if self._shut_down:
            return True
        self._shut_down = True
        drained = self.tasks.shutdown(SHUTDOWN_WAIT_MS)  # cancels every job first
        if self._own_backend is not None:
            self._own_backend.close()
        return drained

