"""The one thing the reports area changes: the agreed beschut-werk places."""

from portal import audit
from portal.db import write_transaction
from portal.forms import choices
from portal.people.models import Municipality
from portal.reports.models import PlacesTarget
from portal.timeutil import utcnow


def set_target(municipality_id: int, year: int, places: int, *, actor=None) -> PlacesTarget:
    """Store the number of places a municipality agreed on for a year (replacing an earlier one)."""
    with write_transaction():
        target = PlacesTarget.get_or_none((PlacesTarget.municipality == municipality_id)
                                          & (PlacesTarget.year == year))
        before = {"places": target.places} if target else None
        if target is None:
            target = PlacesTarget.create(municipality=municipality_id, year=year, places=places,
                                         set_by=actor)
        else:
            target.places, target.set_by, target.set_at = places, actor, utcnow()
            target.save()
        audit.record("places_target.set", target, user=actor, before=before,
                     after={"municipality_id": municipality_id, "year": year, "places": places})
    return target


def targets_of(year: int) -> dict[int, int]:
    """{municipality id: agreed places} for a year."""
    return dict(PlacesTarget.select(PlacesTarget.municipality, PlacesTarget.places)
                .where(PlacesTarget.year == year).tuples())


def municipality_choices() -> list:
    return choices((m.id, m.name) for m in Municipality.select(Municipality.id, Municipality.name)
                   .where(Municipality.is_active == True)  # noqa: E712
                   .order_by(Municipality.name))
