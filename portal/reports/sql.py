"""The SQL pieces every figure shares: a calendar as a table, the few words SQLite and
PostgreSQL spell differently, the group an employee was in on a day, and the filters.

The figures are aggregated by the database; Python only builds the statement and the calendar
(the Dutch public holidays come from the `holidays` package, which SQL does not know).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from portal import db
from portal.attendance.rules import public_holiday
from portal.db import database


def param() -> str:
    return database.param


def day_literal(day: date) -> str:
    """A date constant. Only dates made by the code land here, never text from a request."""
    return f"DATE '{day.isoformat()}'" if not db.is_sqlite() else f"'{day.isoformat()}'"


def greatest(*expressions: str) -> str:
    return ("MAX(" if db.is_sqlite() else "GREATEST(") + ", ".join(expressions) + ")"


def least(*expressions: str) -> str:
    return ("MIN(" if db.is_sqlite() else "LEAST(") + ", ".join(expressions) + ")"


def shift_minutes(day_alias: str = "sd") -> str:
    """Scheduled minutes of a schedule day: its span less its break."""
    if db.is_sqlite():
        span = (f"(CAST(strftime('%s', {day_alias}.ends_at) AS INTEGER)"
                f" - CAST(strftime('%s', {day_alias}.starts_at) AS INTEGER)) / 60")
    else:
        span = (f"CAST(EXTRACT(EPOCH FROM ({day_alias}.ends_at - {day_alias}.starts_at))"
                f" AS INTEGER) / 60")
    return f"({span} - {day_alias}.break_minutes)"


def unindexed(expression: str) -> str:
    """A column SQLite must not pick an index for (`+col`): for a year of check-ins its
    (employee, day) index, which gives the grouping order for free, beats the day index and a
    sort by a factor of four. PostgreSQL chooses well by itself."""
    return f"+{expression}" if db.is_sqlite() else expression


def current(alias: str) -> str:
    """The condition that a row is not superseded by a correction.

    SQLite gets COALESCE(...) = 0 so that it does not walk the superseded_by index for the
    (nearly all) rows without one; PostgreSQL gets IS NULL, which it estimates right (with
    the COALESCE it expected 0.5% of the rows and chose nested loops for 100,000).
    """
    if db.is_sqlite():
        return f"COALESCE({alias}.superseded_by_id, 0) = 0"
    return f"{alias}.superseded_by_id IS NULL"


def rows(sql: str, params: list) -> list[tuple]:
    return list(database.execute_sql(sql, params).fetchall())


def working_day(day: date) -> bool:
    """A day a schedule can ask for: every day but a Dutch public holiday."""
    return public_holiday(day) is None


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# Day numbers count from this Monday, so that a day number modulo 7 is its weekday (0 = Monday).
EPOCH = date(2000, 1, 3)
# Added before integer division, so that the databases' truncation is a floor division.
SHIFT = 7000


def day_number(expression: str) -> str:
    """Whole days from EPOCH to a date expression."""
    if db.is_sqlite():
        return f"(CAST(julianday({expression}) AS INTEGER) - {_julian(EPOCH)})"
    return f"({expression} - {day_literal(EPOCH)})"


def _julian(day: date) -> int:
    # julianday() of a date is N.5 (noon-based); CAST truncates every date alike.
    return int(day.toordinal() + 1721424.5)


def number_of(day: date) -> int:
    return (day - EPOCH).days


def modulo(dividend: str, divisor: str) -> str:
    # MOD on PostgreSQL: a bare % would be a placeholder to the driver.
    if db.is_sqlite():
        return f"(({dividend}) % {divisor})"
    return f"MOD({dividend}, {divisor})"


def weekday_of(expression: str) -> str:
    return modulo(day_number(expression), "7")


def month_of(expression: str) -> str:
    """The first day of the month of a date expression (as the database gives dates)."""
    if db.is_sqlite():
        return f"(substr({expression}, 1, 7) || '-01')"
    return f"CAST(date_trunc('month', {expression}) AS DATE)"


def week_of(expression: str) -> str:
    """The Monday of the week of a date expression."""
    if db.is_sqlite():
        return f"date({expression}, '-' || {weekday_of(expression)} || ' days')"
    return f"({expression} - CAST({weekday_of(expression)} AS INTEGER))"


def holidays_cte(first: date, last: date) -> str:
    """`hol(dn, wd)`: the public holidays between two days, as day numbers and weekdays.

    A VALUES list always has a row: a day before EPOCH stands in when there is no holiday.
    """
    found = [day for day in days_between(first, last) if not working_day(day)]
    rows = [f"({number_of(day)}, {day.weekday()})" for day in found] or ["(-1, 7)"]
    return f"hol(dn, wd) AS (VALUES {', '.join(rows)})"


def working_days(start: str, end: str, weekday: str) -> str:
    """How many working days with `weekday` lie from day number `start` to `end` (inclusive):
    arithmetic for the weekdays, a look at the few holidays (needs `holidays_cte`)."""
    return (f"(CASE WHEN {end} >= {start} THEN ({end} - {weekday} + {SHIFT}) / 7"
            f" - ({start} - 1 - {weekday} + {SHIFT}) / 7"
            f" - (SELECT COUNT(*) FROM hol WHERE hol.wd = {weekday}"
            f" AND hol.dn >= {start} AND hol.dn <= {end}) ELSE 0 END)")


def add_days(expression: str, days: str) -> str:
    if db.is_sqlite():
        return f"date({expression}, '+' || {days} || ' days')"
    return f"({expression} + CAST({days} AS INTEGER))"


def is_holiday(day_number_expression: str) -> str:
    return f"EXISTS (SELECT 1 FROM hol WHERE hol.dn = {day_number_expression})"


# The schedules with the day each stops being in force, and the group of every stretch of time:
# the moves (GroupMove) give the past groups, the employee row the current one. MATERIALIZED
# (PostgreSQL 12+, SQLite 3.35+): computed once and hashed, never again for every joined row.
# Who ever moved, and when last: `group_on` needs it (LEFT JOIN moved mv).
MOVED = """moved AS MATERIALIZED (
  SELECT employee_id, MAX(moved_on) AS last_move FROM group_move GROUP BY employee_id
)"""
# Every schedule version with the day the next one takes over (None: still in force).
SPANS = """spans AS MATERIALIZED (
  SELECT s.id AS schedule_id, s.employee_id, s.valid_from,
         LEAD(s.valid_from) OVER (PARTITION BY s.employee_id ORDER BY s.valid_from) AS valid_to
  FROM schedule s
)"""
SPANS_AND_MEMBERSHIP = f"""
{MOVED},
{SPANS},
moves AS (
  SELECT gm.employee_id, gm.from_group_id AS group_id, gm.moved_on AS until,
         LAG(gm.moved_on) OVER (PARTITION BY gm.employee_id ORDER BY gm.moved_on) AS since
  FROM group_move gm
),
membership AS MATERIALIZED (
  SELECT employee_id, group_id, since, until FROM moves
  UNION ALL
  SELECT e.id, e.work_group_id,
         (SELECT MAX(gm.moved_on) FROM group_move gm WHERE gm.employee_id = e.id), NULL
  FROM employee e
)"""

# What the filters and groupings join: the group of the stretch, its workfloor and site, and
# the employee's municipality.
AROUND_GROUP = """
  JOIN workfloor wf ON wf.id = g.workfloor_id
  JOIN location loc ON loc.id = wf.location_id
  JOIN municipality mu ON mu.id = e.municipality_id"""
PLACE_JOINS = """
  JOIN work_group g ON g.id = ms.group_id""" + AROUND_GROUP


def group_on(day: str) -> str:
    """The id of the group employee `e` was in on a day: the group he left at the first move
    after it, else his current group. Needs `mv`, the employee's row of `moved` (LEFT JOINed):
    for nearly every row, someone who never moved or a day after his last move, that settles it
    by a hash probe; only the days before a move look the move up (an index look-up)."""
    return (f"(CASE WHEN mv.last_move IS NULL OR {day} >= mv.last_move THEN e.work_group_id "
            f"ELSE (SELECT gm.from_group_id FROM group_move gm WHERE gm.employee_id = e.id "
            f"AND gm.moved_on > {day} ORDER BY gm.moved_on LIMIT 1) END)")


# grouping -> (key, name) expressions over the aliases above.
GROUPING_KEYS = {
    "company": ("0", "''"),
    "group": ("g.id", "g.name"),
    "workfloor": ("wf.id", "wf.name"),
    "location": ("loc.id", "loc.name"),
    "municipality": ("mu.id", "mu.name"),
    "employment": ("e.employment", "e.employment"),
}


@dataclass(frozen=True)
class Filters:
    """What a figure page narrows to; None is everything. `groups` limits a supervisor."""

    municipality: int | None = None
    location: int | None = None
    workfloor: int | None = None
    group: int | None = None
    employment: str | None = None
    groups: tuple | None = field(default=None)

    def where(self) -> tuple[str, list]:
        """SQL conditions (starting with AND) over the aliases e, g, wf, loc, and their values."""
        parts, values = [], []
        for column, value in (("e.municipality_id", self.municipality), ("loc.id", self.location),
                              ("wf.id", self.workfloor), ("g.id", self.group),
                              ("e.employment", self.employment)):
            if value is not None:
                parts.append(f" AND {column} = {param()}")
                values.append(value)
        if self.groups is not None:
            if not self.groups:
                parts.append(" AND 1 = 0")
            else:
                parts.append(f" AND g.id IN ({', '.join(param() for _ in self.groups)})")
                values.extend(self.groups)
        return "".join(parts), values

    def as_args(self) -> dict:
        """The filters as query-string arguments (links keep them)."""
        return {name: value for name, value in (
            ("municipality", self.municipality), ("location", self.location),
            ("workfloor", self.workfloor), ("group", self.group),
            ("employment", self.employment)) if value is not None}
