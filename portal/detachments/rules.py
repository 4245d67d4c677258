"""The rules of detachments as plain functions: periods, members, rates, hours and statements.

Every refused change raises RuleError with the form field its message belongs beside. The
statement is computed from current attendance at the client's location (and, for an individual
without a tablet, from the jobcoach's weekly hours); absence is never read, so no absence reason
can reach a statement: a day without worked time is simply not billed.
"""

import calendar
import hashlib
import hmac
import json
import secrets
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.attendance.models import AttendanceSegment
from portal.auth.models import JOBCOACH, User
from portal.db import write_transaction
from portal.detachments.models import (APPROVED, DISPUTED, DRAFT, FIXED_RESULT, GROUP, INDIVIDUAL,
                                       PER_HOUR, PER_PERSON_DAY, PER_PERSON_MONTH, PRICE_FORMS,
                                       SENT, WEEKDAY_FIELDS, Detachment, DetachmentMember,
                                       HoursEntry, Rate, Statement, StatementDispute,
                                       StatementLink)
from portal.people.models import Client, Employee, Location
from portal.timeutil import as_date, utcnow

CENT = Decimal("0.01")
MAX_DAY_HOURS = Decimal("24")
MAX_COMMENT = 2000
LINK_DAYS = 30
ENDING_WEEKS = 6
# A raw link token: 32 random bytes, URL-safe; only its SHA-256 is stored.
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100


class RuleError(Exception):
    """A refused change; `field` names the form field the message belongs beside."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


# -- periods and months ---------------------------------------------------------------------

def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return (month_end(month) + timedelta(days=1))


def parse_month(text: str | None) -> date | None:
    """Read a month written as YYYY-MM; None for anything else."""
    try:
        year, month = (text or "").split("-")
        if len(year) != 4 or len(month) != 2:
            return None
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def months_between(first: date, last: date) -> list[date]:
    """The first days of every month that [first, last] touches."""
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


def overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """Tell whether two periods share a day; an end of None is open."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def effective_end(member_end: date | None, detachment_end: date | None) -> date | None:
    """A member without an end stays until the detachment ends."""
    return member_end if member_end is not None else detachment_end


def check_period(start: date, end: date | None) -> None:
    """:raise RuleError: when the end lies before the start."""
    if end is not None and end < start:
        raise RuleError("end_date", _l("The end date is before the start date."))


def check_member_inside(detachment: Detachment, start: date, end: date | None) -> None:
    """:raise RuleError: when a member's period is not inside the detachment's."""
    check_period(start, end)
    if start < detachment.start_date or (detachment.end_date and start > detachment.end_date):
        raise RuleError("start_date", _l(
            "The start date lies outside the detachment's period (%(period)s).",
            period=period_text(detachment.start_date, detachment.end_date)))
    if end is not None and detachment.end_date is not None and end > detachment.end_date:
        raise RuleError("end_date", _l(
            "The end date lies outside the detachment's period (%(period)s).",
            period=period_text(detachment.start_date, detachment.end_date)))


def period_text(start: date, end: date | None) -> str:
    return f"{start:%d-%m-%Y} – {end:%d-%m-%Y}" if end else f"{start:%d-%m-%Y} –"


def find_overlap(employee_id: int, start: date, end: date | None, *, exclude_member_id=None,
                 exclude_detachment_id=None, detachment_end_override=None):
    """The first other membership of the employee that shares a day with [start, end], or None.

    `detachment_end_override` maps a detachment id to the end it is about to get, so a period
    change can be checked before it is stored.
    """
    query = (DetachmentMember.select(DetachmentMember, Detachment)
             .join(Detachment)
             .where((DetachmentMember.employee == employee_id)
                    & (Detachment.is_active == True))  # noqa: E712
             .order_by(DetachmentMember.start_date))
    overrides = detachment_end_override or {}
    for other in query:
        if other.id == exclude_member_id or other.detachment_id == exclude_detachment_id:
            continue
        other_end = effective_end(other.end_date,
                                  overrides.get(other.detachment_id, other.detachment.end_date))
        if overlaps(start, end, other.start_date, other_end):
            return other
    return None


def _overlap_error(field: str, employee: Employee, other: DetachmentMember) -> RuleError:
    return RuleError(field, _l(
        "%(name)s is already detached on those days (%(detachment)s, %(period)s).",
        name=employee.full_name, detachment=other.detachment.name,
        period=period_text(other.start_date,
                           effective_end(other.end_date, other.detachment.end_date))))


