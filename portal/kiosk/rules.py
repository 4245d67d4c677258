"""Kiosk rules as plain functions: tokens, enrolment, and what a scan does to a day.

Every write happens inside write_transaction(); the database's unique constraints (the scan id,
and the one-open-check-in index) settle races between workers, and the loser re-reads.
"""

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import holidays
import peewee
from werkzeug.security import check_password_hash, generate_password_hash

from portal import audit, throttle
from portal.attendance.models import AttendanceSegment
from portal.detachments.models import Detachment, DetachmentMember
from portal.detachments.rules import running_between
from portal.db import Prepared, database, is_sqlite, write_transaction
from portal.kiosk.models import Badge, Device, EmployeePin, EnrolmentCode, Scan
from portal.people.models import Employee, Schedule, ScheduleDay, Workfloor, WorkGroup
from portal.timeutil import local_day, to_local, utcnow

# 160 random bits as 40 hex digits: hand scanners type hex the same on every keyboard layout.
BADGE_TOKEN_BYTES = 20
BADGE_TOKEN = re.compile(r"^[0-9a-f]{40}$")
DEVICE_CREDENTIAL_BYTES = 32
# Enrolment codes are typed by hand now and then: no 0/O or 1/I/L to confuse.
ENROLMENT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ENROLMENT_LENGTH = 12
SCAN_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
PIN = re.compile(r"^[0-9]{4}$")
PIN_HASH_METHOD = "pbkdf2:sha256:60000"

ACCEPTED = ("checked_in", "checked_out")
# Stored outcomes that are not a check-in or check-out; the kiosk shows each in red.
REFUSED = ("unknown_badge", "revoked_badge", "inactive_employee", "late_scan")


class ScanIdConflict(Exception):
    """The scan id is stored already, with another payload or from another device."""


@dataclass
class Settings:
    """The kiosk's tunable numbers (from the app config in the views)."""

    duplicate_seconds: int = 60
    offset_flag_seconds: int = 120
    day_end_hour: int = 22
    # Wrong PINs: per employee (only that person's PIN stops), and a high ceiling per device
    # that only someone trying PIN after PIN reaches, never a few people's typos.
    pin_employee_failures: int = 5
    pin_device_failures: int = 30
    pin_window_minutes: int = 15


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


