"""The results tab: a banner that explains the outcome, a progress bar, the live table.

The banner says what happened in words: the score and kills on SUCCESS; on FAILURE
which test failed on the correct implementation (or the syntax error's line) with a
button that jumps there; on ERROR what to do (start Docker, build the image) with the
button that does it. Under the banner, a finished run's flags (see
``judging/flags.py``): each one's meaning, then the flag in parentheses; a flag
asks a person to look and never changes the verdict or the score. When the editor
changes after a run, everything below the "out of date" note is greyed out.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.domain.events import RunErrored
from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.judging import flags as flag_meanings
from qa_arena_desktop.judging.bug_labels import judge_message
from qa_arena_desktop.practice.doctor import error_advice
from qa_arena_desktop.practice.kill_matrix import idle_tests
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.results_model import Column, ResultsModel
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.thin_progress import ThinProgressBar
from qa_arena_desktop.ui.untrusted import block, line, markup, plain

_SYNTAX_LINE = re.compile(r"syntax error in your tests at line (\d+)")
_FAILED_TEST = re.compile(r"^(test[\w.\[\]-]*?)(?:\[.*\])? failed on the correct implementation")


def failure_title(message: str) -> str:
    if _SYNTAX_LINE.search(message):
        return "Your test file has a syntax error"
    if "failed on the correct implementation" in message:
        return "A test fails on the correct implementation"
    if "time limit" in message or "memory limit" in message:
        return "Your tests hit a limit on the correct implementation"
    if "no test" in message:
        return "No tests were found"
    return "Your tests could not be run"


IDLE_TESTS = "Tests that catch no bug"
IDLE_SHOWN = 8  # names listed before "and N more"


def idle_tests_text(result: JudgeResult) -> str:
    """Item for a SUCCESS run: which tests kill nothing (they add nothing to the score)."""
    idle = idle_tests(result)
    if not idle:
        return ""
    names = ", ".join(line(test, 80) for test in idle[:IDLE_SHOWN])
    more = f" and {len(idle) - IDLE_SHOWN} more" if len(idle) > IDLE_SHOWN else ""
    return f"{IDLE_TESTS}: {names}{more}. Each passes on every hidden bug too."


FLAGS_TITLE = "Flagged for review"
FLAGS_NOTE = "A person may look at how these tests work. Flags never change the verdict or the score."


def misconception_text(result: JudgeResult) -> str:
    """"Why is my test wrong?": the hints of the mutants a failing test expects (unnamed)."""
    hints = [m.hint for m in result.misconceptions if m.hint]
    if not hints:
        return ""
    return ("Your test expects the behaviour of a known misreading: "
            + " / ".join(hints) + " Read the description again on that point.")


def flag_entries(flags: tuple[str, ...] | list[str]) -> list[str]:
    """One ``Meaning (flag)`` line per flag, the flag (the judge's text) as one visible line."""
    entries = []
    for flag in flags:
        meaning = flag_meanings.meaning(flag)
        entries.append(f"{meaning[:1].upper()}{meaning[1:]} ({line(flag, 80)})")
    return entries


def syntax_error_line(message: str) -> int:
    match = _SYNTAX_LINE.search(message)
    return int(match.group(1)) if match else 0


def failing_test(message: str) -> str:
    match = _FAILED_TEST.match(message)
    return match.group(1).split("::")[-1] if match else ""


class ResultsPanel(QWidget):
    open_doctor_requested = Signal()
    build_image_requested = Signal()
    go_to_line_requested = Signal(int)
    go_to_test_requested = Signal(str)

    def __init__(self, model: ResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._line = 0
        self._test = ""
        self.shown_flags: tuple[str, ...] = ()

        self.stale_label = QLabel("Out of date: you changed the tests after this run. "
                                  "Submit again (Ctrl+Enter) to refresh.", self)
        self.stale_label.setObjectName("staleLabel")
        self.stale_label.setWordWrap(True)
        self.stale_label.hide()

        self.banner = QFrame(self)
        self.banner.setObjectName("banner")
        self.banner_title = QLabel(self.banner)
        self.banner_title.setObjectName("bannerTitle")
        self.banner_title.setWordWrap(True)
        self.score_label = QLabel(self.banner)
        self.score_label.setObjectName("scoreLabel")
        self.banner_text = QLabel(self.banner)
        self.banner_text.setObjectName("bannerText")
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.RichText)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.go_button = QPushButton(self.banner)
        self.go_button.clicked.connect(self._go)
        self.doctor_button = QPushButton(icons.icon("doctor"), "Open doctor", self.banner)
        self.doctor_button.clicked.connect(self.open_doctor_requested)
        self.build_button = QPushButton(icons.icon("build"), "Build judge image", self.banner)
        self.build_button.clicked.connect(self.build_image_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (self.go_button, self.doctor_button, self.build_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.banner_title, 1)
        top.addWidget(self.score_label, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        banner_layout = QVBoxLayout(self.banner)
        banner_layout.setContentsMargins(12, 10, 12, 10)
        banner_layout.setSpacing(6)
        banner_layout.addLayout(top)
        banner_layout.addWidget(self.banner_text)
        banner_layout.addLayout(buttons)

        # The run's flags: under the banner, in a calm box of their own (not the verdict's
        # colours: a flag is not part of the outcome). Built HTML, the flags escaped.
        self.flags_box = QFrame(self)
        self.flags_box.setObjectName("flagsBox")
        self.flags_text = QLabel(self.flags_box)
        self.flags_text.setObjectName("flagsText")
        self.flags_text.setWordWrap(True)
        self.flags_text.setTextFormat(Qt.TextFormat.RichText)
        self.flags_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        flags_layout = QVBoxLayout(self.flags_box)
        flags_layout.setContentsMargins(12, 8, 12, 8)
        flags_layout.addWidget(self.flags_text)
        self.flags_box.hide()

        self.progress = ThinProgressBar(self)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("muted")

        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.VARIANT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.STATE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.KILLED_BY, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.setColumnWidth(Column.STATE, 96)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_details())
        self.details = plain(QLabel(self))  # the run's test ids and messages: text, never HTML
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        self.body = QWidget(self)
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(8)
        body_layout.addWidget(self.banner)
        body_layout.addWidget(self.flags_box)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.progress_label)
        body_layout.addLayout(progress_row)
        body_layout.addWidget(self.table, 3)
        body_layout.addWidget(self.details, 1)
        body_layout.addStretch(0)  # holds the banner at the top while the table is hidden

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.stale_label)
        layout.addWidget(self.body, 1)
        model.dataChanged.connect(self._update_progress)
        model.dataChanged.connect(lambda *_: self._show_details())
        model.modelReset.connect(self._update_progress)
        model.modelReset.connect(self._show_details)
        self.show_idle()

    # ---- banner states ----------------------------------------------------------------------

    def _set_banner(self, kind: str, title: str, text: str = "", score: str = "",
                    detail: str = "", note: str = "") -> None:
        """``text`` is a sentence; ``detail`` (an assertion, a diff) is shown in monospace.

        Both may hold the run's text (a test id, a message): escaped, never markup."""
        self.banner.setProperty("kind", kind)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner_title.setText(title)
        body = markup(text).replace("\n", "<br>")
        if detail:
            mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
            body += (f'<div style="white-space: pre-wrap; font-family: \'{mono}\'; '
                     f'margin-top: 6px;">{markup(detail)}</div>')
        if note:
            body += f"<p>{markup(note)}</p>"
        self.banner_text.setText(body)
        self.banner_text.setVisible(bool(text))
        self.score_label.setText(score)
        self.score_label.setVisible(bool(score))
        for button in (self.go_button, self.doctor_button, self.build_button):
            button.hide()
        self._line, self._test = 0, ""
        self._set_flags(())  # a result's flags come back with show_result

    def _set_flags(self, flags: tuple[str, ...]) -> None:
        """Show ``flags`` (one entry per flag, meaning first) under the banner; none: hidden."""
        self.shown_flags = tuple(flags)
        if not flags:
            self.flags_text.clear()
            self.flags_box.hide()
            return
        theme = current_theme()
        self.flags_box.setStyleSheet(
            f"QFrame#flagsBox {{ border: 1px solid {theme.border}; border-radius: 8px; "
            f"background: {theme.alt_base}; }}")
        entries = "".join(f"<li>{markup(entry)}</li>" for entry in flag_entries(flags))
        self.flags_text.setText(
            f"<b>{FLAGS_TITLE}</b><ul style=\"margin-top: 4px; margin-bottom: 4px; "
            f"margin-left: 0px; -qt-list-indent: 1;\">{entries}</ul>"
            f"<span style=\"color: {theme.muted};\">{FLAGS_NOTE}</span>")
        self.flags_box.show()

    def banner_kind(self) -> str:
        return str(self.banner.property("kind") or "")

    def show_idle(self) -> None:
        self.set_stale(False)
        self._set_banner("info", "No run yet",
                         "Write tests in the editor, then press Submit (Ctrl+Enter). Each hidden "
                         "bug your tests catch shows up here the moment it is judged.")
        self.progress.setValue(0)
        self._update_progress()

    def show_running(self) -> None:
        self.set_stale(False)
        self._set_banner("running", "Judging your tests…",
                         "Your tests run first on the correct implementation, then on every "
                         "hidden buggy version.")
        self._update_progress()

    def show_result(self, result: JudgeResult) -> None:
        if result.status is SubmissionStatus.SUCCESS:
            survivors = result.total_mutants - result.killed_mutants
            text = (f"{result.killed_mutants} of {result.total_mutants} hidden bugs caught "
                    f"({result.kill_ratio:.0%} by weight).")
            text += (" Every bug caught: solved!" if survivors == 0 else
                     f" {survivors} survived: the Hints tab helps you find them.")
            title = "All bugs caught" if survivors == 0 else "Your tests pass on the correct code"
            self._set_banner("success", title, text, score=f"{result.score:g}",
                             note=idle_tests_text(result))
        elif result.status is SubmissionStatus.FAILURE:
            sentence, _, detail = result.message.partition("implementation: ")
            if detail:
                sentence += "implementation:"
            note = "Verdicts on the hidden bugs count once every test passes on the correct code."
            if misconception_text(result):  # which known misreading the failing test expects
                note = misconception_text(result) + "\n\n" + note
            self._set_banner("failure", failure_title(result.message), sentence, score="0",
                             detail=detail, note=note)
            self._line = syntax_error_line(result.message)
            self._test = failing_test(result.message)
            if self._line:
                self.go_button.setText(f"Go to line {self._line}")
                self.go_button.show()
            elif self._test:
                self.go_button.setText(f"Show {line(self._test, 60)}")
                self.go_button.show()
        elif result.status is SubmissionStatus.CANCELLED:
            judged = self.model.judged_count()
            total = self.model.rowCount()
            self._set_banner("info", "Run cancelled",
                             f"Stopped before the end: {judged} of {total} judged. Nothing was "
                             "scored and it does not count as a try; submit again when you "
                             "are ready.")
            self.doctor_button.hide()
            self.build_button.hide()
        else:
            self._show_error(judge_message(result.message, self.model.labels()))
        self._set_flags(tuple(result.flags))
        self._update_progress()
        self.select_interesting_row()

    def select_interesting_row(self) -> None:
        """Select what deserves a look: the failing golden row, else the first survivor."""
        row = self.model.first_row_in("FAILED")
        if row < 0:
            row = self.model.first_row_in("SURVIVED", "ERROR")
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            # Current, not selected: a selection would paint over the verdict colours.
            self.table.clearSelection()
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)

    def show_errored(self, event: RunErrored) -> None:
        self._show_error(event.message)

    def _show_error(self, message: str) -> None:
        advice, doctor, build = error_advice(message)
        if "cancelled" in message.lower():
            self._set_banner("info", "Run cancelled", advice)
        else:
            self._set_banner("error", "The judge could not run", f"{message}\n\n{advice}")
        self.doctor_button.setVisible(doctor)
        self.build_button.setVisible(build)

    def _go(self) -> None:
        if self._line:
            self.go_to_line_requested.emit(self._line)
        elif self._test:
            self.go_to_test_requested.emit(self._test)

    def refresh_details(self) -> None:
        """The selected row's explanation again (its bug's label may have changed)."""
        self._show_details()

    def _show_details(self) -> None:
        """The selected row's story: who killed it and the first failure message."""
        row = self.model.row_at(self.table.currentIndex().row())
        if row is None:
            self.details.setText("Select a row to see why it got its verdict.")
            return
        self.details.setText(block(self.model.explanation(row))
                             or f"{self.model.label(row)}: {row.state.lower()}")

    # ---- stale + progress -------------------------------------------------------------------

    def set_stale(self, stale: bool) -> None:
        """Grey out the banner, progress and rows (no graphics effect: those make every
        repaint of the live table expensive)."""
        self.model.set_stale(stale)
        self.stale_label.setVisible(stale)
        self.banner.setProperty("stale", stale)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        for label in (self.banner_title, self.banner_text, self.score_label, self.flags_text):
            label.setEnabled(not stale)
        self.progress.setEnabled(not stale)
        self.details.setEnabled(not stale)

    def is_stale(self) -> bool:
        return self.model.is_stale()

    def _update_progress(self) -> None:
        total = self.model.rowCount()
        for widget in (self.table, self.details, self.progress, self.progress_label):
            widget.setVisible(total > 0)
        done = self.model.judged_count()
        if self.progress.maximum() != max(1, total):
            self.progress.setMaximum(max(1, total))
        if self.progress.value() != done:
            self.progress.setValue(done)
        if total and self.model.golden_failed():  # nothing else counts then
            self.progress_label.setText("correct code failed: bugs not checked")
        else:
            self.progress_label.setText(f"{done} / {total} judged" if total else "")
