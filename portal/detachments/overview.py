"""What the detachments overview and a jobcoach's page show."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from portal.auth.models import User
from portal.detachments.hours import week_start
from portal.detachments.locks import latest_statements
from portal.detachments.members import running_between
from portal.detachments.models import (APPROVED, INDIVIDUAL, WEEKDAY_FIELDS, Detachment,
                                       DetachmentMember, HoursEntry)
from portal.detachments.periods import effective_end, month_start, months_between
from portal.people.models import Client, Employee, Location

ENDING_WEEKS = 6


def running_detachments(day: date):
    """Active detachments that run on a day, with client and location, by client and name."""
    return (Detachment.select(Detachment, Client, Location)
            .join(Client, on=(Detachment.client == Client.id))
            .switch(Detachment).join(Location, on=(Detachment.location == Location.id))
            .where((Detachment.is_active == True)  # noqa: E712
                   & (Detachment.start_date <= day)
                   & (Detachment.end_date.is_null() | (Detachment.end_date >= day)))
            .order_by(Client.name, Detachment.name))


def ending_within(day: date, weeks: int = ENDING_WEEKS) -> list[dict]:
    """Detachments and members whose period ends within some weeks, soonest first."""
    horizon = day + timedelta(weeks=weeks)
    rows = []
    for detachment in (Detachment.select(Detachment, Client)
                       .join(Client, on=(Detachment.client == Client.id))
                       .where((Detachment.is_active == True)  # noqa: E712
                              & Detachment.end_date.between(day, horizon))):
        rows.append({"end": detachment.end_date, "detachment": detachment, "employee": None})
    members = (DetachmentMember.select(DetachmentMember, Detachment, Employee, Client)
               .join(Detachment).join(Client, on=(Detachment.client == Client.id))
               .switch(DetachmentMember).join(Employee)
               .where((Detachment.is_active == True)  # noqa: E712
                      & DetachmentMember.end_date.between(day, horizon)
                      & (Detachment.end_date.is_null()
                         | (Detachment.end_date != DetachmentMember.end_date))))
    for member in members:
        rows.append({"end": member.end_date, "detachment": member.detachment,
                     "employee": member.employee})
    return sorted(rows, key=lambda r: (r["end"], r["detachment"].name))


def people_detached_on(day: date):
    """Members detached on a day, with their detachment and client."""
    return (DetachmentMember.select(DetachmentMember, Detachment, Employee, Client)
            .join(Detachment).join(Client, on=(Detachment.client == Client.id))
            .switch(DetachmentMember).join(Employee)
            .where(running_between(day, day))
            .order_by(Client.name, Detachment.name, Employee.last_name, Employee.first_name))


def open_months(day: date, back: int = 12) -> list[dict]:
    """Per client, the finished months (up to a year back) not yet approved, with their status."""
    this_month = month_start(day)
    earliest = month_start(this_month - timedelta(days=back * 31))
    detachments = list(Detachment.select(Detachment, Client)
                       .join(Client, on=(Detachment.client == Client.id))
                       .where((Detachment.is_active == True)  # noqa: E712
                              & (Detachment.start_date < this_month)
                              & (Detachment.end_date.is_null()
                                 | (Detachment.end_date >= earliest))))
    latest = latest_statements([d.id for d in detachments])
    clients = {}
    for detachment in detachments:
        first = max(month_start(detachment.start_date), earliest)
        last = min(detachment.end_date or this_month, this_month - timedelta(days=1))
        for month in months_between(first, last):
            statement = latest.get((detachment.id, month))
            if statement is not None and statement.status == APPROVED:
                continue
            entry = clients.setdefault(detachment.client_id, {"client": detachment.client,
                                                              "months": {}})
            entry["months"].setdefault(month, []).append((detachment, statement))
    return sorted(({"client": c["client"], "months": sorted(c["months"].items())}
                   for c in clients.values()), key=lambda c: c["client"].name)


def members_in_week(detachment: Detachment, members, monday: date) -> list:
    """The members of a detachment who are detached on at least one day of the week."""
    sunday = monday + timedelta(days=6)
    return [m for m in members if m.start_date <= sunday
            and (effective_end(m.end_date, detachment.end_date) or monday) >= monday]


def coached_placements(jobcoach: User, day: date) -> list[dict]:
    """A jobcoach's running individual detachments, each with its people of the week and the
    hours entered for them in that week (None: nothing entered yet).

    Only what the jobcoach needs to enter hours: no rates, statements or absence.
    """
    monday = week_start(day)
    detachments = list(running_detachments(day).where(
        (Detachment.kind == INDIVIDUAL) & (Detachment.jobcoach == jobcoach.id)))
    ids = [d.id for d in detachments] or [0]
    members = defaultdict(list)
    for member in (DetachmentMember.select(DetachmentMember, Employee).join(Employee)
                   .where(DetachmentMember.detachment.in_(ids))
                   .order_by(Employee.last_name, Employee.first_name)):
        members[member.detachment_id].append(member)
    entries = {(e.detachment_id, e.employee_id): e for e in HoursEntry.select().where(
        HoursEntry.detachment.in_(ids) & (HoursEntry.week_start == monday))}
    return [{"detachment": d, "people": [
                (m.employee, week_total(entries.get((d.id, m.employee_id))))
                for m in members_in_week(d, members[d.id], monday)]}
            for d in detachments]


def week_total(entry: HoursEntry | None) -> Decimal | None:
    if entry is None:
        return None
    return sum((Decimal(getattr(entry, f)) for f in WEEKDAY_FIELDS), Decimal(0))


def supervisor_detachment_ids(user) -> set[int]:
    """The detachments of the groups a supervisor leads."""
    from portal.people.models import WorkGroup

    return {d for (d,) in Detachment.select(Detachment.id)
            .join(WorkGroup, on=(Detachment.work_group == WorkGroup.id))
            .where(WorkGroup.supervisor == user.id).tuples()}