def sha256(text: str) -> str:
    """Hex sha256 of a text: how tokens, codes and credentials are stored."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_badge_token() -> str:
    return secrets.token_hex(BADGE_TOKEN_BYTES)


def normalise_badge_payload(raw: str) -> str | None:
    """The token a scanner read, or None when it cannot be one (caps lock and spaces forgiven)."""
    text = raw.strip().lower()
    return text if BADGE_TOKEN.match(text) else None


# -- badges -----------------------------------------------------------------------------------

def issue_badge(employee: Employee, issued_by=None, now=None) -> tuple[Badge, str]:
    """Issue a new badge, revoking any active one; return it and its token (shown once)."""
    now = now or utcnow()
    token = new_badge_token()
    with write_transaction():
        revoked = revoke_badges(employee, by=issued_by, now=now, reason="reissued")
        badge = Badge.create(employee=employee, token_hash=sha256(token), issued_at=now,
                             issued_by=issued_by)
        audit.record("badge.issue", badge, user=issued_by,
                     after={"employee_id": employee.id, "replaces": revoked})
    return badge, token


def revoke_badges(employee: Employee, by=None, now=None, reason=None) -> list[int]:
    """Revoke every active badge of an employee at once; return their ids."""
    now = now or utcnow()
    with write_transaction():
        ids = [b.id for b in Badge.select(Badge.id).where(
            (Badge.employee == employee) & Badge.revoked_at.is_null())]
        if ids:
            Badge.update(revoked_at=now).where(Badge.id.in_(ids)).execute()
            for badge_id in ids:
                audit.record("badge.revoke", user=by, object_type="Badge", object_id=badge_id,
                             after={"employee_id": employee.id}, reason=reason)
    return ids


def active_badge(employee: Employee) -> Badge | None:
    return (Badge.select().where((Badge.employee == employee) & Badge.revoked_at.is_null())
            .order_by(Badge.issued_at.desc()).first())


# -- devices ----------------------------------------------------------------------------------

def new_enrolment_code() -> str:
    return "".join(secrets.choice(ENROLMENT_ALPHABET) for _ in range(ENROLMENT_LENGTH))


def normalise_enrolment_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").upper()[:40]


def create_device(name: str, location, workfloor=None, created_by=None) -> Device:
    """Register a tablet for a place; it can do nothing until a tablet enrols with a code."""
    if workfloor is not None:
        location = workfloor.location
    with write_transaction():
        device = Device.create(name=name, location=location, workfloor=workfloor,
                               created_by=created_by)
        audit.record("device.create", device, user=created_by,
                     after={"name": name, "location_id": device.location_id,
                            "workfloor_id": device.workfloor_id})
    return device


def start_enrolment(device: Device, by=None, minutes: int = 10, now=None) -> tuple[EnrolmentCode, str]:
    """Make a fresh one-time code for the device; earlier unused codes stop working."""
    now = now or utcnow()
    code = new_enrolment_code()
    with write_transaction():
        EnrolmentCode.update(expires_at=now).where(
            (EnrolmentCode.device == device) & EnrolmentCode.used_at.is_null()
            & (EnrolmentCode.expires_at > now)).execute()
        row = EnrolmentCode.create(device=device, code_hash=sha256(code), created_at=now,
                                   expires_at=now + timedelta(minutes=minutes))
        audit.record("device.enrolment_code", device, user=by,
                     after={"expires_at": row.expires_at})
    return row, code


def enrol(code: str, now=None) -> tuple[Device | None, str | None]:
    """Trade a valid one-time code for a new device credential; (None, None) when refused.

    A tablet that enrols again replaces the credential: the old browser stops working.
    """
    now = now or utcnow()
    code = normalise_enrolment_code(code)
    if len(code) != ENROLMENT_LENGTH:
        return None, None
    credential = secrets.token_urlsafe(DEVICE_CREDENTIAL_BYTES)
    with write_transaction():
        row = (EnrolmentCode.select(EnrolmentCode, Device).join(Device)
               .where(EnrolmentCode.code_hash == sha256(code)).first())
        if row is None or row.used_at is not None or row.expires_at <= now \
                or row.device.revoked_at is not None:
            audit.record("device.enrol_refused", user=None, object_type="Device",
                         object_id=row.device_id if row else None,
                         reason="used" if row and row.used_at else "expired or unknown")
            return None, None
        used = EnrolmentCode.update(used_at=now).where(
            (EnrolmentCode.id == row.id) & EnrolmentCode.used_at.is_null()).execute()
        if not used:
            return None, None
        device = row.device
        device.credential_hash = sha256(credential)
        device.enrolled_at = now
        device.last_seen_at = now
        device.save()
        audit.record("device.enrol", device, device_id=device.id, after={"enrolled_at": now})
    return device, credential


def device_for_credential(credential: str | None) -> Device | None:
    """The active device a credential belongs to, or None."""
    if not credential or len(credential) > 200:
        return None
    return _device_by_hash.first(sha256(credential))


# Every scan asks for its device: only what the kiosk uses, prepared once.
_device_by_hash = Prepared(
    [Device.credential_hash],
    lambda digest: Device.select(Device.id, Device.name, Device.workfloor, Device.location,
                                 Device.last_seen_at)
    .where((Device.credential_hash == digest) & Device.revoked_at.is_null()).limit(1))


def revoke_device(device: Device, by=None, now=None) -> None:
    """Stop a device at once: its credential and any open enrolment code are refused."""
    now = now or utcnow()
    with write_transaction():
        Device.update(revoked_at=now).where(
            (Device.id == device.id) & Device.revoked_at.is_null()).execute()
        EnrolmentCode.update(expires_at=now).where(
            (EnrolmentCode.device == device) & EnrolmentCode.used_at.is_null()).execute()
        audit.record("device.revoke", device, user=by, device_id=device.id)


def touch_device(device: Device, now=None) -> None:
    """Note that the device was seen; at most one write a minute per device."""
    now = now or utcnow()
    if device.last_seen_at is None or now - device.last_seen_at > timedelta(seconds=60):
        Device.update(last_seen_at=now).where(Device.id == device.id).execute()
        device.last_seen_at = now


# -- schedules and places ---------------------------------------------------------------------

_NL_HOLIDAYS: dict[int, holidays.HolidayBase] = {}


def is_public_holiday(day: date) -> bool:
    if day.year not in _NL_HOLIDAYS:
        _NL_HOLIDAYS[day.year] = holidays.NL(years=day.year)
    return day in _NL_HOLIDAYS[day.year]


def scheduled_day(employee_id: int, day: date) -> ScheduleDay | None:
    """The schedule day in force for an employee on a day, or None when not expected.

    One query: the latest schedule from before the day, with that weekday's row if it has one.
    """
    if is_public_holiday(day):
        return None
    row = _schedule_in_force.first(day.weekday(), employee_id, day)
    planned = getattr(row, "planned", None)
    return planned if planned is not None and planned.id is not None else None


_schedule_in_force = Prepared(
    [ScheduleDay.weekday, Schedule.employee, Schedule.valid_from],
    lambda weekday, employee, day: Schedule.select(Schedule.id, ScheduleDay)
    .join(ScheduleDay, peewee.JOIN.LEFT_OUTER,
          on=((ScheduleDay.schedule == Schedule.id) & (ScheduleDay.weekday == weekday)),
          attr="planned")
    .where((Schedule.employee == employee) & (Schedule.valid_from <= day))
    .order_by(Schedule.valid_from.desc()).limit(1))


def expected_here(employee: Employee, device: Device, day: date, floor=None) -> bool:
    """Tell whether the employee is expected at the device's place on a day.

    Expected means scheduled that day, and either in a group whose workfloor is the device's
    workfloor (or, for a device at a location, whose workfloor is at that location), or, for a
    device at a location, detached that day to that location. `floor` is the employee's
    group's workfloor when the caller has it already.
    """
    here = _group_works_here(employee, device, floor) or (
        device.workfloor_id is None and _detached_to(employee.id, device.location_id, day))
    return here and scheduled_day(employee.id, day) is not None


def _group_works_here(employee: Employee, device: Device, floor=None) -> bool:
    if employee.work_group_id is None:
        return False
    if floor is None:
        floor = (Workfloor.select(Workfloor.id, Workfloor.location)
                 .join(WorkGroup).where(WorkGroup.id == employee.work_group_id).first())
    if floor is None:
        return False
    return (floor.id == device.workfloor_id if device.workfloor_id
            else floor.location_id == device.location_id)


def _detached_to(employee_id: int, location_id: int, day: date) -> bool:
    return _detachment_at.first(employee_id, location_id, day) is not None


_detachment_at = Prepared(
    [DetachmentMember.employee, Detachment.location, DetachmentMember.start_date],
    lambda employee, location, day: DetachmentMember.select(DetachmentMember.id).join(Detachment)
    .where((DetachmentMember.employee == employee) & (Detachment.location == location)
           & running_between(day, day)).limit(1))


# -- time -------------------------------------------------------------------------------------

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


# -- closing days -----------------------------------------------------------------------------

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


def closed_by_system_on(day: date) -> peewee.ModelSelect:
    """The segments of a day that the system closed: the supervisor's list to check."""
    return (AttendanceSegment.select(AttendanceSegment, Employee).join(Employee)
            .where((AttendanceSegment.day == day) & AttendanceSegment.closed_by_system
                   & AttendanceSegment.superseded_by.is_null())
            .order_by(Employee.first_name))


