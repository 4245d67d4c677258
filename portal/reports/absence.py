"""Absence figures (verzuim): the share of scheduled hours not worked, by code, and how often
people report sick, per month and per group, workfloor, site, municipality or employment type.

Three statements, whatever the number of people: scheduled minutes, absent minutes by code
with the sick spells (one pass over the absences), and head counts. Rules, as the day screen has them:
- scheduled time is the schedule in force on each day, less its break, on days within the
  contract and not a public holiday, and only up to today: the running month divides what
  was missed so far by what was scheduled so far;
- an absence takes its hours, or the day's scheduled time when it is for the whole day, and
  never more than that day's scheduled time; absence on a day off counts for nothing;
- a sick spell (ziekmelding) is a run of sick days not broken by an expected day without
  sickness; it counts in the month it starts; frequency is spells per person per year;
- each day counts in the group the person was in that day (GroupMove); people outside the
  groups (office staff, who register no attendance) are not in these figures.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from portal.attendance.models import ABSENCE_CODES, SICK
from portal.reports import sql
from portal.reports.periods import Period

# A spell that started before the period is recognised by sick days up to this far back.
LOOKBACK_DAYS = 62
DAYS_IN_YEAR = Decimal("365")


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent with one decimal, None when nothing was scheduled."""
    if whole <= 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class AbsenceRow:
    """The absence of one group (workfloor, ...) or the company over the period."""

    key: object
    name: str
    scheduled: int = 0  # minutes
    absent: dict = field(default_factory=lambda: defaultdict(int))  # code -> minutes
    spells: int = 0
    employees: int = 0

    @property
    def absent_total(self) -> int:
        return sum(self.absent.values())

    def percentage(self, code: str | None = None) -> Decimal | None:
        """The absence percentage, of one code or of all."""
        minutes = self.absent_total if code is None else self.absent.get(code, 0)
        return percent(minutes, self.scheduled)

    def frequency(self, period_days: int) -> Decimal | None:
        """Sick spells per person per year (verzuimfrequentie)."""
        if not self.employees or period_days <= 0:
            return None
        per_year = Decimal(self.spells) * DAYS_IN_YEAR / Decimal(period_days)
        return (per_year / Decimal(self.employees)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class AbsenceFigures:
    """Rows per grouping key, the company total, and the company per month (for the chart)."""

    period: Period
    grouping: str
    rows: list
    total: AbsenceRow
    months: list  # [(month, AbsenceRow)]
    codes: list  # the codes that occur, in the fixed order

    @property
    def counted_days(self) -> int:
        return self.period.counted_days


def absence_figures(period: Period, grouping: str = "group",
                    filters: sql.Filters = sql.Filters()) -> AbsenceFigures:
    """The absence figures of a period; see the module docstring for the rules."""
    first, last = period.start, period.counted_end
    rows: dict = {}
    total = AbsenceRow(key=None, name="")
    months: dict = {month: AbsenceRow(key=month, name="") for month in period.months()
                    if month <= last}
    if last < first:
        return AbsenceFigures(period, grouping, [], total, sorted(months.items()), [])

    def row(key, name) -> AbsenceRow:
        return rows.setdefault(key, AbsenceRow(key=key, name=name))

    for month, key, name, minutes in _scheduled(first, last, grouping, filters):
        month = _as_month(month)
        row(key, name).scheduled += minutes
        total.scheduled += minutes
        months[month].scheduled += minutes
    for kind, month, key, name, code, value in _absent_and_spells(first, last, grouping,
                                                                   filters):
        month, value = _as_month(month), int(value or 0)
        if kind == "absent":
            row(key, name).absent[code] += value
            total.absent[code] += value
            months[month].absent[code] += value
        else:
            row(key, name).spells += value
            total.spells += value
            months[month].spells += value
    for key, name, employees in _headcount(first, last, grouping, filters):
        if key is None:
            total.employees = employees
        else:
            row(key, name).employees = employees
    used = [code for code in ABSENCE_CODES if total.absent.get(code)]
    ordered = sorted(rows.values(), key=lambda r: str(r.name).lower())
    return AbsenceFigures(period, grouping, ordered, total, sorted(months.items()), used)


def _as_month(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _ctes(first: date, last: date) -> str:
    return (f"WITH {sql.holidays_cte(first - timedelta(days=LOOKBACK_DAYS), last)}, "
            f"months(month, first_day, last_day) AS (VALUES {_month_rows(first, last)}), "
            f"{sql.SPANS_AND_MEMBERSHIP}")


def _month_rows(first: date, last: date) -> str:
    out, month = [], first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        out.append(f"({sql.day_literal(month)}, {sql.day_literal(max(month, first))}, "
                   f"{sql.day_literal(min(following - timedelta(days=1), last))})")
        month = following
    return ", ".join(out)


def _scheduled(first, last, grouping, filters):
    """(month, key, name, minutes): scheduled time per month and key.

    Each schedule day of each person gives a stretch (from, to) within the period; people with
    the same stretch, weekday and key are added up first (most people work the whole period),
    and only those few rows are cut into months, where the number of working days is
    arithmetic on day numbers less the holidays.
    """
    key, name = sql.GROUPING_KEYS[grouping]
    where, values = filters.where()
    p = sql.param()
    period_first, period_last = sql.day_literal(first), sql.day_literal(last)
    end_of_calendar = sql.day_literal(last + timedelta(days=1))
    start = sql.greatest(period_first, "sp.valid_from", "e.start_date",
                         f"COALESCE(ms.since, {period_first})")
    end_inclusive = sql.least(period_last, f"COALESCE(e.end_date, {period_last})")
    end_exclusive = sql.least(f"COALESCE(sp.valid_to, {end_of_calendar})",
                              f"COALESCE(ms.until, {end_of_calendar})")
    month_start = sql.day_number(sql.greatest("m.first_day", "g.a"))
    month_end = sql.least(sql.day_number(sql.least("m.last_day", "g.b")),
                          sql.day_number("g.x") + " - 1")
    statement = f"""{_ctes(first, last)},
stretches AS (
  SELECT {key} AS k, {name} AS n, sd.weekday, {sql.shift_minutes()} AS minutes,
         {start} AS a, {end_inclusive} AS b, {end_exclusive} AS x
  FROM employee e
  JOIN membership ms ON ms.employee_id = e.id
  JOIN spans sp ON sp.employee_id = e.id
  JOIN schedule_day sd ON sd.schedule_id = sp.schedule_id{sql.PLACE_JOINS}
  WHERE e.start_date <= {p} AND (e.end_date IS NULL OR e.end_date >= {p})
    AND sp.valid_from <= {p} AND (sp.valid_to IS NULL OR sp.valid_to > {p})
    AND (ms.since IS NULL OR ms.since <= {p}) AND (ms.until IS NULL OR ms.until > {p}){where}
),
g AS (
  SELECT k, n, weekday, a, b, x, SUM(minutes) AS minutes FROM stretches
  GROUP BY k, n, weekday, a, b, x
)
SELECT m.month, g.k, g.n, SUM(g.minutes * {sql.working_days(month_start, month_end, "g.weekday")})
FROM g JOIN months m ON g.a <= m.last_day AND g.b >= m.first_day AND g.x > m.first_day
GROUP BY m.month, g.k, g.n"""
    params = [last, first, last, first, last, first, *values]
    return [(month, k, n, int(minutes or 0)) for month, k, n, minutes in sql.rows(statement, params)]


def _absence_days() -> str:
    """`days`: each current absence on an expected day, one row per employee, day and code,
    with what the figures need of it: the day's scheduled minutes (`shift`), the minutes it
    takes, its weekday and schedule, and where it counts (the group of that day, the
    employee's municipality and employment).

    Everything is joined by hash on the employee, so each absence costs a few probes; the
    schedule in force is a range within the employee's few spans, and the group a look-up
    only for the days before a move (sql.group_on). Needs the `_ctes` and four parameters: the
    last day, the first, the sick code and the first day of the look-back.
    """
    p = sql.param()
    takes = sql.least(sql.shift_minutes(),
                      f"CASE WHEN ab.whole = 1 THEN {sql.shift_minutes()} ELSE ab.minutes END")
    return f""",
ab AS (
  SELECT a.employee_id, a.day, a.code,
         MAX(CASE WHEN a.hours IS NULL THEN 1 ELSE 0 END) AS whole,
         CAST(SUM(COALESCE(a.hours, 0) * 60) AS INTEGER) AS minutes
  FROM absence a
  WHERE {sql.current('a')} AND a.day <= {p}
    AND (a.day >= {p} OR a.code = {p} AND a.day >= {p})  -- sick days look back for spells
  GROUP BY a.employee_id, a.day, a.code
),
days AS MATERIALIZED (
  SELECT ab.employee_id, ab.day, ab.code, {takes} AS minutes, sd.schedule_id, sd.weekday,
         {sql.group_on("ab.day")} AS group_id, e.municipality_id, e.employment
  FROM ab
  JOIN employee e ON e.id = ab.employee_id AND e.start_date <= ab.day
       AND (e.end_date IS NULL OR ab.day <= e.end_date)
  LEFT JOIN moved mv ON mv.employee_id = e.id
  JOIN spans sp ON sp.employee_id = e.id AND sp.valid_from <= ab.day
       AND (sp.valid_to IS NULL OR ab.day < sp.valid_to)
  JOIN schedule_day sd ON sd.schedule_id = sp.schedule_id
       AND sd.weekday = {sql.weekday_of("ab.day")}
  WHERE NOT {sql.is_holiday(sql.day_number("ab.day"))}
)"""


def _placed(kind: str, inner: str, code: str, where: str, grouping: str) -> str:
    """The figure rows of an aggregate over `days`: `inner` gives month, group_id,
    municipality_id, employment (and code) with a `value`, aggregated first, so the group,
    workfloor, site and municipality are joined to a few thousand rows, not to every absence.
    The inner rows are aliased `e`, as the filters and groupings expect; the GROUP BY is by
    position, because the company's key is a constant."""
    key, name = sql.GROUPING_KEYS[grouping]
    return f"""
SELECT '{kind}', e.month, {key}, {name}, {code}, SUM(e.value)
FROM ({inner}) e
JOIN work_group g ON g.id = e.group_id{sql.AROUND_GROUP}
WHERE 1 = 1{where}
GROUP BY 2, 3, 4, 5"""


def _absent_and_spells(first, last, grouping, filters):
    """(kind, month, key, name, code, value) rows of two kinds, from one pass over the
    absences: ("absent", ..., code, minutes) the absent time per month, key and code, and
    ("spells", ..., None, spells) the sick spells that start in each month, per key.

    A sick day starts a spell when the sick day before it (LAG, looking back LOOKBACK_DAYS) has
    an expected day between them: a working day of the schedule in force on the sick day. The
    spell is the person's, wherever he works: one that goes on after a move is not a new one.
    """
    where, values = filters.where()
    p = sql.param()
    absent = f"""
  SELECT {sql.month_of("d.day")} AS month, d.group_id, d.municipality_id, d.employment,
         d.code, SUM(d.minutes) AS value
  FROM days d
  WHERE d.day >= {p}
  GROUP BY {sql.month_of("d.day")}, d.group_id, d.municipality_id, d.employment, d.code"""
    gap_days = sql.working_days(sql.day_number("s.previous") + " + 1",
                                sql.day_number("s.day") + " - 1", "sd.weekday")
    spells = f"""
  SELECT s.month, s.group_id, s.municipality_id, s.employment, COUNT(*) AS value
  FROM sick s
  WHERE s.day >= {p} AND (s.previous IS NULL OR {sql.day_number("s.day")}
        - {sql.day_number("s.previous")} > 1 AND EXISTS (
          -- an expected day between the two sick days breaks the spell
          SELECT 1 FROM schedule_day sd WHERE sd.schedule_id = s.schedule_id
          AND {gap_days} > 0))
  GROUP BY s.month, s.group_id, s.municipality_id, s.employment"""
    statement = f"""{_ctes(first, last)}{_absence_days()},
sick AS (
  SELECT d.employee_id, d.day, d.schedule_id, {sql.month_of("d.day")} AS month, d.group_id,
         d.municipality_id, d.employment,
         LAG(d.day) OVER (PARTITION BY d.employee_id ORDER BY d.day) AS previous
  FROM days d
  WHERE d.code = {p}
){_placed("absent", absent, "e.code", where, grouping)}
UNION ALL{_placed("spells", spells, "NULL", where, grouping)}"""
    params = [last, first, SICK, first - timedelta(days=LOOKBACK_DAYS), SICK, first, *values,
              first, *values]
    return sql.rows(statement, params)


def _headcount(first, last, grouping, filters):
    """(key, name, people) with at least one scheduled working day in the period in that key,
    and (None, None, people) for the whole: someone who moved counts once in the whole."""
    key, name = sql.GROUPING_KEYS[grouping]
    where, values = filters.where()
    p = sql.param()
    statement = f"""{_ctes(first, last)},
present AS (
  SELECT DISTINCT e.id AS employee_id, {key} AS k, {name} AS n
  FROM employee e
  JOIN membership ms ON ms.employee_id = e.id
  JOIN spans sp ON sp.employee_id = e.id
  JOIN schedule_day sd ON sd.schedule_id = sp.schedule_id{sql.PLACE_JOINS}
  WHERE e.start_date <= {p} AND (e.end_date IS NULL OR e.end_date >= {p})
    AND sp.valid_from <= {p} AND (sp.valid_to IS NULL OR sp.valid_to > {p})
    AND (ms.since IS NULL OR ms.since <= {p}) AND (ms.until IS NULL OR ms.until > {p}){where}
)
SELECT k, n, COUNT(*) FROM present GROUP BY k, n
UNION ALL
SELECT NULL, NULL, COUNT(DISTINCT employee_id) FROM present"""
    params = [last, first, last, first, last, first, *values]
    return sql.rows(statement, params)
