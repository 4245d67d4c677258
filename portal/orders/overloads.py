"""The board's capacity rule as one SQL statement: how many cells are planned beyond their hours.

`rules.available_hours` is the rule the planning board shows, in Python over the members of the
groups it loads. The first screen wants only a count for every group, so here the same rule is
a single statement (tests/orders/test_overloads.py holds the two to the same answers):

- a cell is a group the board shows (an active one, as `queries.groups_for` selects) and a
  day with planned work (assignments);
- its members are the group's active employees employed on that day;
- a member gives the hours of the schedule in force that day (the latest from on or before it,
  a schedule without days included) for its weekday, span less break, to the hundredth;
- a public holiday gives nobody hours (the calendar comes from Python, as for the board);
- planned leave, an absence without hours, or a day detached to a client take the whole day;
  absences with hours take those hours, never below nought.

Hours are compared in hundredths, as whole numbers: the board's Decimals, without the floats.
"""

from datetime import date

from portal import db
from portal.db import database
from portal.orders.rules import days_between, public_holidays


def _minutes(alias: str) -> str:
    """Whole minutes from a schedule day's start to its end (before the break)."""
    if db.is_sqlite():
        seconds = (f"(CAST(strftime('%s', {alias}.ends_at) AS INTEGER)"
                   f" - CAST(strftime('%s', {alias}.starts_at) AS INTEGER))")
    else:
        seconds = f"CAST(EXTRACT(EPOCH FROM ({alias}.ends_at - {alias}.starts_at)) AS INTEGER)"
    return f"({seconds} / 60)"


def _cents(expression: str) -> str:
    """Hours (a decimal) as whole hundredths."""
    return f"CAST(ROUND({expression} * 100) AS INTEGER)"


def _not_away() -> tuple[str, str]:
    """(a join, a condition) that keep the member-days not in `away_days`.

    Each database gets the anti-join it plans well: PostgreSQL a NOT IN, which it answers from
    one hash of the pairs whatever it guesses of the cells (with a LEFT JOIN it guessed one
    cell and looped: 1.7 s); SQLite a LEFT JOIN on its automatic index (NOT IN: 285 ms, this
    40 ms, at 2,000 people).
    """
    if db.is_sqlite():
        return ("\n  LEFT JOIN away_days ad ON ad.employee_id = st.id AND ad.day = pl.day",
                "ad.employee_id IS NULL")
    return "", "(st.id, pl.day) NOT IN (SELECT employee_id, day FROM away_days)"


