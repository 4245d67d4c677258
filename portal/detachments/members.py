"""Detachments and their members: periods, overlaps, jobcoaches, who is detached when."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.auth.access import active_users_with_role, is_jobcoach
from portal.auth.models import JOBCOACH, User
from portal.db import write_transaction
from portal.detachments.locks import changed_spans, check_unlocked
from portal.detachments.models import GROUP, INDIVIDUAL, Detachment, DetachmentMember
from portal.detachments.periods import (_overlap_error, check_member_inside, check_period,
                                        effective_end, find_overlap, overlaps)
from portal.people.models import Client, Employee, Location
from portal.refusal import Refused
from portal.timeutil import as_date

def group_employees(work_group_id: int, start: date, end: date | None) -> list[Employee]:
    """The active employees of a group whose employment shares a day with [start, end]."""
    return [e for e in Employee.select().where((Employee.work_group == work_group_id)
                                               & (Employee.is_active == True))  # noqa: E712
            .order_by(Employee.last_name, Employee.first_name)
            if overlaps(start, end, e.start_date, e.end_date)]


def group_members_left_out(detachment: Detachment, members, day: date) -> list[Employee]:
    """Members of a detached group, from `day` on, who have never been in the detachment.

    A group detachment lists its people by name, each with a period of their own, because the
    client is billed per person; someone who joins the group later goes along only when the
    planner adds them. These are the ones to ask about (someone taken out on purpose is not).
    `members` are the detachment's memberships, which its page has loaded already.
    """
    if detachment.kind != GROUP or detachment.work_group_id is None \
            or (detachment.end_date is not None and detachment.end_date < day):
        return []
    ever = {m.employee_id for m in members}
    return [e for e in group_employees(detachment.work_group_id, max(day, detachment.start_date),
                                       detachment.end_date)
            if e.id not in ever]


def _member_span(employee: Employee, start: date, end: date | None) -> tuple[date, date | None]:
    """A group member's own stretch: the detachment's period within the employment."""
    member_start = max(start, employee.start_date)
    member_end = end
    if employee.end_date is not None and (end is None or employee.end_date < end):
        member_end = employee.end_date
    return member_start, member_end


def is_active_jobcoach(user: User | None) -> bool:
    return is_jobcoach(user) and user.is_active_account


def check_jobcoach(kind: str, jobcoach: User | None) -> None:
    """:raise Refused: for a jobcoach on a group detachment, or a user who is no active jobcoach.

    No jobcoach is allowed: planners then enter the hours themselves.
    """
    if jobcoach is None:
        return
    if kind != INDIVIDUAL:
        raise Refused(_l("Only an individual detachment has a jobcoach."), "jobcoach")
    if not is_active_jobcoach(jobcoach):
        raise Refused(_l("Choose an active user with the role jobcoach."), "jobcoach")


def find_jobcoach(user_id: int | None) -> User | None:
    """The user chosen as jobcoach, or None when none was chosen.

    :raise Refused: when the id is not of an active jobcoach (deactivated, or forged).
    """
    if user_id is None:
        return None
    user = User.get_or_none(User.id == user_id)
    if not is_active_jobcoach(user):
        raise Refused(_l("Choose an active user with the role jobcoach."), "jobcoach")
    return user


def active_jobcoaches():
    """Users who may coach an individual detachment, by name."""
    return active_users_with_role(JOBCOACH).order_by(User.display_name)


def create_detachment(*, client: Client, location: Location, kind: str, name: str,
                      start: date, end: date | None, work_group=None, employee=None,
                      member_start=None, member_end=None, notes: str = "", jobcoach=None,
                      user=None) -> Detachment:
    """Make a detachment with its people: a whole group, or one named employee.

    :raise Refused: for a bad period, a location of another client, a person already
        detached on one of the days, a member outside the period, or a jobcoach who is not one.
    """
    check_period(start, end)
    # The kind switch hides the individual's fields only with JavaScript: a jobcoach left in
    # them counts for an individual detachment alone, like the employee.
    jobcoach = jobcoach if kind == INDIVIDUAL else None
    check_jobcoach(kind, jobcoach)
    if location.kind != "client" or location.client_id != client.id:
        raise Refused(_l("Choose a location of this client."), "location")
    if kind == GROUP:
        if work_group is None:
            raise Refused(_l("Choose the group that goes."), "work_group")
        people = [(e, *_member_span(e, start, end))
                  for e in group_employees(work_group.id, start, end)]
        if not people:
            raise Refused(_l("This group has no active employees in the period."), "work_group")
        name = name or work_group.name
    elif kind == INDIVIDUAL:
        if employee is None:
            raise Refused(_l("Choose the employee."), "employee")
        people = [(employee, member_start or start, member_end)]
        name = name or employee.full_name
    else:
        raise Refused(_l("Choose group or individual."), "kind")
    with write_transaction():
        detachment = Detachment.create(client=client, location=location, kind=kind, name=name,
                                       start_date=start, end_date=end,
                                       work_group=work_group if kind == GROUP else None,
                                       jobcoach=jobcoach, notes=notes or "", created_by=user)
        field = "work_group" if kind == GROUP else "member_start"
        for person, p_start, p_end in people:
            if kind == INDIVIDUAL:
                try:
                    check_member_inside(detachment, p_start, p_end)
                except Refused as error:
                    error.field = "member_" + error.field.removesuffix("_date")
                    raise
            other = find_overlap(person.id, p_start, effective_end(p_end, end),
                                 exclude_detachment_id=detachment.id)
            if other is not None:
                raise _overlap_error(field if kind == GROUP else "employee", person, other)
            DetachmentMember.create(detachment=detachment, employee=person, start_date=p_start,
                                    end_date=p_end)
        audit.record("detachment.create", detachment, user=user,
                     after={"client": client.id, "location": location.id, "kind": kind,
                            "start": start, "end": end, "members": [p.id for p, *_ in people],
                            "jobcoach": jobcoach.id if jobcoach else None})
    return detachment


def update_detachment(detachment: Detachment, *, name: str, start: date, end: date | None,
                      notes: str, is_active: bool, jobcoach=None, user=None) -> None:
    """Change a detachment's name, period, notes, activity or jobcoach (None: no jobcoach).

    :raise Refused: for a bad period, members that would fall outside it or overlap another
        detachment, a change that touches an approved month, or a jobcoach who is not one.
    """
    check_period(start, end)
    check_jobcoach(detachment.kind, jobcoach)
    old = (detachment.start_date, detachment.end_date)
    with write_transaction():
        for span in changed_spans(old, (start, end)):
            check_unlocked(detachment.id, span[0], span[1],
                           "start_date" if span[0] < max(old[0], start) else "end_date")
        for member in detachment.members.join(Employee).switch(DetachmentMember):
            if member.start_date < start or (end and member.start_date > end):
                raise Refused(_l(
                    "%(name)s starts outside this period; change that member first.",
                    name=member.employee.full_name), "start_date")
            if member.end_date and end and member.end_date > end:
                raise Refused(_l(
                    "%(name)s ends after this period; change that member first.",
                    name=member.employee.full_name), "end_date")
            if is_active:
                other = find_overlap(member.employee_id, member.start_date,
                                     effective_end(member.end_date, end),
                                     exclude_detachment_id=detachment.id)
                if other is not None:
                    raise _overlap_error("end_date", member.employee, other)
        before = {"name": detachment.name, "start": detachment.start_date,
                  "end": detachment.end_date, "active": detachment.is_active,
                  "jobcoach": detachment.jobcoach_id}
        detachment.name, detachment.start_date, detachment.end_date = name, start, end
        detachment.notes, detachment.is_active = notes or "", is_active
        detachment.jobcoach = jobcoach
        detachment.save()
        audit.record("detachment.update", detachment, user=user, before=before,
                     after={"name": name, "start": start, "end": end, "active": is_active,
                            "jobcoach": jobcoach.id if jobcoach else None})


def add_member(detachment: Detachment, employee: Employee, start: date, end: date | None,
               user=None) -> DetachmentMember:
    """Put an employee in a detachment for [start, end] inside its period.

    :raise Refused: outside the period, already detached on one of the days, or an approved month.
    """
    check_member_inside(detachment, start, end)
    with write_transaction():
        check_unlocked(detachment.id, start, effective_end(end, detachment.end_date), "start_date")
        other = find_overlap(employee.id, start, effective_end(end, detachment.end_date))
        if other is not None:
            raise _overlap_error("employee", employee, other)
        member = DetachmentMember.create(detachment=detachment, employee=employee,
                                         start_date=start, end_date=end)
        audit.record("detachment.member_add", member, user=user,
                     after={"detachment": detachment.id, "employee": employee.id,
                            "start": start, "end": end})
    return member


def update_member(member: DetachmentMember, start: date, end: date | None, user=None) -> None:
    """Change a member's own start or end.

    :raise Refused: outside the period, overlapping another detachment, or an approved month.
    """
    detachment = member.detachment
    check_member_inside(detachment, start, end)
    old = (member.start_date, effective_end(member.end_date, detachment.end_date))
    new = (start, effective_end(end, detachment.end_date))
    with write_transaction():
        for span in changed_spans(old, new):
            check_unlocked(detachment.id, span[0], span[1],
                           "start_date" if span[0] < max(old[0], start) else "end_date")
        other = find_overlap(member.employee_id, start, new[1], exclude_member_id=member.id)
        if other is not None:
            raise _overlap_error("start_date", member.employee, other)
        before = {"start": member.start_date, "end": member.end_date}
        member.start_date, member.end_date = start, end
        member.save()
        audit.record("detachment.member_update", member, user=user, before=before,
                     after={"start": start, "end": end})


def remove_member(member: DetachmentMember, user=None) -> None:
    """Take a member out (an entry made by mistake); what was sent stays in its versions.

    :raise Refused: when the member's period touches an approved month.
    """
    detachment = member.detachment
    with write_transaction():
        check_unlocked(detachment.id, member.start_date,
                       effective_end(member.end_date, detachment.end_date), "member")
        audit.record("detachment.member_remove", member, user=user,
                     before={"detachment": detachment.id, "employee": member.employee_id,
                             "start": member.start_date, "end": member.end_date})
        member.delete_instance()


def running_between(first, last):
    """The condition that a membership, joined to its active detachment, shares a day with
    first..last (its own period and the detachment's both)."""
    return ((Detachment.is_active == True)  # noqa: E712
            & (Detachment.start_date <= last)
            & (Detachment.end_date.is_null() | (Detachment.end_date >= first))
            & (DetachmentMember.start_date <= last)
            & (DetachmentMember.end_date.is_null() | (DetachmentMember.end_date >= first)))


def detached_days(employee_ids, first: date, last: date) -> set[tuple[int, date]]:
    """(employee id, day) for each day in first..last that the employee works at a client.

    One query for the whole range: the planning board takes these days out of a group's
    available hours.
    """
    detached = set()
    query = (DetachmentMember.select(DetachmentMember.employee, DetachmentMember.start_date,
                                     DetachmentMember.end_date, Detachment.end_date)
             .join(Detachment)
             .where(DetachmentMember.employee.in_(list(employee_ids))
                    & running_between(first, last))
             .tuples())
    for employee_id, member_start, member_end, detachment_end in query:
        start = max(as_date(member_start), first)
        end = effective_end(as_date(member_end), as_date(detachment_end))
        end = last if end is None else min(end, last)
        day = start
        while day <= end:
            detached.add((employee_id, day))
            day += timedelta(days=1)
    return detached
