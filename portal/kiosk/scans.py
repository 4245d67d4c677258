"""What a scan does to a day, exactly once.

Every write happens inside write_transaction(); the database's unique constraints (the scan id,
and the one-open-check-in index) settle races between workers, and the loser re-reads.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import peewee

from portal import audit, throttle
from portal.attendance import stamps
from portal.attendance.models import AttendanceSegment, DaySignOff
from portal.db import database, is_sqlite, write_transaction
from portal.kiosk.devices import touch_device
from portal.kiosk.models import Badge, Device, Scan
from portal.kiosk.prepared import Prepared
from portal.kiosk.schedules import expected_here
from portal.kiosk.settings import Settings
from portal.people.models import Employee, Workfloor, WorkGroup
from portal.timeutil import local_day, to_local, utcnow
from portal.tokens import sha256

SCAN_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
ACCEPTED = ("checked_in", "checked_out")
# Stored outcomes that are not a check-in or check-out; the kiosk shows each in red.
REFUSED = ("unknown_badge", "revoked_badge", "inactive_employee", "late_scan")
# Not stored: more unknown badges from one device in a minute than are kept one by one.
TOO_MANY_UNKNOWN = "too_many_unknown"
# A tablet time this far after the tablet's own sending time cannot be right.
FUTURE_TOLERANCE = timedelta(seconds=5)
# Flags that mark the segment's clock as doubtful for the supervisor.
CLOCK_FLAGS = {"clock_offset", "clock_unchecked", "future_time"}


class ScanIdConflict(Exception):
    """The scan id is stored already, with another payload or from another device."""


@dataclass
class ScanRequest:
    """A scan as the tablet sent it, already checked for shape."""

    scan_id: str
    payload: str
    method: str = "badge"
    tablet_time: datetime | None = None
    sent_at: datetime | None = None
    fingerprint: str = field(default="")

    def __post_init__(self):
        if not self.fingerprint:
            stamp = self.tablet_time.isoformat() if self.tablet_time else "-"
            self.fingerprint = sha256(f"{self.method}\n{self.payload}\n{stamp}")


def corrected_time(now: datetime, tablet_time: datetime | None, sent_at: datetime | None,
                   flag_seconds: int) -> tuple[datetime, float | None, bool]:
    """When the scan happened by the server's clock: (moment, offset seconds, offset flagged).

    The offset is measured on this request: server time now minus the tablet's clock when it
    sent. A scan sent at once is simply now; a queued scan keeps its tablet time, shifted by
    the offset, and never lands in the future.
    """
    if tablet_time is None:
        return now, None, False
    offset = (now - sent_at).total_seconds() if sent_at else 0.0
    moment = min(tablet_time + timedelta(seconds=offset), now)
    return moment, offset, abs(offset) > flag_seconds


def scan_moment(now: datetime, tablet_time: datetime | None, sent_at: datetime | None,
                flag_seconds: int) -> tuple[datetime, float | None, set]:
    """When the scan happened by the server's clock, its measured offset, and its time flags.

    `clock_unchecked`: a tablet time without `sent_at` cannot be held against the server's
    clock, so it is taken as sent. `future_time`: a tablet time after the tablet's own sending
    time cannot be right; the scan is taken to be now, but never silently.
    """
    moment, offset, offset_flagged = corrected_time(now, tablet_time, sent_at, flag_seconds)
    flags = {"clock_offset"} if offset_flagged else set()
    if tablet_time is None:
        return moment, offset, flags
    if sent_at is None:
        flags.add("clock_unchecked")
    else:
        if tablet_time - sent_at > FUTURE_TOLERANCE:
            flags.add("future_time")
        if (now - moment).total_seconds() > 5:
            flags.add("queued")
    return moment, offset, flags


def greeting(moment: datetime) -> str:
    hour = to_local(moment).hour
    return "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"


def _initials(employee: Employee) -> str:
    return employee.initials


def _result(scan_id, outcome, employee=None, moment=None, flags=()) -> dict:
    result = {"scan_id": scan_id, "ok": outcome in ACCEPTED or outcome == "duplicate",
              "outcome": outcome, "flags": sorted(flags)}
    if outcome in REFUSED:
        result["error"] = outcome
    if employee is not None and outcome not in ("unknown_badge", "revoked_badge"):
        result.update(first_name=employee.first_name, initials=_initials(employee),
                      has_photo=bool(employee.has_photo))
    if moment is not None:
        result.update(at=moment.isoformat() + "Z", time=to_local(moment).strftime("%H:%M"),
                      greeting=greeting(moment))
    return result


def record_scan(device: Device, request: ScanRequest, settings: Settings | None = None,
                now=None) -> tuple[dict, bool]:
    """Apply a scan exactly once; return its answer and whether this call stored it.

    :raise ScanIdConflict: when the id is stored with another payload or device.
    """
    settings = settings or Settings()
    for _attempt in range(3):
        stored = _stored_scan(request.scan_id)
        if stored is not None:
            return _replay(stored, device, request), False
        try:
            return _apply(device, request, settings, now or utcnow()), True
        except peewee.IntegrityError:
            # Another worker stored this scan id, or opened this check-in, first: its whole
            # transaction stands and ours was rolled back, so read again.
            if not database.is_closed() and database.in_transaction():
                raise
    stored = _stored_scan(request.scan_id)
    if stored is None:
        raise RuntimeError("scan neither stored nor refused after retries")
    return _replay(stored, device, request), False


def _stored_scan(scan_id: str) -> Scan | None:
    """What a replay needs of an earlier scan with this id, if there is one."""
    return _scan_by_id.first(scan_id)


_scan_by_id = Prepared(
    [Scan.scan_id],
    lambda scan_id: Scan.select(Scan.id, Scan.device, Scan.payload_hash, Scan.result)
    .where(Scan.scan_id == scan_id).limit(1))


def _replay(stored: Scan, device: Device, request: ScanRequest) -> dict:
    if stored.payload_hash != request.fingerprint or stored.device_id != device.id:
        raise ScanIdConflict(request.scan_id)
    return dict(json.loads(stored.result), replayed=True)


def _apply(device: Device, request: ScanRequest, settings: Settings, now: datetime) -> dict:
    """Work out and store what a new scan does.

    Who the badge belongs to and whether the person is expected here do not depend on other
    scans, so they are read before the write lock is taken; on SQLite that lock is the whole
    database, and every worker's scans wait while it is held.
    """
    moment, offset, flags = scan_moment(now, request.tablet_time, request.sent_at,
                                        settings.offset_flag_seconds)
    day = local_day(moment)
    badge, employee, floor, signed_off = _identify(request, day)
    # The attendance rules decide whether a stamp on this day may be applied at all.
    refusal = _refusal(request, badge, employee) \
        or stamps.check_stamp(employee, day, now)
    if refusal == "unknown_badge" and _too_many_unknown(device, settings, now):
        return _result(request.scan_id, TOO_MANY_UNKNOWN, None, moment, flags)
    if refusal is None and not expected_here(employee, device, day, floor):
        flags.add("unexpected_place")
    with write_transaction():
        if refusal is not None:
            result = _result(request.scan_id, refusal, employee, moment, flags)
            _store(device, request, badge, employee, moment, offset, refusal, None, result)
            return result
        segments = _current_segments(employee.id, day)
        earlier = _duplicate_of(employee.id, segments, moment, settings)
        if earlier is not None:
            previous = json.loads(earlier.result)
            result = dict(previous, scan_id=request.scan_id, outcome="duplicate",
                          first_outcome=previous["outcome"])
            _store(device, request, badge, employee, moment, offset, "duplicate",
                   earlier.segment_id, result)
            return result
        outcome, segment, closed = _toggle(employee, device, moment, day, request.method,
                                           flags, segments)
        if closed:
            flags.add("closed_previous")
        if signed_off and outcome in ACCEPTED:
            flags.add("after_sign_off")
        result = _result(request.scan_id, outcome, employee, moment, flags)
        _store(device, request, badge, employee, moment, offset, outcome,
               segment.id if segment else None, result)
        if "after_sign_off" in flags:
            stamps.record_after_sign_off(segment, device.name, outcome)
        return result


def _too_many_unknown(device: Device, settings: Settings, now: datetime) -> bool:
    """Count an unknown badge for the device's minute; tell whether it is past the limit.

    One tablet sent 4,000 random tokens in seconds, each stored as a row. Past the limit only
    the count grows: one row per device and minute, kept as the record of the attempt.
    """
    key = f"kiosk-unknown:{device.id}:{now:%Y%m%d%H%M}"
    return throttle.count_attempt(key, timedelta(minutes=1), now) > settings.unknown_badges_per_minute


def _identify(request: ScanRequest, day: date):
    """(badge, employee, workfloor of the employee's group, whether the employee's group's day
    is signed off) for a scan; None where unknown."""
    if request.method == "pin":
        # The view checked the PIN; the payload names the employee.
        employee = _employee_by_id.first(int(request.payload.removeprefix("employee:")), day)
        return None, employee, None, _signed_off(employee)
    badge, floor = _find_badge(request.payload, day)
    employee = badge.employee if badge else None
    return badge, employee, floor, _signed_off(employee)


def _refusal(request: ScanRequest, badge, employee) -> str | None:
    """Why a scan changes no attendance, whatever the day, or None when it may."""
    if request.method == "badge" and badge is None:
        return "unknown_badge"
    if request.method == "badge" and badge.revoked_at is not None:
        return "revoked_badge"
    if employee is None or not employee.is_active:
        return "inactive_employee"
    return None


def _signed_off(employee) -> bool:
    sign_off = getattr(employee, "sign_off", None)
    return sign_off is not None and sign_off.id is not None


def _find_badge(payload: str, day: date):
    """The badge of a token with its employee, and the workfloor of the employee's group."""
    badge = _badge_by_hash.first(sha256(payload), day)
    if badge is None:
        return None, None
    group = badge.employee.__rel__.get("work_group")
    floor = group.__rel__.get("workfloor") if group is not None else None
    return badge, (floor if floor is not None and floor.id is not None else None)


