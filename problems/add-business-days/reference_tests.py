from datetime import date

from target import add_business_days

MON = date(2024, 3, 4)
THU = date(2024, 3, 7)
FRI = date(2024, 3, 8)
SAT = date(2024, 3, 9)
NEXT_MON = date(2024, 3, 11)


def test_midweek_step():
    assert add_business_days(MON, 2) == date(2024, 3, 6)


def test_thursday_plus_one_is_friday():
    assert add_business_days(THU, 1) == FRI


def test_friday_plus_one_skips_weekend():
    assert add_business_days(FRI, 1) == NEXT_MON


def test_weekend_start_plus_one_is_monday():
    assert add_business_days(SAT, 1) == NEXT_MON


def test_negative_days_go_backwards():
    assert add_business_days(date(2024, 3, 6), -2) == MON


def test_negative_days_skip_weekend():
    assert add_business_days(NEXT_MON, -1) == FRI


def test_zero_days_returns_start():
    assert add_business_days(SAT, 0) == SAT


def test_holiday_is_skipped():
    holidays = {date(2024, 12, 25)}
    assert add_business_days(date(2024, 12, 24), 1, holidays) == date(2024, 12, 26)
