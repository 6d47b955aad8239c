"""Icons from ``resources/icons/*.svg``, tinted at load time.

The SVGs are drawn with ``currentColor`` (like web icon sets) so one file serves
both themes: the colour is substituted before Qt renders it. Rendered icons are
cached per (name, colour).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from qa_arena_desktop import paths
from qa_arena_desktop.ui.theme import current_theme

_SIZES = (16, 24, 32, 48, 64)


@lru_cache(maxsize=256)
def _render(name: str, colour: str) -> QIcon:
    path = paths.resources_dir() / "icons" / f"{name}.svg"
    try:
        svg = path.read_text(encoding="utf-8").replace("currentColor", colour)
    except OSError:
        return QIcon()
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    icon = QIcon()
    if not renderer.isValid():
        return icon
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def icon(name: str, colour: str | None = None) -> QIcon:
    """The icon ``name`` in ``colour`` (default: the theme's text colour)."""
    return _render(name, colour or current_theme().text)


def pixmap(name: str, size: int, colour: str | None = None) -> QPixmap:
    return icon(name, colour).pixmap(size, size)
