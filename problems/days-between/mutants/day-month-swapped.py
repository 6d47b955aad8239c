"""Difference between two ISO calendar dates, in days."""

from datetime import datetime

_FORMAT = "%Y-%d-%m"


def _parse(text):
    return datetime.strptime(text, _FORMAT).date()


def days_between(start, end):
    first = _parse(start)
    second = _parse(end)
    return (second - first).days
