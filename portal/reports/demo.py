"""The demo company's part of the figures: the beschut-werk places each municipality agreed on,
and a few people who moved to another group in the past week (so the absence figures split
their days between two groups).

A section of the demo (see portal/demo_kit.py): it runs last, on what the other sections left.
"""

from datetime import timedelta

from portal.demo_kit import section
from portal.people.models import Employee, GroupMove
from portal.reports.models import PlacesTarget

MOVERS = 3


@section(90)
def reports(demo) -> None:
    """Targets for last year and this year, and three group moves a week ago."""
    municipality_of = dict(Employee.select(Employee.id, Employee.municipality).tuples())
    beschut: dict = {}
    for person in demo.people:
        if person.employment == "beschut" and person.employed_on(demo.today):
            municipality = municipality_of[person.id]
            beschut[municipality] = beschut.get(municipality, 0) + 1
    admin = demo.users.get("beheer")
    rows = []
    for municipality in demo.municipalities:
        filled = beschut.get(municipality.id, 0)
        for year, margin in ((demo.today.year - 1, -2), (demo.today.year, demo.rng.randint(-3, 6))):
            rows.append({"municipality": municipality.id, "year": year,
                         "places": max(0, filled + margin), "set_by": admin})
    PlacesTarget.insert_many(rows).execute()
    _moves(demo)


def _moves(demo) -> None:
    """Move a few people of the first group to the second, effective a week ago."""
    if len(demo.groups) < 2:
        return
    source, target = demo.groups[0], demo.groups[1]
    moved_on = demo.today - timedelta(days=7)
    movers = [p for p in demo.people if p.group_id == source.id and p.is_active
              and p.employed_on(moved_on - timedelta(days=14))][:MOVERS]
    for person in movers:
        GroupMove.create(employee=person.id, moved_on=moved_on, from_group=source.id)
        Employee.update(work_group=target.id).where(Employee.id == person.id).execute()
        person.group_id = target.id
