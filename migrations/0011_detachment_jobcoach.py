"""An individual detachment's jobcoach: the user who enters its weekly hours.

A frozen copy of the models; never imports portal.*.
"""

from peewee import ForeignKeyField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Detachment(Base):
        jobcoach = ForeignKeyField(User, null=True)

    migrator.migrate(migrator.add_column("detachment", "jobcoach_id", Detachment.jobcoach))
