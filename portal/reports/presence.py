"""Who was present where: people per day, site and group, each in the group of that day.

The occupancy figure needs this for every working day of a year. Counted from the check-ins
that is a scan of 1.5 million rows at 10,000 people (three seconds on PostgreSQL), so it is a
day summary (summary.py): the closed days kept in `presence_count`, the last two counted from
the check-ins on every request, by the same statement.

The group of a past day is GroupMove's to keep: a change of group goes through
people.employee_rules.update_employee, which records the move (dated today) in the same
transaction, so the days already kept stay right.
"""

from portal.reports import sql
from portal.reports.summary import DaySummary


# From this many days on, SQLite reads the check-ins along the (employee, day) index (see
# sql.unindexed); for the last few days the day index is what it should use (10 ms against
# 130 ms at 2,000 people).
LONG_STRETCH_DAYS = 31


def present_counts(days: int = LONG_STRETCH_DAYS) -> str:
    """(day, location_id, work_group_id, people) for the days between two parameters, `days`
    of them: the people with a current check-in at a site, each counted once, in the group of
    that day. People outside the groups (office staff) have no group and are left out."""
    p = sql.param()
    day = sql.unindexed("s.day") if days >= LONG_STRETCH_DAYS else "s.day"
    return f"""WITH {sql.MOVED},
present AS (
  SELECT s.employee_id, s.day, s.location_id FROM attendance_segment s
  WHERE {sql.current('s')} AND s.location_id IS NOT NULL
    AND {day} >= {p} AND {day} <= {p}
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


PRESENCE = DaySummary(table="presence_count", held_table="presence_day",
                      columns=("day", "location_id", "work_group_id", "people"),
                      compute=lambda first, last: (present_counts((last - first).days + 1),
                                                   [first, last]))