# -- locking --------------------------------------------------------------------------------

def latest_statements(detachment_ids, months=None) -> dict[tuple[int, date], Statement]:
    """The newest version per (detachment, month) for the given detachments."""
    if not detachment_ids:
        return {}
    query = Statement.select().where(Statement.detachment.in_(list(detachment_ids)))
    if months is not None:
        query = query.where(Statement.month.in_(list(months)))
    latest = {}
    for statement in query.order_by(Statement.version):
        latest[(statement.detachment_id, statement.month)] = statement
    return latest


def locked_months(detachment_id: int) -> set[date]:
    """Months whose newest statement the client approved: they change only by a correction."""
    return {month for (_d, month), statement in latest_statements([detachment_id]).items()
            if statement.status == APPROVED}


def check_unlocked(detachment_id: int, start: date, end: date | None, field: str) -> None:
    """:raise RuleError: when [start, end] touches an approved month of the detachment."""
    for month in sorted(locked_months(detachment_id)):
        if overlaps(start, end, month, month_end(month)):
            raise RuleError(field, _l(
                "%(month)s is approved by the client. Start a correction with a reason first.",
                month=month_key(month)))


def changed_spans(old: tuple[date, date | None], new: tuple[date, date | None]) -> list:
    """The stretches of days that are in one period but not in the other (an end None is open)."""
    spans = []
    if old[0] != new[0]:
        spans.append((min(old[0], new[0]), max(old[0], new[0]) - timedelta(days=1)))
    if old[1] != new[1]:
        ends = [e for e in (old[1], new[1]) if e is not None]
        later = None if None in (old[1], new[1]) else max(ends)
        spans.append((min(ends) + timedelta(days=1), later))
    return spans


# -- detachments and members ------------------------------------------------------------------

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
    return user is not None and user.role == JOBCOACH and user.is_active_account


def check_jobcoach(kind: str, jobcoach: User | None) -> None:
    """:raise RuleError: for a jobcoach on a group detachment, or a user who is no active jobcoach.

    No jobcoach is allowed: planners then enter the hours themselves.
    """
    if jobcoach is None:
        return
    if kind != INDIVIDUAL:
        raise RuleError("jobcoach", _l("Only an individual detachment has a jobcoach."))
    if not is_active_jobcoach(jobcoach):
        raise RuleError("jobcoach", _l("Choose an active user with the role jobcoach."))


def find_jobcoach(user_id: int | None) -> User | None:
    """The user chosen as jobcoach, or None when none was chosen.

    :raise RuleError: when the id is not of an active jobcoach (deactivated, or forged).
    """
    if user_id is None:
        return None
    user = User.get_or_none(User.id == user_id)
    if not is_active_jobcoach(user):
        raise RuleError("jobcoach", _l("Choose an active user with the role jobcoach."))
    return user


def active_jobcoaches():
    """Users who may coach an individual detachment, by name."""
    return (User.select().where((User.role == JOBCOACH)
                                & (User.is_active_account == True))  # noqa: E712
            .order_by(User.display_name))


def create_detachment(*, client: Client, location: Location, kind: str, name: str,
                      start: date, end: date | None, work_group=None, employee=None,
                      member_start=None, member_end=None, notes: str = "", jobcoach=None,
                      user=None) -> Detachment:
    """Make a detachment with its people: a whole group, or one named employee.

    :raise RuleError: for a bad period, a location of another client, a person already
        detached on one of the days, a member outside the period, or a jobcoach who is not one.
    """
    check_period(start, end)
    # The kind switch hides the individual's fields only with JavaScript: a jobcoach left in
    # them counts for an individual detachment alone, like the employee.
    jobcoach = jobcoach if kind == INDIVIDUAL else None
    check_jobcoach(kind, jobcoach)
    if location.kind != "client" or location.client_id != client.id:
        raise RuleError("location", _l("Choose a location of this client."))
    if kind == GROUP:
        if work_group is None:
            raise RuleError("work_group", _l("Choose the group that goes."))
        people = [(e, *_member_span(e, start, end))
                  for e in group_employees(work_group.id, start, end)]
        if not people:
            raise RuleError("work_group", _l("This group has no active employees in the period."))
        name = name or work_group.name
    elif kind == INDIVIDUAL:
        if employee is None:
            raise RuleError("employee", _l("Choose the employee."))
        people = [(employee, member_start or start, member_end)]
        name = name or employee.full_name
    else:
        raise RuleError("kind", _l("Choose group or individual."))
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
                except RuleError as error:
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

    :raise RuleError: for a bad period, members that would fall outside it or overlap another
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
                raise RuleError("start_date", _l(
                    "%(name)s starts outside this period; change that member first.",
                    name=member.employee.full_name))
            if member.end_date and end and member.end_date > end:
                raise RuleError("end_date", _l(
                    "%(name)s ends after this period; change that member first.",
                    name=member.employee.full_name))
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

    :raise RuleError: outside the period, already detached on one of the days, or an approved month.
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

    :raise RuleError: outside the period, overlapping another detachment, or an approved month.
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

    :raise RuleError: when the member's period touches an approved month.
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


