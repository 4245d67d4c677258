"""Orders from clients, their planning onto work groups and days, and what was made."""

import peewee

from portal.auth.models import User
from portal.db import BaseModel
from portal.people.models import Client, Location, ProductGroup, Workfloor, WorkGroup
from portal.timeutil import utcnow

INTAKE = "intake"
PLANNED = "gepland"
IN_PRODUCTION = "in_productie"
READY = "gereed"
INVOICED = "gefactureerd"
STATUSES = (INTAKE, PLANNED, IN_PRODUCTION, READY, INVOICED)
# Orders that still need work: they appear on the board and can be planned.
OPEN_STATUSES = (INTAKE, PLANNED, IN_PRODUCTION)


class Order(BaseModel):
    """Work for a client done in the own workshops, to be planned between start and due date."""

    client = peewee.ForeignKeyField(Client, backref="orders")
    product = peewee.CharField(max_length=150)
    quantity = peewee.IntegerField()
    unit = peewee.CharField(max_length=30)
    norm_per_hour = peewee.DecimalField(max_digits=10, decimal_places=2)
    start_date = peewee.DateField()
    due_date = peewee.DateField(index=True)
    location = peewee.ForeignKeyField(Location, null=True, backref="orders")
    workfloor = peewee.ForeignKeyField(Workfloor, null=True, backref="orders")
    # For the figures per product group; an order taken in before there were any has none.
    product_group = peewee.ForeignKeyField(ProductGroup, null=True, backref="orders")
    notes = peewee.TextField(default="")
    status = peewee.CharField(max_length=16, default=INTAKE, index=True)
    created_by = peewee.ForeignKeyField(User, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)


class OrderStatusChange(BaseModel):
    """Who moved an order from one status to the next, and when."""

    order = peewee.ForeignKeyField(Order, backref="status_changes")
    from_status = peewee.CharField(max_length=16, null=True)
    to_status = peewee.CharField(max_length=16)
    changed_by = peewee.ForeignKeyField(User, backref="+")
    changed_at = peewee.DateTimeField(default=utcnow)


class Assignment(BaseModel):
    """Hours of an order planned onto one work group on one day (one row per cell)."""

    order = peewee.ForeignKeyField(Order, backref="assignments")
    work_group = peewee.ForeignKeyField(WorkGroup, backref="assignments")
    day = peewee.DateField()
    hours = peewee.DecimalField(max_digits=6, decimal_places=2)
    created_by = peewee.ForeignKeyField(User, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("order", "work_group", "day"), True), (("day", "work_group"), False))


class Production(BaseModel):
    """A quantity of an order a group made on a day, with the rejects among it."""

    order = peewee.ForeignKeyField(Order, backref="production")
    work_group = peewee.ForeignKeyField(WorkGroup, backref="production")
    day = peewee.DateField()
    quantity = peewee.IntegerField()
    rejects = peewee.IntegerField(default=0)
    registered_by = peewee.ForeignKeyField(User, backref="+")
    registered_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("work_group", "day"), False),)
