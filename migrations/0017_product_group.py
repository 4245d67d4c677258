"""Product groups (a master-data list the admin and the planner keep), and an order's product
group: nullable, so orders taken in before have none ("without product group" in the figures).

A frozen copy of the models; never imports portal.*.
"""

from peewee import BooleanField, CharField, ForeignKeyField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class ProductGroup(Base):
        name = CharField(max_length=100, unique=True)
        is_active = BooleanField(default=True)

    class Order(Base):
        product_group = ForeignKeyField(ProductGroup, null=True)

    db.create_tables([ProductGroup])
    migrator.migrate(migrator.add_column("order", "product_group_id", Order.product_group))
