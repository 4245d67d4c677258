"""Stamps from a tablet: the attendance rules a kiosk scan goes through, in the scan path's form.

The kiosk decides what a scan means (in, out, a repeat); what it may write, and how, is the
attendance area's to say, as for a supervisor's clocking or a correction:

- a stamp on a day that ended over an hour ago is never applied: the supervisor gets it to accept
  (`check_stamp` answers LATE), because guessing it into a closed day invents hours;
- a stamp outside the contract period is refused (OUTSIDE_CONTRACT), as a hand clocking is;
- a stamp on a day already signed off is applied and recorded as a correction after sign-off,
  with no user behind it (`record_after_sign_off`), so the day's history shows it;
- a check-in left open is closed by rule at the scheduled end (else the set hour), flagged.

The writes are prepared statements: the scan path is the busiest in the portal
(tests/kiosk/test_rules.py holds it to a fixed number of statements).
"""

from datetime import date, datetime, time, timedelta

from portal import audit
from portal.attendance import closing
from portal.attendance.models import AttendanceSegment, Correction
from portal.db import write_transaction
from portal.kiosk.prepared import Prepared
from portal.people import working_calendar
from portal.timeutil import to_local, to_utc, utcnow

LATE = "late_scan"
OUTSIDE_CONTRACT = "inactive_employee"
# A day stays open to its own stamps this long after midnight: a check-out at 23:59 that
# reaches the server a few seconds (or a short outage) later still belongs to its day.
LATE_AFTER = timedelta(hours=1)


def check_stamp(employee, day: date, now: datetime) -> str | None:
    """Why a tablet's stamp on a day may not be applied (LATE, OUTSIDE_CONTRACT), or None.

    `employee` needs its start and end date; `now` is the server's time of receipt.
    """
    if not working_calendar.in_employment(employee, day):
        return OUTSIDE_CONTRACT
    if day < to_local(now - LATE_AFTER).date():
        return LATE
    return None


def check_in(employee_id: int, day: date, moment: datetime, source: str, device_id: int,
             location_id: int | None, unexpected_place: bool, clock_flagged: bool) -> AttendanceSegment:
    """Open a segment from a tablet (the caller holds the write lock and checked the day)."""
    values = dict(employee=employee_id, day=day, check_in=moment, in_source=source,
                  in_device_id=device_id, location=location_id, unexpected_place=unexpected_place,
                  clock_offset_flagged=clock_flagged, created_at=utcnow())
    segment_id = _insert_check_in.execute(*values.values())
    return AttendanceSegment(id=segment_id, **values)


_insert_check_in = Prepared.insert(AttendanceSegment, [
    AttendanceSegment.employee, AttendanceSegment.day, AttendanceSegment.check_in,
    AttendanceSegment.in_source, AttendanceSegment.in_device_id, AttendanceSegment.location,
    AttendanceSegment.unexpected_place, AttendanceSegment.clock_offset_flagged,
    AttendanceSegment.created_at])


def check_out(segment: AttendanceSegment, moment: datetime, source: str, device_id: int,
              clock_flagged: bool) -> AttendanceSegment:
    """Close an open segment from a tablet (the caller holds the lock on it)."""
    segment.check_out = moment
    segment.out_source = source
    segment.out_device_id = device_id
    changed = [AttendanceSegment.check_out, AttendanceSegment.out_source,
               AttendanceSegment.out_device_id]
    if clock_flagged:
        segment.clock_offset_flagged = True
        changed.append(AttendanceSegment.clock_offset_flagged)
    segment.save(only=changed)
    return segment


def record_after_sign_off(segment: AttendanceSegment, device_name: str, outcome: str) -> Correction:
    """Note a tablet's stamp on a signed-off day in the day's history, as a correction would be."""
    what = "check-out" if outcome == "checked_out" else "check-in"
    correction = Correction.create(
        employee=segment.employee_id, day=segment.day, new_segment=segment.id, made_by=None,
        reason=f"Kiosk {what} received after sign-off ({device_name})", after_sign_off=True)
    audit.record("attendance.kiosk_after_sign_off", segment,
                 after={"employee_id": segment.employee_id, "day": segment.day,
                        "outcome": outcome}, reason=correction.reason)
    return correction


# -- closing days -----------------------------------------------------------------------------

def close_by_system(segment: AttendanceSegment, why: str) -> AttendanceSegment:
    """Close a forgotten check-in at the moment `attendance.closing` gives it (the scheduled
    end, else a usual shift after the check-in), flagged for the supervisor; the caller holds
    the lock."""
    return closing.close(segment, closing.closing_moment_of(segment), why)