# -- PINs for a forgotten badge ---------------------------------------------------------------

def set_pin(employee: Employee, by=None) -> str:
    """Give an employee a new random 4-digit PIN; return it (shown once, stored only hashed)."""
    pin = f"{secrets.randbelow(10_000):04d}"
    pin_hash = generate_password_hash(pin, method=PIN_HASH_METHOD)
    with write_transaction():
        updated = EmployeePin.update(pin_hash=pin_hash, set_at=utcnow(), set_by=by).where(
            EmployeePin.employee == employee).execute()
        if not updated:
            EmployeePin.create(employee=employee, pin_hash=pin_hash, set_by=by)
        audit.record("pin.set", employee, user=by)
        throttle.clear(f"kiosk-pin-employee:{employee.id}")
    return pin


def clear_pin(employee: Employee, by=None) -> bool:
    """Take an employee's PIN away; tell whether there was one."""
    with write_transaction():
        removed = EmployeePin.delete().where(EmployeePin.employee == employee).execute()
        if removed:
            audit.record("pin.clear", employee, user=by)
    return bool(removed)


def expected_people(device: Device, day: date) -> list[Employee]:
    """The active employees with a PIN expected at the device's place on a day.

    Two queries on the company's own floors; at a client's location a third, for the people
    detached there.
    """
    if is_public_holiday(day):
        return []
    place = (WorkGroup.workfloor == device.workfloor_id) if device.workfloor_id \
        else (Workfloor.location == device.location_id)
    employed = (Employee.is_active & (Employee.start_date <= day)
                & (Employee.end_date.is_null() | (Employee.end_date >= day)))
    columns = (Employee.id, Employee.first_name, Employee.last_name, Employee.has_photo)
    people = list(Employee.select(*columns)
                  .join(WorkGroup).join(Workfloor).switch(Employee).join(EmployeePin)
                  .where(place & employed))
    if device.workfloor_id is None:
        # At a client's site: also whoever is detached there today, whatever their group.
        known = {p.id for p in people}
        people += [p for p in Employee.select(*columns).join(EmployeePin).switch(Employee)
                   .join(DetachmentMember).join(Detachment)
                   .where(employed & (Detachment.location == device.location_id)
                          & running_between(day, day)).distinct()
                   if p.id not in known]
    people.sort(key=lambda p: (p.first_name, p.last_name, p.id))
    if not people:
        return []
    latest = {}
    rows = (Schedule.select(Schedule.employee, Schedule.valid_from, ScheduleDay.id)
            .join(ScheduleDay, peewee.JOIN.LEFT_OUTER,
                  on=((ScheduleDay.schedule == Schedule.id) & (ScheduleDay.weekday == day.weekday())),
                  attr="planned")
            .where(Schedule.employee.in_([p.id for p in people]) & (Schedule.valid_from <= day))
            .order_by(Schedule.valid_from))
    for row in rows:
        planned = getattr(row, "planned", None)
        latest[row.employee_id] = planned is not None and planned.id is not None
    return [p for p in people if latest.get(p.id)]


def check_pin(device: Device, employee_id: int, pin: str, settings: Settings,
              now=None) -> tuple[Employee | None, str | None]:
    """The employee when the PIN is right; else None and why (never says whose PIN is what)."""
    now = now or utcnow()
    window = timedelta(minutes=settings.pin_window_minutes)
    person_key, device_key = f"kiosk-pin-employee:{employee_id}", f"kiosk-pin-device:{device.id}"
    if throttle.is_blocked(person_key, settings.pin_employee_failures, window, now) \
            or throttle.is_blocked(device_key, settings.pin_device_failures, window, now):
        return None, "pin_locked"
    if employee_id not in {p.id for p in expected_people(device, local_day(now))}:
        return None, "not_expected"
    stored = EmployeePin.get_or_none(EmployeePin.employee == employee_id)
    if stored is None or not check_password_hash(stored.pin_hash, pin):
        with write_transaction():
            throttle.register_failure(person_key, now)
            throttle.register_failure(device_key, now)
        return None, "wrong_pin"
    throttle.clear(person_key)
    return Employee.get_by_id(employee_id), None


# -- scans ------------------------------------------------------------------------------------

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
