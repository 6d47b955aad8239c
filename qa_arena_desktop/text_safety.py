"""Untrusted text made safe to keep and to show: the one place for it.

Test ids and failure messages come from the learner's code (hostile), file names
from a class folder. Three helpers, used by every output:

* :func:`scrub`: any value to a ``str`` that can be stored and encoded (lone
  surrogates become U+FFFD). For values read back from a judge run.
* :func:`visible`: control characters escaped visibly (``\\x1b``, ``\\r``,
  ``\\u202e``), so a terminal, a spreadsheet or an editor shows them instead of
  obeying them: C0 (newline and tab kept only with ``multiline=True``), DEL, C1,
  the line/paragraph separators and the Unicode bidi controls.
* :func:`json_text`: ``json.dumps`` whose text is also safe on a terminal (JSON
  escapes C0 itself; this adds ``\\uXXXX`` for the rest). The decoded values are
  unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_OTHER = "\x7f-\x9f\u2028\u2029" + _BIDI
_UNSAFE_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER}\ud800-\udfff]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f{_OTHER}\ud800-\udfff]")
_UNSAFE_IN_JSON = re.compile(f"[{_OTHER}\ud800-\udfff]")  # json.dumps escapes C0 itself
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
REPLACEMENT = "\ufffd"


def scrub(value: object) -> str:
    """``value`` as a str (``None`` is empty) with every lone surrogate replaced."""
    text = "" if value is None else value if isinstance(value, str) else str(value)
    return _SURROGATE.sub(REPLACEMENT, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return REPLACEMENT
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object, *, multiline: bool = False) -> str:
    """``text`` with its control characters escaped (see the module's docstring)."""
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_ONE_LINE
    return pattern.sub(_escape, scrub(text))


def one_line(text: object, limit: int | None = None) -> str:
    """One visible line: controls escaped, runs of whitespace (line breaks) made one space,
    cut to ``limit`` characters with ``...``."""
    line = " ".join(visible(text, multiline=True).split())
    if limit is not None and len(line) > limit:
        line = line[: max(0, limit - 3)] + "..."
    return line


def json_text(data: Any, **options: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **options)``, terminal-safe and encodable."""
    text = json.dumps(data, ensure_ascii=False, **options)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
