"""The supervisor's day: absences, planned leave, day sign-offs and corrections.

Frozen copies of the models; never imports portal.*.
"""

import datetime

from peewee import (BooleanField, CharField, DateField, DateTimeField, DecimalField,
                    ForeignKeyField, Model, TextField)


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

    class WorkGroup(Base):
        pass

    class AttendanceSegment(Base):
        pass

    class Absence(Base):
        employee = ForeignKeyField(Employee)
        day = DateField()
        code = CharField(max_length=20)
        hours = DecimalField(max_digits=4, decimal_places=2, null=True)
        registered_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=_utcnow)
        superseded_by = ForeignKeyField("self", null=True)

        class Meta:
            indexes = ((("employee", "day"), False), (("day", "code"), False))

    class PlannedLeave(Base):
        employee = ForeignKeyField(Employee)
        starts_on = DateField()
        ends_on = DateField()
        code = CharField(max_length=20)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=_utcnow)
        cancelled_by = ForeignKeyField(User, null=True)
        cancelled_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("employee", "starts_on", "ends_on"), False),)

    class DaySignOff(Base):
        work_group = ForeignKeyField(WorkGroup)
        day = DateField()
        signed_by = ForeignKeyField(User)
        signed_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("work_group", "day"), True),)

    class Correction(Base):
        employee = ForeignKeyField(Employee)
        day = DateField()
        old_segment = ForeignKeyField(AttendanceSegment, null=True)
        new_segment = ForeignKeyField(AttendanceSegment, null=True)
        old_absence = ForeignKeyField(Absence, null=True)
        new_absence = ForeignKeyField(Absence, null=True)
        made_by = ForeignKeyField(User)
        made_at = DateTimeField(default=_utcnow)
        reason = TextField()
        after_sign_off = BooleanField(default=False)

        class Meta:
            indexes = ((("employee", "day"), False), (("day",), False))

    db.create_tables([Absence, PlannedLeave, DaySignOff, Correction])
