"""The weekly hours a jobcoach enters for an individual when the client has no tablet."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.db import write_transaction
from portal.detachments.locks import check_unlocked
from portal.detachments.models import (INDIVIDUAL, WEEKDAY_FIELDS, Detachment, DetachmentMember,
                                       HoursEntry)
from portal.detachments.periods import CENT, effective_end
from portal.people.models import Employee
from portal.refusal import Refused
from portal.timeutil import utcnow

MAX_DAY_HOURS = Decimal("24")


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def save_week(detachment: Detachment, employee: Employee, monday: date, hours: list[Decimal],
              user=None) -> HoursEntry:
    """Store a week of hours for an individual without a tablet (upsert per week).

    :raise Refused: for hours outside 0..24, hours on a day the person is not detached, or a
        change in an approved month.
    """
    if detachment.kind != INDIVIDUAL:
        raise Refused(_l("Hours per week are entered for individual detachments."), "employee")
    monday = week_start(monday)
    members = list(DetachmentMember.select().where(
        (DetachmentMember.detachment == detachment.id)
        & (DetachmentMember.employee == employee.id)))
    if not members:
        raise Refused(_l("This employee is not in the detachment."), "employee")
    for offset, value in enumerate(hours):
        field = WEEKDAY_FIELDS[offset]
        if value is None:
            continue
        if value < 0 or value > MAX_DAY_HOURS:
            raise Refused(_l("Enter between 0 and 24 hours."), field)
        day = monday + timedelta(days=offset)
        if value > 0 and not any(
                m.start_date <= day <= (effective_end(m.end_date, detachment.end_date) or day)
                for m in members):
            raise Refused(_l("%(name)s is not detached on this day.",
                                      name=employee.full_name), field)
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
