"""The working calendar's one owner: holidays, the contract period and the schedule in force,
the same answer in the plain, the batch and the scan-path form."""

from datetime import date, time

from portal.people import working_calendar as cal
from portal.people.models import Employee

KINGS_DAY = date(2026, 4, 27)  # a Monday
MONDAY = date(2026, 5, 4)


def test_public_holidays_are_dutch_and_named():
    assert cal.public_holiday(KINGS_DAY) == "Koningsdag"
    assert cal.is_public_holiday(date(2026, 12, 25))
    assert not cal.is_public_holiday(MONDAY)
    # Ascension Day 14 May and Whit Monday 25 May 2026; Liberation Day is not a yearly day off
    # in the library's default category.
    assert cal.public_holidays(date(2026, 5, 1), date(2026, 5, 31)) == {date(2026, 5, 14),
                                                                       date(2026, 5, 24),
                                                                       date(2026, 5, 25)}


def test_employment_counts_the_first_and_the_last_day(make):
    person = make.employee(start_date=date(2026, 5, 11), end_date=date(2026, 5, 15))
    assert not cal.in_employment(person, MONDAY)  # starts next week
    assert cal.in_employment(person, date(2026, 5, 11))
    assert cal.in_employment(person, date(2026, 5, 15))
    assert not cal.in_employment(person, date(2026, 5, 16))
    # The query form agrees with the plain one, day by day.
    for day in (MONDAY, date(2026, 5, 11), date(2026, 5, 15), date(2026, 5, 16)):
        listed = Employee.select().where((Employee.id == person.id) & cal.employed_on(day)).exists()
        assert listed == cal.in_employment(person, day), day
    assert Employee.select().where((Employee.id == person.id)
                                   & cal.employed_between(date(2026, 5, 1), MONDAY)).count() == 0
    assert Employee.select().where((Employee.id == person.id)
                                   & cal.employed_between(MONDAY, date(2026, 5, 11))).count() == 1


def test_the_schedule_in_force_is_the_latest_from_before_the_day(make):
    person = make.employee(schedule={0: (time(8), time(16), 30)})
    make.add_schedule(person, {0: (time(9), time(13), 0), 2: (time(9), time(13), 0)},
                      valid_from=MONDAY)
    before, after = date(2026, 4, 20), MONDAY
    batch = cal.load_schedules([person.id], until=after)[person.id]
    assert cal.shift_on(batch, before) == cal.Shift(time(8), time(16), 30)
    assert cal.shift_on(batch, after) == cal.Shift(time(9), time(13), 0)
    assert cal.shift_on(batch, date(2026, 5, 5)) is None  # a Tuesday off
    # the scan path's form gives the same days
    assert cal.scheduled_day(person.id, before).starts_at == time(8)
    assert cal.scheduled_day(person.id, after).starts_at == time(9)
    assert cal.scheduled_day(person.id, date(2026, 5, 5)) is None
    # and a holiday is no working day in any form
    assert cal.scheduled_day(person.id, KINGS_DAY) is None
    assert cal.schedules_on([person.id], KINGS_DAY) == {}
    assert cal.schedules_on([person.id], after) == {person.id: cal.Shift(time(9), time(13), 0)}
    assert cal.schedule_row_in_force(person.id, after).valid_from == MONDAY
