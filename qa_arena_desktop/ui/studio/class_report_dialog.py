"""Open a class report in the Author studio: "failed on the correct code" groups as suggestions.

``qa-arena grade`` writes ``<report>-class-report.json``; its groups of students whose tests
failed on the correct code with the same assertion are shared misreadings of the spec,
which is what a misconception mutant captures (a mutant that behaves the way those
students expected, with a hint that names the misreading). The dialog lists the groups,
most students first; *Start a mutant from this* adds a mutant to the open pack that
starts as a copy of golden with the group's assertion in a comment at the top, and opens
it in the Mutants tab for the author to change. (Until it is changed, validation says it
differs from golden only in comments: the reminder to finish it.)

Everything in a group came from students' test files: shown through ``ui.untrusted``.
Hooked into the studio by :func:`install` (a toolbar action, Class report...).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.classroom.class_analytics import (
    ClassReportError,
    Suggestion,
    load_class_report,
)
from qa_arena_desktop.text_safety import one_line
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.untrusted import block, line, plain, tip

if TYPE_CHECKING:
    from qa_arena_desktop.ui.studio.studio_window import StudioWindow

COL_STUDENTS, COL_ASSERTION, COL_TESTS = range(3)


def mutant_source(golden: str, suggestion: Suggestion) -> str:
    """Golden with the misreading on top, as comments (one escaped line each: a student's
    text never becomes code)."""
    head = [f"# Misconception seen in {suggestion.students} student(s)' tests: they expect",
            f"#   {one_line(suggestion.message, 200)}",
            "# Change this copy of golden so that it behaves the way they expected."]
    return "\n".join(head) + "\n" + golden


class ClassReportDialog(QDialog):
    """The groups of one class report; *Start a mutant from this* hands one to the studio."""

    def __init__(self, studio: StudioWindow, path: Path, title: str,
                 suggestions: list[Suggestion], parent: QWidget | None = None) -> None:
        super().__init__(parent or studio)
        self.studio = studio
        self.suggestions = suggestions
        self.setWindowTitle(line(f"Class report: {title}"))
        self.resize(900, 520)
        self.summary = plain(QLabel(
            f"{len(suggestions)} group(s) of students whose tests failed on the correct code "
            f"with the same assertion ({path.name}). A large group is a shared misreading of "
            "the spec: a candidate for a misconception mutant."
            if suggestions else f"No student's tests failed on the correct code ({path.name})."))
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Students", "Failing assertion", "Tests"])
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(COL_STUDENTS, 70)
        self.tree.setColumnWidth(COL_ASSERTION, 480)
        self.items: list[QTreeWidgetItem] = []
        for suggestion in suggestions:
            item = QTreeWidgetItem([str(suggestion.students), line(suggestion.message),
                                    line(", ".join(suggestion.tests), 120)])
            item.setToolTip(COL_ASSERTION, tip("\n".join(suggestion.examples)
                                               or suggestion.message))
            item.setToolTip(COL_TESTS, tip("\n".join(suggestion.files)))
            self.tree.addTopLevelItem(item)
            self.items.append(item)
        self.detail = plain(QLabel())
        self.detail.setWordWrap(True)
        self.start_button = QPushButton("Start a mutant from this")
        self.start_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.start_button.clicked.connect(self.start_mutant)
        self.tree.currentItemChanged.connect(self._selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addWidget(buttons)
        if self.items:
            self.tree.setCurrentItem(self.items[0])

    def current(self) -> Suggestion | None:
        current = self.tree.currentItem()
        return next((s for s, item in zip(self.suggestions, self.items, strict=True)
                     if item is current), None)

    def _selected(self) -> None:
        suggestion = self.current()
        self.start_button.setEnabled(suggestion is not None and self.studio.draft is not None)
        if suggestion is None:
            self.detail.clear()
            return
        examples = "\n".join(f"  {e}" for e in suggestion.examples)
        self.detail.setText(block(f"Examples:\n{examples}\nFiles: {', '.join(suggestion.files)}"))

    def start_mutant(self) -> str:
        """Add the selected group as a new mutant of the open pack; returns its name."""
        suggestion, draft = self.current(), self.studio.draft
        if suggestion is None or draft is None:
            return ""
        mutant = draft.add_mutant("misconception", mutant_source(draft.golden_source, suggestion))
        self.studio.mutants.load(draft, select=len(draft.mutants) - 1)
        self.studio._edited()  # noqa: SLF001 - the studio's one "the draft changed" path
        self.studio.tabs.setCurrentWidget(self.studio.mutants)
        self.studio.show_message(f"Added mutant {mutant.name}: make it behave the way "
                                 "those students expected, then give it a hint", 8000)
        return mutant.name


def open_class_report(studio: StudioWindow, path: Path) -> ClassReportDialog | None:
    """Show ``path``'s suggestions (non-modal); ``None`` with a status message if unreadable."""
    try:
        report, suggestions = load_class_report(path)
    except ClassReportError as exc:
        studio.show_message(f"Could not open the class report: {exc}")
        return None
    dialog = ClassReportDialog(studio, path, str(report.get("title", "")), suggestions)
    dialog.show()
    return dialog


def install(studio: StudioWindow) -> QAction:
    """The studio's toolbar action *Class report...* (File dialog, then the suggestions)."""

    def choose() -> None:
        name, _ = QFileDialog.getOpenFileName(studio, "Open a class report (from qa-arena grade)",
                                              "", "Class report (*class-report.json);;JSON (*.json)")
        if name:
            studio.class_report_dialog = open_class_report(studio, Path(name))

    action = QAction(icons.icon("open"), "Class report…", studio)
    action.setToolTip("Open a class report: the assertions students' tests failed on, as "
                      "suggestions for misconception mutants")
    action.triggered.connect(choose)
    bar = studio.findChild(QToolBar)
    if bar is not None:
        bar.addSeparator()
        bar.addAction(action)
    studio.toolbar_actions["class_report"] = action
    return action