def detached_employee_ids_on(day: date) -> set[int]:
    """Employees detached on a day (detached_days gives them for a range of days)."""
    query = (DetachmentMember.select(DetachmentMember.employee)
             .join(Detachment)
             .where(running_between(day, day))
             .tuples())
    return {employee_id for (employee_id,) in query}


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


# -- rates ----------------------------------------------------------------------------------

def check_amount(amount: Decimal | None) -> Decimal:
    """:raise RuleError: for a missing, zero or negative amount."""
    if amount is not None and (not amount.is_finite() or amount >= Decimal("100000000")):
        raise RuleError("amount", _l("The rate is too large."))
    if amount is None or amount.quantize(CENT, ROUND_HALF_UP) <= 0:
        raise RuleError("amount", _l("The rate must be more than zero."))
    return amount.quantize(CENT, ROUND_HALF_UP)


def add_rate(detachment: Detachment, *, price_form: str, amount: Decimal, valid_from: date,
             valid_to: date | None, user=None) -> Rate:
    """Add a rate from the first of a month; an open rate before it ends the day before.

    A rate changes on 1 January, so rates run in whole months: one rate per month, always.

    :raise RuleError: for a zero or negative amount, a rate not starting on the first of a
        month or ending before the last, an overlap with another rate, or an approved month.
    """
    if price_form not in PRICE_FORMS:
        raise RuleError("price_form", _l("Choose how the work is priced."))
    amount = check_amount(amount)
    if valid_from.day != 1:
        raise RuleError("valid_from", _l("A rate starts on the first day of a month."))
    if valid_to is not None:
        if valid_to < valid_from:
            raise RuleError("valid_to", _l("The end date is before the start date."))
        if valid_to != month_end(valid_to):
            raise RuleError("valid_to", _l("A rate ends on the last day of a month."))
    with write_transaction():
        check_unlocked(detachment.id, valid_from, valid_to, "valid_from")
        closing = None
        for other in Rate.select().where(Rate.detachment == detachment.id):
            other_end = other.valid_to
            if other_end is None and other.valid_from < valid_from:
                closing, other_end = other, valid_from - timedelta(days=1)
            if overlaps(valid_from, valid_to, other.valid_from, other_end):
                raise RuleError("valid_from", _l("This period overlaps the rate from %(start)s.",
                                                 start=f"{other.valid_from:%d-%m-%Y}"))
        if closing is not None:
            closing.valid_to = valid_from - timedelta(days=1)
            closing.save()
        rate = Rate.create(detachment=detachment, price_form=price_form, amount=amount,
                           valid_from=valid_from, valid_to=valid_to, created_by=user)
        audit.record("detachment.rate_add", rate, user=user,
                     after={"detachment": detachment.id, "form": price_form, "amount": amount,
                            "from": valid_from, "to": valid_to})
    return rate


def update_rate(rate: Rate, *, price_form: str, amount: Decimal, user=None) -> None:
    """Correct a rate's price form or amount (its period stays).

    :raise RuleError: for a zero or negative amount, or when one of its months is approved.
    """
    if price_form not in PRICE_FORMS:
        raise RuleError("price_form", _l("Choose how the work is priced."))
    amount = check_amount(amount)
    with write_transaction():
        check_unlocked(rate.detachment_id, rate.valid_from, rate.valid_to, "amount")
        before = {"form": rate.price_form, "amount": rate.amount}
        rate.price_form, rate.amount = price_form, amount
        rate.save(only=[Rate.price_form, Rate.amount])
        audit.record("detachment.rate_update", rate, user=user, before=before,
                     after={"form": price_form, "amount": amount})


