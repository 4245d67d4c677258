"""Detachments: groups and individuals working at a client's site, and what the client pays."""

import json

import peewee

from portal.auth.models import User
from portal.db import BaseModel
from portal.people.models import Client, Employee, Location, WorkGroup
from portal.timeutil import utcnow

GROUP = "group"
INDIVIDUAL = "individual"
KINDS = (GROUP, INDIVIDUAL)

PER_HOUR = "per_hour"
PER_PERSON_DAY = "per_person_day"
PER_PERSON_MONTH = "per_person_month"
FIXED_RESULT = "fixed_result"
PRICE_FORMS = (PER_HOUR, PER_PERSON_DAY, PER_PERSON_MONTH, FIXED_RESULT)

DRAFT = "draft"
SENT = "sent"
APPROVED = "approved"
DISPUTED = "disputed"
STATUSES = (DRAFT, SENT, APPROVED, DISPUTED)

WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Detachment(BaseModel):
    """A group or one person working at a client's location for a period."""

    client = peewee.ForeignKeyField(Client, backref="detachments")
    location = peewee.ForeignKeyField(Location, backref="detachments")
    kind = peewee.CharField(max_length=12)
    name = peewee.CharField(max_length=150)
    start_date = peewee.DateField()
    end_date = peewee.DateField(null=True)
    # Only for a group detachment: the whole group goes, with its supervisor.
    work_group = peewee.ForeignKeyField(WorkGroup, null=True, backref="detachments")
    # Only for an individual detachment: the jobcoach who visits and enters the weekly hours.
    jobcoach = peewee.ForeignKeyField(User, null=True, backref="coached_detachments")
    notes = peewee.TextField(default="")
    created_by = peewee.ForeignKeyField(User, null=True, backref="detachments_created")
    created_at = peewee.DateTimeField(default=utcnow)
    is_active = peewee.BooleanField(default=True, index=True)

    class Meta:
        indexes = ((("client", "start_date"), False),)

    @property
    def is_individual(self) -> bool:
        return self.kind == INDIVIDUAL


class DetachmentMember(BaseModel):
    """One employee in a detachment, for a stretch inside its period (no end: until its end)."""

    detachment = peewee.ForeignKeyField(Detachment, backref="members")
    employee = peewee.ForeignKeyField(Employee, backref="detachment_memberships")
    start_date = peewee.DateField()
    end_date = peewee.DateField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "start_date"), False), (("detachment", "employee"), False))


class Rate(BaseModel):
    """The agreed price of a detachment from the first day of a month (a new one each January)."""

    detachment = peewee.ForeignKeyField(Detachment, backref="rates")
    price_form = peewee.CharField(max_length=20)
    amount = peewee.DecimalField(max_digits=10, decimal_places=2)
    valid_from = peewee.DateField()
    valid_to = peewee.DateField(null=True)
    # The agreement says the client pays the breaks too; by default he pays worked hours only.
    includes_breaks = peewee.BooleanField(default=False)
    created_by = peewee.ForeignKeyField(User, null=True, backref="rates_created")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("detachment", "valid_from"), True),)


class HoursEntry(BaseModel):
    """A week of hours entered by a jobcoach for an individual who has no tablet at the client."""

    detachment = peewee.ForeignKeyField(Detachment, backref="hours_entries")
    employee = peewee.ForeignKeyField(Employee, backref="hours_entries")
    week_start = peewee.DateField()
    monday = peewee.DecimalField(max_digits=4, decimal_places=2, default=0)
    tuesday = peewee.DecimalField(max_digits=4, decimal_places=2, default=0)
    wednesday = peewee.DecimalField(max_digits=4, decimal_places=2, default=0)
    thursday = peewee.DecimalField(max_digits=4, decimal_places=2, default=0)
    friday = peewee.DecimalField(max_digits=4, decimal_places=2, default=0)
    saturday = peewee.DecimalField(max_digits=4, decimal_places=2, default=0)
    sunday = peewee.DecimalField(max_digits=4, decimal_places=2, default=0)
    entered_by = peewee.ForeignKeyField(User, null=True, backref="hours_entered")
    entered_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("detachment", "employee", "week_start"), True), (("week_start",), False))

    def hours_on(self, weekday: int):
        return getattr(self, WEEKDAY_FIELDS[weekday])


class Statement(BaseModel):
    """One version of a detachment's hours statement for a month.

    A draft is computed live; sending freezes its lines as JSON so that what the client
    approved never changes afterwards, whatever happens to the registrations.
    """

    detachment = peewee.ForeignKeyField(Detachment, backref="statements")
    month = peewee.DateField()  # the first day of the month
    version = peewee.IntegerField(default=1)
    status = peewee.CharField(max_length=10, default=DRAFT)
    frozen = peewee.TextField(null=True)
    correction_reason = peewee.TextField(null=True)
    created_by = peewee.ForeignKeyField(User, null=True, backref="statements_created")
    created_at = peewee.DateTimeField(default=utcnow)
    sent_at = peewee.DateTimeField(null=True)
    decided_at = peewee.DateTimeField(null=True)
    # The client's person who approved it, as he gave his name on the link's page.
    approved_by_name = peewee.CharField(max_length=120, null=True)

    class Meta:
        indexes = ((("detachment", "month", "version"), True), (("month", "status"), False))

    @property
    def content(self) -> dict | None:
        return json.loads(self.frozen) if self.frozen else None


class StatementLink(BaseModel):
    """A link that shows one statement to the client without an account; only its hash is kept."""

    statement = peewee.ForeignKeyField(Statement, backref="links")
    token_hash = peewee.CharField(max_length=64, unique=True)
    created_by = peewee.ForeignKeyField(User, null=True, backref="statement_links_created")
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    revoked_at = peewee.DateTimeField(null=True)


class StatementDispute(BaseModel):
    """The client's objection to one line of a statement, with its required comment."""

    statement = peewee.ForeignKeyField(Statement, backref="disputes")
    line_key = peewee.CharField(max_length=40)
    comment = peewee.TextField()
    at = peewee.DateTimeField(default=utcnow)
