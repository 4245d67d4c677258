"""Closing the check-ins nobody closed: at the scheduled end, else after a usual shift.

A forgotten check-out used to be closed at 22:00: a check-in after 22:00 got 0 hours, a day
that ended at 16:00 got 14.5. Now it is closed where the person was expected to leave:

- at the end of the day's scheduled shift, when that lies after the check-in (a shift that
  ends at or before its start, 22:00-06:00, ends the next morning);
- otherwise (no shift that day, or a check-in after it ended) after a usual shift length,
  `PORTAL_ATTENDANCE_SHIFT_HOURS` (8 by default), from the check-in.

Either way it is flagged `closed_by_system` for the supervisor, never silently. It is closed
only once that moment is an hour past (overtime may still check out), so an evening shift
that runs past midnight stays open until its own end.
"""

import os
from datetime import date, datetime, timedelta

from flask import current_app, has_app_context

from portal import audit, timeutil
from portal.attendance import rules
from portal.attendance.models import AttendanceSegment
from portal.db import write_transaction

DEFAULT_SHIFT_HOURS = 8
# How long after the closing moment a check-out may still come (overtime, a late scan).
MARGIN = timedelta(hours=1)
REASON = "No check-out by the end of the day"


def shift_hours() -> float:
    """The usual shift length, for check-ins without a scheduled end to close at."""
    default = float(os.environ.get("PORTAL_ATTENDANCE_SHIFT_HOURS", DEFAULT_SHIFT_HOURS))
    if has_app_context():
        return float(current_app.config.get("ATTENDANCE_SHIFT_HOURS", default))
    return default


def shift_end_utc(day: date, shift: rules.Shift) -> datetime:
    """When a shift ends, in UTC; one that ends at or before its start ends the next day."""
    end_day = day + timedelta(days=1) if shift.ends_at <= shift.starts_at else day
    return timeutil.to_utc(datetime.combine(end_day, shift.ends_at))


def closing_moment(check_in: datetime, day: date, shift: rules.Shift | None,
                   hours: float) -> datetime:
    """Where a forgotten check-out is put: the shift's end, else `hours` after the check-in."""
    if shift is not None:
        end = shift_end_utc(day, shift)
        if end > check_in:
            return end
    return check_in + timedelta(hours=hours)


def closing_moment_of(segment: AttendanceSegment, hours: float | None = None) -> datetime:
    """The closing moment of one open segment, its shift looked up (the kiosk's one-off)."""
    schedules = rules.load_schedules([segment.employee_id], segment.day)
    shift = rules.shift_on(schedules.get(segment.employee_id, []), segment.day)
    return closing_moment(segment.check_in, segment.day, shift,
                          shift_hours() if hours is None else hours)


def close_open_days(now: datetime | None = None,
                    hours: float | None = None) -> list[AttendanceSegment]:
    """Close every open check-in whose closing moment is more than MARGIN past, flagged."""
    now = now or timeutil.utcnow()
    hours = shift_hours() if hours is None else hours
    closed = []
    with write_transaction():
        # A check-in can only be due once `hours` (or a shift of at most a day) has passed.
        open_segments = list(AttendanceSegment.select().where(
            AttendanceSegment.check_out.is_null() & AttendanceSegment.superseded_by.is_null()
            & (AttendanceSegment.check_in < now - MARGIN)))
        schedules = rules.load_schedules({s.employee_id for s in open_segments},
                                         timeutil.local_day(now))
        for segment in open_segments:
            shift = rules.shift_on(schedules.get(segment.employee_id, []), segment.day)
            moment = closing_moment(segment.check_in, segment.day, shift, hours)
            if moment + MARGIN <= now:
                closed.append(close(segment, moment))
    return closed


def close(segment: AttendanceSegment, moment: datetime, reason: str = REASON) -> AttendanceSegment:
    """Close a forgotten check-in at `moment`, flagged for the supervisor and logged; the one
    writer of a system check-out (the nightly job, and the kiosk's next scan through stamps).
    The caller holds the write lock."""
    segment.check_out = moment
    segment.out_source = "system"
    segment.closed_by_system = True
    segment.reason = reason
    segment.save(only=[AttendanceSegment.check_out, AttendanceSegment.out_source,
                       AttendanceSegment.closed_by_system, AttendanceSegment.reason])
    audit.record("attendance.closed_by_system", segment,
                 after={"employee_id": segment.employee_id, "day": segment.day,
                        "check_out": segment.check_out}, reason=reason)
    return segment
