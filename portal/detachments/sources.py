"""Where a detachment's hours come from, shown on the detachment before a statement is sent.

A statement bills the attendance registered at the client's location (and, for an individual,
the jobcoach's weekly hours on days without it). Someone who clocks in at the own workfloor
instead is billed nothing: the statement then says 0 hours and € 0 without saying why. This
puts the registered hours per person and place side by side, so the planner sees it first.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from portal.attendance.models import AttendanceSegment
from portal.detachments.models import HoursEntry
from portal.kiosk.models import Device
from portal.people.models import Location

CENT = Decimal("0.01")


@dataclass
class PersonHours:
    """One member's registered hours of a month: at the client's site, elsewhere, by jobcoach."""

    employee: object
    at_site: Decimal = Decimal(0)
    jobcoach: Decimal = Decimal(0)
    elsewhere: dict = field(default_factory=dict)  # location name -> hours

    @property
    def billed(self) -> Decimal:
        return self.at_site + self.jobcoach


@dataclass
class MonthSources:
    """What a month's statement is built from."""

    month: date
    people: list

    @property
    def billed(self) -> Decimal:
        return sum((p.billed for p in self.people), Decimal(0))

    @property
    def elsewhere(self) -> Decimal:
        return sum((sum(p.elsewhere.values(), Decimal(0)) for p in self.people), Decimal(0))


def _hours(seconds: float) -> Decimal:
    return (Decimal(int(round(seconds))) / Decimal(3600)).quantize(CENT, ROUND_HALF_UP)


def member_days(detachment, members, first: date, last: date) -> dict:
    """{employee id: set of days} each member is in the detachment between two days."""
    days = defaultdict(set)
    for member in members:
        end = member.end_date or detachment.end_date or last
        day = max(member.start_date, detachment.start_date, first)
        while day <= min(end, last):
            days[member.employee_id].add(day)
            day += timedelta(days=1)
    return days


def month_sources(detachment, members, month: date, month_end: date) -> MonthSources:
    """The registered hours of a month per member (two queries): closed, current attendance by
    place on the member's days, and the jobcoach's hours."""
    days = member_days(detachment, members, month, month_end)
    people = {m.employee_id: PersonHours(m.employee) for m in members if days.get(m.employee_id)}
    if not people:
        return MonthSources(month, [])
    seconds = defaultdict(float)
    rows = (AttendanceSegment.select(AttendanceSegment.employee, AttendanceSegment.day,
                                     AttendanceSegment.check_in, AttendanceSegment.check_out,
                                     Location.id, Location.name)
            .join(Location, on=(AttendanceSegment.location == Location.id))
            .where(AttendanceSegment.employee.in_(list(people))
                   & (AttendanceSegment.day >= month) & (AttendanceSegment.day <= month_end)
                   & AttendanceSegment.check_out.is_null(False)
                   & AttendanceSegment.superseded_by.is_null())
            .tuples())
    names = {}
    for employee_id, day, check_in, check_out, location_id, location_name in rows:
        if day in days[employee_id] and check_out > check_in:
            seconds[(employee_id, location_id)] += (check_out - check_in).total_seconds()
            names[location_id] = location_name
    for (employee_id, location_id), total in seconds.items():
        person = people[employee_id]
        if location_id == detachment.location_id:
            person.at_site = _hours(total)
        else:
            person.elsewhere[names[location_id]] = _hours(total)
    for entry in HoursEntry.select().where(
            (HoursEntry.detachment == detachment.id) & HoursEntry.employee.in_(list(people))
            & (HoursEntry.week_start >= month - timedelta(days=6))
            & (HoursEntry.week_start <= month_end)):
        for offset in range(7):
            day = entry.week_start + timedelta(days=offset)
            if month <= day <= month_end and day in days[entry.employee_id]:
                people[entry.employee_id].jobcoach += Decimal(entry.hours_on(offset))
    return MonthSources(month, list(people.values()))


def site_tablets(location_id: int) -> int:
    """The enrolled, not revoked tablets at a location: the way people clock in there."""
    return (Device.select().where((Device.location == location_id)
                                  & Device.revoked_at.is_null()
                                  & Device.credential_hash.is_null(False)).count())
