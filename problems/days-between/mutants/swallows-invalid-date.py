"""Difference between two ISO calendar dates, in days."""

from datetime import datetime

_FORMAT = "%Y-%m-%d"


def _parse(text):
    return datetime.strptime(text, _FORMAT).date()


def days_between(start, end):
    try:
        first = _parse(start)
        second = _parse(end)
    except ValueError:
        return 0
    return (second - first).days
