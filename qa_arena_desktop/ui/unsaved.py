"""The one question a window with unsaved work asks before it closes: Save, Discard or Cancel.

Windows take the prompt as a plain callable (``Prompt``), so tests choose the answer
without a modal dialog; the default is :func:`ask_save_discard_cancel`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Protocol

from PySide6.QtWidgets import QMessageBox, QWidget


class Answer(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


Prompt = Callable[[QWidget, str], Answer]


class QuitGuard(Protocol):
    """A window the main window asks before the app quits, and closes with it."""

    def confirm_close(self) -> bool:
        """Ask Save / Discard / Cancel if needed; False: the user cancelled the quit."""
        ...

    def close_for_quit(self) -> None:
        """Close without asking again (the question was answered)."""
        ...


def ask_save_discard_cancel(parent: QWidget, text: str) -> Answer:
    """A modal Save / Discard / Cancel box; Escape or closing it means Cancel."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes", text,
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    clicked = box.exec()
    if clicked == QMessageBox.StandardButton.Save:
        return Answer.SAVE
    if clicked == QMessageBox.StandardButton.Discard:
        return Answer.DISCARD
    return Answer.CANCEL
