"""Markdown as the learner reads it: problem descriptions and the Help pages.

Rendered with markdown-it-py in CommonMark mode (so a list nested by two spaces
stays nested, as on GitHub) plus tables; fenced code is highlighted by pygments
with inline styles, which ``QTextBrowser`` understands.

A description is pack content, and packs can be imported from anywhere, so the
renderer is closed down: raw HTML in the Markdown is shown as text (markdown-it's
``html`` option is off), an image shows its alt text (nothing is loaded, not even a
local file), and a link is a link only when it is ``http(s)://`` or ``mailto:``.
:class:`MarkdownBrowser` then opens those in the system browser and nothing else:
it never follows a link itself and loads no resource a document names.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import QTextBrowser, QWidget

from qa_arena_desktop.ui.theme import Theme

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _highlighter(style: str) -> Any:
    formatter = HtmlFormatter(noclasses=True, nowrap=True, style=style)

    def fence(code: str, language: str, _attrs: str) -> str:
        try:
            lexer = get_lexer_by_name(language.strip() or "text")
        except ClassNotFound:
            return ""  # markdown-it escapes the code itself
        return str(highlight(code, lexer, formatter))

    return fence


def _image_as_alt_text(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                       env: EnvType) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f"[{html.escape(alt)}]" if alt else ""


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
               env: EnvType) -> str:
    href = str(tokens[idx].attrGet("href") or "")
    if not href.lower().startswith(SAFE_SCHEMES):
        env["_dropped_links"] = env.get("_dropped_links", 0) + 1
        tokens[idx].meta["dropped"] = True
        return ""
    return str(self.renderToken(tokens, idx, options, env))


def _link_close(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
    # the matching link_open is the nearest earlier one at the same nesting level
    level = tokens[idx].level
    for earlier in range(idx - 1, -1, -1):
        if tokens[earlier].type == "link_open" and tokens[earlier].level == level:
            if tokens[earlier].meta.get("dropped"):
                return ""
            break
    return str(self.renderToken(tokens, idx, options, env))


def _parser(theme: Theme) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "highlight": _highlighter(theme.pygments_style)})
    parser.enable("table")
    parser.add_render_rule("image", _image_as_alt_text)
    parser.add_render_rule("link_open", _link_open)
    parser.add_render_rule("link_close", _link_close)
    return parser


def markdown_html(text: str, theme: Theme) -> str:
    """``text`` (Markdown from a pack or the docs) as HTML for a :class:`MarkdownBrowser`."""
    return _parser(theme).render(text)


def document_css(theme: Theme) -> str:
    """The stylesheet a rendered document is shown with (colours are the theme's)."""
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    return (
        f"body {{ color: {theme.text}; }}"
        f"h1, h2, h3 {{ color: {theme.text}; margin-top: 14px; margin-bottom: 6px; }}"
        "h2 { font-size: 12pt; } h3 { font-size: 11pt; }"
        "p, li { line-height: 140%; }"
        f"code {{ font-family: '{mono}'; background-color: {theme.alt_base}; }}"
        # pre-wrap: a long line of an example wraps instead of adding a horizontal scrollbar
        f"pre {{ font-family: '{mono}'; background-color: {theme.alt_base}; padding: 8px; "
        "white-space: pre-wrap; }"
        f"a {{ color: {theme.accent}; }}"
        f"table {{ border-collapse: collapse; }}"
        f"th {{ background-color: {theme.alt_base}; padding: 4px; border: 1px solid {theme.border}; }}"
        f"td {{ padding: 4px; border: 1px solid {theme.border}; }}"
    )


class MarkdownBrowser(QTextBrowser):
    """A read-only view of rendered Markdown that opens web links in the system browser
    and nothing else (no local files, no in-place navigation, no resources loaded)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._open_link)

    def set_markdown(self, text: str, theme: Theme, before: str = "") -> None:
        """Show ``text`` rendered; ``before``: HTML the app builds itself, put first."""
        self.document().setDefaultStyleSheet(document_css(theme))
        self.setHtml(before + markdown_html(text, theme))

    def _open_link(self, url: QUrl) -> None:
        if url.scheme().lower() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802 - Qt override
        return None  # a document never pulls in a file or an image from anywhere
