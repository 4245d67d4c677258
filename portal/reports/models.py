"""What the reports area stores itself: the beschut-werk places each municipality agreed on."""

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
