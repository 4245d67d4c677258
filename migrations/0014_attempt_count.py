"""Attempt counts: one row per throttle key, counted and decided in one statement.

A frozen copy of the models; never imports portal.*.
"""

from peewee import CharField, DateTimeField, IntegerField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class AttemptCount(Base):
        key = CharField(max_length=160, unique=True)
        window_start = DateTimeField()
        attempts = IntegerField()

    db.create_tables([AttemptCount])