def rate_for_month(rates, month: date) -> Rate | None:
    """The rate in force in a month (rates run in whole months, so there is at most one)."""
    for rate in rates:
        if rate.valid_from <= month and (rate.valid_to is None or rate.valid_to >= month):
            return rate
    return None


# -- jobcoach hours -------------------------------------------------------------------------

def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def save_week(detachment: Detachment, employee: Employee, monday: date, hours: list[Decimal],
              user=None) -> HoursEntry:
    """Store a week of hours for an individual without a tablet (upsert per week).

    :raise RuleError: for hours outside 0..24, hours on a day the person is not detached, or a
        change in an approved month.
    """
    if detachment.kind != INDIVIDUAL:
        raise RuleError("employee", _l("Hours per week are entered for individual detachments."))
    monday = week_start(monday)
    members = list(DetachmentMember.select().where(
        (DetachmentMember.detachment == detachment.id)
        & (DetachmentMember.employee == employee.id)))
    if not members:
        raise RuleError("employee", _l("This employee is not in the detachment."))
    for offset, value in enumerate(hours):
        field = WEEKDAY_FIELDS[offset]
        if value is None:
            continue
        if value < 0 or value > MAX_DAY_HOURS:
            raise RuleError(field, _l("Enter between 0 and 24 hours."))
        day = monday + timedelta(days=offset)
        if value > 0 and not any(
                m.start_date <= day <= (effective_end(m.end_date, detachment.end_date) or day)
                for m in members):
            raise RuleError(field, _l("%(name)s is not detached on this day.",
                                      name=employee.full_name))
    values = {f: (v or Decimal(0)).quantize(CENT, ROUND_HALF_UP)
              for f, v in zip(WEEKDAY_FIELDS, hours)}
    with write_transaction():
        entry = HoursEntry.get_or_none(detachment=detachment.id, employee=employee.id,
                                       week_start=monday)
        before = {f: getattr(entry, f) for f in WEEKDAY_FIELDS} if entry else None
        for offset, field in enumerate(WEEKDAY_FIELDS):
            old = before[field] if before else Decimal(0)
            if Decimal(old) != values[field]:
                day = monday + timedelta(days=offset)
                check_unlocked(detachment.id, day, day, field)
        if entry is None:
            entry = HoursEntry(detachment=detachment, employee=employee, week_start=monday)
        for field, value in values.items():
            setattr(entry, field, value)
        entry.entered_by, entry.entered_at = user, utcnow()
        entry.save()
        audit.record("detachment.hours", entry, user=user, before=before, after=values)
    return entry


# -- the statement --------------------------------------------------------------------------

