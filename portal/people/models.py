"""Master data: where the work happens and who does it."""

import peewee

from portal.auth.models import User
from portal.db import BaseModel
from portal.timeutil import utcnow

EMPLOYMENT_TYPES = (
    "sw",  # Wsw, the sheltered employment act before 2015
    "beschut",  # beschut werk under the Participatiewet
    "leerwerk",  # leerwerktraject, with benefit retained
    "proefplaatsing",
    "garantiebaan",
    "staff",
)

LOCATION_KINDS = ("own", "client")


class Municipality(BaseModel):
    """A member municipality; every employee belongs to one."""

    name = peewee.CharField(max_length=100, unique=True)
    is_active = peewee.BooleanField(default=True)


class Client(BaseModel):
    """A company that gives work or takes detached people."""

    name = peewee.CharField(max_length=150, unique=True)
    kvk_number = peewee.CharField(max_length=8, null=True)
    contact_name = peewee.CharField(max_length=120, default="")
    email = peewee.CharField(max_length=254, default="")
    phone = peewee.CharField(max_length=30, default="")
    is_active = peewee.BooleanField(default=True)


class ProductGroup(BaseModel):
    """A kind of work orders are grouped by in the figures (packing, assembly, ...)."""

    name = peewee.CharField(max_length=100, unique=True)
    is_active = peewee.BooleanField(default=True)


class Location(BaseModel):
    """An address: one of the company's own sites, or a client's site."""

    name = peewee.CharField(max_length=150)
    kind = peewee.CharField(max_length=10)
    client = peewee.ForeignKeyField(Client, null=True, backref="locations")
    street = peewee.CharField(max_length=150, default="")
    postcode = peewee.CharField(max_length=7, default="")
    city = peewee.CharField(max_length=100, default="")
    is_active = peewee.BooleanField(default=True)


class Workfloor(BaseModel):
    """A sheltered work area inside an own location, with its number of workplaces."""

    name = peewee.CharField(max_length=100)
    location = peewee.ForeignKeyField(Location, backref="workfloors")
    workplaces = peewee.IntegerField()
    is_active = peewee.BooleanField(default=True)

    class Meta:
        indexes = ((("location", "name"), True),)


class WorkGroup(BaseModel):
    """A team under one supervisor, based on a workfloor."""

    name = peewee.CharField(max_length=100, unique=True)
    supervisor = peewee.ForeignKeyField(User, null=True, backref="work_groups")
    workfloor = peewee.ForeignKeyField(Workfloor, backref="work_groups")
    is_active = peewee.BooleanField(default=True)


class Employee(BaseModel):
    """A person who works here (medewerker or kandidaat)."""

    employee_number = peewee.CharField(max_length=20, unique=True)
    first_name = peewee.CharField(max_length=80)
    last_name = peewee.CharField(max_length=120)
    employment = peewee.CharField(max_length=20, index=True)
    contract_hours = peewee.DecimalField(max_digits=4, decimal_places=2)
    municipality = peewee.ForeignKeyField(Municipality, backref="employees")
    work_group = peewee.ForeignKeyField(WorkGroup, null=True, backref="employees")
    start_date = peewee.DateField()
    end_date = peewee.DateField(null=True)
    is_active = peewee.BooleanField(default=True, index=True)
    has_photo = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        """The two letters shown where there is no photo: badge, kiosk and every list."""
        return initials(self.first_name, self.last_name)


def initials(first_name: str, last_name: str) -> str:
    """The first letter of the first name and of the surname itself: "Sanne van Dijk" is SD.

    A Dutch surname's lower-case prefix ("van", "de", "van der", "'t") is not its initial;
    a double name ("Bakker Visser", "de Vries-Bakker") takes the first real part.
    """
    words = (last_name or "").split()
    capitalised = [w for w in words if w[:1].isupper()]
    surname = capitalised[0] if capitalised else (words[-1] if words else "")
    return "".join(part[:1].upper() for part in (first_name or "", surname) if part)


class EmployeePhoto(BaseModel):
    """An employee's photo, re-encoded on upload, kept apart so lists stay light."""

    employee = peewee.ForeignKeyField(Employee, unique=True, backref="photos")
    content_type = peewee.CharField(max_length=32)
    data = peewee.BlobField()
    updated_at = peewee.DateTimeField(default=utcnow)


class Schedule(BaseModel):
    """An employee's weekly schedule in force from a date until the next one starts."""

    employee = peewee.ForeignKeyField(Employee, backref="schedules")
    valid_from = peewee.DateField()
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "valid_from"), True),)


class ScheduleDay(BaseModel):
    """One working day of a weekly schedule: weekday 0 is Monday."""

    schedule = peewee.ForeignKeyField(Schedule, backref="days", on_delete="CASCADE")
    weekday = peewee.SmallIntegerField()
    starts_at = peewee.TimeField()
    ends_at = peewee.TimeField()
    break_minutes = peewee.SmallIntegerField(default=0)

    class Meta:
        indexes = ((("schedule", "weekday"), True),)


class GroupMove(BaseModel):
    """An employee left `from_group` on `moved_on` (for Employee.work_group from that day on).

    Only moves are kept: the group of any past day is the `from_group` of the first move after
    it, or the current group when there is none; the figures count each day where it was.
    """

    employee = peewee.ForeignKeyField(Employee, backref="group_moves")
    moved_on = peewee.DateField()
    from_group = peewee.ForeignKeyField(WorkGroup, null=True, backref="moves_out")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "moved_on"), False),)
