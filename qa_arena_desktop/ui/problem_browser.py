"""The problem browser: search field, difficulty filter, progress line and the problem list.

Keyboard: Ctrl+F focuses the search, Down moves from the search into the list,
Escape clears the search, Up/Down/Home/End walk the list, Enter jumps to the editor
(``activated``).

Filtering never opens another problem: when the search or the level filter hides
the open problem, the list shows no current row (and says when nothing matches)
until the learner picks one; Qt's habit of moving the current row to a neighbour
of a removed row is kept from reaching ``problem_selected``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPainterPath
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop import paths
from qa_arena_desktop.catalog.store import ProblemSummary
from qa_arena_desktop.domain.pack import Difficulty
from qa_arena_desktop.packs.chapters import (
    Chapter,
    ChaptersError,
    chapter_progress,
    load_chapters,
    locked_chapters,
)
from qa_arena_desktop.practice.progress import overall_progress
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.problem_models import (
    ProblemFilterProxy,
    ProblemListModel,
    ProblemRole,
    score_text,
)
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import line, plain

ALL_DIFFICULTIES = "All levels"
ALL_CHAPTERS = "Learning path: all chapters"



def tried_text(best: float | None) -> str:
    """The sidebar's word on a problem: judged runs only (a FAILURE is a try that scored 0)."""
    if best is None:
        return "not tried"
    return "0 so far" if best == 0 else f"best {score_text(best)}"

