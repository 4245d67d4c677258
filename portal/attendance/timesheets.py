"""Timesheets: worked against scheduled time per day, absence by code, late arrivals and
system-closed days, for any number of employees in a fixed few queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import peewee

from portal.attendance import rules
from portal.attendance.models import ABSENCE_CODES, Absence, AttendanceSegment, PlannedLeave
from portal.db import database
from portal.people.models import Employee, WorkGroup
from portal.timeutil import as_date

PERIODS = ("week", "month")


def month_days(first: date) -> list[date]:
    """Every day of the month that `first` lies in."""
    start = first.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return [start + timedelta(days=n) for n in range((following - start).days)]


@dataclass(frozen=True, slots=True)
class Stamp:
    """A segment's times (or an absence's code and hours), read without building a model."""

    check_in: datetime | None
    check_out: datetime | None
    closed_by_system: bool
    code: str | None = None
    hours: Decimal | None = None
    superseded_by_id: None = None


def _moment(value) -> datetime | None:
    """A stored naive UTC datetime, from PostgreSQL (datetime) or SQLite (text)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def period_bounds(kind: str, anchor: date) -> tuple[date, date]:
    """The Monday-to-Sunday week, or the calendar month, that holds a day."""
    if kind == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=6)
    days = month_days(anchor)
    return days[0], days[-1]