def _hours(seconds: float) -> Decimal:
    return (Decimal(int(round(seconds))) / Decimal(3600)).quantize(CENT, ROUND_HALF_UP)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def compute_statements(detachments, month: date) -> dict[int, dict]:
    """The statement content of each detachment for a month, in five queries for them all.

    Hours per person and day come from the current (not superseded), closed attendance
    segments at the detachment's location on days the person is a member; a jobcoach's
    weekly hours fill the days without such attendance. Days without worked time make no line.
    """
    detachments = list(detachments)
    if not detachments:
        return {}
    first, last = month, month_end(month)
    by_id = {d.id: d for d in detachments}
    members = list(DetachmentMember.select(DetachmentMember, Employee)
                   .join(Employee)
                   .where(DetachmentMember.detachment.in_(list(by_id))
                          & (DetachmentMember.start_date <= last)
                          & (DetachmentMember.end_date.is_null()
                             | (DetachmentMember.end_date >= first)))
                   .order_by(Employee.last_name, Employee.first_name, Employee.id,
                             DetachmentMember.start_date))
    rates = defaultdict(list)
    for rate in Rate.select().where(Rate.detachment.in_(list(by_id))
                                    & (Rate.valid_from <= first)
                                    & (Rate.valid_to.is_null() | (Rate.valid_to >= first))):
        rates[rate.detachment_id].append(rate)
    employee_ids = sorted({m.employee_id for m in members})
    location_ids = {d.location_id for d in detachments}
    worked = defaultdict(float)  # (employee, location, day) -> seconds
    if employee_ids:
        segments = (AttendanceSegment
                    .select(AttendanceSegment.employee, AttendanceSegment.location,
                            AttendanceSegment.day, AttendanceSegment.check_in,
                            AttendanceSegment.check_out, AttendanceSegment.superseded_by)
                    # Place and supersession are checked below, not in SQL: so that SQLite
                    # (without ANALYZE statistics) takes the (employee, day) index rather than
                    # the location's or the superseded_by column's, which span every year.
                    .where(AttendanceSegment.employee.in_(employee_ids)
                           & (AttendanceSegment.day >= first) & (AttendanceSegment.day <= last)
                           & AttendanceSegment.check_out.is_null(False))
                    .tuples())
        for employee_id, location_id, day, check_in, check_out, superseded_by in segments:
            if location_id not in location_ids or superseded_by is not None:
                continue
            seconds = (check_out - check_in).total_seconds()
            if seconds > 0:
                worked[(employee_id, location_id, day)] += seconds
    entered = {}  # (detachment, employee, day) -> hours
    for entry in HoursEntry.select().where(
            HoursEntry.detachment.in_(list(by_id))
            & (HoursEntry.week_start >= first - timedelta(days=6))
            & (HoursEntry.week_start <= last)):
        for offset in range(7):
            day = entry.week_start + timedelta(days=offset)
            value = Decimal(entry.hours_on(offset)).quantize(CENT, ROUND_HALF_UP)
            if first <= day <= last and value > 0:
                entered[(entry.detachment_id, entry.employee_id, day)] = value

    per_detachment = defaultdict(dict)  # detachment -> employee -> person dict
    for member in members:
        detachment = by_id[member.detachment_id]
        start = max(member.start_date, detachment.start_date, first)
        end = min(d for d in (effective_end(member.end_date, detachment.end_date), last) if d)
        if end < start:
            continue
        person = per_detachment[detachment.id].setdefault(member.employee_id, {
            "employee_id": member.employee_id,
            "employee_number": member.employee.employee_number,
            "name": member.employee.full_name,
            "lines": [], "member_days": 0,
        })
        person["member_days"] += (end - start).days + 1
        day = start
        while day <= end:
            seconds = worked.get((member.employee_id, detachment.location_id, day))
            if seconds:
                hours, source = _hours(seconds), "attendance"
            else:
                hours = entered.get((detachment.id, member.employee_id, day))
                source = "jobcoach"
            if hours and hours > 0:
                person["lines"].append({"key": f"{member.employee_id}:{day.isoformat()}",
                                        "day": day.isoformat(), "hours": hours,
                                        "source": source})
            day += timedelta(days=1)
    return {d.id: _price(d, month, list(per_detachment[d.id].values()),
                         rate_for_month(rates[d.id], month))
            for d in detachments}


def _price(detachment: Detachment, month: date, people: list[dict], rate: Rate | None) -> dict:
    """Totals and amounts of one detachment's month at the month's rate."""
    days_in_month = month_end(month).day
    amount_each = Decimal(rate.amount) if rate else None
    form = rate.price_form if rate else None
    total_hours, total_days, total_amount = Decimal(0), 0, Decimal(0)
    for person in people:
        hours = sum((line["hours"] for line in person["lines"]), Decimal(0))
        days = len(person["lines"])
        if form == PER_HOUR:
            quantity = hours
        elif form == PER_PERSON_DAY:
            quantity = Decimal(days)
        elif form == PER_PERSON_MONTH:
            # A month's price, pro rata for a part of the month; a month without work is not billed.
            share = Decimal(person["member_days"]) / days_in_month
            quantity = share.quantize(CENT, ROUND_HALF_UP) if days else Decimal(0)
        else:
            quantity = None
        amount = _money(quantity * amount_each) if quantity is not None and rate else None
        person.update(hours=hours, person_days=days, quantity=quantity, amount=amount)
        total_hours += hours
        total_days += days
        total_amount += amount or 0
    if form == FIXED_RESULT:
        total_amount = _money(amount_each) if any(p["person_days"] for p in people) else Decimal(0)
    content = {
        "detachment_id": detachment.id,
        "name": detachment.name,
        "kind": detachment.kind,
        "month": month_key(month),
        "price_form": form,
        "rate": amount_each,
        "people": people,
        "hours": total_hours,
        "person_days": total_days,
        "amount": _money(total_amount) if rate else None,
    }
    return _plain(content)


