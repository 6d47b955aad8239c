"""Python syntax highlighting from pygments' ``PythonLexer`` tokens (no hand-written regexes).

``QSyntaxHighlighter`` works block by block, but Python tokens (triple-quoted
strings) span lines. So the whole document is lexed once per document revision
with the public ``get_tokens_unprocessed`` API, the formats are sliced per block,
and each block's state is a hash of its formats plus the token that runs over its
line break: when an edit changes how a later line lexes (opening a ``\"\"\"``), the
state changes and Qt carries on re-highlighting the following blocks.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

from pygments.lexers import PythonLexer
from pygments.styles import get_style_by_name
from pygments.token import Token, _TokenType
from pygments.util import ClassNotFound
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

Span = tuple[int, int, _TokenType]  # (start in block, length, token type)


@lru_cache(maxsize=8)
def _style_formats(style_name: str) -> dict[_TokenType, QTextCharFormat]:
    try:
        style = get_style_by_name(style_name)
    except ClassNotFound:
        style = get_style_by_name("default")
    formats: dict[_TokenType, QTextCharFormat] = {}
    for token_type, definition in style:
        text_format = QTextCharFormat()
        if definition["color"]:
            text_format.setForeground(QColor(f"#{definition['color']}"))
        if definition["bold"]:
            text_format.setFontWeight(QFont.Weight.Bold)
        if definition["italic"]:
            text_format.setFontItalic(True)
        formats[token_type] = text_format
    return formats


def style_background(style_name: str) -> str:
    try:
        return str(get_style_by_name(style_name).background_color or "")
    except ClassNotFound:
        return ""


class PygmentsHighlighter(QSyntaxHighlighter):
    """Highlights a ``QTextDocument`` as Python with a pygments style (e.g. "default")."""

    def __init__(self, document: QTextDocument, style_name: str = "default") -> None:
        # A bare QTextDocument emits contentsChange only once it has a layout; make sure it does,
        # so the highlighter also works on documents that no widget shows (tests, exports).
        document.documentLayout()
        super().__init__(document)
        self._lexer = PythonLexer(stripnl=False, stripall=False, ensurenl=False)
        self._formats = _style_formats(style_name)
        self._lexed_revision = -1
        self._lexed_length = -1
        self._block_starts: list[int] = []
        self._spans: list[list[Span]] = []
        self._line_end_tokens: list[_TokenType] = []

    def set_style(self, style_name: str) -> None:
        self._formats = _style_formats(style_name)
        self.rehighlight()

    def format_for(self, token_type: _TokenType) -> QTextCharFormat | None:
        """The format of a token type, falling back to its parent types (String.Doc -> String)."""
        current: _TokenType | None = token_type
        while current is not None and current is not Token:
            text_format = self._formats.get(current)
            if text_format is not None and text_format.properties():
                return text_format
            current = current.parent
        return None

    def _lex_document(self) -> None:
        document = self.document()
        text = document.toPlainText()
        self._lexed_revision = document.revision()
        self._lexed_length = document.characterCount()
        starts = [0]
        offset = 0
        for line in text.split("\n")[:-1]:
            offset += len(line) + 1
            starts.append(offset)
        self._block_starts = starts
        self._spans = [[] for _ in starts]
        self._line_end_tokens = [Token.Text for _ in starts]
        for position, token_type, value in self._lexer.get_tokens_unprocessed(text):
            end = position + len(value)
            block = bisect.bisect_right(starts, position) - 1
            while position < end and block < len(starts):
                block_start = starts[block]
                block_end = starts[block + 1] - 1 if block + 1 < len(starts) else len(text)
                piece_end = min(end, block_end)
                if piece_end > position:
                    self._spans[block].append((position - block_start, piece_end - position,
                                               token_type))
                if end > block_end:  # the token runs over this line break
                    self._line_end_tokens[block] = token_type
                position = block_end + 1
                block += 1

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        document = self.document()
        if (document.revision() != self._lexed_revision
                or document.characterCount() != self._lexed_length):
            self._lex_document()
        number = self.currentBlock().blockNumber()
        if number >= len(self._spans):
            return
        spans = self._spans[number]
        for start, length, token_type in spans:
            text_format = self.format_for(token_type)
            if text_format is not None:
                self.setFormat(start, length, text_format)
        signature = hash((tuple((s, n, str(t)) for s, n, t in spans),
                          str(self._line_end_tokens[number])))
        self.setCurrentBlockState(signature & 0x3FFFFFFF)
