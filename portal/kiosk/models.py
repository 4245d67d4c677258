"""Badges, kiosk devices, their enrolment codes, and every scan they send."""

import peewee

from portal.attendance.models import AttendanceSegment
from portal.auth.models import User
from portal.db import BaseModel
from portal.people.models import Employee, Location, Workfloor
from portal.timeutil import utcnow


class Badge(BaseModel):
    """A printed QR card: the card holds a random token, the database only its sha256."""

    employee = peewee.ForeignKeyField(Employee, backref="badges")
    token_hash = peewee.CharField(max_length=64, unique=True)
    issued_at = peewee.DateTimeField(default=utcnow)
    issued_by = peewee.ForeignKeyField(User, null=True, backref="badges_issued")
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("employee", "revoked_at"), False),)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Device(BaseModel):
    """A tablet (or hardware terminal) bound to one workfloor or one client location."""

    name = peewee.CharField(max_length=100)
    # A workfloor tablet has both; a tablet at a client's site has only the location.
    workfloor = peewee.ForeignKeyField(Workfloor, null=True, backref="devices")
    location = peewee.ForeignKeyField(Location, backref="devices")
    credential_hash = peewee.CharField(max_length=64, null=True, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)
    created_by = peewee.ForeignKeyField(User, null=True, backref="devices_created")
    enrolled_at = peewee.DateTimeField(null=True)
    last_seen_at = peewee.DateTimeField(null=True)
    revoked_at = peewee.DateTimeField(null=True)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.credential_hash is not None


class EnrolmentCode(BaseModel):
    """A one-time code that lets one tablet become one device, for a few minutes."""

    device = peewee.ForeignKeyField(Device, backref="enrolment_codes")
    code_hash = peewee.CharField(max_length=64, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)


class Scan(BaseModel):
    """One scan as a device sent it, stored once under the id the tablet made for it.

    `result` is the JSON answer given the first time, replayed to every retry.
    """

    scan_id = peewee.CharField(max_length=64, unique=True)
    device = peewee.ForeignKeyField(Device, backref="scans")
    method = peewee.CharField(max_length=8)
    badge = peewee.ForeignKeyField(Badge, null=True, backref="scans")
    employee = peewee.ForeignKeyField(Employee, null=True, backref="scans")
    payload_hash = peewee.CharField(max_length=64)
    tablet_time = peewee.DateTimeField(null=True)
    clock_offset_seconds = peewee.FloatField(null=True)
    scanned_at = peewee.DateTimeField()
    received_at = peewee.DateTimeField(default=utcnow)
    outcome = peewee.CharField(max_length=24)
    segment = peewee.ForeignKeyField(AttendanceSegment, null=True, backref="scans")
    result = peewee.TextField()

    class Meta:
        indexes = ((("employee", "scanned_at"), False), (("device", "received_at"), False))


class EmployeePin(BaseModel):
    """An employee's 4-digit kiosk PIN for a forgotten badge, stored only as a salted hash."""

    employee = peewee.ForeignKeyField(Employee, unique=True, backref="kiosk_pins")
    pin_hash = peewee.CharField(max_length=255)
    set_at = peewee.DateTimeField(default=utcnow)
    set_by = peewee.ForeignKeyField(User, null=True, backref="kiosk_pins_set")