def overloaded_cell_count(first: date, last: date) -> int:
    """Cells (group, day) from `first` to `last` whose planned hours exceed the available hours.

    One statement for all groups together.
    """
    p = database.param
    holidays = public_holidays(first, last)
    working = [day for day in days_between(first, last) if day not in holidays]
    params: list = []
    if working:
        rows = ", ".join(f"({p}, {p})" for _ in working)
        for day in working:
            params += [day, day.weekday()]
    else:
        # A VALUES list has a row; a weekday of 7 meets no schedule day.
        rows = f"({p}, 7)"
        params += [first]
    worked = f"({_minutes('sd')} - sd.break_minutes)"
    # ROUND_HALF_UP of minutes / 60 to the hundredth: 5 x minutes / 3 never ends in exactly
    # one half, so (5 x minutes + 1) / 3 in whole numbers is that rounding.
    scheduled = f"((5 * (CASE WHEN {worked} > 0 THEN {worked} ELSE 0 END) + 1) / 3)"
    taken = f"COALESCE({_cents('ab.hours')}, 0)"
    # Set-based throughout: the few rows of every source are read once and joined by hash,
    # not looked up again for each member and day (7,000 of them at 10,000 employees).
    away_join, not_away = _not_away()
    statement = f"""WITH days(day, weekday) AS (VALUES {rows}),
planned AS MATERIALIZED (
  SELECT a.work_group_id AS group_id, a.day AS day, SUM(a.hours) AS hours
  FROM assignment a JOIN work_group g ON g.id = a.work_group_id AND g.is_active = {p}
  WHERE a.day >= {p} AND a.day <= {p}
  GROUP BY a.work_group_id, a.day
),
staff AS MATERIALIZED (
  SELECT e.id, e.work_group_id, e.start_date, e.end_date FROM employee e
  WHERE e.is_active = {p} AND e.work_group_id IN (SELECT group_id FROM planned)
    AND e.start_date <= {p} AND (e.end_date IS NULL OR e.end_date >= {p})
),
spans AS (
  SELECT s.id, s.employee_id, s.valid_from,
         LEAD(s.valid_from) OVER (PARTITION BY s.employee_id ORDER BY s.valid_from) AS valid_to
  FROM schedule s WHERE s.valid_from <= {p} AND s.employee_id IN (SELECT id FROM staff)
),
shifts AS MATERIALIZED (
  SELECT sp.employee_id, sp.valid_from, sp.valid_to, sd.weekday, {scheduled} AS cents
  FROM spans sp JOIN schedule_day sd ON sd.schedule_id = sp.id
  WHERE sp.valid_to IS NULL OR sp.valid_to > {p}
),
absent AS MATERIALIZED (
  SELECT ab.employee_id, ab.day, COUNT(*) AS n, COUNT(ab.hours) AS with_hours,
         SUM(ab.hours) AS hours
  FROM absence ab WHERE ab.day >= {p} AND ab.day <= {p} AND ab.superseded_by_id IS NULL
  GROUP BY ab.employee_id, ab.day
),
away AS (
  SELECT lv.employee_id, lv.starts_on AS first_day, lv.ends_on AS last_day
  FROM planned_leave lv
  WHERE lv.cancelled_at IS NULL AND lv.starts_on <= {p} AND lv.ends_on >= {p}
  UNION ALL
  SELECT dm.employee_id, dm.start_date, COALESCE(dm.end_date, dt.end_date)
  FROM detachment_member dm JOIN detachment dt ON dt.id = dm.detachment_id
  WHERE dt.is_active = {p} AND dt.start_date <= {p} AND (dt.end_date IS NULL OR dt.end_date >= {p})
    AND dm.start_date <= {p} AND (dm.end_date IS NULL OR dm.end_date >= {p})
),
away_days AS MATERIALIZED (
  -- Each (member, working day) a leave or a detachment takes, so that the cells meet them by
  -- equality (see _not_away). A NOT EXISTS with the date range was planned as a nested loop
  -- over the ranges for every member and day: 300 ms at 10,000 people, 500 detached.
  SELECT DISTINCT aw.employee_id, d.day FROM away aw
  JOIN days d ON d.day >= aw.first_day AND (aw.last_day IS NULL OR d.day <= aw.last_day)
),
free AS (
  SELECT pl.group_id, pl.day,
         SUM(CASE WHEN sh.cents > {taken} THEN sh.cents - {taken} ELSE 0 END) AS cents
  FROM planned pl
  JOIN days d ON d.day = pl.day
  JOIN staff st ON st.work_group_id = pl.group_id
       AND st.start_date <= pl.day AND (st.end_date IS NULL OR st.end_date >= pl.day)
  JOIN shifts sh ON sh.employee_id = st.id AND sh.weekday = d.weekday
       AND sh.valid_from <= pl.day AND (sh.valid_to IS NULL OR sh.valid_to > pl.day)
  LEFT JOIN absent ab ON ab.employee_id = st.id AND ab.day = pl.day{away_join}
  WHERE (ab.n IS NULL OR ab.n = ab.with_hours) AND {not_away}
  GROUP BY pl.group_id, pl.day
)
SELECT COUNT(*) FROM planned pl
LEFT JOIN free f ON f.group_id = pl.group_id AND f.day = pl.day
WHERE {_cents('pl.hours')} > COALESCE(f.cents, 0)"""
    params += [True, first, last,  # planned
               True, last, first,  # staff
               last,  # spans
               first,  # shifts
               first, last,  # absent
               last, first,  # leave
               True, last, first, last, first]  # detachments
    return database.execute_sql(statement, params).fetchone()[0]
