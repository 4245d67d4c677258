"""The working calendar, owned here and only here: public holidays, the contract period, and
the schedule in force.

People, attendance, the kiosk and orders each used to answer "is this a working day", "is this
person employed that day" and "which schedule holds" with code of their own, and the copies
had drifted (the kiosk checked the contract's end but not its start). Each question now has
one answer in three forms:

- plain functions on rows already loaded (`in_employment`, `schedule_in_force`, `shift_on`);
- a batch form for lists: a query condition (`employed_on`, `employed_between`) and one query
  for the schedules of any number of employees (`load_schedules`);
- a fast form for the kiosk's scan path: one prepared statement (`scheduled_day`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache

import holidays
import peewee

from portal import timeutil
from portal.db import database
from portal.kiosk.prepared import Prepared
from portal.people.models import Employee, Schedule, ScheduleDay

# -- public holidays ---------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _dutch_holidays(year: int):
    return holidays.Netherlands(years=year, language="nl")


@lru_cache(maxsize=4096)
def public_holiday(day: date) -> str | None:
    """The name of the Dutch public holiday on a day, or None."""
    return _dutch_holidays(day.year).get(day)


def is_public_holiday(day: date) -> bool:
    """Tell whether a day is a Dutch public holiday (never a working day)."""
    return public_holiday(day) is not None


def public_holidays(first: date, last: date) -> set[date]:
    """The Dutch public holidays between two days (inclusive)."""
    found = set()
    for year in range(first.year, last.year + 1):
        found.update(d for d in _dutch_holidays(year) if first <= d <= last)
    return found


# -- the contract period -----------------------------------------------------------------------

def in_employment(employee, day: date) -> bool:
    """Tell whether a day lies within the employee's contract period (start and end included)."""
    return employee.start_date <= day and (employee.end_date is None or day <= employee.end_date)


def employed_between(first: date, last: date) -> peewee.Expression:
    """A query condition: the contract period overlaps the days from `first` to `last`."""
    return (Employee.start_date <= last) & (Employee.end_date.is_null() | (Employee.end_date >= first))


def employed_on(day: date) -> peewee.Expression:
    """A query condition: the employee's contract covers the day."""
    return employed_between(day, day)


# -- schedules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shift:
    """One scheduled working day: start, end (Amsterdam wall clock) and break."""

    starts_at: time
    ends_at: time
    break_minutes: int = 0

    @property
    def length_minutes(self) -> int:
        return (self.ends_at.hour * 60 + self.ends_at.minute) - (
            self.starts_at.hour * 60 + self.starts_at.minute)

    @property
    def scheduled_minutes(self) -> int:
        """Working time the schedule expects: the shift less its break."""
        return max(0, self.length_minutes - self.break_minutes)


@dataclass
class WeekSchedule:
    """A weekly schedule from `valid_from`: weekday (0 = Monday) -> Shift."""

    valid_from: date
    days: dict = field(default_factory=dict)


def schedule_in_force(schedules: list[WeekSchedule], day: date) -> WeekSchedule | None:
    """The schedule with the latest valid_from on or before the day (None before the first)."""
    found = None
    for schedule in schedules:
        if schedule.valid_from <= day and (found is None or schedule.valid_from > found.valid_from):
            found = schedule
    return found


def shift_on(schedules: list[WeekSchedule], day: date) -> Shift | None:
    """The shift the schedule in force gives a day, or None for a day off."""
    schedule = schedule_in_force(schedules, day)
    return schedule.days.get(day.weekday()) if schedule else None


def load_schedules(employee_ids, until: date) -> dict[int, list[WeekSchedule]]:
    """Every schedule (with its days) of the employees that starts on or before `until`.

    One query, so a list of 40 costs what a list of 4 does. `employee_ids` may be a subquery.
    """
    query = (Schedule.select(Schedule.id, Schedule.employee, Schedule.valid_from,
                             ScheduleDay.weekday, ScheduleDay.starts_at, ScheduleDay.ends_at,
                             ScheduleDay.break_minutes)
             .join(ScheduleDay, peewee.JOIN.LEFT_OUTER, on=(ScheduleDay.schedule == Schedule.id))
             .where(Schedule.employee.in_(employee_ids) & (Schedule.valid_from <= until))
             .order_by(Schedule.employee, Schedule.valid_from))
    result: dict[int, list[WeekSchedule]] = defaultdict(list)
    by_id: dict[int, WeekSchedule] = {}
    shifts: dict[tuple, Shift] = {}
    # Raw rows: a company's schedules are thousands of rows, and most shifts are alike.
    for schedule_id, employee_id, valid_from, weekday, starts, ends, pause in database.execute(query):
        week = by_id.get(schedule_id)
        if week is None:
            week = by_id[schedule_id] = WeekSchedule(valid_from=timeutil.as_date(valid_from))
            result[employee_id].append(week)
        if weekday is not None:
            key = (starts, ends, pause)
            if key not in shifts:
                shifts[key] = Shift(timeutil.as_time(starts), timeutil.as_time(ends), pause or 0)
            week.days[weekday] = shifts[key]
    return result


def schedules_on(employee_ids, day: date) -> dict[int, Shift]:
    """Each employee's shift on a day (holidays are no working day); the batch `scheduled_day`."""
    if is_public_holiday(day):
        return {}
    found = {}
    for employee_id, weeks in load_schedules(employee_ids, day).items():
        shift = shift_on(weeks, day)
        if shift is not None:
            found[employee_id] = shift
    return found


def schedule_row_in_force(employee_id: int, on: date) -> Schedule | None:
    """The Schedule row in force on a day (the schedule form edits it), or None."""
    return (Schedule.select().where((Schedule.employee == employee_id)
                                    & (Schedule.valid_from <= on))
            .order_by(Schedule.valid_from.desc()).first())


def scheduled_day(employee_id: int, day: date) -> ScheduleDay | None:
    """The schedule day in force for an employee on a day, or None when not expected.

    The scan path's form: one prepared query, the latest schedule from before the day with
    that weekday's row if it has one; a public holiday costs no query.
    """
    if is_public_holiday(day):
        return None
    row = _schedule_in_force.first(day.weekday(), employee_id, day)
    planned = getattr(row, "planned", None)
    return planned if planned is not None and planned.id is not None else None


_schedule_in_force = Prepared(
    [ScheduleDay.weekday, Schedule.employee, Schedule.valid_from],
    lambda weekday, employee, day: Schedule.select(Schedule.id, ScheduleDay)
    .join(ScheduleDay, peewee.JOIN.LEFT_OUTER,
          on=((ScheduleDay.schedule == Schedule.id) & (ScheduleDay.weekday == weekday)),
          attr="planned")
    .where((Schedule.employee == employee) & (Schedule.valid_from <= day))
    .order_by(Schedule.valid_from.desc()).limit(1))
