"""Graded hints for the mutants that survived the last run (practice mode).

Pick a survivor and reveal one level at a time: the author's hint, then the line
that differs, then the full diff against the correct code. What was revealed is
remembered per problem and mutant for the session. A classroom turns the whole tab
off with ``QA_ARENA_HINTS=off`` (or the View menu, unless the variable forces it).
The hint, the mutant's name and its lines are the pack's (untrusted): shown as text.

Survivors are listed as "Bug N" (``judging/bug_labels.py``); revealing the last rung,
the diff, reveals the bug (``practice.hints.REVEALING_LEVEL``): :meth:`revealed_bugs`
then names it and ``revealed_changed`` tells the other tabs to relabel. With hints
turned off nothing counts as revealed.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.domain.judge_models import JudgeResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.judging.bug_labels import BugLabels, labels_for_result
from qa_arena_desktop.practice.hints import REVEALING_LEVEL, GradedHint, HintLevel, graded_hint
from qa_arena_desktop.practice.kill_matrix import survivor_names
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import block, plain


def diff_html(diff: str) -> str:
    """The unified diff (golden -> mutant) in the app's one diff convention (``Theme.diff``)."""
    theme = current_theme()
    colours = theme.diff
    added = (colours.added_text, colours.added_line)
    removed = (colours.removed_text, colours.removed_line)
    lines = []
    for line in diff.splitlines():
        escaped = html.escape(line) or "&nbsp;"
        if line.startswith("+") and not line.startswith("+++"):
            style = f"color:{added[0]}; background-color:{added[1]};"
        elif line.startswith("-") and not line.startswith("---"):
            style = f"color:{removed[0]}; background-color:{removed[1]};"
        elif line.startswith("@@"):
            style = f"color:{theme.accent};"
        else:
            style = f"color:{theme.muted};" if line.startswith(("---", "+++")) else ""
        lines.append(f'<span style="{style}">{escaped}</span>')
    return "<pre>" + "<br>".join(lines) + "</pre>"