def _plain(value):
    """Decimals as strings, so the content survives JSON exactly."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "member_days"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def line_keys(content: dict) -> set[str]:
    return {line["key"] for person in content["people"] for line in person["lines"]}


def current_content(detachment: Detachment, month: date) -> tuple[Statement | None, dict, bool]:
    """The newest version and what it shows: frozen once sent, live while a draft or absent.

    Returns (statement or None, content, is_live).
    """
    statement = latest_statements([detachment.id], [month]).get((detachment.id, month))
    if statement is not None and statement.status != DRAFT:
        return statement, statement.content, False
    return statement, compute_statements([detachment], month)[detachment.id], True


def client_month(client: Client, month: date) -> list[tuple[Detachment, Statement | None, dict]]:
    """Every detachment of a client that runs in a month, with its newest version and content.

    An inactive detachment still shows a month it has a sent statement for: what the client
    saw stays readable.
    """
    first, last = month, month_end(month)
    candidates = list(Detachment.select().where(
        (Detachment.client == client.id)
        & (Detachment.start_date <= last)
        & (Detachment.end_date.is_null() | (Detachment.end_date >= first)))
        .order_by(Detachment.name, Detachment.id))
    latest = latest_statements([d.id for d in candidates], [month])
    detachments = [d for d in candidates if d.is_active or (
        (d.id, month) in latest and latest[(d.id, month)].status != DRAFT)]
    live_needed = [d for d in detachments
                   if latest.get((d.id, month)) is None or latest[(d.id, month)].status == DRAFT]
    live = compute_statements(live_needed, month)
    result = []
    for detachment in detachments:
        statement = latest.get((detachment.id, month))
        content = live[detachment.id] if detachment.id in live else statement.content
        result.append((detachment, statement, content))
    return result


def freeze(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_link(statement: Statement, user, now: datetime, days: int) -> tuple[StatementLink, str]:
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    link = StatementLink.create(statement=statement, token_hash=hash_token(raw), created_by=user,
                                created_at=now, expires_at=now + timedelta(days=days))
    return link, raw


def _revoke_links(statement_ids, now: datetime) -> None:
    if statement_ids:
        (StatementLink.update(revoked_at=now)
         .where(StatementLink.statement.in_(list(statement_ids))
                & StatementLink.revoked_at.is_null())
         .execute())


def send_statement(detachment: Detachment, month: date, user=None, *, now=None,
                   days: int = LINK_DAYS) -> tuple[Statement, str]:
    """Freeze the month's statement as a new version (or the open draft) and make its link.

    Earlier versions keep their content; their links stop working. Returns the statement and
    the raw token, which is shown once and never stored.

    :raise RuleError: when the month is approved (a correction must come first).
    """
    now = now or utcnow()
    if not overlaps(month, month_end(month), detachment.start_date, detachment.end_date):
        raise RuleError("month", _l("The detachment does not run in %(month)s.",
                                    month=month_key(month)))
    with write_transaction():
        versions = list(Statement.select().where((Statement.detachment == detachment.id)
                                                 & (Statement.month == month))
                        .order_by(Statement.version))
        latest = versions[-1] if versions else None
        if latest is not None and latest.status == APPROVED:
            raise RuleError("month", _l(
                "%(month)s is approved by the client. Start a correction with a reason first.",
                month=month_key(month)))
        content = compute_statements([detachment], month)[detachment.id]
        if latest is not None and latest.status == DRAFT:
            statement = latest
        else:
            statement = Statement(detachment=detachment, month=month,
                                  version=(latest.version + 1) if latest else 1, created_by=user,
                                  created_at=now)
        statement.status, statement.frozen, statement.sent_at = SENT, freeze(content), now
        statement.save()
        _revoke_links([v.id for v in versions], now)
        link, raw = _new_link(statement, user, now, days)
        audit.record("statement.send", statement, user=user,
                     after={"detachment": detachment.id, "month": month_key(month),
                            "version": statement.version, "amount": content["amount"]})
    return statement, raw


def renew_link(statement: Statement, user=None, *, now=None, days: int = LINK_DAYS
               ) -> tuple[StatementLink, str]:
    """A fresh link for a sent statement; its earlier links stop working.

    :raise RuleError: when the statement is not the newest version or no longer waits.
    """
    now = now or utcnow()
    with write_transaction():
        _require_newest(statement)
        if statement.status not in (SENT, DISPUTED):
            raise RuleError("link", _l("Only a sent statement gets a new link."))
        _revoke_links([statement.id], now)
        link, raw = _new_link(statement, user, now, days)
        audit.record("statement.link", statement, user=user, after={"link": link.id})
    return link, raw


def revoke_link(link: StatementLink, user=None, *, now=None) -> None:
    """Stop a link from working."""
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
        link.save(only=[StatementLink.revoked_at])
        audit.record("statement.link_revoke", link, user=user,
                     after={"statement": link.statement_id})


def _require_newest(statement: Statement) -> None:
    newest = (Statement.select(Statement.id)
              .where((Statement.detachment == statement.detachment_id)
                     & (Statement.month == statement.month))
              .order_by(Statement.version.desc()).first())
    if newest is None or newest.id != statement.id:
        raise RuleError("statement", _l("A newer version of this statement exists."))


def start_correction(detachment: Detachment, month: date, reason: str, user=None) -> Statement:
    """Open an approved month again as a new draft version, with the reason for the change.

    :raise RuleError: without a reason, or when the month is not approved.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RuleError("reason", _l("Give the reason for the correction."))
    with write_transaction():
        latest = latest_statements([detachment.id], [month]).get((detachment.id, month))
        if latest is None or latest.status != APPROVED:
            raise RuleError("reason", _l("Only an approved month needs a correction."))
        statement = Statement.create(detachment=detachment, month=month,
                                     version=latest.version + 1, status=DRAFT,
                                     correction_reason=reason[:MAX_COMMENT], created_by=user)
        audit.record("statement.correction", statement, user=user, reason=reason,
                     after={"detachment": detachment.id, "month": month_key(month),
                            "version": statement.version})
    return statement


