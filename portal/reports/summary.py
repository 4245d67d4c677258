"""Day summaries: a figure's rows for closed days, kept in a table and never stale.

A year of a big company's check-ins or absences is too many rows to go through on every
request. A `DaySummary` keeps, for each closed day, the rows a figure reads (presence per site
and group, or each absence with what it costs), computed by the figure's own statement, and
a second table lists the days it holds. Triggers (migration 0018) delete a day from both the
moment anything it was computed from changes, so a day is either held and right, or not held
and computed again. A reader gets the held days from the table, fills the days missing (once),
and gets the last days, which still change through the day, from the statement itself.

The triggers watch only the days before the database's own date, so the summary never holds a
later one, and today's writes (the kiosk's rush) never touch these tables.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import peewee

from portal import db
from portal.db import database, write_transaction
from portal.reports import sql
from portal.timeutil import as_date

# Days this close to today are always computed, never kept: late check-outs and the nightly
# closing still write yesterday's rows.
RECENT_DAYS = 2
# A fill of at least this many days renews PostgreSQL's statistics of the table: the planner
# took a year's 60,000 new rows for 300 and joined them in a nested loop (270 ms, not 60).
ANALYZE_AFTER_DAYS = 28


def kept_until(today: date) -> date:
    """The last day a summary may hold: before yesterday, and before the database's date (the
    triggers watch only the days before it; its clock may be in another time zone)."""
    database_today = as_date(database.execute_sql(
        "SELECT date('now')" if db.is_sqlite() else "SELECT CURRENT_DATE").fetchone()[0])
    return min(today - timedelta(days=RECENT_DAYS), database_today - timedelta(days=1))


@dataclass(frozen=True)
class DaySummary:
    """`table` holds `columns` (day first) for the days listed in `held_table`; `compute`
    gives the statement and its values that produce those columns for the days from a first
    to a last day."""

    table: str
    held_table: str
    columns: tuple
    compute: Callable[[date, date], tuple[str, list]]

    def rows(self, first: date, last: date, today: date) -> tuple[str, list]:
        """A statement of `columns` for the days `first` to `last`, and its values: the kept
        days from the table (filled first where it has gaps), the rest computed."""
        kept = min(last, kept_until(today))
        p = sql.param()
        parts, values = [], []
        if kept >= first:
            self.summarise(first, kept)
            parts.append(f"SELECT {', '.join(self.columns)} FROM {self.table} "
                         f"WHERE day >= {p} AND day <= {p}")
            values += [first, kept]
        recent = max(first, kept + timedelta(days=1))
        if recent <= last:
            statement, computed_values = self.compute(recent, last)
            parts.append(f"SELECT * FROM ({statement}) recent")
            values += computed_values
        return "\nUNION ALL\n".join(parts), values

    def summarise(self, first: date, last: date) -> None:
        """Fill the days from `first` to `last` that the summary does not hold yet."""
        if last < first or self._holds_all(first, last):
            return
        try:
            with write_transaction():
                if not db.is_sqlite():
                    # A change to one of these days made now waits until the fill is in, and
                    # then its trigger removes the day again; two fills take turns.
                    database.execute_sql(
                        f"LOCK TABLE {self.held_table} IN SHARE ROW EXCLUSIVE MODE")
                self._fill_missing(first, last)
        except peewee.IntegrityError:
            # SQLite: another worker filled some of these days between our look and our write
            # lock; its rows are as good as ours.
            pass

    def summarise_recent_years(self, today: date) -> int:
        """Fill this year and last up to the last day that may be kept; return the days held.
        For the nightly job, so that no reader waits for a fill."""
        first, last = date(today.year - 1, 1, 1), kept_until(today)
        self.summarise(first, last)
        return max(0, (last - first).days + 1)

    def _held_days(self, first: date, last: date) -> set:
        p = sql.param()
        found = database.execute_sql(
            f"SELECT day FROM {self.held_table} WHERE day >= {p} AND day <= {p}", [first, last])
        return {as_date(day) for (day,) in found}

    def _holds_all(self, first: date, last: date) -> bool:
        p = sql.param()
        (held,) = database.execute_sql(
            f"SELECT COUNT(*) FROM {self.held_table} WHERE day >= {p} AND day <= {p}",
            [first, last]).fetchone()
        return held == (last - first).days + 1

    def _fill_missing(self, first: date, last: date) -> None:
        held = self._held_days(first, last)
        missing = [day for day in sql.days_between(first, last) if day not in held]
        if not missing:
            return
        # One pass over the stretch with gaps; the held days inside it are made again too.
        start, end = missing[0], missing[-1]
        p = sql.param()
        for table in (self.table, self.held_table):
            database.execute_sql(f"DELETE FROM {table} WHERE day >= {p} AND day <= {p}",
                                 [start, end])
        statement, values = self.compute(start, end)
        database.execute_sql(f"INSERT INTO {self.table} ({', '.join(self.columns)}) "
                             f"{statement}", values)
        days = sql.days_between(start, end)
        database.execute_sql(
            f"INSERT INTO {self.held_table} (day) VALUES "
            + ", ".join(f"({p})" for _ in days), days)
        if not db.is_sqlite() and len(days) >= ANALYZE_AFTER_DAYS:
            database.execute_sql(f"ANALYZE {self.table}")