# The person's contract dates and the sign-off of their group's day come with the badge: the
# attendance rules need them, and the scan path has no statement to spare.
_EMPLOYEE_COLUMNS = (Employee.id, Employee.first_name, Employee.last_name, Employee.has_photo,
                     Employee.is_active, Employee.start_date, Employee.end_date,
                     Employee.work_group)


def _day_signed_off(day):
    return (DaySignOff.work_group == Employee.work_group) & (DaySignOff.day == day)


_badge_by_hash = Prepared(
    [Badge.token_hash, DaySignOff.day],
    lambda digest, day: Badge.select(Badge.id, Badge.revoked_at, *_EMPLOYEE_COLUMNS, WorkGroup.id,
                                     WorkGroup.workfloor, Workfloor.id, Workfloor.location,
                                     DaySignOff.id)
    .join(Employee)
    .join(WorkGroup, peewee.JOIN.LEFT_OUTER, on=(Employee.work_group == WorkGroup.id))
    .join(Workfloor, peewee.JOIN.LEFT_OUTER, on=(WorkGroup.workfloor == Workfloor.id))
    .switch(Employee)
    .join(DaySignOff, peewee.JOIN.LEFT_OUTER, on=_day_signed_off(day), attr="sign_off")
    .where(Badge.token_hash == digest).limit(1))

