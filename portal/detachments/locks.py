"""Approved months are locked: a change that touches one needs a correction first."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from portal.detachments.models import APPROVED, Statement
from portal.detachments.periods import month_end, month_key, overlaps
from portal.refusal import Refused

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
    """:raise Refused: when [start, end] touches an approved month of the detachment."""
    for month in sorted(locked_months(detachment_id)):
        if overlaps(start, end, month, month_end(month)):
            raise Refused(_l(
                "%(month)s is approved by the client. Start a correction with a reason first.",
                month=month_key(month)), field)


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
