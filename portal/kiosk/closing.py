"""Closing the day: a check-in still open at the end of the day is closed by rule, and flagged."""

from datetime import datetime, time, timedelta

from portal import audit
from portal.attendance.models import AttendanceSegment
from portal.db import write_transaction
from portal.kiosk.schedules import scheduled_day
from portal.timeutil import to_local, to_utc, utcnow


def closing_moment(segment: AttendanceSegment, day_end_hour: int) -> datetime:
    """When a forgotten check-out is taken to be: the scheduled end, else the set hour."""
    planned = scheduled_day(segment.employee_id, segment.day)
    candidates = []
    if planned is not None:
        candidates.append(to_utc(datetime.combine(segment.day, planned.ends_at)))
    candidates.append(to_utc(datetime.combine(segment.day, time(day_end_hour))))
    for moment in candidates:
        if moment > segment.check_in:
            return moment
    return segment.check_in


def close_by_system(segment: AttendanceSegment, day_end_hour: int, why: str) -> AttendanceSegment:
    """Close a forgotten check-in by rule, flagged so the supervisor sees it (caller holds the lock)."""
    segment.check_out = closing_moment(segment, day_end_hour)
    segment.out_source = "system"
    segment.closed_by_system = True
    segment.reason = why
    segment.save(only=[AttendanceSegment.check_out, AttendanceSegment.out_source,
                       AttendanceSegment.closed_by_system, AttendanceSegment.reason])
    audit.record("attendance.closed_by_system", segment,
                 after={"employee_id": segment.employee_id, "day": segment.day,
                        "check_out": segment.check_out}, reason=why)
    return segment


def close_open_days(now=None, day_end_hour: int = 22) -> list[AttendanceSegment]:
    """Close every check-in left open from an earlier day, or from today after the set hour."""
    now = now or utcnow()
    local_now = to_local(now)
    today = local_now.date()
    last_open_day = today if local_now.hour >= day_end_hour else today - timedelta(days=1)
    closed = []
    with write_transaction():
        stale = AttendanceSegment.select().where(
            AttendanceSegment.check_out.is_null() & AttendanceSegment.superseded_by.is_null()
            & (AttendanceSegment.day <= last_open_day))
        for segment in stale:
            closed.append(close_by_system(segment, day_end_hour,
                                          "No check-out by the end of the day"))
    return closed