_employee_by_id = Prepared(
    [Employee.id, DaySignOff.day],
    lambda employee_id, day: Employee.select(*_EMPLOYEE_COLUMNS, DaySignOff.id)
    .join(DaySignOff, peewee.JOIN.LEFT_OUTER, on=_day_signed_off(day), attr="sign_off")
    .where(Employee.id == employee_id).limit(1))


def _current_segments(employee_id: int, day: date) -> list[AttendanceSegment]:
    """The employee's open segment (of any day) and the segments of the day, in one query.

    One person's scans are applied one after another. SQLite's BEGIN IMMEDIATE already does
    so; on PostgreSQL these rows are locked until the transaction ends, so a second tablet
    waits, then reads the first one's check-out. When there are no rows to lock, two first
    check-ins meet at the unique index on open check-ins, and the loser reads again.
    """
    return _current_segments_query.rows(employee_id, day)


def _segments_of_the_day(employee, day):
    query = AttendanceSegment.select(
        AttendanceSegment.id, AttendanceSegment.employee, AttendanceSegment.day,
        AttendanceSegment.check_in, AttendanceSegment.check_out).where(
        (AttendanceSegment.employee == employee) & AttendanceSegment.superseded_by.is_null()
        & (AttendanceSegment.check_out.is_null() | (AttendanceSegment.day == day)))
    return query if is_sqlite() else query.for_update()