class ProblemDelegate(QStyledItemDelegate):
    """Two lines per problem: title and solved mark; difficulty badge, bug count, best score."""

    ROW_HEIGHT = 56

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        return QSize(option.rect.width(), self.ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        theme = current_theme()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(6, 3, -6, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected or hovered:
            path = QPainterPath()
            path.addRoundedRect(rect, 7, 7)
            colour = QColor(theme.highlight)
            if not selected:
                colour.setAlpha(90)
            painter.fillPath(path, colour)
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(QColor(theme.text))
        right = rect.right() - 10
        solved = bool(index.data(ProblemRole.SOLVED))
        if solved:
            mark = icons.pixmap("solved", 16, theme.verdicts["KILLED"][0])
            painter.drawPixmap(right - 16, rect.top() + 8, mark)
        title_rect = QRect(rect.left() + 10, rect.top() + 5, rect.width() - 46, 22)
        title = painter.fontMetrics().elidedText(str(index.data()), Qt.TextElideMode.ElideRight,
                                                 title_rect.width())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         title)
        # second line: badge, bugs, score
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 1.5))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        badge_text = str(index.data(ProblemRole.DIFFICULTY))
        badge_width = metrics.horizontalAdvance(badge_text) + 14
        badge = QRect(rect.left() + 10, rect.top() + 30, badge_width, 17)
        path = QPainterPath()
        path.addRoundedRect(badge, 8.5, 8.5)
        painter.fillPath(path, QColor(theme.difficulty.get(badge_text, theme.muted)))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, badge_text)
        painter.setPen(QColor(theme.muted))
        bugs = f"{index.data(ProblemRole.MUTANTS)} hidden bugs"
        painter.drawText(QRect(badge.right() + 8, badge.top(), 120, badge.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, bugs)
        best = index.data(ProblemRole.BEST_SCORE)
        score = tried_text(best)
        if best is not None:
            painter.setPen(QColor(theme.verdicts["KILLED" if solved else "RUNNING"][0]))
        painter.drawText(QRect(right - 110, badge.top(), 110, badge.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, score)
        painter.restore()


class ProblemBrowser(QWidget):
    problem_selected = Signal(str)  # slug
    problem_activated = Signal(str)  # Enter / double click: go to the editor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemListModel(self)
        self.proxy = ProblemFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setObjectName("searchField")
        self.search.setPlaceholderText("Search problems  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icons.icon("search", current_theme().muted),
                              QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(
            lambda text: self._filter(lambda: self.proxy.set_search_text(text)))
        self.search.installEventFilter(self)
        self._open_slug = ""  # the problem the window shows (filters never change it)

        self.difficulty = QComboBox(self)
        self.difficulty.addItem(ALL_DIFFICULTIES, None)
        for level in Difficulty:
            self.difficulty.addItem(level.value, level.value)
        self.difficulty.currentIndexChanged.connect(
            lambda _i: self._filter(lambda: self.proxy.set_difficulty(self.difficulty.currentData()))
        )

        self.chapters: list[Chapter] = []
        self.locking = False  # the learning path's locks (a setting; off: free practice)
        self.chapter = QComboBox(self)
        self.chapter.setObjectName("chapterFilter")
        # Long chapter lines must not widen the sidebar: the list shows them in full.
        self.chapter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chapter.setMinimumContentsLength(16)
        self.chapter.setToolTip("Chapters of the learning path, in order, with your progress")
        self.chapter.currentIndexChanged.connect(lambda _i: self._apply_chapter())
        self.lesson_button = QPushButton("Lesson", self)
        self.lesson_button.setObjectName("lessonButton")
        self.lesson_button.setToolTip("Read the chapter's lesson (a worked example)")
        self.lesson_button.clicked.connect(self.show_lesson)
        self._problems: list[ProblemSummary] = []

        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("progressSummary")
        self.progress_label.setWordWrap(True)

        self.view = QListView(self)
        self.view.setObjectName("problemList")
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(ProblemDelegate(self.view))
        self.view.setMouseTracking(True)
        self.view.setUniformItemSizes(True)
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        # rows elide their title to the width: never a horizontal scrollbar
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.activated.connect(self._on_activated)

        self.empty_label = plain(QLabel(self))  # the search text is shown as text
        self.empty_label.setObjectName("muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        title = QLabel("PROBLEMS", self)
        title.setObjectName("paneTitle")
        filters = QHBoxLayout()
        filters.setSpacing(6)
        filters.addWidget(self.difficulty, 1)
        path_row = QHBoxLayout()
        path_row.setSpacing(6)
        path_row.addWidget(self.chapter, 1)
        path_row.addWidget(self.lesson_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 4, 8)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addLayout(path_row)
        layout.addLayout(filters)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view, 1)

    def set_problems(self, problems: list[ProblemSummary]) -> None:
        current = self.current_slug()
        self._problems = list(problems)
        self.model.set_problems(problems)
        self._fill_chapters()  # also writes the progress line
        if current:
            self.select(current, emit=False)
        self._update_empty_label()

    def set_chapters(self, chapters: list[Chapter], locking: bool) -> None:
        """The learning path to show (``load_chapters``), and whether its locks apply."""
        self.chapters = list(chapters)
        self.locking = locking
        self._fill_chapters()

    def load_bundled_chapters(self, locking: bool) -> None:
        try:
            chapters = load_chapters(paths.problems_dir())
        except ChaptersError:
            chapters = []  # a broken chapters file: the plain list, never a crash
        self.set_chapters(chapters, locking)

    def _fill_chapters(self) -> None:
        """One entry per chapter with its progress; locked ones are shown but not selectable."""
        progress = chapter_progress(self.chapters, self._problems, self.locking)
        chosen = self.chapter.currentData()
        blocked = self.chapter.blockSignals(True)
        self.chapter.clear()
        self.chapter.addItem(ALL_CHAPTERS, None)
        for item in progress:
            self.chapter.addItem(item.short(), item.chapter.id)
            self.chapter.setItemData(self.chapter.count() - 1, item.describe(),
                                     Qt.ItemDataRole.ToolTipRole)
            if not item.unlocked:
                entry = self.chapter.model().item(self.chapter.count() - 1)  # type: ignore[attr-defined]
                entry.setEnabled(False)
        found = self.chapter.findData(chosen) if chosen is not None else 0
        self.chapter.setCurrentIndex(max(0, found))
        self.chapter.blockSignals(blocked)
        self.chapter.setVisible(bool(self.chapters))
        self._apply_chapter(locked_chapters(progress))

    def _apply_chapter(self, locked: set[str] | None = None) -> None:
        if locked is None:
            locked = locked_chapters(chapter_progress(self.chapters, self._problems, self.locking))
        chosen = self.chapter.currentData()
        self.proxy.set_chapter(chosen, locked)
        self.lesson_button.setVisible(chosen is not None)
        summary = overall_progress(self._problems).describe()
        current = next((p for p in chapter_progress(self.chapters, self._problems, self.locking)
                        if p.chapter.id == chosen), None)
        if current is not None:  # the chosen chapter's own progress, under the overall line
            summary += (f"\nChapter {current.number}: {current.solved} of {current.total} "
                        f"solved, average {current.average:.0f}")
        self.progress_label.setText(summary)

    def current_chapter(self) -> Chapter | None:
        chosen = self.chapter.currentData()
        return next((c for c in self.chapters if c.id == chosen), None)

    def show_lesson(self) -> None:
        chapter = self.current_chapter()
        if chapter is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Lesson: {chapter.title}")
        dialog.resize(640, 560)
        text = QTextBrowser(dialog)
        text.setObjectName("lessonText")
        text.setOpenExternalLinks(True)
        text.setMarkdown(chapter.lesson_md)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        self.lesson_dialog = dialog
        dialog.show()

    def current_slug(self) -> str:
        index = self.view.currentIndex()
        return str(index.data(ProblemRole.SLUG)) if index.isValid() else ""

    def select(self, slug: str, emit: bool = True) -> bool:
        row = self.model.row_of(slug)
        if row < 0:
            return False
        self._open_slug = slug
        proxy_index = self.proxy.mapFromSource(self.model.index(row))
        if not proxy_index.isValid():  # filtered out: clear the filters to show it
            self.search.clear()
            self.difficulty.setCurrentIndex(0)
            proxy_index = self.proxy.mapFromSource(self.model.index(row))
        blocked = self.view.selectionModel().blockSignals(not emit)
        self.view.setCurrentIndex(proxy_index)
        self.view.selectionModel().blockSignals(blocked)
        self.view.scrollTo(proxy_index)
        return True

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _filter(self, change: Callable[[], None]) -> None:
        """Apply a filter change without opening another problem: the open one stays
        current when it is still listed, else no row is current."""
        selection = self.view.selectionModel()
        blocked = selection.blockSignals(True)
        try:
            change()
            row = self.model.row_of(self._open_slug) if self._open_slug else -1
            index = self.proxy.mapFromSource(self.model.index(row)) if row >= 0 else QModelIndex()
            if index.isValid():
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
            else:
                selection.clear()
        finally:
            selection.blockSignals(blocked)
        self.view.viewport().update()
        self._update_empty_label()

    def _update_empty_label(self) -> None:
        if self.proxy.rowCount() or not self.model.rowCount():
            self.empty_label.hide()
            return
        words = self.search.text().strip()
        level = self.difficulty.currentData()
        where = f" at level {level}" if level else ""
        self.empty_label.setText(
            f"No problem matches “{line(words, 60)}”{where}. Press Escape to clear the search."
            if words else f"No problem{where}.")
        self.empty_label.show()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._open_slug = str(current.data(ProblemRole.SLUG))
            self.problem_selected.emit(self._open_slug)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.problem_activated.emit(str(index.data(ProblemRole.SLUG)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.view.setFocus()
                if not self.view.currentIndex().isValid() and self.proxy.rowCount():
                    self.view.setCurrentIndex(self.proxy.index(0, 0))
                return True
        return super().eventFilter(watched, event)
