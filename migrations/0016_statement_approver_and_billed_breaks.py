"""The name of the client's person who approved a statement, and whether an agreement (a rate)
bills the breaks too (by default a client pays for worked hours, breaks excluded).

A frozen copy of the models; never imports portal.*.
"""

from peewee import BooleanField, CharField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Statement(Base):
        approved_by_name = CharField(max_length=120, null=True)

    class Rate(Base):
        includes_breaks = BooleanField(default=False)

    migrator.migrate(
        migrator.add_column("statement", "approved_by_name", Statement.approved_by_name),
        migrator.add_column("rate", "includes_breaks", Rate.includes_breaks),
    )
