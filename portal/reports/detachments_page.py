"""Detachments (Detacheringen): person-days and hours per client per month, and the hours
statements by state.

Hours are what was registered at the client's site: check-ins at a client location (group and
individual detachments whose people clock there), plus the weekly hours a jobcoach enters for
an individual; a person-day is a person with hours on a day. The amounts per client and month
follow the detachments area's statement rules: what the newest sent statement version billed,
or, for a month without one, what the current rules would bill (see detachment_amounts.py,
which also says how many queries that takes). Three statements for hours and states, two plus
five per month with unsent detachments for the amounts.
"""

from datetime import timedelta
from decimal import Decimal

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import charts
from portal.auth.models import ADMIN, HR, PLANNER
from portal.reports import detachment_amounts, sql
from portal.reports.detachment_amounts import APPROVED, DISPUTED, NOT_SENT, SENT
from portal.reports.pages import COUNT, HOURS, MONEY, Column, FigurePage, Table
from portal.timeutil import as_date

SLUG = "detachments"
TITLE = _l("Detachments")
READERS = (ADMIN, PLANNER, HR)
FILTERS = ()
TWO = Decimal("0.01")
WEEKDAY_COLUMNS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def groupings() -> list:
    return []


def _minutes() -> str:
    if sql.db.is_sqlite():
        return "(julianday(s.check_out) - julianday(s.check_in)) * 1440"
    return "EXTRACT(EPOCH FROM (s.check_out - s.check_in)) / 60"


def worked(period) -> list[tuple]:
    """(month, client id, client name, person-days, hours) up to today."""
    first, last = period.start, period.counted_end
    p = sql.param()
    hours_of_day = "CASE o.n " + " ".join(
        f"WHEN {n} THEN he.{column}" for n, column in enumerate(WEEKDAY_COLUMNS)) + " END"
    statement = f"""WITH offsets(n) AS (VALUES (0), (1), (2), (3), (4), (5), (6)),
clocked AS (
  SELECT s.employee_id, s.day, loc.client_id, SUM({_minutes()}) / 60.0 AS hours
  FROM attendance_segment s JOIN location loc ON loc.id = s.location_id
  WHERE s.superseded_by_id IS NULL AND s.check_out IS NOT NULL AND loc.kind = 'client'
    AND s.day >= {p} AND s.day <= {p}
  GROUP BY s.employee_id, s.day, loc.client_id
),
entered AS (
  SELECT * FROM (
    SELECT he.employee_id, {sql.add_days("he.week_start", "o.n")} AS day, dt.client_id,
           {hours_of_day} AS hours
    FROM hours_entry he JOIN detachment dt ON dt.id = he.detachment_id CROSS JOIN offsets o
    WHERE he.week_start >= {p} AND he.week_start <= {p}
  ) w WHERE w.day >= {p} AND w.day <= {p}
),
both_ AS (SELECT * FROM clocked UNION ALL SELECT * FROM entered WHERE hours > 0)
SELECT x.month, x.id, x.name, COUNT(DISTINCT x.person_day), SUM(x.hours) FROM (
  SELECT {sql.month_of("b.day")} AS month, c.id AS id, c.name AS name,
         {_person_day()} AS person_day, b.hours AS hours
  FROM both_ b JOIN client c ON c.id = b.client_id
) x
GROUP BY x.month, x.id, x.name"""
    return sql.rows(statement, [first, last, first - timedelta(days=6), last, first, last])


def _person_day() -> str:
    """One value per person and day, to count them with COUNT(DISTINCT ...)."""
    return f"(b.employee_id * 100000 + {sql.day_number('b.day')})"


def statements(period) -> list[tuple]:
    """(month, state, count) of the newest version of each detachment's monthly statement."""
    p = sql.param()
    statement = f"""SELECT st.month, st.status, COUNT(*) FROM statement st
WHERE st.month >= {p} AND st.month <= {p}
  AND NOT EXISTS (SELECT 1 FROM statement newer WHERE newer.detachment_id = st.detachment_id
                  AND newer.month = st.month AND newer.version > st.version)
GROUP BY st.month, st.status"""
    return sql.rows(statement, [period.start, period.end])


