"""Kiosk: QR badges, enrolled devices, one-time enrolment codes, scans, and PINs.

A frozen copy of the models; never imports portal.*.
"""

import datetime

from peewee import CharField, DateTimeField, FloatField, ForeignKeyField, Model, TextField


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Employee(Base):
        pass

    class Location(Base):
        pass

    class Workfloor(Base):
        pass

    class AttendanceSegment(Base):
        pass

    class Badge(Base):
        employee = ForeignKeyField(Employee)
        token_hash = CharField(max_length=64, unique=True)
        issued_at = DateTimeField(default=_utcnow)
        issued_by = ForeignKeyField(User, null=True)
        revoked_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("employee", "revoked_at"), False),)

    class Device(Base):
        name = CharField(max_length=100)
        workfloor = ForeignKeyField(Workfloor, null=True)
        location = ForeignKeyField(Location)
        credential_hash = CharField(max_length=64, null=True, unique=True)
        created_at = DateTimeField(default=_utcnow)
        created_by = ForeignKeyField(User, null=True)
        enrolled_at = DateTimeField(null=True)
        last_seen_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)

    class EnrolmentCode(Base):
        device = ForeignKeyField(Device)
        code_hash = CharField(max_length=64, unique=True)
        created_at = DateTimeField(default=_utcnow)
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)

    class Scan(Base):
        scan_id = CharField(max_length=64, unique=True)
        device = ForeignKeyField(Device)
        method = CharField(max_length=8)
        badge = ForeignKeyField(Badge, null=True)
        employee = ForeignKeyField(Employee, null=True)
        payload_hash = CharField(max_length=64)
        tablet_time = DateTimeField(null=True)
        clock_offset_seconds = FloatField(null=True)
        scanned_at = DateTimeField()
        received_at = DateTimeField(default=_utcnow)
        outcome = CharField(max_length=24)
        segment = ForeignKeyField(AttendanceSegment, null=True)
        result = TextField()

        class Meta:
            indexes = ((("employee", "scanned_at"), False), (("device", "received_at"), False))

    class EmployeePin(Base):
        employee = ForeignKeyField(Employee, unique=True)
        pin_hash = CharField(max_length=255)
        set_at = DateTimeField(default=_utcnow)
        set_by = ForeignKeyField(User, null=True)

    db.create_tables([Badge, Device, EnrolmentCode, Scan, EmployeePin])
