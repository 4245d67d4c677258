"""Client orders, their status history, planning onto groups and days, and production.

A frozen copy of the models; never imports portal.*.
"""

import datetime

from peewee import (CharField, DateField, DateTimeField, DecimalField, ForeignKeyField,
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

    class Client(Base):
        pass

    class Location(Base):
        pass

    class Workfloor(Base):
        pass

    class WorkGroup(Base):
        pass

    class Order(Base):
        client = ForeignKeyField(Client)
        product = CharField(max_length=150)
        quantity = IntegerField()
        unit = CharField(max_length=30)
        norm_per_hour = DecimalField(max_digits=10, decimal_places=2)
        start_date = DateField()
        due_date = DateField(index=True)
        location = ForeignKeyField(Location, null=True)
        workfloor = ForeignKeyField(Workfloor, null=True)
        notes = TextField(default="")
        status = CharField(max_length=16, default="intake", index=True)
        created_by = ForeignKeyField(User)
        created_at = DateTimeField(default=_utcnow)

    class OrderStatusChange(Base):
        order = ForeignKeyField(Order)
        from_status = CharField(max_length=16, null=True)
        to_status = CharField(max_length=16)
        changed_by = ForeignKeyField(User)
        changed_at = DateTimeField(default=_utcnow)

    class Assignment(Base):
        order = ForeignKeyField(Order)
        work_group = ForeignKeyField(WorkGroup)
        day = DateField()
        hours = DecimalField(max_digits=6, decimal_places=2)
        created_by = ForeignKeyField(User)
        created_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("order", "work_group", "day"), True), (("day", "work_group"), False))

    class Production(Base):
        order = ForeignKeyField(Order)
        work_group = ForeignKeyField(WorkGroup)
        day = DateField()
        quantity = IntegerField()
        rejects = IntegerField(default=0)
        registered_by = ForeignKeyField(User)
        registered_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("work_group", "day"), False),)

    db.create_tables([Order, OrderStatusChange, Assignment, Production])
