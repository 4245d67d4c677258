"""Absence figures per month (verzuimpercentage and -frequentie), in a fixed few queries."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import peewee

from portal.attendance import rules
from portal.attendance.models import SICK, Absence
from portal.people.models import Employee, Municipality, Workfloor, WorkGroup
from portal.people import working_calendar

GROUPINGS = ("company", "group", "workfloor", "municipality")


def month_days(first: date) -> list[date]:
    """Every day of the month that `first` lies in."""
    start = first.replace(day=1)
    count = calendar.monthrange(start.year, start.month)[1]
    return [start + timedelta(days=n) for n in range(count)]


@dataclass
class FigureRow:
    """Absence figures of one group, workfloor, municipality or the company for a month."""

    key: object
    name: str
    employees: int = 0
    scheduled_minutes: int = 0
    sick_minutes: int = 0
    reports: int = 0

    @property
    def percentage(self):
        return rules.absence_percentage(self.sick_minutes, self.scheduled_minutes)

    @property
    def frequency(self):
        """Sick reports per employee in the month."""
        if not self.employees:
            return None
        return round(self.reports / self.employees, 2)

    @property
    def scheduled_hours(self):
        return rules.hours(self.scheduled_minutes)

    @property
    def sick_hours(self):
        return rules.hours(self.sick_minutes)


def employee_month(employee, schedules, sick: dict, days: list[date]) -> tuple[int, int, int]:
    """(scheduled minutes, sick minutes, sick reports) of one employee over some days.

    Public holidays and days outside the contract are not scheduled; sick time on a day is
    at most that day's scheduled time.
    """
    scheduled = sick_minutes = 0
    expected_days = []
    for day in days:
        shift = rules.shift_on(schedules, day)
        if shift is None or not rules.in_employment(employee, day) or rules.public_holiday(day):
            continue
        expected_days.append(day)
        scheduled += shift.scheduled_minutes
        if day in sick:
            sick_minutes += min(shift.scheduled_minutes,
                                sum(rules.absence_minutes(a, shift) for a in sick[day]))
    return scheduled, sick_minutes, rules.sick_reports(sick.keys(), expected_days)


def absence_figures(month: date, grouping: str = "group") -> list[FigureRow]:
    """Absence percentage and frequency of a month per group, workfloor, municipality or company."""
    days = month_days(month)
    first, last = days[0], days[-1]
    people = Employee.select(Employee.id).where(working_calendar.employed_between(first, last))
    employees = list(
        Employee.select(Employee.id, Employee.start_date, Employee.end_date,
                        Employee.work_group, Employee.municipality,
                        WorkGroup.id, WorkGroup.name, WorkGroup.workfloor, Workfloor.id,
                        Workfloor.name, Municipality.id, Municipality.name)
        .join(WorkGroup, peewee.JOIN.LEFT_OUTER, on=(Employee.work_group == WorkGroup.id))
        .join(Workfloor, peewee.JOIN.LEFT_OUTER, on=(WorkGroup.workfloor == Workfloor.id))
        .switch(Employee).join(Municipality, on=(Employee.municipality == Municipality.id))
        .where(Employee.id.in_(people)))
    schedules = rules.load_schedules(people, until=last)
    sick: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for absence in (Absence.select(Absence.employee, Absence.day, Absence.hours)
                    .where((Absence.code == SICK) & Absence.superseded_by.is_null()
                           & (Absence.day >= first) & (Absence.day <= last)
                           & Absence.employee.in_(people))):
        sick[absence.employee_id][absence.day].append(absence)

    result: dict[object, FigureRow] = {}
    for employee in employees:
        key, name = _key(employee, grouping)
        row = result.setdefault(key, FigureRow(key=key, name=name))
        scheduled, sick_minutes, reports = employee_month(
            employee, schedules.get(employee.id, []), sick.get(employee.id, {}), days)
        row.employees += 1
        row.scheduled_minutes += scheduled
        row.sick_minutes += sick_minutes
        row.reports += reports
    return sorted(result.values(), key=lambda r: r.name)


def _key(employee, grouping: str):
    if grouping == "company":
        return "company", ""
    if grouping == "municipality":
        return employee.municipality_id, employee.municipality.name
    if employee.work_group_id is None:
        return None, "-"
    group = employee.work_group
    if grouping == "workfloor":
        return group.workfloor_id, group.workfloor.name
    return group.id, group.name