def build(period, grouping, filters, user) -> FigurePage:
    from portal.detachments.models import STATUSES

    rows = worked(period)
    months = sorted({as_date(m) for m, *_rest in rows} | {
        m for m in period.months() if m <= period.counted_end})
    clients: dict = {}
    for month, client_id, name, days, hours in rows:
        entry = clients.setdefault(client_id, {"name": name})
        entry[as_date(month)] = (int(days), Decimal(str(hours or 0)).quantize(TWO))
    columns = [Column(_("Client"))]
    for month in months:
        label = format_date(month, "MMM y")
        columns += [Column(_("%(month)s person-days", month=label), COUNT),
                    Column(_("%(month)s hours", month=label), HOURS)]
    table_rows = []
    for entry in sorted(clients.values(), key=lambda e: e["name"].lower()):
        cells = [entry["name"]]
        for month in months:
            cells += list(entry.get(month, (0, Decimal("0.00"))))
        table_rows.append(cells)
    total = [_("Total")] + [sum(r[i] for r in table_rows) for i in range(1, len(columns))]
    by_client = Table(caption=_("Person-days and hours per client, %(period)s",
                                period=period.label),
                      columns=columns, rows=table_rows, total=total)
    found = statements(period)
    state_rows = []
    labels = {"draft": _("not sent"), "sent": _("sent"), "approved": _("approved"),
              "disputed": _("disputed")}
    for month in months:
        counts = {status: 0 for status in STATUSES}
        for m, status, count in found:
            if as_date(m) == month:
                counts[status] = int(count)
        state_rows.append([format_date(month, "MMMM y"), *[counts[s] for s in STATUSES]])
    by_state = Table(caption=_("Hours statements by state"),
                     columns=[Column(_("Month"))] + [Column(labels[s], COUNT) for s in STATUSES],
                     rows=state_rows)
    chart = charts.Chart(
        title=_("Hours at clients per month, %(period)s", period=period.label),
        labels=[format_date(m, "MMM y") for m in months],
        series=[charts.Series(entry["name"], [entry.get(m, (0, Decimal(0)))[1] for m in months])
                for entry in sorted(clients.values(), key=lambda e: e["name"].lower())][:8],
        y_title=_("Hours"), stacked=True)
    amounts = detachment_amounts.client_months(months)
    notes = [_("Hours: check-ins at client sites and the weekly hours jobcoaches enter; the "
               "chart shows the first eight clients, the table all of them."),
             _("Amounts: billed is the amount of the newest statement version sent to the "
               "client (approved, awaiting an answer or disputed); to be billed is what the "
               "statement rules would bill now for a month whose statement has not been sent, "
               "in the running month for the days registered so far.")]
    unpriced = sum(entry.unpriced for entry in amounts)
    if unpriced:
        notes.append(_("%(count)s detachment-months have hours but no rate in force: they "
                       "count as € 0.", count=unpriced))
    return FigurePage(title=str(TITLE), chart=chart, chart_kind=HOURS,
                      tables=[by_client, _amounts_by_client(amounts, period),
                              _amounts_by_state(amounts, months), by_state], notes=notes)


def _amounts_by_client(amounts: list, period) -> Table:
    """Per client and month: billed, to be billed and both."""
    rows = [[entry.name, format_date(entry.month, "MMMM y"), entry.billed, entry.to_bill,
             entry.total] for entry in amounts]
    total = [_("Total"), "", *[sum((r[i] for r in rows), Decimal(0)) for i in (2, 3, 4)]]
    return Table(caption=_("Amounts per client and month, %(period)s", period=period.label),
                 columns=[Column(_("Client")), Column(_("Month")),
                          Column(_("Billed (sent statements)"), MONEY),
                          Column(_("To be billed (current rules)"), MONEY),
                          Column(_("Amount"), MONEY)],
                 rows=rows, total=total)


def _amounts_by_state(amounts: list, months: list) -> Table:
    """Per month: the amounts by where their statement stands, and their sum."""
    found = detachment_amounts.per_month(amounts)
    states = (APPROVED, SENT, DISPUTED, NOT_SENT)
    rows = []
    for month in months:
        by_state = found.get(month) or {state: Decimal(0) for state in states}
        values = [by_state[state] for state in states]
        rows.append([format_date(month, "MMMM y"), *values, sum(values, Decimal(0))])
    total = [_("Total"), *[sum((r[i] for r in rows), Decimal(0)) for i in range(1, 6)]]
    return Table(caption=_("Amounts per month by statement state"),
                 columns=[Column(_("Month")), Column(_("Approved"), MONEY),
                          Column(_("Sent, no answer yet"), MONEY),
                          Column(_("Disputed"), MONEY),
                          Column(_("Not sent yet (current rules)"), MONEY),
                          Column(_("Amount"), MONEY)],
                 rows=rows, total=total)
