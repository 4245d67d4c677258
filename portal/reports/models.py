"""What the reports area stores itself: the beschut-werk places each municipality agreed on,
and the day summaries the occupancy and absence figures read (see summary.py)."""

import peewee

from portal.auth.models import User
from portal.db import BaseModel
from portal.people.models import Municipality
from portal.timeutil import utcnow


class PlacesTarget(BaseModel):
    """The number of beschut-werk places a municipality agreed on for a year (hr or admin)."""

    municipality = peewee.ForeignKeyField(Municipality, backref="places_targets")
    year = peewee.SmallIntegerField()
    places = peewee.IntegerField()
    set_by = peewee.ForeignKeyField(User, null=True, backref="+")
    set_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("municipality", "year"), True),)


class PresenceDay(BaseModel):
    """A day whose presence counts are in PresenceCount (a day with nobody present has none).

    Derived data: the triggers of migration 0018 delete a day when a check-in of it or a group
    move back to it changes, and summary.py fills it again from the check-ins.
    """

    day = peewee.DateField(primary_key=True)


class PresenceCount(BaseModel):
    """How many people of a group checked in at a site on a day, each in the group of that day.

    Plain ids rather than foreign keys: the rows are a cache of the check-ins, deleted and
    rebuilt at will, and they must never stand in the way of what they summarise.
    """

    day = peewee.DateField()
    location_id = peewee.IntegerField()
    work_group_id = peewee.IntegerField()
    people = peewee.IntegerField()

    class Meta:
        primary_key = peewee.CompositeKey("day", "location_id", "work_group_id")


class AbsenceSummaryDay(BaseModel):
    """A day whose expected absences are in AbsenceDay (see PresenceDay: the same kind)."""

    day = peewee.DateField(primary_key=True)


class AbsenceDay(BaseModel):
    """An absence on an expected day with the minutes it takes, and for a sick day the day
    number (sql.day_number) of the person's expected day before it: absence.expected_absences.
    Derived data, as PresenceCount."""

    day = peewee.DateField()
    employee_id = peewee.IntegerField()
    code = peewee.CharField(max_length=20)
    minutes = peewee.IntegerField()
    previous_expected = peewee.IntegerField(null=True)

    class Meta:
        primary_key = peewee.CompositeKey("day", "employee_id", "code")
