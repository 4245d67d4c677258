"""Accounts, the log book, failed attempts, and the company's master data.

A frozen copy of the models as they were when this migration was written; it never imports
portal.*, so later model changes cannot change what this script does.
"""

import datetime

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
    TimeField,
)


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        username = CharField(max_length=64, unique=True)
        display_name = CharField(max_length=120)
        password_hash = CharField(max_length=255)
        role = CharField(max_length=16, index=True)
        locale = CharField(max_length=5, default="nl")
        is_active_account = BooleanField(default=True, column_name="is_active")
        session_version = IntegerField(default=1)
        created_at = DateTimeField(default=_utcnow)
        last_login_at = DateTimeField(null=True)

    class AuditEntry(Base):
        at = DateTimeField(default=_utcnow, index=True)
        user = ForeignKeyField(User, null=True)
        device_id = IntegerField(null=True, index=True)
        action = CharField(max_length=64, index=True)
        object_type = CharField(max_length=64)
        object_id = IntegerField(null=True)
        before = TextField(null=True)
        after = TextField(null=True)
        reason = TextField(null=True)

        class Meta:
            indexes = ((("object_type", "object_id"), False),)

    class FailedAttempt(Base):
        key = CharField(max_length=160)
        at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("key", "at"), False),)

    class Municipality(Base):
        name = CharField(max_length=100, unique=True)
        is_active = BooleanField(default=True)

    class Client(Base):
        name = CharField(max_length=150, unique=True)
        kvk_number = CharField(max_length=8, null=True)
        contact_name = CharField(max_length=120, default="")
        email = CharField(max_length=254, default="")
        phone = CharField(max_length=30, default="")
        is_active = BooleanField(default=True)

    class Location(Base):
        name = CharField(max_length=150)
        kind = CharField(max_length=10)
        client = ForeignKeyField(Client, null=True)
        street = CharField(max_length=150, default="")
        postcode = CharField(max_length=7, default="")
        city = CharField(max_length=100, default="")
        is_active = BooleanField(default=True)

    class Workfloor(Base):
        name = CharField(max_length=100)
        location = ForeignKeyField(Location)
        workplaces = IntegerField()
        is_active = BooleanField(default=True)

        class Meta:
            indexes = ((("location", "name"), True),)

    class WorkGroup(Base):
        name = CharField(max_length=100, unique=True)
        supervisor = ForeignKeyField(User, null=True)
        workfloor = ForeignKeyField(Workfloor)
        is_active = BooleanField(default=True)

    class Employee(Base):
        employee_number = CharField(max_length=20, unique=True)
        first_name = CharField(max_length=80)
        last_name = CharField(max_length=120)
        employment = CharField(max_length=20, index=True)
        contract_hours = DecimalField(max_digits=4, decimal_places=2)
        municipality = ForeignKeyField(Municipality)
        work_group = ForeignKeyField(WorkGroup, null=True)
        start_date = DateField()
        end_date = DateField(null=True)
        is_active = BooleanField(default=True, index=True)
        has_photo = BooleanField(default=False)
        created_at = DateTimeField(default=_utcnow)

    class EmployeePhoto(Base):
        employee = ForeignKeyField(Employee, unique=True)
        content_type = CharField(max_length=32)
        data = BlobField()
        updated_at = DateTimeField(default=_utcnow)

    class Schedule(Base):
        employee = ForeignKeyField(Employee)
        valid_from = DateField()
        created_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("employee", "valid_from"), True),)

    class ScheduleDay(Base):
        schedule = ForeignKeyField(Schedule, on_delete="CASCADE")
        weekday = SmallIntegerField()
        starts_at = TimeField()
        ends_at = TimeField()
        break_minutes = SmallIntegerField(default=0)

        class Meta:
            indexes = ((("schedule", "weekday"), True),)

    db.create_tables([
        User, AuditEntry, FailedAttempt, Municipality, Client, Location, Workfloor,
        WorkGroup, Employee, EmployeePhoto, Schedule, ScheduleDay,
    ])
