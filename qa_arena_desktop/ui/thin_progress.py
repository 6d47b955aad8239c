"""A slim progress bar that schedules its repaint instead of forcing it.

``QProgressBar.setValue`` repaints synchronously; with a style sheet that costs
milliseconds per call, and the results panel updates it on every verdict while a
run streams in. This one calls ``update()`` and paints a rounded track and fill.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from qa_arena_desktop.ui.theme import current_theme


class ThinProgressBar(QWidget):
    def __init__(self, parent: QWidget | None = None, height: int = 8) -> None:
        super().__init__(parent)
        self._maximum = 1
        self._value = 0
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(120, self.height())

    def maximum(self) -> int:
        return self._maximum

    def value(self) -> int:
        return self._value

    def setMaximum(self, maximum: int) -> None:  # noqa: N802 - QProgressBar-compatible
        if maximum != self._maximum:
            self._maximum = max(1, maximum)
            self.update()

    def setValue(self, value: int) -> None:  # noqa: N802 - QProgressBar-compatible
        value = max(0, min(value, self._maximum))
        if value != self._value:
            self._value = value
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        theme = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        radius = rect.height() / 2
        track = QPainterPath()
        track.addRoundedRect(rect, radius, radius)
        painter.fillPath(track, QColor(theme.border))
        if self._value:
            fill = QPainterPath()
            fill.addRoundedRect(QRectF(rect.left(), rect.top(),
                                       rect.width() * self._value / self._maximum, rect.height()),
                                radius, radius)
            colour = QColor(theme.accent if self.isEnabled() else theme.muted)
            painter.fillPath(fill, colour)
        painter.end()
