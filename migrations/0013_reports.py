"""The reports area: beschut-werk targets per municipality and year, and employees' group moves.

A frozen copy of the models; never imports portal.*.
"""

import datetime

from peewee import DateField, DateTimeField, ForeignKeyField, IntegerField, Model, SmallIntegerField


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Municipality(Base):
        pass

    class WorkGroup(Base):
        pass

    class Employee(Base):
        pass

    class PlacesTarget(Base):
        municipality = ForeignKeyField(Municipality)
        year = SmallIntegerField()
        places = IntegerField()
        set_by = ForeignKeyField(User, null=True)
        set_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("municipality", "year"), True),)

    class GroupMove(Base):
        employee = ForeignKeyField(Employee)
        moved_on = DateField()
        from_group = ForeignKeyField(WorkGroup, null=True)
        created_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("employee", "moved_on"), False),)

    db.create_tables([PlacesTarget, GroupMove])
