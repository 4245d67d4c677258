"""The detachments' amounts per client and month, by the detachments area's own rules.

Which amount a month shows depends on where its statement stands, so that nothing is presented
as billed that is not:

- a detachment-month whose newest statement version was sent (sent, approved or disputed)
  counts with the amount frozen in that version: what the client was billed;
- a month without a statement, or whose newest version is a draft (never sent, or a
  correction being made), counts with what `statements.compute_statements` would bill now:
  to be billed, and in the running month only the days registered so far (a price per
  person-month counts its share of the month once someone worked a day, as the statement will).

A detachment without a rate in force bills no amount; its month counts € 0 and is counted as
unpriced, so the page can say so. Queries: one for the detachments, one for the newest
statement versions with their frozen amounts (read by the database from the JSON, so the
frozen lines never travel), and `compute_statements`' five for each month that has a
detachment without a sent statement: at most 2 + 5 x 12 for a year, in practice the running
month and the last one.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from portal import db
from portal.detachments.models import APPROVED, DISPUTED, DRAFT, SENT, Detachment
from portal.detachments.periods import CENT, month_end
from portal.detachments.statements import compute_statements
from portal.people.models import Client
from portal.reports import sql
from portal.timeutil import as_date

NOT_SENT = "not_sent"
# The states a month's amount can be in, as the figure lists them.
STATES = (APPROVED, SENT, DISPUTED, NOT_SENT)
BILLED_STATES = (APPROVED, SENT, DISPUTED)


@dataclass
class ClientMonth:
    """One client's detachment amounts of a month, per state (see STATES)."""

    client_id: int
    name: str
    month: date
    by_state: dict = field(default_factory=lambda: {state: Decimal(0) for state in STATES})
    unpriced: int = 0  # detachment-months with hours or a sent statement but no amount

    @property
    def billed(self) -> Decimal:
        """On statements sent to the client (whatever he answered)."""
        return sum((self.by_state[s] for s in BILLED_STATES), Decimal(0))

    @property
    def to_bill(self) -> Decimal:
        """What the current rules would bill for the detachments without a sent statement."""
        return self.by_state[NOT_SENT]

    @property
    def total(self) -> Decimal:
        return self.billed + self.to_bill


def _frozen_amount() -> str:
    """The frozen content's "amount" (a decimal written as text, or null), read in SQL."""
    if db.is_sqlite():
        return "json_extract(st.frozen, '$.amount')"
    return "(CAST(st.frozen AS json) ->> 'amount')"


def newest_statements(detachment_ids: list, first: date, last: date) -> dict:
    """{(detachment id, month): (state, frozen amount or None)} of the newest versions."""
    if not detachment_ids:
        return {}
    p = sql.param()
    marks = ", ".join(p for _ in detachment_ids)
    statement = f"""SELECT st.detachment_id, st.month, st.status, {_frozen_amount()}
FROM statement st
WHERE st.month >= {p} AND st.month <= {p} AND st.detachment_id IN ({marks})
  AND NOT EXISTS (SELECT 1 FROM statement newer WHERE newer.detachment_id = st.detachment_id
                  AND newer.month = st.month AND newer.version > st.version)"""
    found = {}
    for detachment_id, month, status, amount in sql.rows(statement,
                                                         [first, last, *detachment_ids]):
        found[(detachment_id, as_date(month))] = (status, _decimal(amount))
    return found


def client_months(months: list[date]) -> list[ClientMonth]:
    """The amounts per client and month for the given months (first days), sorted by client
    name and month; a client appears in a month one of his detachments runs in."""
    if not months:
        return []
    months = sorted(months)
    first, last = months[0], month_end(months[-1])
    detachments = list(Detachment.select(Detachment, Client)
                       .join(Client)
                       .where((Detachment.start_date <= last)
                              & (Detachment.end_date.is_null() | (Detachment.end_date >= first))))
    newest = newest_statements([d.id for d in detachments], first, last)
    found: dict = {}
    for month in months:
        running = [d for d in detachments if d.start_date <= month_end(month)
                   and (d.end_date is None or d.end_date >= month)]
        # As the statements page: an inactive detachment only keeps what was sent.
        live = compute_statements(
            [d for d in running if d.is_active
             and newest.get((d.id, month), (DRAFT, None))[0] == DRAFT], month)
        for detachment in running:
            state, amount = newest.get((detachment.id, month), (DRAFT, None))
            if state == DRAFT:
                if detachment.id not in live:
                    continue
                content = live[detachment.id]
                state, amount = NOT_SENT, _decimal(content["amount"])
                unpriced = amount is None and Decimal(content["hours"]) > 0
            else:
                unpriced = amount is None
            entry = found.get((detachment.client_id, month))
            if entry is None:
                entry = found[(detachment.client_id, month)] = ClientMonth(
                    detachment.client_id, detachment.client.name, month)
            entry.by_state[state] += amount or Decimal(0)
            if unpriced:
                entry.unpriced += 1
    return sorted(found.values(), key=lambda e: (e.name.lower(), e.client_id, e.month))


def _decimal(value) -> Decimal | None:
    """An amount as the statements write it (text, to the cent), or None for none."""
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP) if value is not None else None


def per_month(entries: list[ClientMonth]) -> dict[date, dict]:
    """{month: {state: amount}} over all clients."""
    totals = defaultdict(lambda: {state: Decimal(0) for state in STATES})
    for entry in entries:
        for state, amount in entry.by_state.items():
            totals[entry.month][state] += amount
    return dict(totals)
