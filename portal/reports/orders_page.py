"""Orders (Orders en productie): hours planned against produced, units made, and the share of
orders delivered on or before their due date, per client or per product group.

Produced hours are the good units made over the order's norm (units per hour): the hours the
work took at the agreed pace. An order counts as delivered in the period in which it was
first marked ready (gereed); on time when that day is on or before its due date. An order
without a product group (taken in before there were any) counts in one row of its own,
"without product group". Three statements.
"""

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import charts
from portal.auth.models import ADMIN, PLANNER
from portal.reports import sql
from portal.reports.absence import percent
from portal.reports.pages import COUNT, HOURS, PERCENT, Column, FigurePage, Table

SLUG = "orders"
TITLE = _l("Orders and production")
READERS = (ADMIN, PLANNER)
FILTERS = ("workfloor",)
KEYS = {"client": ("c.id", "c.name"),
        "product_group": ("COALESCE(o.product_group_id, 0)", "COALESCE(pg.name, '')")}
# The key of the orders without a product group (no product group has id 0).
WITHOUT = 0
TWO = Decimal("0.01")


def groupings() -> list:
    return [("client", _l("Per client")), ("product_group", _l("Per product group"))]


def figures(period, grouping, filters) -> dict:
    """{key: [name, planned hours, produced hours, good units, delivered, on time]}."""
    key, name = KEYS[grouping]
    p = sql.param()
    where, values = "", []
    if filters.workfloor is not None:
        where, values = f" AND o.workfloor_id = {p}", [filters.workfloor]
    first, last = period.start, period.counted_end
    joins = "JOIN client c ON c.id = o.client_id"
    if grouping == "product_group":
        joins += " LEFT JOIN product_group pg ON pg.id = o.product_group_id"
    found: dict = {}

    def entry(k, n):
        return found.setdefault(k, [n, Decimal(0), Decimal(0), 0, 0, 0])

    planned = f"""SELECT {key}, {name}, SUM(a.hours) FROM assignment a
JOIN "order" o ON o.id = a.order_id {joins}
WHERE a.day >= {p} AND a.day <= {p}{where} GROUP BY {key}, {name}"""
    for k, n, hours in sql.rows(planned, [first, last, *values]):
        entry(k, n)[1] = Decimal(str(hours or 0)).quantize(TWO)
    made = f"""SELECT {key}, {name}, SUM((pr.quantity - pr.rejects) * 1.0 / o.norm_per_hour),
       SUM(pr.quantity - pr.rejects) FROM production pr
JOIN "order" o ON o.id = pr.order_id {joins}
WHERE pr.day >= {p} AND pr.day <= {p}{where} GROUP BY {key}, {name}"""
    for k, n, hours, units in sql.rows(made, [first, last, *values]):
        row = entry(k, n)
        row[2] = Decimal(str(hours or 0)).quantize(TWO)
        row[3] = int(units or 0)
    ready = _ready_day()
    delivered = f"""SELECT {key}, {name}, COUNT(*),
       SUM(CASE WHEN r.ready_day <= o.due_date THEN 1 ELSE 0 END)
FROM (SELECT sc.order_id, MIN({ready}) AS ready_day FROM order_status_change sc
      WHERE sc.to_status = 'gereed' GROUP BY sc.order_id) r
JOIN "order" o ON o.id = r.order_id {joins}
WHERE r.ready_day >= {p} AND r.ready_day <= {p}{where} GROUP BY {key}, {name}"""
    for k, n, count, on_time in sql.rows(delivered, [first, last, *values]):
        row = entry(k, n)
        row[4], row[5] = int(count), int(on_time or 0)
    return found


def _ready_day() -> str:
    """The day of a status change (stored in UTC) as the date of the moment plus one hour:
    Amsterdam's day in winter; in summer only a change between midnight and one at night
    lands on the day before, and planners do not mark orders ready then."""
    if sql.db.is_sqlite():
        return "date(sc.changed_at, '+1 hours')"
    return "CAST(sc.changed_at + INTERVAL '1 hour' AS DATE)"


def build(period, grouping, filters, user) -> FigurePage:
    found = figures(period, grouping, filters)
    if grouping == "product_group" and WITHOUT in found:
        found[WITHOUT][0] = _("Without product group")
    # Sorted by name; the orders without a product group come last.
    found = [row for _key, row in sorted(
        found.items(), key=lambda item: (item[0] == WITHOUT and grouping == "product_group",
                                         str(item[1][0]).lower()))]
    rows = [[n, planned, produced, units, delivered, on_time, percent(on_time, delivered)]
            for n, planned, produced, units, delivered, on_time in found]
    totals = [sum(r[i] for r in rows) for i in range(1, 6)]
    table = Table(
        caption=_("Orders, %(period)s", period=period.label),
        columns=[Column(_("Client") if grouping == "client" else _("Product group")),
                 Column(_("Hours planned"), HOURS), Column(_("Hours produced (at norm)"), HOURS),
                 Column(_("Units made (good)"), COUNT), Column(_("Orders delivered"), COUNT),
                 Column(_("On or before the due date"), COUNT),
                 Column(_("On time (%)"), PERCENT)],
        rows=rows, total=[_("Total"), *totals, percent(totals[4], totals[3])])
    chart = charts.Chart(
        title=_("Hours planned and produced, %(period)s", period=period.label),
        labels=[r[0] for r in rows],
        series=[charts.Series(_("Planned"), [r[1] for r in rows]),
                charts.Series(_("Produced (at norm)"), [r[2] for r in rows])],
        y_title=_("Hours"), horizontal=True)
    notes = [_("Produced hours: good units over the order's norm per hour. Delivered: the first "
               "day the order was marked ready; on time when that is on or before its due date.")]
    return FigurePage(title=str(TITLE), chart=chart, chart_kind=HOURS, tables=[table],
                      notes=notes)
