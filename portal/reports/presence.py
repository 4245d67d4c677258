"""Who was present where: people per day, site and group, each in the group of that day.

The occupancy figure needs this for every working day of a year. Counted from the check-ins
that is a scan of 1.5 million rows at 10,000 people (three seconds on PostgreSQL), so the
closed days are kept in a summary (PresenceCount, with PresenceDay listing the days it holds)
and only the last two days are counted from the check-ins on every request.

The summary is never stale: migration 0019's triggers delete a day as soon as a check-in of
that day is added, corrected or removed, or a group move reaches back to it, and
`summarise` fills the missing days again, from the same statement the recent days are counted
with. It holds only days before the database's own date (the triggers fire for those) and
before yesterday (late check-outs and the nightly closing still write yesterday's rows).
"""

from datetime import date, timedelta

import peewee

from portal import db
from portal.db import database, write_transaction
from portal.reports import sql
from portal.reports.models import PresenceCount, PresenceDay
from portal.timeutil import as_date

# Days this close to today are counted from the check-ins, never kept.
RECENT_DAYS = 2
# A fill of at least this many days renews PostgreSQL's statistics of the summary.
ANALYZE_AFTER_DAYS = 28


def present_counts() -> str:
    """(day, location_id, work_group_id, people) for the days between two parameters: the
    people with a current check-in at a site, each counted once, in the group of that day.
    People outside the groups (office staff) have no group and are left out."""
    p = sql.param()
    return f"""WITH {sql.MOVED},
present AS (
  SELECT s.employee_id, s.day, s.location_id FROM attendance_segment s
  WHERE {sql.current('s')} AND s.location_id IS NOT NULL
    AND {sql.unindexed("s.day")} >= {p} AND {sql.unindexed("s.day")} <= {p}
  GROUP BY s.employee_id, s.day, s.location_id
)
SELECT x.day, x.location_id, x.group_id, COUNT(*) FROM (
  SELECT pr.day, pr.location_id, {sql.group_on("pr.day")} AS group_id
  FROM present pr
  JOIN employee e ON e.id = pr.employee_id
  LEFT JOIN moved mv ON mv.employee_id = e.id
) x
WHERE x.group_id IS NOT NULL
GROUP BY x.day, x.location_id, x.group_id"""


def kept_until(today: date) -> date:
    """The last day the summary may hold: before yesterday, and before the database's date
    (the triggers only watch the days before it; its clock may be in another time zone)."""
    database_today = as_date(database.execute_sql(
        "SELECT date('now')" if db.is_sqlite() else "SELECT CURRENT_DATE").fetchone()[0])
    return min(today - timedelta(days=RECENT_DAYS), database_today - timedelta(days=1))


def summarise(first: date, last: date) -> None:
    """Fill the summary for the days from `first` to `last` that it does not hold yet."""
    if last < first or _held_all(first, last):
        return
    try:
        with write_transaction():
            if not db.is_sqlite():
                # A check-in written now for one of these days waits until the summary is
                # in, and then its trigger removes the day again; two fills take turns.
                database.execute_sql("LOCK TABLE presence_day IN SHARE ROW EXCLUSIVE MODE")
            _fill_missing(first, last)
    except peewee.IntegrityError:
        # SQLite only: another worker filled some of these days between our look and our
        # write lock; its rows are as good as ours.
        pass


def summarise_recent_years(today: date) -> int:
    """Fill the summary for this year and last, up to the last day it may hold; return how
    many days it holds for them. For the nightly job, so that no reader waits for a fill."""
    first, last = date(today.year - 1, 1, 1), kept_until(today)
    summarise(first, last)
    return max(0, (last - first).days + 1)


def _held_all(first: date, last: date) -> bool:
    held = (PresenceDay.select().where(PresenceDay.day.between(first, last)).count())
    return held == (last - first).days + 1


def _fill_missing(first: date, last: date) -> None:
    held = {as_date(row.day) for row in
            PresenceDay.select(PresenceDay.day).where(PresenceDay.day.between(first, last))}
    missing = [day for day in sql.days_between(first, last) if day not in held]
    if not missing:
        return
    start, end = missing[0], missing[-1]
    # One pass over the stretch that has gaps; the days of it already held are rebuilt too.
    PresenceCount.delete().where(PresenceCount.day.between(start, end)).execute()
    PresenceDay.delete().where(PresenceDay.day.between(start, end)).execute()
    database.execute_sql(
        "INSERT INTO presence_count (day, location_id, work_group_id, people) "
        + present_counts(), [start, end])
    PresenceDay.insert_many([(day,) for day in sql.days_between(start, end)],
                            fields=[PresenceDay.day]).execute()
    if not db.is_sqlite() and (end - start).days >= ANALYZE_AFTER_DAYS:
        # Fresh statistics now, not when autovacuum comes by: the planner took a year's
        # 60,000 new rows for 300 and joined them in a nested loop (270 ms instead of 60).
        database.execute_sql("ANALYZE presence_count")


def counts_sql(first: date, last: date, today: date) -> tuple[str, list]:
    """A statement of (day, location_id, work_group_id, people) for `first` to `last`: the
    summary for the days it may hold (filled first where it has gaps), the check-ins for the
    rest."""
    kept = min(last, kept_until(today))
    p = sql.param()
    parts, params = [], []
    if kept >= first:
        summarise(first, kept)
        parts.append(f"SELECT day, location_id, work_group_id, people FROM presence_count "
                     f"WHERE day >= {p} AND day <= {p}")
        params += [first, kept]
    recent = max(first, kept + timedelta(days=1))
    if recent <= last:
        parts.append(f"SELECT * FROM ({present_counts()}) recent")
        params += [recent, last]
    return "\nUNION ALL\n".join(parts), params
