from datetime import datetime, timezone

import pytest

from target import to_utc


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


def test_an_offset_ahead_of_utc_is_subtracted():
    assert to_utc("2024-03-10T12:00:00+02:00") == utc(2024, 3, 10, 10, 0, 0)


def test_half_hour_offsets_count_their_minutes():
    assert to_utc("2024-03-10T12:00:00+05:30") == utc(2024, 3, 10, 6, 30, 0)


def test_crossing_midnight_moves_the_date():
    assert to_utc("2024-12-31T22:30:00-05:00") == utc(2025, 1, 1, 3, 30, 0)


def test_the_result_is_aware_and_in_utc():
    result = to_utc("2024-03-10T12:00:00Z")
    assert result.tzinfo is timezone.utc


@pytest.mark.parametrize("stamp", [
    "2024-03-10T12:00:00",                  # naive: ambiguous
    "2024-03-10T12:00:00+24:00",            # no such offset
    "2023-02-29T12:00:00Z",                 # no such day
    "\u0662\u0660\u0662\u0664-03-10T12:00:00Z",  # Arabic-Indic digits
])
def test_anything_else_is_refused(stamp):
    with pytest.raises(ValueError):
        to_utc(stamp)