# Built once per database, so the lock is there only where the database has one.
_current_segments_query = Prepared([AttendanceSegment.employee, AttendanceSegment.day],
                                   _segments_of_the_day)


def _duplicate_of(employee_id, segments, moment, settings: Settings) -> Scan | None:
    """The earlier check-in or check-out scan that this scan repeats, if any.

    A scan within the duplicate window of a registered stamp repeats it; so does a scan soon
    after an open check-in (a badge on a lanyard in front of the camera checked people out a
    minute after they came). Only then is the scan table asked: the first scan of a day, the
    common case, costs no query here.
    """
    span = timedelta(seconds=settings.duplicate_seconds)
    registered = [t for s in segments for t in (s.check_in, s.check_out) if t is not None]
    if any(abs(t - moment) < span for t in registered):
        return (Scan.select(Scan.id, Scan.segment, Scan.result).where(
            (Scan.employee == employee_id) & Scan.outcome.in_(ACCEPTED)
            & (Scan.scanned_at > moment - span) & (Scan.scanned_at < moment + span))
            .order_by(Scan.scanned_at.desc()).first())
    shortest = timedelta(seconds=settings.min_segment_seconds)
    just_in = next((s for s in segments if s.check_out is None
                    and timedelta(0) <= moment - s.check_in < shortest), None)
    if just_in is None:
        return None
    return (Scan.select(Scan.id, Scan.segment, Scan.result).where(
        (Scan.segment == just_in.id) & (Scan.outcome == "checked_in")).first())


def _toggle(employee, device, moment, day, source, flags, segments):
    """Check in or out; returns (outcome, segment, closed a stale check-in)."""
    open_segment = next((s for s in segments if s.check_out is None), None)
    closed = False
    if open_segment is not None and open_segment.day < day:
        # Yesterday's forgotten check-out never turns today's arrival into a departure.
        stamps.close_by_system(open_segment, "Not checked out; closed at the next scan")
        open_segment, closed = None, True
    latest = max((s.check_out for s in segments if s.day == day and s.check_out is not None),
                 default=None)
    if (open_segment is not None and moment < open_segment.check_in) \
            or (latest is not None and moment < latest):
        # A queued scan from before the last registered stamp: kept for the supervisor,
        # not applied, because guessing its meaning would rewrite what others registered.
        return "late_scan", None, closed
    clock_flagged = bool(CLOCK_FLAGS & flags)
    if open_segment is not None:
        return "checked_out", stamps.check_out(open_segment, moment, source, device.id,
                                               clock_flagged), closed
    segment = stamps.check_in(employee.id, day, moment, source, device.id, device.location_id,
                              "unexpected_place" in flags, clock_flagged)
    return "checked_in", segment, closed


def _store(device, request, badge, employee, moment, offset, outcome, segment_id, result):
    # The scan row is the kiosk's own append-only log (device, badge, person, moment, outcome
    # and the answer given), so no audit entry repeats it.
    _insert_scan.execute(
        request.scan_id, device.id, request.method, badge.id if badge else None,
        employee.id if employee else None, request.fingerprint, request.tablet_time, offset,
        moment, utcnow(), outcome, segment_id, json.dumps(result, sort_keys=True))
    touch_device(device)


_insert_scan = Prepared.insert(Scan, [
    Scan.scan_id, Scan.device, Scan.method, Scan.badge, Scan.employee, Scan.payload_hash,
    Scan.tablet_time, Scan.clock_offset_seconds, Scan.scanned_at, Scan.received_at,
    Scan.outcome, Scan.segment, Scan.result])


def refuse(action_reason: str, device_id: int | None, scan_id: str | None = None) -> None:
    """Log a scan that was refused before it could be stored (never the payload itself)."""
    audit.record("kiosk.scan_refused", object_type="Scan", device_id=device_id,
                 after={"scan_id": scan_id if scan_id and SCAN_ID.match(scan_id) else None},
                 reason=action_reason)
