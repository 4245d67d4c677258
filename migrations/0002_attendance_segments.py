"""Attendance segments: check-in and check-out stamps, with at most one open per employee.

A frozen copy of the model; never imports portal.*.
"""

import datetime

from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, Model, TextField)


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

    class AttendanceSegment(Base):
        employee = ForeignKeyField(Employee)
        day = DateField()
        check_in = DateTimeField()
        check_out = DateTimeField(null=True)
        in_source = CharField(max_length=12)
        out_source = CharField(max_length=12, null=True)
        in_device_id = IntegerField(null=True)
        out_device_id = IntegerField(null=True)
        location = ForeignKeyField(Location, null=True)
        closed_by_system = BooleanField(default=False)
        unexpected_place = BooleanField(default=False)
        clock_offset_flagged = BooleanField(default=False)
        created_by = ForeignKeyField(User, null=True)
        reason = TextField(null=True)
        superseded_by = ForeignKeyField("self", null=True)
        created_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("employee", "day"), False), (("day",), False))

    AttendanceSegment.add_index(
        AttendanceSegment.index(AttendanceSegment.employee, unique=True,
                                name="attendance_segment_one_open")
        .where(AttendanceSegment.check_out.is_null()
               & AttendanceSegment.superseded_by.is_null())
    )
    db.create_tables([AttendanceSegment])
