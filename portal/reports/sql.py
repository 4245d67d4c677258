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


def rows(sql: str, params: list) -> list[tuple]:
    return list(database.execute_sql(sql, params).fetchall())


def working_day(day: date) -> bool:
    """A day a schedule can ask for: every day but a Dutch public holiday."""
    return public_holiday(day) is None


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def calendar_ctes(first: date, last: date) -> str:
    """Two tables of the calendar from `first` to `last`, as CTE text.

    `days(day, wd, month, week, working)`: every day, its weekday (0 = Monday), its month, the
    Monday of its week and whether it is a working day. `cum(day, wd, n_before, n_through)`: for every day and weekday, how many
    working days of that weekday lie from `first` up to (not including / including) the day, so
    that the working Tuesdays between two dates are two look-ups instead of one row per day.
    The table reaches one day past `last`, for ends that are exclusive.
    """
    day_rows, cum_rows = [], []
    counts = [0] * 7
    for day in days_between(first, last + timedelta(days=1)):
        works = working_day(day) and day <= last
        weekday = day.weekday()
        literal = day_literal(day)
        day_rows.append(f"({literal}, {weekday}, {day_literal(day.replace(day=1))}, "
                        f"{day_literal(day - timedelta(days=weekday))}, {1 if works else 0})")
        for wd in range(7):
            through = counts[wd] + (1 if works and wd == weekday else 0)
            cum_rows.append(f"({literal}, {wd}, {counts[wd]}, {through})")
        if works:
            counts[weekday] += 1
    return (f"days(day, wd, month, week, working) AS (VALUES {', '.join(day_rows)}), "
            f"cum(day, wd, n_before, n_through) AS (VALUES {', '.join(cum_rows)})")


# The schedules with the day each stops being in force, and the group of every stretch of time:
# the moves (GroupMove) give the past groups, the employee row the current one.
SPANS_AND_MEMBERSHIP = """
spans AS (
  SELECT s.id AS schedule_id, s.employee_id, s.valid_from,
         LEAD(s.valid_from) OVER (PARTITION BY s.employee_id ORDER BY s.valid_from) AS valid_to
  FROM schedule s
),
moves AS (
  SELECT gm.employee_id, gm.from_group_id AS group_id, gm.moved_on AS until,
         LAG(gm.moved_on) OVER (PARTITION BY gm.employee_id ORDER BY gm.moved_on) AS since
  FROM group_move gm
),
membership AS (
  SELECT employee_id, group_id, since, until FROM moves
  UNION ALL
  SELECT e.id, e.work_group_id,
         (SELECT MAX(gm.moved_on) FROM group_move gm WHERE gm.employee_id = e.id), NULL
  FROM employee e
)"""

# What the filters and groupings join: the group of the stretch, its workfloor and site, and
# the employee's municipality.
PLACE_JOINS = """
  JOIN work_group g ON g.id = ms.group_id
  JOIN workfloor wf ON wf.id = g.workfloor_id
  JOIN location loc ON loc.id = wf.location_id
  JOIN municipality mu ON mu.id = e.municipality_id"""

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
