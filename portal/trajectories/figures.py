"""Figures for the municipalities, per municipality and quarter, as plain functions.

The reports area can show them too (its outflow page): `quarter_figures(year, quarter, ...)`
gives rows with raw counts, narrowed by the same filters as the other figures, and `shown(row)`
the same figures as they may leave the company, with every figure that could point at fewer
than five people replaced by "< 5" (the one rule of portal/suppression.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import peewee
from peewee import Case, fn

from portal.people.models import Employee, GroupMove, Municipality, Workfloor, WorkGroup
from portal.suppression import suppress, suppress_count
from portal.trajectories.models import (FOLLOW_UP_MONTHS, NOT_WORKING, OUTCOMES, WORK_OUTCOMES,
                                        FollowUp, Trajectory)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a quarter (1-4)."""
    first = date(year, 3 * (quarter - 1) + 1, 1)
    following = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, following - timedelta(days=1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@dataclass
class QuarterRow:
    """Raw figures of one municipality (or of all, `municipality` None) in one quarter."""

    municipality: str | None
    in_trajectory: int = 0
    started: int = 0
    ended: dict = field(default_factory=lambda: {o: 0 for o in OUTCOMES})
    duration_days: int = 0
    followed: dict = field(default_factory=lambda: {m: [0, 0] for m in FOLLOW_UP_MONTHS})

    @property
    def ended_total(self) -> int:
        return sum(self.ended.values())

    @property
    def outflow(self) -> int:
        return sum(self.ended[o] for o in WORK_OUTCOMES)

    @property
    def outflow_percent(self) -> int | None:
        return _percent(self.outflow, self.ended_total)

    @property
    def average_days(self) -> int | None:
        return round(self.duration_days / self.ended_total) if self.ended_total else None

    def still_working(self, months: int) -> tuple[int, int]:
        """(still working, measured) of the follow-ups at `months` answered this quarter."""
        working, measured = self.followed[months]
        return working, measured

    def still_working_percent(self, months: int) -> int | None:
        return _percent(*self.still_working(months))

    def add(self, other: "QuarterRow") -> None:
        self.in_trajectory += other.in_trajectory
        self.started += other.started
        self.duration_days += other.duration_days
        for outcome, n in other.ended.items():
            self.ended[outcome] += n
        for months, (working, measured) in other.followed.items():
            self.followed[months][0] += working
            self.followed[months][1] += measured


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class Narrowing:
    """Which candidates the figures count; None is everyone (the reports' `Filters`, by name).

    Municipality and employment type are the employee's own. Group, workfloor and site are
    those of the group the candidate was in on the day the trajectory began (`start_group`):
    a trajectory then stays where it was counted, quarter after quarter, whatever moves come
    later, so figures once sent to a municipality do not change under it.
    """

    municipality: int | None = None
    location: int | None = None
    workfloor: int | None = None
    group: int | None = None
    employment: str | None = None
    # Only these groups (a supervisor's own), as the reports' Filters.groups.
    groups: tuple | None = None

    @classmethod
    def of(cls, filters) -> "Narrowing":
        """The narrowing of anything with these attributes (reports.sql.Filters)."""
        return cls(**{name: getattr(filters, name, None) for name in (
            "municipality", "location", "workfloor", "group", "employment", "groups")})

    def conditions(self) -> list:
        """The conditions over Trajectory joined to its Employee (none for everyone)."""
        found = []
        if self.municipality is not None:
            found.append(Employee.municipality == self.municipality)
        if self.employment is not None:
            found.append(Employee.employment == self.employment)
        group = start_group()
        if self.group is not None:
            found.append(group == self.group)
        if self.workfloor is not None:
            found.append(group.in_(WorkGroup.select(WorkGroup.id)
                                   .where(WorkGroup.workfloor == self.workfloor)))
        if self.location is not None:
            found.append(group.in_(WorkGroup.select(WorkGroup.id).join(Workfloor)
                                   .where(Workfloor.location == self.location)))
        if self.groups is not None:
            found.append(group.in_(list(self.groups)) if self.groups else peewee.SQL("1 = 0"))
        return found


def start_group() -> peewee.Node:
    """The id of the group the trajectory's employee was in on its start day (over Trajectory
    joined to Employee): the group he left at the first move after that day, else his current
    group (GroupMove's rule; a move on the start day itself counts for the new group)."""
    later = GroupMove.select(GroupMove.from_group).where(
        (GroupMove.employee == Employee.id) & (GroupMove.moved_on > Trajectory.start_date))
    return Case(None, [(fn.EXISTS(later), later.order_by(GroupMove.moved_on).limit(1))],
                Employee.work_group)


def quarter_figures(year: int, quarter: int, narrowing: Narrowing | None = None
                    ) -> list[QuarterRow]:
    """Per municipality (by name) the quarter's figures, and a last row for all together.

    In trajectory: people with a trajectory running on any day of the quarter; started and
    ended: trajectories that began or ended in it (by outcome), with their average length;
    still working: follow-ups due in the quarter and answered, at the same or another employer.
    `narrowing` counts only some candidates (see `Narrowing`); with a municipality only its
    row comes back. Three queries, whatever the number of candidates.
    """
    narrowing = narrowing or Narrowing()
    first, last = quarter_bounds(year, quarter)
    places = Municipality.select(Municipality.id, Municipality.name)
    if narrowing.municipality is not None:
        places = places.where(Municipality.id == narrowing.municipality)
    rows = {m.id: QuarterRow(municipality=m.name) for m in places}
    running_people = defaultdict(set)
    query = (Trajectory.select(Trajectory.employee, Employee.municipality, Trajectory.start_date,
                               Trajectory.ended_on, Trajectory.outcome)
             .join(Employee)
             .where((Trajectory.start_date <= last)
                    & (Trajectory.ended_on.is_null() | (Trajectory.ended_on >= first)),
                    *narrowing.conditions()))
    for employee_id, municipality_id, start, ended_on, outcome in query.tuples().iterator():
        row = rows[municipality_id]
        running_people[municipality_id].add(employee_id)
        if start >= first:
            row.started += 1
        if ended_on is not None and ended_on <= last and outcome in row.ended:
            row.ended[outcome] += 1
            row.duration_days += (ended_on - start).days + 1
    for municipality_id, people in running_people.items():
        rows[municipality_id].in_trajectory = len(people)
    follow_ups = (FollowUp.select(Employee.municipality, FollowUp.months, FollowUp.answer)
                  .join(Trajectory).join(Employee)
                  .where(FollowUp.due_on.between(first, last), FollowUp.answer.is_null(False),
                         *narrowing.conditions()))
    for municipality_id, months, answer in follow_ups.tuples().iterator():
        counted = rows[municipality_id].followed[months]
        counted[1] += 1
        if answer != NOT_WORKING:
            counted[0] += 1
    ordered = sorted(rows.values(), key=lambda r: r.municipality.lower())
    total = QuarterRow(municipality=None)
    for row in ordered:
        total.add(row)
    # People in a trajectory in two municipalities' rows would count twice; they cannot: an
    # employee belongs to one municipality.
    return [*ordered, total]


def shown(row: QuarterRow) -> dict:
    """A row's figures as they may leave the company: small numbers hidden as "< 5"."""
    ended = row.ended_total
    figures = {
        "in_trajectory": suppress_count(row.in_trajectory),
        "started": suppress_count(row.started),
        "ended": suppress_count(ended),
        "outflow": suppress_count(row.outflow),
        "outflow_percent": suppress(row.outflow_percent, row.outflow, ended - row.outflow),
        "average_days": suppress(row.average_days, ended),
    }
    for outcome, n in row.ended.items():
        figures[f"ended_{outcome}"] = suppress_count(n)
    for months in FOLLOW_UP_MONTHS:
        working, measured = row.still_working(months)
        figures[f"measured_{months}"] = suppress_count(measured)
        figures[f"working_{months}_percent"] = suppress(row.still_working_percent(months),
                                                        working, measured - working)
    return figures


def recent_quarters(day: date, count: int = 8) -> list[tuple[int, int]]:
    """The quarter of `day` and the ones before it, newest first."""
    year, quarter = quarter_of(day)
    found = []
    for _ in range(count):
        found.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return found
