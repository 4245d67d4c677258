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
from portal.reports.summary import DaySummary

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
    for month, key, name, code, minutes, spells in _absent_and_spells(first, last, grouping,
                                                                      filters):
        month, minutes, spells = _as_month(month), int(minutes or 0), int(spells or 0)
        for target in (row(key, name), total, months[month]):
            target.absent[code] += minutes
            target.spells += spells
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
    return (f"WITH {sql.holidays_cte(first, last)}, "
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


def expected_absences(first: date, last: date) -> tuple[str, list]:
    """A statement of (day, employee_id, code, minutes, previous_expected) for the days `first`
    to `last`, and its values: each current absence on an expected day, one row per employee,
    day and code, with the minutes it takes and, for a sick day, the day number of the
    person's expected day before it (the schedule in force on the sick day, public holidays
    skipped), which tells whether it starts a spell.

    An expected day is within the contract, not a public holiday, and a weekday of the
    schedule in force; every join is a hash on the employee. The rows of ABSENCE_DAYS.
    """
    p = sql.param()
    takes = sql.least(sql.shift_minutes(),
                      f"CASE WHEN ab.whole = 1 THEN {sql.shift_minutes()} ELSE ab.minutes END")
    day_number = sql.day_number("d.day")
    # The last day before the sick day with weekday w.weekday, a week or two earlier when that
    # is a public holiday (two on the same weekday a week apart happen: Ascension and King's
    # Day); the latest over the schedule's weekdays is the expected day before it.
    last_weekday = f"({day_number} - 1 - {sql.modulo(f'{day_number} - 1 - w.weekday + {sql.SHIFT}', '7')})"
    before = (f"CASE WHEN NOT {sql.is_holiday(last_weekday)} THEN {last_weekday} "
              f"WHEN NOT {sql.is_holiday(last_weekday + ' - 7')} THEN {last_weekday} - 7 "
              f"ELSE {last_weekday} - 14 END")
    statement = f"""WITH {sql.holidays_cte(first - timedelta(days=21), last)},
{sql.SPANS},
ab AS (
  SELECT a.employee_id, a.day, a.code,
         MAX(CASE WHEN a.hours IS NULL THEN 1 ELSE 0 END) AS whole,
         CAST(SUM(COALESCE(a.hours, 0) * 60) AS INTEGER) AS minutes
  FROM absence a
  WHERE {sql.current('a')} AND a.day >= {p} AND a.day <= {p}
  GROUP BY a.employee_id, a.day, a.code
),
days AS (
  SELECT ab.employee_id, ab.day, ab.code, {takes} AS minutes, sd.schedule_id
  FROM ab
  JOIN employee e ON e.id = ab.employee_id AND e.start_date <= ab.day
       AND (e.end_date IS NULL OR ab.day <= e.end_date)
  JOIN spans sp ON sp.employee_id = e.id AND sp.valid_from <= ab.day
       AND (sp.valid_to IS NULL OR ab.day < sp.valid_to)
  JOIN schedule_day sd ON sd.schedule_id = sp.schedule_id
       AND sd.weekday = {sql.weekday_of("ab.day")}
  WHERE NOT {sql.is_holiday(sql.day_number("ab.day"))}
)
SELECT d.day, d.employee_id, d.code, d.minutes, MAX({before}) AS previous_expected
FROM days d
LEFT JOIN schedule_day w ON w.schedule_id = d.schedule_id AND d.code = {p}
GROUP BY d.day, d.employee_id, d.code, d.minutes"""
    return statement, [first, last, SICK]


ABSENCE_DAYS = DaySummary(table="absence_day", held_table="absence_summary_day",
                          columns=("day", "employee_id", "code", "minutes",
                                   "previous_expected"),
                          compute=expected_absences)


def _absent_and_spells(first, last, grouping, filters):
    """(month, key, name, code, minutes, spells): the absent time per month, key and code, and
    the sick spells that start in each, from the expected absences (ABSENCE_DAYS).

    A sick day starts a spell when the person's sick day before it (LAG, looking back
    LOOKBACK_DAYS) lies before his expected day before it: an expected day without sickness
    came between. The spell is the person's, wherever he works: one that goes on after a move
    is not a new one. The absences are added up per group, municipality and employment type
    first, so the group, workfloor, site and municipality are joined to a few thousand rows;
    that inner result is aliased `e`, as the filters and groupings expect, and the outer
    GROUP BY is by position because the company's key is a constant.
    """
    from portal.timeutil import today

    key, name = sql.GROUPING_KEYS[grouping]
    where, values = filters.where()
    p = sql.param()
    rows, row_values = ABSENCE_DAYS.rows(first - timedelta(days=LOOKBACK_DAYS), last, today())
    starts = (f"CASE WHEN d.code = {p} AND (d.previous IS NULL OR "
              f"{sql.day_number('d.previous')} < d.previous_expected) THEN 1 ELSE 0 END")
    statement = f"""WITH {sql.MOVED},
d AS (
  SELECT x.*, LAG(x.day) OVER (PARTITION BY x.employee_id, x.code ORDER BY x.day) AS previous
  FROM ({rows}) x
),
counted AS (
  SELECT {sql.month_of("d.day")} AS month, {sql.group_on("d.day")} AS group_id,
         e.municipality_id, e.employment, d.code, d.minutes, {starts} AS starts
  FROM d
  JOIN employee e ON e.id = d.employee_id
  LEFT JOIN moved mv ON mv.employee_id = e.id
  WHERE d.day >= {p}
)
SELECT e.month, {key}, {name}, e.code, SUM(e.minutes), SUM(e.starts)
FROM (
  SELECT month, group_id, municipality_id, employment, code, SUM(minutes) AS minutes,
         SUM(starts) AS starts
  FROM counted
  GROUP BY month, group_id, municipality_id, employment, code
) e
JOIN work_group g ON g.id = e.group_id{sql.AROUND_GROUP}
WHERE 1 = 1{where}
GROUP BY 1, 2, 3, 4"""
    return sql.rows(statement, [*row_values, SICK, first, *values])


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
