"""Inline error labels: a red line under a field, naming the field, and a layout that never jumps.

Each label keeps its one line of room whether or not it shows a message (hidden,
it still takes its space), and a long message or several are elided to that one
line with the whole text in the tooltip: so an error appearing or going away
while the author types never moves the fields below it under their mouse.
Whether a field's errors are shown at all (once it was edited, or after
Validate) is the studio's decision (:func:`visible_errors`).
A message may quote a value from the pack (``problem.toml``, untrusted): shown as text.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import line, plain, tip


class ErrorLabel(QLabel):
    """Shows ``field: message`` (several messages joined, elided to one line) or nothing."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._full = ""
        self.setObjectName("fieldError")
        plain(self)
        self.setWordWrap(False)
        self.setStyleSheet(f"QLabel#fieldError {{ color: {current_theme().verdicts['FAILED'][0]}; "
                           "font-size: 9pt; }")
        self.setFixedHeight(self.fontMetrics().lineSpacing() + 2)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        policy.setRetainSizeWhenHidden(True)  # the line stays reserved: nothing below jumps
        self.setSizePolicy(policy)
        self.show_messages([])

    def show_messages(self, messages: list[str], label: str | None = None) -> None:
        shown = label or self.field
        self._full = line("  ·  ".join(f"{shown}: {message}" for message in messages))
        self.setToolTip(tip("\n".join(f"{shown}: {message}" for message in messages)))
        self._elide()
        self.setVisible(bool(messages))

    def full_text(self) -> str:
        """Every message, unelided (the label shows as much as fits on its line)."""
        return self._full

    def has_error(self) -> bool:
        return bool(self._full)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.width()
        text = self._full if width <= 20 else self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideRight, width - 4)
        self.setText(text)


def errors_for(errors: dict[str, list[str]], field: str) -> list[str]:
    """Messages for ``field`` and its sub-fields (``mutants[0]`` also gets ``mutants[0].x``)."""
    return [m for key, messages in errors.items()
            if key == field or key.startswith(field + ".") for m in messages]


def visible_errors(errors: dict[str, list[str]], touched: Iterable[str],
                   show_all: bool) -> dict[str, list[str]]:
    """The errors to show inline: every one after Validate, else those of edited fields.

    A touched ``mutants[1]`` shows ``mutants[1].x`` too; a touched ``mutants[1].hint``
    shows only that field.
    """
    if show_all:
        return dict(errors)
    marks = set(touched)
    return {key: messages for key, messages in errors.items()
            if key in marks or any(key.startswith(mark + ".") for mark in marks)}
