"""What a scan does to a day, exactly once.

Every write happens inside write_transaction(); the database's unique constraints (the scan id,
and the one-open-check-in index) settle races between workers, and the loser re-reads.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import peewee

from portal import audit
from portal.attendance.models import AttendanceSegment
from portal.db import database, is_sqlite, write_transaction
from portal.kiosk.closing import close_by_system
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


def greeting(moment: datetime) -> str:
    hour = to_local(moment).hour
    return "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"


def _initials(employee: Employee) -> str:
    return (employee.first_name[:1] + employee.last_name[:1]).upper()


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
    moment, offset, offset_flagged = corrected_time(now, request.tablet_time, request.sent_at,
                                                    settings.offset_flag_seconds)
    flags = {"clock_offset"} if offset_flagged else set()
    if request.tablet_time is not None and request.sent_at is not None \
            and (now - moment).total_seconds() > 5:
        flags.add("queued")
    day = local_day(moment)
    badge, employee, floor = _identify(request)
    refusal = _refusal(request, badge, employee, day)
    if refusal is None and not expected_here(employee, device, day, floor):
        flags.add("unexpected_place")
    with write_transaction():
        if refusal is not None:
            result = _result(request.scan_id, refusal, employee, moment, flags)
            _store(device, request, badge, employee, moment, offset, refusal, None, result)
            return result
        segments = _current_segments(employee.id, day)
        earlier = _duplicate_of(employee.id, segments, moment, settings.duplicate_seconds)
        if earlier is not None:
            previous = json.loads(earlier.result)
            result = dict(previous, scan_id=request.scan_id, outcome="duplicate",
                          first_outcome=previous["outcome"])
            _store(device, request, badge, employee, moment, offset, "duplicate",
                   earlier.segment_id, result)
            return result
        outcome, segment, closed = _toggle(employee, device, moment, day, request.method,
                                           flags, settings.day_end_hour, segments)
        if closed:
            flags.add("closed_previous")
        result = _result(request.scan_id, outcome, employee, moment, flags)
        _store(device, request, badge, employee, moment, offset, outcome,
               segment.id if segment else None, result)
        return result


def _identify(request: ScanRequest):
    """(badge, employee, workfloor of the employee's group) for a scan; None where unknown."""
    if request.method == "pin":
        # The view checked the PIN; the payload names the employee.
        employee = Employee.get_or_none(
            Employee.id == int(request.payload.removeprefix("employee:")))
        return None, employee, None
    badge, floor = _find_badge(request.payload)
    return badge, (badge.employee if badge else None), floor


def _refusal(request: ScanRequest, badge, employee, day: date) -> str | None:
    """Why a scan changes no attendance, or None when it may."""
    if request.method == "badge" and badge is None:
        return "unknown_badge"
    if request.method == "badge" and badge.revoked_at is not None:
        return "revoked_badge"
    if employee is None or not employee.is_active or (employee.end_date and employee.end_date < day):
        return "inactive_employee"
    return None


def _find_badge(payload: str):
    """The badge of a token with its employee, and the workfloor of the employee's group."""
    badge = _badge_by_hash.first(sha256(payload))
    if badge is None:
        return None, None
    group = badge.employee.__rel__.get("work_group")
    floor = group.__rel__.get("workfloor") if group is not None else None
    return badge, (floor if floor is not None and floor.id is not None else None)


_badge_by_hash = Prepared(
    [Badge.token_hash],
    lambda digest: Badge.select(Badge.id, Badge.revoked_at, Employee.id, Employee.first_name,
                                Employee.last_name, Employee.has_photo, Employee.is_active,
                                Employee.end_date, Employee.work_group, WorkGroup.id,
                                WorkGroup.workfloor, Workfloor.id, Workfloor.location)
    .join(Employee)
    .join(WorkGroup, peewee.JOIN.LEFT_OUTER, on=(Employee.work_group == WorkGroup.id))
    .join(Workfloor, peewee.JOIN.LEFT_OUTER, on=(WorkGroup.workfloor == Workfloor.id))
    .where(Badge.token_hash == digest).limit(1))


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


def _duplicate_of(employee_id, segments, moment, window: int) -> Scan | None:
    """The earlier check-in or check-out scan that this scan repeats, if any.

    Only when a registered stamp lies within the window is the scan table asked: the first
    scan of a day, the common case, costs no query here.
    """
    span = timedelta(seconds=window)
    stamps = [t for s in segments for t in (s.check_in, s.check_out) if t is not None]
    if not any(abs(t - moment) < span for t in stamps):
        return None
    return (Scan.select(Scan.id, Scan.segment, Scan.result).where(
        (Scan.employee == employee_id) & Scan.outcome.in_(ACCEPTED)
        & (Scan.scanned_at > moment - span) & (Scan.scanned_at < moment + span))
        .order_by(Scan.scanned_at.desc()).first())


def _toggle(employee, device, moment, day, source, flags, day_end_hour, segments):
    """Check in or out; returns (outcome, segment, closed a stale check-in)."""
    open_segment = next((s for s in segments if s.check_out is None), None)
    closed = False
    if open_segment is not None and open_segment.day < day:
        # Yesterday's forgotten check-out never turns today's arrival into a departure.
        close_by_system(open_segment, day_end_hour, "Not checked out; closed at the next scan")
        open_segment, closed = None, True
    latest = max((s.check_out for s in segments if s.day == day and s.check_out is not None),
                 default=None)
    if (open_segment is not None and moment < open_segment.check_in) \
            or (latest is not None and moment < latest):
        # A queued scan from before the last registered stamp: kept for the supervisor,
        # not applied, because guessing its meaning would rewrite what others registered.
        return "late_scan", None, closed
    if open_segment is not None:
        open_segment.check_out = moment
        open_segment.out_source = source
        open_segment.out_device_id = device.id
        changed = [AttendanceSegment.check_out, AttendanceSegment.out_source,
                   AttendanceSegment.out_device_id]
        if "clock_offset" in flags:
            open_segment.clock_offset_flagged = True
            changed.append(AttendanceSegment.clock_offset_flagged)
        open_segment.save(only=changed)
        return "checked_out", open_segment, closed
    values = dict(employee=employee.id, day=day, check_in=moment, in_source=source,
                  in_device_id=device.id, location=device.location_id,
                  unexpected_place="unexpected_place" in flags,
                  clock_offset_flagged="clock_offset" in flags, created_at=utcnow())
    segment_id = _insert_check_in.execute(*values.values())
    return "checked_in", AttendanceSegment(id=segment_id, **values), closed


_insert_check_in = Prepared.insert(AttendanceSegment, [
    AttendanceSegment.employee, AttendanceSegment.day, AttendanceSegment.check_in,
    AttendanceSegment.in_source, AttendanceSegment.in_device_id, AttendanceSegment.location,
    AttendanceSegment.unexpected_place, AttendanceSegment.clock_offset_flagged,
    AttendanceSegment.created_at])


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
