"""Shorten text to a maximum length with an ellipsis."""

ELLIPSIS = "\u2026"


def truncate(text, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    return text[:limit - 1].rstrip() + ELLIPSIS
