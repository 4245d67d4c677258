"""Detachment periods and months, and the refusal every detachment rule raises."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.detachments.models import Detachment, DetachmentMember
from portal.people.models import Employee
from portal.refusal import Refused

CENT = Decimal("0.01")
MAX_COMMENT = 2000


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
    """:raise Refused: when the end lies before the start."""
    if end is not None and end < start:
        raise Refused(_l("The end date is before the start date."), "end_date")


def check_member_inside(detachment: Detachment, start: date, end: date | None) -> None:
    """:raise Refused: when a member's period is not inside the detachment's."""
    check_period(start, end)
    if start < detachment.start_date or (detachment.end_date and start > detachment.end_date):
        raise Refused(_l(
            "The start date lies outside the detachment's period (%(period)s).",
            period=period_text(detachment.start_date, detachment.end_date)), "start_date")
    if end is not None and detachment.end_date is not None and end > detachment.end_date:
        raise Refused(_l(
            "The end date lies outside the detachment's period (%(period)s).",
            period=period_text(detachment.start_date, detachment.end_date)), "end_date")


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


def _overlap_error(field: str, employee: Employee, other: DetachmentMember) -> Refused:
    return Refused(_l(
        "%(name)s is already detached on those days (%(detachment)s, %(period)s).",
        name=employee.full_name, detachment=other.detachment.name,
        period=period_text(other.start_date,
                           effective_end(other.end_date, other.detachment.end_date))), field)
