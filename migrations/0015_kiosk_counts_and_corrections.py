"""Corrections that a tablet, not a user, made.

A queued scan that lands on a signed-off day is recorded as a
correction after sign-off with no user behind it, so `correction.made_by` may be empty.

A frozen copy of the models; never imports portal.*.
"""

from peewee import Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    migrator.migrate(migrator.drop_not_null("correction", "made_by_id"))