def shift_period(kind: str, start: date, steps: int) -> date:
    """The first day of the week or month `steps` periods away."""
    if kind == "week":
        return start + timedelta(weeks=steps)
    month = start.month - 1 + steps
    return date(start.year + month // 12, month % 12 + 1, 1)


@dataclass(slots=True)
class SheetDay:
    """One day of a timesheet; minutes throughout."""

    day: date
    scheduled: int = 0
    worked: int = 0
    absence: dict = field(default_factory=dict)  # code -> minutes
    late: int = 0
    system_closed: bool = False
    still_open: bool = False
    holiday: str | None = None
    segments: list = field(default_factory=list)


@dataclass
class Timesheet:
    """An employee's days over a period, with totals."""

    employee: Employee
    start: date
    end: date
    days: list = field(default_factory=list)

    @property
    def scheduled(self) -> int:
        return sum(d.scheduled for d in self.days)

    @property
    def worked(self) -> int:
        return sum(d.worked for d in self.days)

    @property
    def absence(self) -> dict:
        totals = {code: 0 for code in ABSENCE_CODES}
        for sheet_day in self.days:
            for code, minutes in sheet_day.absence.items():
                totals[code] += minutes
        return totals

    @property
    def late_count(self) -> int:
        return sum(1 for d in self.days if d.late)

    @property
    def system_closed_days(self) -> int:
        return sum(1 for d in self.days if d.system_closed)


def build(employees_query, start: date, end: date) -> list[Timesheet]:
    """Timesheets of the employees a query selects, over start..end (both included).

    Five queries, however many employees: employees (with group), schedules, segments,
    absences and planned leave.
    """
    # Only the columns a timesheet shows: model rows for a whole company cost more than the
    # month's segments do.
    employees = list(employees_query.select(Employee.id, Employee.employee_number,
                                            Employee.first_name, Employee.last_name,
                                            Employee.start_date, Employee.end_date,
                                            Employee.work_group, WorkGroup.id, WorkGroup.name)
                     .join(WorkGroup, peewee.JOIN.LEFT_OUTER,
                           on=(Employee.work_group == WorkGroup.id))
                     .where((Employee.start_date <= end)
                            & (Employee.end_date.is_null() | (Employee.end_date >= start)))
                     .order_by(Employee.last_name, Employee.first_name, Employee.id))
    ids = employees_query.select(Employee.id)
    schedules = rules.load_schedules(ids, until=end)
    # Raw rows, not model instances: a month of a large company is tens of thousands of segments.
    segments = defaultdict(lambda: defaultdict(list))
    cursor = database.execute(
        AttendanceSegment.select(AttendanceSegment.employee, AttendanceSegment.day,
                                 AttendanceSegment.check_in, AttendanceSegment.check_out,
                                 AttendanceSegment.closed_by_system)
        .where(AttendanceSegment.employee.in_(ids) & AttendanceSegment.superseded_by.is_null()
               & (AttendanceSegment.day >= start) & (AttendanceSegment.day <= end))
        .order_by(AttendanceSegment.check_in))
    for employee_id, day, check_in, check_out, closed in cursor:
        segments[employee_id][as_date(day)].append(
            Stamp(_moment(check_in), _moment(check_out), bool(closed)))
    absences = defaultdict(lambda: defaultdict(list))
    cursor = database.execute(
        Absence.select(Absence.employee, Absence.day, Absence.code, Absence.hours)
        .where(Absence.employee.in_(ids) & Absence.superseded_by.is_null()
               & (Absence.day >= start) & (Absence.day <= end)))
    for employee_id, day, code, hours in cursor:
        absences[employee_id][as_date(day)].append(
            Stamp(None, None, False, code=code, hours=None if hours is None else Decimal(str(hours))))
    leaves = defaultdict(list)
    for leave in PlannedLeave.select().where(
            PlannedLeave.employee.in_(ids) & PlannedLeave.cancelled_at.is_null()
            & (PlannedLeave.starts_on <= end) & (PlannedLeave.ends_on >= start)):
        leaves[leave.employee_id].append(leave)

    # The calendar is the same for everyone: weekday and public holiday once per day.
    calendar = [(day, day.weekday(), rules.public_holiday(day))
                for day in (start + timedelta(days=n) for n in range((end - start).days + 1))]
    grace = rules.grace_minutes()
    return [_sheet(employee, calendar, schedules.get(employee.id, []), segments[employee.id],
                   absences[employee.id], leaves[employee.id], grace) for employee in employees]


def _worked(segments, shift) -> int:
    """rules.worked_minutes of a day's current segments; one closed segment without a sort."""
    if len(segments) == 1 and segments[0].check_out is not None:
        # The common day: one scan in, one out, no gap between segments.
        gross = rules.gross_minutes(segments)
        return gross - rules.break_deduction(gross, 0, shift)
    return rules.worked_minutes(segments, shift)


def _sheet(employee, calendar, schedules, segments, absences, leaves, grace) -> Timesheet:
    """One employee's timesheet: rules.expectation and the minutes rules, day by day."""
    first, last = calendar[0][0], calendar[-1][0]
    sheet = Timesheet(employee=employee, start=first, end=last)
    in_force = rules.schedule_in_force(schedules, first)
    # Usually one schedule covers the whole period: look its days up by weekday directly.
    week = (in_force.days if in_force else {}) if in_force is rules.schedule_in_force(
        schedules, last) else None
    # Usually the contract covers the whole period too: then no day falls outside it.
    employed_throughout = rules.in_employment(employee, first) and rules.in_employment(
        employee, last)
    scheduled_of = {}
    append = sheet.days.append
    for day, weekday, holiday in calendar:
        shift = week.get(weekday) if week is not None else rules.shift_on(schedules, day)
        leave_code = rules.leave_on(leaves, day) if leaves else None
        if not employed_throughout and not rules.in_employment(employee, day):
            expectation = rules.OUTSIDE_CONTRACT
        elif shift is None:
            expectation = rules.NOT_SCHEDULED
        elif holiday:
            expectation = rules.HOLIDAY
        elif leave_code:
            expectation = rules.ON_LEAVE
        else:
            expectation = rules.EXPECTED
        if shift is not None:
            scheduled = scheduled_of.get(weekday) if week is not None else None
            if scheduled is None:
                scheduled = shift.scheduled_minutes
                if week is not None:
                    scheduled_of[weekday] = scheduled
        day_segments = segments.get(day)
        entry = SheetDay(day=day, holiday=holiday, segments=day_segments or [])
        if expectation is rules.EXPECTED or expectation is rules.ON_LEAVE:
            entry.scheduled = scheduled
        if day_segments:
            entry.worked = _worked(day_segments, shift)
            for segment in day_segments:
                if segment.closed_by_system:
                    entry.system_closed = True
                if segment.check_out is None:
                    entry.still_open = True
            if expectation is rules.EXPECTED:
                entry.late = rules.late_minutes(day_segments[0].check_in, day, shift, grace)
        day_absences = absences.get(day)
        if day_absences:
            for absence in day_absences:
                entry.absence[absence.code] = (entry.absence.get(absence.code, 0)
                                               + rules.absence_minutes(absence, shift))
        if expectation is rules.ON_LEAVE and not entry.absence:
            entry.absence[leave_code] = scheduled
        append(entry)
    return sheet
