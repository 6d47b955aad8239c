"""What a judge run reported (test ids, failure messages), made safe to put in a widget.

That text is the learner's (or, in the studio, a pack's reference tests'), so it may
hold markup, terminal escapes, bidi overrides and kilobyte-long unbroken lines. Qt
reads a tooltip, and a QLabel left in Qt.AutoText, as HTML whenever it looks like
HTML, so such text never goes into one as it is. Controls are escaped by
:mod:`qa_arena_desktop.text_safety` (as in the CLI and CSV); this module only picks
the form each kind of widget needs:

* :func:`line`: a table cell, a header, a button: one line, cut.
* :func:`block`: a QLabel in Qt.PlainText (see :func:`plain`): lines kept, and long
  unbroken runs broken so a label wraps instead of growing thousands of pixels wide.
* :func:`markup`: the same, HTML-escaped, for HTML the UI builds around it.
* :func:`tip`: a tooltip: :func:`markup` in a paragraph Qt always reads as HTML.
* :func:`window_title`: a window title: one line, Qt's ``[*]`` placeholder shown as it is.

Pack-authored text (a title, a hint, a value quoted from ``problem.toml``) is
untrusted too: packs can be imported from anywhere.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from qa_arena_desktop.text_safety import one_line, visible

LINE_LIMIT = 200  # characters in a cell or header (the view elides what does not fit)
RUN = 80  # the longest unbroken run a wrapped text keeps on one line
_LONG_RUN = re.compile(rf"\S{{{RUN}}}(?=\S)")


def line(text: object, limit: int = LINE_LIMIT) -> str:
    """One visible line (controls escaped, line breaks made spaces), at most ``limit`` long."""
    return one_line(text, limit)


def block(text: object) -> str:
    """Lines kept, controls escaped, a line break after every ``RUN`` characters of a run."""
    return _LONG_RUN.sub(lambda match: match.group() + "\n", visible(text, multiline=True))


def markup(text: object) -> str:
    """:func:`block`, HTML-escaped: for an element with ``white-space: pre-wrap``."""
    return html.escape(block(text))


def tip(text: object) -> str:
    """A tooltip that shows ``text`` as it is, whatever it holds."""
    return f'<p style="white-space: pre-wrap;">{markup(text)}</p>'


def window_title(text: object) -> str:
    """:func:`line` for ``setWindowTitle``: Qt reads ``[*]`` there as the "modified" marker
    (and shows ``[*][*]`` as ``[*]``), so each is doubled."""
    return line(text).replace("[*]", "[*][*]")


def plain(label: QLabel) -> QLabel:
    """``label`` set to show its text as text (never as HTML); returns it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
