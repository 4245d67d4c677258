"""Counted attempts in one row per key, and corrections that a tablet, not a user, made.

`attempt_counter` lets a limit be counted and decided in one statement (kiosk PINs, unknown
badges per device and minute). A queued scan that lands on a signed-off day is recorded as a
correction after sign-off with no user behind it, so `correction.made_by` may be empty.

A frozen copy of the models; never imports portal.*.
"""

from peewee import CharField, DateTimeField, IntegerField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class AttemptCounter(Base):
        key = CharField(max_length=160, unique=True)
        window_start = DateTimeField()
        count = IntegerField()

    db.create_tables([AttemptCounter])
    migrator.migrate(migrator.drop_not_null("correction", "made_by_id"))
