"""Inline error labels: a red line under a field, naming the field, hidden when all is well."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from qa_arena_desktop.ui.theme import current_theme


class ErrorLabel(QLabel):
    """Shows ``field: message`` (several messages on separate lines) or nothing at all."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setTextInteractionFlags(self.textInteractionFlags())
        self.setStyleSheet(f"QLabel#fieldError {{ color: {current_theme().verdicts['FAILED'][0]}; "
                           "font-size: 9pt; }")
        self.show_messages([])

    def show_messages(self, messages: list[str], label: str | None = None) -> None:
        shown = label or self.field
        self.setText("\n".join(f"{shown}: {message}" for message in messages))
        self.setVisible(bool(messages))

    def has_error(self) -> bool:
        return bool(self.text())


def errors_for(errors: dict[str, list[str]], field: str) -> list[str]:
    """Messages for ``field`` and its sub-fields (``mutants[0]`` also gets ``mutants[0].x``)."""
    return [m for key, messages in errors.items()
            if key == field or key.startswith(field + ".") for m in messages]
