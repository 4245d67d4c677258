"""Closing the day: a check-in still open at the end of the day is closed by rule, and flagged."""

from datetime import date

import peewee

from portal.attendance import stamps
from portal.attendance.models import AttendanceSegment
from portal.people.models import Employee

# Closing a day is an attendance write: the attendance area's rule, named here for the kiosk.
closing_moment = stamps.closing_moment
close_by_system = stamps.close_by_system
close_open_days = stamps.close_open_days


def closed_by_system_on(day: date) -> peewee.ModelSelect:
    """The segments of a day that the system closed: the supervisor's list to check."""
    return (AttendanceSegment.select(AttendanceSegment, Employee).join(Employee)
            .where((AttendanceSegment.day == day) & AttendanceSegment.closed_by_system
                   & AttendanceSegment.superseded_by.is_null())
            .order_by(Employee.first_name))
