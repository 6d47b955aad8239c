"""Business-day arithmetic on datetime.date values."""

from datetime import timedelta


def add_business_days(start, days, holidays=()):
    step = 1
    remaining = abs(days)
    current = start
    while remaining > 0:
        current += timedelta(days=step)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current