# -- the client's link ------------------------------------------------------------------------

INVALID, REVOKED, EXPIRED = "invalid", "revoked", "expired"


def resolve_link(raw: str | None, *, now=None) -> tuple[StatementLink | None, str | None]:
    """The link a raw token opens, or the reason it does not: invalid, revoked or expired."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None, INVALID
    link = (StatementLink.select(StatementLink, Statement)
            .join(Statement)
            .where(StatementLink.token_hash == hash_token(raw)).first())
    if link is None:
        return None, INVALID
    if link.revoked_at is not None:
        return None, REVOKED
    if link.expires_at <= (now or utcnow()):
        return None, EXPIRED
    return link, None


def link_form_token(secret_key: str, link: StatementLink) -> str:
    """The CSRF token of a link's forms: tied to the link, kept in no session."""
    message = f"statement-link-form:{link.token_hash}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def check_link_form_token(secret_key: str, link: StatementLink, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(link_form_token(secret_key, link), given)


def approve(statement: Statement, *, now=None) -> None:
    """The client approves: the month is locked for this detachment.

    :raise RuleError: when the statement is not the newest or no longer waits for an answer.
    """
    now = now or utcnow()
    with write_transaction():
        statement = Statement.get_by_id(statement.id)
        _require_newest(statement)
        if statement.status != SENT:
            raise RuleError("statement", _l("This statement no longer waits for approval."))
        statement.status, statement.decided_at = APPROVED, now
        statement.save(only=[Statement.status, Statement.decided_at])
        audit.record("statement.approve", statement, after={"version": statement.version})


def dispute(statement: Statement, line_key: str, comment: str, *, now=None) -> StatementDispute:
    """The client disputes one line, with a comment.

    :raise RuleError: without a comment, for a line not on the statement, or when it was
        already approved or replaced.
    """
    comment = (comment or "").strip()
    if not comment:
        raise RuleError("comment", _l("Say what is wrong with this line."))
    if len(comment) > MAX_COMMENT:
        raise RuleError("comment", _l("Keep the comment under %(n)d characters.", n=MAX_COMMENT))
    now = now or utcnow()
    with write_transaction():
        statement = Statement.get_by_id(statement.id)
        _require_newest(statement)
        if statement.status not in (SENT, DISPUTED):
            raise RuleError("statement", _l("This statement can no longer be disputed."))
        if line_key not in line_keys(statement.content):
            raise RuleError("line_key", _l("Choose a line of this statement."))
        made = StatementDispute.create(statement=statement, line_key=line_key, comment=comment,
                                       at=now)
        statement.status, statement.decided_at = DISPUTED, now
        statement.save(only=[Statement.status, Statement.decided_at])
        audit.record("statement.dispute", statement, after={"line": line_key}, reason=comment)
    return made


# -- the overview ---------------------------------------------------------------------------

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
