"""Closing the day: a check-in still open at the end of the day is closed by rule, and flagged."""

from datetime import datetime

from portal import audit
from portal.attendance.models import AttendanceSegment


def closing_moment(segment: AttendanceSegment, day_end_hour: int) -> datetime:
    """When a forgotten check-out is taken to be: the attendance area's one rule."""
    from portal.attendance.closing import closing_moment_of

    return closing_moment_of(segment)


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
