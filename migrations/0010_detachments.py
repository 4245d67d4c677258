"""Detachments, their members and rates, jobcoach hours, and the monthly statements with links.

A frozen copy of the models; never imports portal.*.
"""

import datetime

from peewee import (BooleanField, CharField, DateField, DateTimeField, DecimalField,
                    ForeignKeyField, IntegerField, Model, TextField)


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Client(Base):
        pass

    class Location(Base):
        pass

    class WorkGroup(Base):
        pass

    class Employee(Base):
        pass

    class Detachment(Base):
        client = ForeignKeyField(Client)
        location = ForeignKeyField(Location)
        kind = CharField(max_length=12)
        name = CharField(max_length=150)
        start_date = DateField()
        end_date = DateField(null=True)
        work_group = ForeignKeyField(WorkGroup, null=True)
        notes = TextField(default="")
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=_utcnow)
        is_active = BooleanField(default=True, index=True)

        class Meta:
            indexes = ((("client", "start_date"), False),)

    class DetachmentMember(Base):
        detachment = ForeignKeyField(Detachment)
        employee = ForeignKeyField(Employee)
        start_date = DateField()
        end_date = DateField(null=True)
        created_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("employee", "start_date"), False), (("detachment", "employee"), False))

    class Rate(Base):
        detachment = ForeignKeyField(Detachment)
        price_form = CharField(max_length=20)
        amount = DecimalField(max_digits=10, decimal_places=2)
        valid_from = DateField()
        valid_to = DateField(null=True)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("detachment", "valid_from"), True),)

    class HoursEntry(Base):
        detachment = ForeignKeyField(Detachment)
        employee = ForeignKeyField(Employee)
        week_start = DateField()
        monday = DecimalField(max_digits=4, decimal_places=2, default=0)
        tuesday = DecimalField(max_digits=4, decimal_places=2, default=0)
        wednesday = DecimalField(max_digits=4, decimal_places=2, default=0)
        thursday = DecimalField(max_digits=4, decimal_places=2, default=0)
        friday = DecimalField(max_digits=4, decimal_places=2, default=0)
        saturday = DecimalField(max_digits=4, decimal_places=2, default=0)
        sunday = DecimalField(max_digits=4, decimal_places=2, default=0)
        entered_by = ForeignKeyField(User, null=True)
        entered_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("detachment", "employee", "week_start"), True), (("week_start",), False))

    class Statement(Base):
        detachment = ForeignKeyField(Detachment)
        month = DateField()
        version = IntegerField(default=1)
        status = CharField(max_length=10, default="draft")
        frozen = TextField(null=True)
        correction_reason = TextField(null=True)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=_utcnow)
        sent_at = DateTimeField(null=True)
        decided_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("detachment", "month", "version"), True), (("month", "status"), False))

    class StatementLink(Base):
        statement = ForeignKeyField(Statement)
        token_hash = CharField(max_length=64, unique=True)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField(default=_utcnow)
        expires_at = DateTimeField()
        revoked_at = DateTimeField(null=True)

    class StatementDispute(Base):
        statement = ForeignKeyField(Statement)
        line_key = CharField(max_length=40)
        comment = TextField()
        at = DateTimeField(default=_utcnow)

    db.create_tables([Detachment, DetachmentMember, Rate, HoursEntry, Statement, StatementLink,
                      StatementDispute])
