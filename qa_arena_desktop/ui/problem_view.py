"""The problem statement: title, difficulty badge, tags, the signature, and the description.

The description is the pack's Markdown rendered by :mod:`markdown_view` (CommonMark,
tables, code highlighted by pygments; raw HTML shown as text, only web links), so
authors write plain Markdown and nothing else.
"""

from __future__ import annotations

import html
import re

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.ui.markdown_view import MarkdownBrowser, document_css, markdown_html
from qa_arena_desktop.ui.theme import Theme, current_theme
from qa_arena_desktop.ui.untrusted import plain

_LEADING_H1 = re.compile(r"^\s*#\s+[^\n]*\n")


def description_html(description_md: str, title: str, theme: Theme) -> str:
    """The description as HTML; a leading ``# Title`` is dropped (the header shows it)."""
    text = description_md
    first = _LEADING_H1.match(text)
    if first and first.group(0).strip("# \n").lower() == title.strip().lower():
        text = text[first.end():]
    return markdown_html(text, theme)


__all__ = ["ProblemView", "description_html", "document_css", "signature_html"]


def signature_html(signature: str, theme: Theme) -> str:
    formatter = HtmlFormatter(noclasses=True, nowrap=True, style=theme.pygments_style)
    html = highlight(signature, PythonLexer(), formatter).strip()
    if "\n" not in html:
        return html
    # An API block (several classes and methods): keep its lines and indentation.
    return html.replace("  ", "&nbsp;&nbsp;").replace("\n", "<br>")


class ProblemView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pack: Pack | None = None
        self.title = plain(QLabel(self))  # the pack's title and tags: text, never HTML
        self.title.setObjectName("problemTitle")
        self.title.setWordWrap(True)
        self.badge = QLabel(self)
        self.badge.setObjectName("badge")
        self.tags_row = QHBoxLayout()
        self.tags_row.setSpacing(4)
        self.signature = QLabel(self)
        self.signature.setObjectName("signature")
        self.signature.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.signature.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.signature.setWordWrap(True)
        self.description = MarkdownBrowser(self)
        self.description.setObjectName("description")
        self.description.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self.title, 1)
        header.addWidget(self.badge)
        meta = QHBoxLayout()
        meta.addLayout(self.tags_row)
        meta.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 6)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addLayout(meta)
        layout.addWidget(self.signature)
        layout.addWidget(self.description, 1)
        self.show_placeholder()

    def show_placeholder(self) -> None:
        self._pack = None
        self.title.setText("Pick a problem")
        self.badge.hide()
        self.signature.hide()
        self.description.setHtml("<p>Choose a problem on the left to read its specification.</p>")

    def show_pack(self, pack: Pack) -> None:
        self._pack = pack
        self.refresh()

    def refresh(self) -> None:
        """Re-render (also after a theme switch: colours are baked into the HTML)."""
        pack = self._pack
        if pack is None:
            return
        theme = current_theme()
        self.title.setText(pack.title)
        self.badge.setText(pack.difficulty.value)
        self.badge.setStyleSheet(f"background: {theme.difficulty.get(pack.difficulty.value, theme.muted)};")
        self.badge.show()
        while self.tags_row.count():
            item = self.tags_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for tag in pack.tags:
            label = plain(QLabel(tag, self))
            label.setObjectName("tag")
            self.tags_row.addWidget(label)
        mutants = len(pack.scored_mutants)
        count = QLabel(f"{mutants} hidden bugs · {pack.time_limit_s:g} s per run", self)
        count.setObjectName("muted")
        self.tags_row.addWidget(count)
        self.signature.setText(signature_html(pack.function_signature, theme))
        self.signature.setToolTip("Your tests import it with: from target import "
                                  + ", ".join(pack.api_names))
        self.signature.show()
        self.description.document().setDefaultStyleSheet(document_css(theme))
        self.description.setHtml(description_html(pack.description_md, pack.title, theme))
        self.description.verticalScrollBar().setValue(0)

    def plain_signature(self) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", self.signature.text()))
