"""Late scans: queued stamps for an earlier day, kept for the supervisor instead of applied.

A tablet that was offline for days sends a scan from then; applying it to that day would open
a check-in nobody closes (the next real scan closed it "by system" at 22:00 and invented hours).
It is stored with outcome `late_scan`; the supervisor sees it and accepts it, which makes it a
correction through the attendance rules (who, when, why; after sign-off only by hr or admin).
"""

from datetime import date, time

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.attendance import rules as attendance
from portal.attendance.models import AttendanceSegment
from portal.db import write_transaction
from portal.kiosk.models import Scan
from portal.people.models import Employee
from portal.refusal import Refused
from portal.timeutil import day_bounds_utc, local_day, to_local

LATE = "late_scan"
ACCEPTED = "late_accepted"


def late_scans(employee_ids, since: date) -> list[Scan]:
    """The late scans of these employees from `since` on, still waiting for the supervisor."""
    return list(Scan.select().where(Scan.employee.in_(list(employee_ids)) & (Scan.outcome == LATE)
                                    & (Scan.scanned_at >= attendance.local_moment(since, time(0))))
                .order_by(Scan.scanned_at))


def on_day(employee_ids, day: date) -> list[Scan]:
    """The late scans of a day for these employees, waiting to be accepted, with the person."""
    start, end = day_bounds_utc(day)
    return list(Scan.select(Scan, Employee).join(Employee)
                .where(Scan.employee.in_(employee_ids) & (Scan.outcome == LATE)
                       & (Scan.scanned_at >= start) & (Scan.scanned_at < end))
                .order_by(Scan.scanned_at))


def accept_late_scan(scan: Scan, user, reason: str | None = None, now=None) -> AttendanceSegment:
    """Apply a late scan to its day as a correction: the stamp a segment of that day lacks.

    A scan after a check-in becomes its check-out (replacing a check-out the system guessed);
    a scan before the day's first check-in becomes that check-in.

    :raise Refused: when the day has no segment the stamp completes (then the
        supervisor corrects the day by hand), or the day is signed off and the user may not.
    """
    moment, day = scan.scanned_at, local_day(scan.scanned_at)
    why = reason or f"Kiosk scan of {to_local(moment):%H:%M} accepted"
    candidates = list(AttendanceSegment.select().where(
        (AttendanceSegment.employee == scan.employee_id) & (AttendanceSegment.day == day)
        & AttendanceSegment.superseded_by.is_null()).order_by(AttendanceSegment.check_in))
    target = next((s for s in reversed(candidates) if s.check_in < moment
                   and (s.check_out is None or s.closed_by_system)), None)
    if target is not None:
        times = (target.check_in, moment)
    else:
        target = next((s for s in candidates if moment < s.check_in), None)
        if target is None:
            raise Refused(_l(
                "This scan completes no registration of its day. Correct the day by hand."))
        times = (moment, target.check_out)
    with write_transaction():
        segment = attendance.correct_segment(target, *times, reason=why, user=user)
        Scan.update(outcome=ACCEPTED, segment=segment.id).where(Scan.id == scan.id).execute()
        audit.record("kiosk.late_scan_accepted", scan, user=user,
                     after={"segment_id": segment.id}, reason=why)
    return segment

