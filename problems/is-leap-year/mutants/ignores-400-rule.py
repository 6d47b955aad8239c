"""Gregorian leap years."""


def is_leap_year(year):
    if year < 1:
        raise ValueError("year must be 1 or greater")
    return year % 4 == 0 and year % 100 != 0
