"""Times are stored in UTC and reasoned about as Amsterdam days."""

from datetime import date, datetime

from portal.timeutil import day_bounds_utc, local_day, to_local, to_utc


def test_a_winter_morning_in_amsterdam_is_one_hour_ahead_of_utc():
    assert to_utc(datetime(2026, 1, 15, 8, 0)) == datetime(2026, 1, 15, 7, 0)
    assert to_local(datetime(2026, 1, 15, 7, 0)).hour == 8


def test_a_summer_morning_in_amsterdam_is_two_hours_ahead_of_utc():
    assert to_utc(datetime(2026, 7, 15, 8, 0)) == datetime(2026, 7, 15, 6, 0)


def test_late_evening_utc_can_already_be_the_next_amsterdam_day():
    assert local_day(datetime(2026, 7, 15, 22, 30)) == date(2026, 7, 16)


def test_the_day_the_clocks_go_forward_has_23_hours():
    start, end = day_bounds_utc(date(2026, 3, 29))
    assert (end - start).total_seconds() == 23 * 3600


def test_the_day_the_clocks_go_back_has_25_hours():
    start, end = day_bounds_utc(date(2026, 10, 25))
    assert (end - start).total_seconds() == 25 * 3600
