"""Collapse whitespace runs to one space and strip both ends."""

import re

_WHITESPACE_RUN = re.compile(r"[ \t\n\r\f\v]+")


def normalize_whitespace(text):
    return _WHITESPACE_RUN.sub(" ", text).strip()
