"""Headcount (Bezetting in personen): who came and left per month by employment type and
municipality, and the beschut-werk places against what each municipality agreed on.

Counted from the contract dates (start and end date), in two statements: the months, and the
beschut-werk places at the end of the period.
"""

from datetime import timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import charts
from portal.auth.models import ADMIN, HR, PLANNER
from portal.people.labels import employment_label
from portal.reports import rules, sql
from portal.reports.pages import COUNT, Column, FigurePage, Table
from portal.suppression import suppress

SLUG = "headcount"
TITLE = _l("Headcount")
READERS = (ADMIN, HR, PLANNER)
FILTERS = ("municipality", "employment")
KEYS = {"employment": ("e.employment", "e.employment"),
        "municipality": ("mu.id", "mu.name")}


def groupings() -> list:
    return [("employment", _l("Per employment type")), ("municipality", _l("Per municipality"))]


def _where(filters) -> tuple[str, list]:
    parts, values = [], []
    for column, value in (("e.municipality_id", filters.municipality),
                          ("e.employment", filters.employment)):
        if value is not None:
            parts.append(f" AND {column} = {sql.param()}")
            values.append(value)
    return "".join(parts), values


def movements(period, grouping: str, filters) -> list[tuple]:
    """(month, key, name, came, left, at month end) for every month up to today."""
    key, name = KEYS[grouping]
    where, values = _where(filters)
    months = []
    for month in period.months():
        if month > period.counted_end:
            break
        following = (month + timedelta(days=32)).replace(day=1)
        last = min(following - timedelta(days=1), period.counted_end)
        months.append(f"({sql.day_literal(month)}, {sql.day_literal(last)})")
    if not months:
        return []
    statement = f"""WITH months(month, last_day) AS (VALUES {', '.join(months)})
SELECT x.month, x.k, x.n, SUM(x.came), SUM(x.went), SUM(x.stays) FROM (
  SELECT m.month AS month, {key} AS k, {name} AS n,
         CASE WHEN e.start_date >= m.month AND e.start_date <= m.last_day THEN 1 ELSE 0 END AS came,
         CASE WHEN e.end_date >= m.month AND e.end_date <= m.last_day THEN 1 ELSE 0 END AS went,
         CASE WHEN e.start_date <= m.last_day AND (e.end_date IS NULL OR e.end_date > m.last_day)
              THEN 1 ELSE 0 END AS stays
  FROM employee e
  JOIN months m ON e.start_date <= m.last_day AND (e.end_date IS NULL OR e.end_date >= m.month)
  JOIN municipality mu ON mu.id = e.municipality_id
  WHERE 1 = 1{where}
) x
GROUP BY x.month, x.k, x.n"""
    return sql.rows(statement, values)


def beschut_places(period, filters) -> list[tuple]:
    """(municipality id, name, people in beschut werk at the end of the period)."""
    where, values = _where(filters)
    p = sql.param()
    statement = f"""SELECT mu.id, mu.name, COUNT(e.id)
FROM municipality mu
LEFT JOIN employee e ON e.municipality_id = mu.id AND e.employment = 'beschut'
     AND e.start_date <= {p} AND (e.end_date IS NULL OR e.end_date >= {p}){where}
GROUP BY mu.id, mu.name ORDER BY mu.name"""
    return sql.rows(statement, [period.counted_end, period.counted_end, *values])


def build(period, grouping, filters, user) -> FigurePage:
    rows = movements(period, grouping, filters)
    guarded = grouping == "municipality"
    by_month, by_key = {}, {}
    last_month = max((sql_month(r[0]) for r in rows), default=None)
    for month, key, name, came, went, stays in rows:
        month = sql_month(month)
        total = by_month.setdefault(month, [0, 0, 0])
        total[0], total[1], total[2] = total[0] + came, total[1] + went, total[2] + stays
        label = employment_label(name) if grouping == "employment" else name
        entry = by_key.setdefault(key, [label, 0, 0, 0])
        entry[1] += came
        entry[2] += went
        if month == last_month:
            entry[3] = stays

    def guard(values: list) -> list:
        if not guarded:
            return values
        return [values[0], *[suppress(v, v) for v in values[1:]]]

    months = sorted(by_month)
    month_table = Table(
        caption=_("In and out per month"),
        columns=[Column(_("Month")), Column(_("Joined"), COUNT), Column(_("Left service"), COUNT),
                 Column(_("Employed at the end of the month"), COUNT)],
        rows=[[format_date(m, "MMMM y"), *by_month[m]] for m in months],
        total=[_("Total"), sum(by_month[m][0] for m in months),
               sum(by_month[m][1] for m in months),
               by_month[months[-1]][2] if months else 0])
    key_rows = sorted(by_key.values(), key=lambda r: str(r[0]).lower())
    key_table = Table(
        caption=_("Per employment type") if grouping == "employment" else _("Per municipality"),
        columns=[Column(_("Name")), Column(_("Joined"), COUNT), Column(_("Left service"), COUNT),
                 Column(_("Employed at the end"), COUNT)],
        rows=[guard(list(r)) for r in key_rows],
        total=[_("Total"), sum(r[1] for r in key_rows), sum(r[2] for r in key_rows),
               sum(r[3] for r in key_rows)])
    targets = rules.targets_of(period.counted_end.year)
    places = beschut_places(period, filters)
    place_table = Table(
        caption=_("Beschut-werk places against the agreed number, %(year)s",
                  year=period.counted_end.year),
        columns=[Column(_("Municipality")), Column(_("Places filled"), COUNT),
                 Column(_("Agreed"), COUNT), Column(_("Difference"), COUNT)],
        rows=[[name, suppress(filled, filled), targets.get(mid),
               suppress(filled - targets[mid], filled) if mid in targets else None]
              for mid, name, filled in places],
        total=[_("Total"), sum(f for _m, _n, f in places),
               sum(targets.get(m, 0) for m, _n, _f in places) if targets else None, None])
    chart = charts.Chart(
        title=_("In and out per month, %(period)s", period=period.label),
        labels=[format_date(m, "MMM y") for m in months],
        series=[charts.Series(_("Joined"), [by_month[m][0] for m in months]),
                charts.Series(_("Left service"), [by_month[m][1] for m in months])],
        y_title=_("People"))
    notes = [_("From the contract dates: in is a start date in the month, out an end date in the "
               "month; up to today in the running period.")]
    if guarded:
        notes.append(_("Municipality figures of fewer than 5 people are shown as “< 5”."))
    notes.append(_("Beschut-werk places are counted once per person employed as beschut werk on "
                   "the last day; the agreed numbers are entered by hr."))
    return FigurePage(title=str(TITLE), chart=chart, chart_kind=COUNT,
                      tables=[month_table, key_table, place_table], notes=notes)


def sql_month(value):
    from portal.timeutil import as_date

    return as_date(value) if not hasattr(value, "year") else value
