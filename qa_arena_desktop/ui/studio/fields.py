"""Inline error labels: a red line under a field, naming the field, hidden when all is well.

A message may quote a value from the pack (``problem.toml``, untrusted): shown as text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from qa_arena_desktop.ui.theme import current_theme
from qa_arena_desktop.ui.untrusted import block, plain


class ErrorLabel(QLabel):
    """Shows ``field: message`` (several messages on separate lines) or nothing at all."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setObjectName("fieldError")
        plain(self)
        self.setWordWrap(True)
        self.setTextInteractionFlags(self.textInteractionFlags())
        self.setStyleSheet(f"QLabel#fieldError {{ color: {current_theme().verdicts['FAILED'][0]}; "
                           "font-size: 9pt; }")
        self.show_messages([])

    def show_messages(self, messages: list[str], label: str | None = None) -> None:
        shown = label or self.field
        self.setText(block("\n".join(f"{shown}: {message}" for message in messages)))
        self.setVisible(bool(messages))

    def has_error(self) -> bool:
        return bool(self.text())


def errors_for(errors: dict[str, list[str]], field: str) -> list[str]:
    """Messages for ``field`` and its sub-fields (``mutants[0]`` also gets ``mutants[0].x``)."""
    return [m for key, messages in errors.items()
            if key == field or key.startswith(field + ".") for m in messages]