class HintsPanel(QWidget):
    revealed_changed = Signal()  # a bug's name is no longer withheld (or hints were switched)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._enabled = True
        self._disabled_reason = ""
        self._pack: Pack | None = None
        self._result: JudgeResult | None = None
        self._labels = BugLabels()
        self._hints: dict[str, GradedHint] = {}
        self._revealed: dict[tuple[str, str], HintLevel] = {}

        self.notice = QLabel(self)
        self.notice.setObjectName("muted")
        self.notice.setWordWrap(True)
        self.survivors = QListWidget(self)
        self.survivors.currentItemChanged.connect(lambda *_: self._show_current())

        self.card = QFrame(self)
        self.card.setObjectName("hintCard")
        self.card_title = plain(QLabel(self.card))
        self.card_title.setObjectName("bannerTitle")
        self.hint_text = plain(QLabel(self.card))
        self.hint_text.setWordWrap(True)
        self.hint_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changed_text = plain(QLabel(self.card))
        self.changed_text.setWordWrap(True)
        self.changed_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.changed_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diff_view = QTextBrowser(self.card)
        self.diff_view.setObjectName("diffView")
        self.diff_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.more_button = QPushButton(icons.icon("hint"), "", self.card)
        self.more_button.clicked.connect(self.reveal_more)
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(12, 10, 12, 10)
        card_layout.setSpacing(10)
        card_layout.addWidget(self.card_title)
        card_layout.addWidget(self.hint_text)
        card_layout.addWidget(self.changed_text)
        row = QHBoxLayout()
        row.addWidget(self.more_button)
        row.addStretch(1)
        card_layout.addLayout(row)
        card_layout.addWidget(self.diff_view, 1)

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(8)
        self._layout.addWidget(self.notice)
        self._layout.addWidget(self.survivors)
        self._layout.addWidget(self.card)
        self._layout.addStretch(1)
        self.set_context(None, None)

    # ---- inputs ---------------------------------------------------------------------------

    def set_enabled_by_policy(self, enabled: bool, reason: str = "") -> None:
        changed = enabled != self._enabled
        self._enabled = enabled
        self._disabled_reason = reason
        self._labels = self._labels_now()
        self._refresh_list()
        if changed:
            self.revealed_changed.emit()

    def revealed_bugs(self, slug: str) -> frozenset[str]:
        """The bugs of ``slug`` whose hint ladder reached the diff; none while hints are off."""
        if not self._enabled:
            return frozenset()
        return frozenset(mutant for (problem, mutant), level in self._revealed.items()
                         if problem == slug and level >= REVEALING_LEVEL)

    def _labels_now(self) -> BugLabels:
        if self._pack is None:
            return labels_for_result((), self._result)
        mutants = self._pack.scored_mutants if (
            self._result is None or self._result.problem == self._pack.slug) else ()
        return labels_for_result(mutants, self._result, self.revealed_bugs(self._pack.slug))

    def labels(self) -> BugLabels:
        return self._labels

    def hints_enabled(self) -> bool:
        return self._enabled

    def set_context(self, pack: Pack | None, result: JudgeResult | None) -> None:
        """The problem and the run whose survivors get hints (None clears)."""
        self._pack = pack
        self._result = result
        self._labels = self._labels_now()
        self._hints = {}
        if pack is not None and result is not None and result.status is SubmissionStatus.SUCCESS:
            by_name = {m.name: m for m in pack.mutants}
            for name in survivor_names(result.mutants):
                if name in by_name:  # the diff is the revealing rung: it names the bug
                    self._hints[name] = graded_hint(pack.golden_source, by_name[name],
                                                    self._labels.revealed(name))
        self._refresh_list()

    def survivor_count(self) -> int:
        return len(self._hints)

    # ---- display ----------------------------------------------------------------------------

    def _refresh_list(self) -> None:
        self.survivors.blockSignals(True)
        self.survivors.clear()
        self.survivors.blockSignals(False)
        for label in (self.card_title, self.hint_text, self.changed_text):
            label.clear()  # nothing of the last card lingers while hints are off
        self.diff_view.clear()
        if not self._enabled:
            self.notice.setText("Hints are turned off. " + self._disabled_reason)
            self.survivors.hide()
            self.card.hide()
            return
        if not self._hints:
            self.notice.setText("Hints appear here for the hidden bugs that survive a run. "
                                "Nothing to show yet: no survivors in the last run.")
            self.survivors.hide()
            self.card.hide()
            return
        count = len(self._hints)
        self.notice.setText(f"{count} hidden bug{'s' if count != 1 else ''} survived. Pick one "
                            "and reveal as little as you need: hint, changed line, full diff.")
        self.survivors.show()
        for name in self._hints:
            item = QListWidgetItem(icons.icon("hint", current_theme().verdicts["SURVIVED"][0]),
                                   self._labels.label(name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.survivors.addItem(item)
        self.survivors.setCurrentRow(0)
        rows = min(self.survivors.count(), 5)
        self.survivors.setFixedHeight(rows * self.survivors.sizeHintForRow(0)
                                      + 2 * self.survivors.frameWidth() + 4)

    def current_mutant(self) -> str:
        item = self.survivors.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def level_of(self, mutant: str) -> HintLevel:
        slug = self._pack.slug if self._pack else ""
        return self._revealed.get((slug, mutant), HintLevel.HINT)

    def reveal_more(self) -> None:
        mutant = self.current_mutant()
        if not mutant or self._pack is None:
            return
        hint = self._hints[mutant]
        level = HintLevel(min(self.level_of(mutant) + 1, hint.max_level))
        self._revealed[(self._pack.slug, mutant)] = level
        labels = self._labels_now()
        if labels != self._labels:  # this rung revealed the bug: say its name everywhere
            self._labels = labels
            item = self.survivors.currentItem()
            if item is not None:
                item.setText(labels.label(mutant))
            self.revealed_changed.emit()
        self._show_current()

    def _show_current(self) -> None:
        mutant = self.current_mutant()
        hint = self._hints.get(mutant)
        if hint is None:
            self.card.hide()
            return
        level = self.level_of(mutant)
        self.card.show()
        self.card_title.setText(f"Hint for “{self._labels.label(mutant)}”")
        self.hint_text.setText(block(hint.hint) or "The author left no hint for this bug.")
        changed = "\n".join(c.describe() for c in hint.changed) or "(no line differs)"
        self.changed_text.setText(block(changed))
        self.changed_text.setVisible(level >= HintLevel.CHANGED_LINE)
        self.diff_view.setHtml(diff_html(hint.diff))
        self.diff_view.setVisible(level >= HintLevel.DIFF)
        # The card hugs its text until the diff needs the room.
        self._layout.setStretchFactor(self.card, 100 if level >= HintLevel.DIFF else 0)
        if level < HintLevel.CHANGED_LINE:
            self.more_button.setText("Show the changed line")
        elif level < HintLevel.DIFF:
            self.more_button.setText("Show the full diff")
        self.more_button.setVisible(level < hint.max_level)
