"""The rules of orders and planning, as plain functions that tests call directly.

Capacity: a group's available hours on a day are the sum over its members of their scheduled
hours (breaks deducted) minus the hours they are known not to work (`known_time_off`, the one
place where planned leave, absence and detachments subtract; see there).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from peewee import JOIN, Case, fn

from portal import audit
from portal.db import database, write_transaction
from portal.orders.models import (INTAKE, IN_PRODUCTION, INVOICED, OPEN_STATUSES, PLANNED, READY,
                                  Assignment, Order, OrderStatusChange, Production)
from portal.people import working_calendar
from portal.people.models import Employee, ProductGroup, Schedule, ScheduleDay, WorkGroup
from portal.refusal import Refused
from portal.timeutil import as_date, as_time

ZERO = Decimal("0")
CENT = Decimal("0.01")
MAX_CELL_HOURS = Decimal("999")
# Production above this share of the order asks the supervisor to confirm (a typo guard).
OVERRUN_FACTOR = Decimal("1.10")
EARLIEST = date(1, 1, 1)

# Forward moves are the order's life; one step back corrects a mistake. Invoiced is final.
TRANSITIONS = {
    INTAKE: (PLANNED,),
    PLANNED: (IN_PRODUCTION, INTAKE),
    IN_PRODUCTION: (READY, PLANNED),
    READY: (INVOICED, IN_PRODUCTION),
    INVOICED: (),
}


# ---------------------------------------------------------------- figures of one order

def required_hours(quantity: int, norm_per_hour: Decimal) -> Decimal:
    """Hours an order needs: quantity over the norm (units per hour), to the hundredth."""
    if norm_per_hour is None or Decimal(norm_per_hour) <= 0:
        raise ValueError("norm must be positive")
    return (Decimal(quantity) / Decimal(norm_per_hour)).quantize(CENT, ROUND_HALF_UP)


def good_quantity(made: int, rejects: int) -> int:
    """Units that count: made minus rejects."""
    return max(0, (made or 0) - (rejects or 0))


def progress(quantity: int, made: int, rejects: int) -> Decimal:
    """Share of the order done, 0 to 1 (capped at 1): good units over the quantity."""
    if quantity <= 0:
        return ZERO
    share = Decimal(good_quantity(made, rejects)) / Decimal(quantity)
    return min(Decimal(1), share).quantize(Decimal("0.001"), ROUND_HALF_UP)


def remaining_hours(quantity: int, norm_per_hour: Decimal, good: int) -> Decimal:
    """Hours still needed for the units not yet made well."""
    return required_hours(max(0, quantity - good), norm_per_hour)


def is_late(status: str, due_date: date, remaining: Decimal, planned_ahead: Decimal,
            today: date) -> bool:
    """Tell whether an open order will miss its due date.

    Late when work remains and the due date has passed, or when it was planned (not in intake)
    and the hours planned from today up to its due date do not cover what remains. An order in
    intake is not late for lack of planning: it is simply not planned yet.
    """
    if status not in OPEN_STATUSES or remaining <= 0:
        return False
    if due_date < today:
        return True
    return status != INTAKE and planned_ahead < remaining


def overload(planned: Decimal, available: Decimal) -> Decimal:
    """Hours planned in a cell beyond what the group has there (0 when it fits)."""
    return max(ZERO, Decimal(planned) - Decimal(available))


def allowed_transitions(status: str) -> tuple[str, ...]:
    """The statuses an order may move to from its current one."""
    return TRANSITIONS.get(status, ())


# ---------------------------------------------------------------- calendar and capacity

@lru_cache(maxsize=64)
def holidays_in_years(first_year: int, last_year: int) -> frozenset[date]:
    """The Dutch public holidays of whole years (cached: the calendar does not change)."""
    return frozenset(working_calendar.public_holidays(date(first_year, 1, 1), date(last_year, 12, 31)))


# The calendar's owner answers; the name stays for this area's callers.
public_holidays = working_calendar.public_holidays


def days_between(first: date, last: date) -> list[date]:
    """Every day from first to last, inclusive."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def is_working_day(day: date, holiday_days: set[date]) -> bool:
    """A weekday that is not a public holiday."""
    return day.weekday() < 5 and day not in holiday_days


def day_hours(starts_at, ends_at, break_minutes: int) -> Decimal:
    """Hours of one schedule day: from start to end, minus the break, never below zero."""
    minutes = (datetime.combine(EARLIEST, ends_at) - datetime.combine(EARLIEST, starts_at))
    worked = Decimal(int(minutes.total_seconds() // 60) - (break_minutes or 0))
    return max(ZERO, worked / 60).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Member:
    """What capacity needs of an employee: group, employment period, schedules by start."""

    id: int
    group_id: int
    start_date: date
    end_date: date | None
    # (valid_from, {weekday: hours}) sorted by valid_from
    schedules: list = field(default_factory=list)

    def scheduled_hours(self, day: date) -> Decimal:
        """Hours the schedule in force on a day asks, 0 outside the employment period."""
        if not working_calendar.in_employment(self, day):
            return ZERO
        in_force = None
        for valid_from, days in self.schedules:
            if valid_from <= day:
                in_force = days
            else:
                break
        return (in_force or {}).get(day.weekday(), ZERO)


def load_members(group_ids, first: date, last: date) -> list[Member]:
    """The active members of groups employed at some point between two days, with schedules.

    Two queries, whatever the number of groups: employees, then their schedule days.
    """
    group_ids = list(group_ids)
    if not group_ids:
        return []
    employees = (Employee
                 .select(Employee.id, Employee.work_group, Employee.start_date, Employee.end_date)
                 .where(Employee.work_group.in_(group_ids),
                        Employee.is_active == True,  # noqa: E712
                        working_calendar.employed_between(first, last))
                 .tuples())
    members = {eid: Member(eid, gid, start, end) for eid, gid, start, end in employees}
    if not members:
        return []
    # A schedule without days is in force too (nothing asked from that day on), so the join
    # to its days is an outer one: an inner join let the schedule before it run on.
    rows = (Schedule
            .select(Schedule.employee, Schedule.valid_from, ScheduleDay.weekday,
                    ScheduleDay.starts_at, ScheduleDay.ends_at, ScheduleDay.break_minutes)
            .join(ScheduleDay, JOIN.LEFT_OUTER, on=(ScheduleDay.schedule == Schedule.id))
            .switch(Schedule)
            .join(Employee)
            .where(Employee.work_group.in_(group_ids), Employee.is_active == True,  # noqa: E712
                   Schedule.valid_from <= last)
            .tuples())
    by_schedule = defaultdict(dict)
    for employee_id, valid_from, weekday, starts_at, ends_at, pause in rows:
        if employee_id in members:
            days = by_schedule[(employee_id, as_date(valid_from))]
            if weekday is not None:
                days[weekday] = day_hours(as_time(starts_at), as_time(ends_at), pause)
    for (employee_id, valid_from), days in sorted(by_schedule.items()):
        members[employee_id].schedules.append((valid_from, days))
    return list(members.values())


def known_time_off(members: list[Member], first: date, last: date) -> dict:
    """Hours each member is known not to work on a day: {(employee id, day): hours or None}.

    None means the whole day. THE seam for capacity: planned leave, known absence and
    detachments (members working at a client that day) subtract from a group's hours by adding
    their rows here, keyed the same way, with one query per source for the whole range.
    Today: the Dutch public holidays (a whole day off for all), planned leave and registered
    absence from the attendance area, and days detached to a client (whole days).
    """
    from portal.detachments.members import detached_days

    off = {}
    for day in public_holidays(first, last):
        for member in members:
            off[(member.id, day)] = None
    ids = [member.id for member in members]
    if ids:
        off.update(_planned_and_known_absence(ids, first, last, off))
        off.update(dict.fromkeys(detached_days(ids, first, last)))
    return off


def _planned_and_known_absence(ids, first: date, last: date, off: dict) -> dict:
    """Planned leave (whole days) and registered absence (hours, or whole days) in the range.

    Hours only, never a code: the planner sees capacity, not why someone is away (AVG).
    """
    from portal.attendance.models import Absence, PlannedLeave

    found = {}
    for employee_id, starts_on, ends_on in (
            PlannedLeave.select(PlannedLeave.employee, PlannedLeave.starts_on, PlannedLeave.ends_on)
            .where(PlannedLeave.employee.in_(ids) & PlannedLeave.cancelled_at.is_null()
                   & (PlannedLeave.starts_on <= last) & (PlannedLeave.ends_on >= first)).tuples()):
        for day in days_between(max(as_date(starts_on), first), min(as_date(ends_on), last)):
            found[(employee_id, day)] = None
    for employee_id, day, hours in (
            Absence.select(Absence.employee, Absence.day, Absence.hours)
            .where(Absence.employee.in_(ids) & Absence.superseded_by.is_null()
                   & (Absence.day >= first) & (Absence.day <= last)).tuples()):
        key = (employee_id, as_date(day))
        if key in off and off[key] is None or key in found and found[key] is None:
            continue
        found[key] = None if hours is None else found.get(key, ZERO) + Decimal(hours)
    return found


def available_hours(group_ids, first: date, last: date) -> dict:
    """{(group id, day): hours} the groups' members can work, for every day in the range."""
    group_ids = list(group_ids)
    result = {(gid, day): ZERO for gid in group_ids for day in days_between(first, last)}
    members = load_members(group_ids, first, last)
    off = known_time_off(members, first, last)
    for member in members:
        for day in days_between(first, last):
            hours = member.scheduled_hours(day)
            if not hours:
                continue
            taken = off.get((member.id, day), ZERO)
            hours = ZERO if taken is None else max(ZERO, hours - taken)
            result[(member.group_id, day)] += hours
    return result


def expected_completion(remaining: Decimal, plan: list[tuple[date, Decimal]],
                        holiday_days: set[date] | None = None) -> date | None:
    """The day the work is done at the planned pace, or None when nothing is planned.

    `plan` holds the planned hours still to come, by day. When it covers the remaining hours,
    the answer is the day it does; when it falls short, the same pace (planned hours per working
    day over the planned stretch) continues on the working days after the last planned day.
    """
    if remaining <= 0:
        return None
    plan = sorted((day, Decimal(hours)) for day, hours in plan if hours and hours > 0)
    if not plan:
        return None
    done = ZERO
    for day, hours in plan:
        done += hours
        if done >= remaining:
            return day
    first, last = plan[0][0], plan[-1][0]
    if holiday_days is None:
        holiday_days = holidays_in_years(first.year, last.year + 10)
    working = sum(1 for day in days_between(first, last) if is_working_day(day, holiday_days))
    pace = done / max(1, working)
    day = last
    while done < remaining:
        day += timedelta(days=1)
        if is_working_day(day, holiday_days):
            done += pace
    return day


# ---------------------------------------------------------------- figures of many orders

def as_decimal(value) -> Decimal:
    """A Decimal from what the driver gave (Decimal, float, int or text)."""
    return Decimal(str(value)) if value is not None else ZERO


def figures_query(today: date):
    """Orders with their production and planning figures, and the late flag, in one select.

    Returns (query, late expression). The figures come from grouped derived tables joined once
    (not correlated subqueries per row, whose cost estimate made PostgreSQL JIT-compile the
    list query for a quarter of a second), so the list pages, filters and sorts in the database.
    """
    made_q = (Production
              .select(Production.order.alias("order_id"),
                      fn.SUM(Production.quantity).alias("made"),
                      fn.SUM(Production.rejects).alias("rejects"),
                      fn.MAX(Production.day).alias("last_made"))
              .group_by(Production.order).alias("made_q"))
    planned_q = (Assignment
                 .select(Assignment.order.alias("order_id"),
                         fn.SUM(Assignment.hours).alias("planned"))
                 .group_by(Assignment.order).alias("planned_q"))
    ahead_a, ahead_o, last_p = Assignment.alias(), Order.alias(), Production.alias()
    last_q = (last_p.select(last_p.order.alias("order_id"), fn.MAX(last_p.day).alias("last_day"))
              .where(last_p.day >= today).group_by(last_p.order).alias("last_q"))
    # Hours planned from today up to the due date, after the last day with production.
    ahead_q = (ahead_a
               .select(ahead_a.order.alias("order_id"), fn.SUM(ahead_a.hours).alias("ahead"))
               .join(ahead_o, on=(ahead_a.order == ahead_o.id))
               .join(last_q, JOIN.LEFT_OUTER, on=(last_q.c.order_id == ahead_a.order))
               .where(ahead_a.day >= today, ahead_a.day <= ahead_o.due_date,
                      (last_q.c.last_day.is_null()) | (ahead_a.day > last_q.c.last_day))
               .group_by(ahead_a.order).alias("ahead_q"))
    made = fn.COALESCE(made_q.c.made, 0)
    rejects = fn.COALESCE(made_q.c.rejects, 0)
    planned = fn.COALESCE(planned_q.c.planned, 0)
    ahead = fn.COALESCE(ahead_q.c.ahead, 0)
    left = Order.quantity - made + rejects
    late = Case(None, [(
        Order.status.in_(OPEN_STATUSES) & (left > 0) & (
            (Order.due_date < today)
            | ((Order.status != INTAKE) & (ahead * Order.norm_per_hour < left))), 1)], 0)
    query = (Order
             .select(Order, made.alias("made"), rejects.alias("rejects"),
                     # An expression, so that peewee puts it on the order, not on made_q.
                     fn.COALESCE(made_q.c.last_made, None).alias("last_made"),
                     planned.alias("planned"),
                     ahead.alias("ahead"), late.alias("late"))
             .join(made_q, JOIN.LEFT_OUTER, on=(made_q.c.order_id == Order.id)).switch(Order)
             .join(planned_q, JOIN.LEFT_OUTER, on=(planned_q.c.order_id == Order.id))
             .switch(Order)
             .join(ahead_q, JOIN.LEFT_OUTER, on=(ahead_q.c.order_id == Order.id)).switch(Order))
    return query, late


@dataclass
class OrderFigures:
    """An order with what was made and planned, and what follows from it."""

    order: Order
    made: int
    rejects: int
    planned: Decimal
    ahead: Decimal
    last_made: date | None
    today: date
    future_plan: list = field(default_factory=list)

    @property
    def good(self) -> int:
        return good_quantity(self.made, self.rejects)

    @property
    def required(self) -> Decimal:
        return required_hours(self.order.quantity, self.order.norm_per_hour)

    @property
    def remaining(self) -> Decimal:
        return remaining_hours(self.order.quantity, self.order.norm_per_hour, self.good)

    @property
    def progress(self) -> Decimal:
        return progress(self.order.quantity, self.made, self.rejects)

    @property
    def percent(self) -> int:
        return int((self.progress * 100).to_integral_value(ROUND_HALF_UP))

    @property
    def unplanned(self) -> Decimal:
        """Required hours not yet on the board (planned hours count whether made or not)."""
        return max(ZERO, self.required - self.planned)

    @property
    def late(self) -> bool:
        return is_late(self.order.status, self.order.due_date, self.remaining, self.ahead,
                       self.today)

    @property
    def to_plan(self) -> Decimal:
        """Hours that still need a place on the board.

        The unplanned hours, or more when planned hours no longer count: hours on a past day
        whose work was not made, or after the due date. Then the order is late, and "fully
        planned" would contradict that; the hours the plan ahead lacks are still to plan.
        """
        if not self.late:
            return self.unplanned
        return max(self.unplanned, ZERO if self.remaining <= self.ahead
                   else self.remaining - self.ahead)

    @property
    def expected(self) -> date | None:
        return expected_completion(self.remaining, self.future_plan)


def plan_counts_from(today: date, last_made: date | None) -> date:
    """The first day whose planned hours still lie ahead: today, or after the last production."""
    if last_made is not None and last_made >= today:
        return last_made + timedelta(days=1)
    return today


def with_figures(orders, today: date) -> list[OrderFigures]:
    """Wrap rows of `figures_query` and attach each order's plan ahead (one more query)."""
    result = [OrderFigures(order=o, made=int(o.made or 0), rejects=int(o.rejects or 0),
                           planned=as_decimal(o.planned), ahead=as_decimal(o.ahead),
                           last_made=as_date(o.last_made), today=today) for o in orders]
    if not result:
        return result
    by_id = {f.order.id: f for f in result}
    rows = (Assignment.select(Assignment.order, Assignment.day, fn.SUM(Assignment.hours))
            .where(Assignment.order.in_(list(by_id)), Assignment.day >= today)
            .group_by(Assignment.order, Assignment.day).tuples())
    for order_id, day, hours in rows:
        figures = by_id[order_id]
        day = as_date(day)
        if day >= plan_counts_from(today, figures.last_made):
            figures.future_plan.append((day, as_decimal(hours)))
    return result


def order_figures(order_id: int, today: date) -> OrderFigures | None:
    """The figures of one order."""
    query, _late = figures_query(today)
    found = list(query.where(Order.id == order_id))
    return with_figures(found, today)[0] if found else None


# ---------------------------------------------------------------- changes

def change_status(order: Order, to_status: str, actor) -> OrderStatusChange:
    """Move an order to another status, recording who did it and when.

    :raise Refused: when the move is not allowed from the current status.
    """
    with write_transaction():
        current = Order.get_by_id(order.id)
        if to_status not in allowed_transitions(current.status):
            raise Refused(_l("An order cannot move from this status to that one."), "status")
        return _set_status(current, to_status, actor, order)


def _set_status(current: Order, to_status: str, actor, given: Order | None = None):
    change = OrderStatusChange.create(order=current, from_status=current.status,
                                      to_status=to_status, changed_by=actor)
    Order.update(status=to_status).where(Order.id == current.id).execute()
    audit.record("order.status", current, user=actor, before={"status": current.status},
                 after={"status": to_status})
    for target in (current, given):
        if target is not None:
            target.status = to_status
    return change


def check_cell(order: Order, group: WorkGroup, day: date, today: date) -> None:
    """:raise Refused: when an order may not be planned on this group and day.

    A day in the past is refused: its work can no longer be done, so hours put there would
    only make the order look planned while it is late.
    """
    if order.status not in OPEN_STATUSES:
        raise Refused(_l("This order is ready or invoiced; it cannot be planned."), "order")
    if not group.is_active:
        raise Refused(_l("This group is not active; plan on an active group."), "group")
    if day < order.start_date or day > order.due_date:
        raise Refused(_l("This day lies outside the order's window (from its start date to "
                           "its due date)."), "day")
    if day < today:
        raise Refused(_l("This day is in the past; plan today or a day still to come."),
                        "day")


def check_hours(hours: Decimal | None) -> None:
    """:raise Refused: unless the hours are above zero and not absurd."""
    if hours is None or hours <= 0:
        raise Refused(_l("Hours must be more than 0."), "hours")
    if hours > MAX_CELL_HOURS:
        raise Refused(_l("That is too many hours for one day."), "hours")


def cell_free_hours(group_id: int, day: date) -> Decimal:
    """Hours a group has on a day that nothing is planned on yet (below 0: overloaded)."""
    available = available_hours([group_id], day, day)[(group_id, day)]
    planned = (Assignment.select(fn.COALESCE(fn.SUM(Assignment.hours), 0))
               .where(Assignment.work_group == group_id, Assignment.day == day).scalar())
    return available - as_decimal(planned)


def default_hours(order: Order, group_id: int, day: date, today: date) -> Decimal:
    """Hours a drop plans when none are given: the order's hours still to plan, up to the cell's
    free hours (so that dropping on several cells splits an order over them).

    :raise Refused: when the order is fully planned already, or the cell has no free hours.
    """
    to_plan = order_figures(order.id, today).to_plan
    if to_plan <= 0:
        raise Refused(_l("This order is fully planned. Give the hours to add."), "hours")
    free = cell_free_hours(group_id, day)
    if free <= 0:
        raise Refused(_l("This group has no free hours on this day. Give the hours to plan "
                           "anyway, or choose another day."), "hours")
    return min(to_plan, free)


def plan(order: Order, group: WorkGroup, day: date, hours: Decimal, actor, *,
         today: date) -> Assignment:
    """Put hours of an order on a group and day; hours on the same cell add up.

    More hours than the group has is allowed (the board shows it as overload, and the answer
    warns). An order still in intake moves to planned.
    :raise Refused: for a closed order, an inactive group, a day outside the window or in
        the past, bad hours.
    """
    check_cell(order, group, day, today)
    check_hours(hours)
    with write_transaction():
        existing = Assignment.get_or_none(order=order, work_group=group, day=day)
        if existing:
            existing.hours = as_decimal(existing.hours) + hours
            check_hours(existing.hours)
            existing.save(only=[Assignment.hours])
            assignment = existing
        else:
            assignment = Assignment.create(order=order, work_group=group, day=day, hours=hours,
                                           created_by=actor)
        current = Order.get_by_id(order.id)
        if current.status == INTAKE:
            _set_status(current, PLANNED, actor, order)
        audit.record("assignment.plan", assignment, user=actor,
                     after={"order": order.id, "group": group.id, "day": day.isoformat(),
                            "hours": str(hours)})
    return assignment


def is_same_cell(assignment: Assignment, group: WorkGroup, day: date) -> bool:
    """Tell whether a change keeps planned hours where they are (an hours-only edit)."""
    return assignment.work_group_id == group.id and assignment.day == day


def move(assignment: Assignment, group: WorkGroup, day: date, hours: Decimal | None,
         actor, *, today: date) -> Assignment:
    """Move planned hours to another group or day (or change them); a cell that already holds
    the same order takes them over.

    Changing the hours of a past cell stays allowed (it corrects what was planned then);
    moving hours onto a past day does not.
    :raise Refused: as `plan`.
    """
    order = assignment.order
    hours = as_decimal(assignment.hours) if hours is None else hours
    check_cell(order, group, day, min(today, day) if is_same_cell(assignment, group, day)
               else today)
    check_hours(hours)
    before = {"group": assignment.work_group_id, "day": assignment.day.isoformat(),
              "hours": str(assignment.hours)}
    with write_transaction():
        target = Assignment.get_or_none((Assignment.order == order)
                                        & (Assignment.work_group == group)
                                        & (Assignment.day == day)
                                        & (Assignment.id != assignment.id))
        if target:
            target.hours = as_decimal(target.hours) + hours
            check_hours(target.hours)
            target.save(only=[Assignment.hours])
            assignment.delete_instance()
            result = target
        else:
            assignment.work_group = group
            assignment.day = day
            assignment.hours = hours
            assignment.save(only=[Assignment.work_group, Assignment.day, Assignment.hours])
            result = assignment
        audit.record("assignment.move", result, user=actor, before=before,
                     after={"group": group.id, "day": day.isoformat(), "hours": str(hours)})
    return result


def remove(assignment: Assignment, actor) -> None:
    """Take planned hours off the board."""
    with database.atomic():
        audit.record("assignment.remove", assignment, user=actor,
                     before={"order": assignment.order_id, "group": assignment.work_group_id,
                             "day": assignment.day.isoformat(), "hours": str(assignment.hours)})
        assignment.delete_instance()


def is_planned_on(order: Order, group: WorkGroup) -> bool:
    """Tell whether an order has hours on a group on any day (its group's order)."""
    return Assignment.select().where(Assignment.order == order,
                                     Assignment.work_group == group).exists()


def overrun(order: Order, quantity: int, rejects: int) -> bool:
    """Tell whether registering this would bring the good units far beyond the order."""
    made, rejected = (Production.select(fn.COALESCE(fn.SUM(Production.quantity), 0),
                                        fn.COALESCE(fn.SUM(Production.rejects), 0))
                      .where(Production.order == order).tuples().get())
    good = good_quantity(int(made) + quantity, int(rejected) + rejects)
    return Decimal(good) > Decimal(order.quantity) * OVERRUN_FACTOR


def register_production(order: Order, group: WorkGroup, day: date, quantity: int, rejects: int,
                        actor, today: date, confirmed: bool = False) -> Production:
    """Register what a group made of an order on a day; the first moves it into production.

    :raise Refused: for bad numbers, a future day, a closed order, an order not planned on the
        group, or (unless confirmed) a quantity far beyond the order (field "confirm").
    """
    if quantity is None or quantity < 0:
        raise Refused(_l("The quantity cannot be below 0."), "quantity")
    if rejects is None or rejects < 0:
        raise Refused(_l("Rejects cannot be below 0."), "rejects")
    if rejects > quantity:
        raise Refused(_l("Rejects cannot be more than the quantity made."), "rejects")
    if quantity == 0:
        raise Refused(_l("Enter the quantity made."), "quantity")
    if day > today:
        raise Refused(_l("Production cannot be registered for a day still to come."), "day")
    if order.status not in (PLANNED, IN_PRODUCTION, READY):
        raise Refused(_l("Production can only be registered for a planned order."), "order")
    if not is_planned_on(order, group):
        raise Refused(_l("This order is not planned for this group."), "order")
    with write_transaction():
        if not confirmed and overrun(order, quantity, rejects):
            raise Refused(_l("This is far more than the order asks. Check the number, then "
                               "confirm."), "confirm")
        made = Production.create(order=order, work_group=group, day=day, quantity=quantity,
                                 rejects=rejects, registered_by=actor)
        current = Order.get_by_id(order.id)
        if current.status == PLANNED:
            _set_status(current, IN_PRODUCTION, actor, order)
        audit.record("production.register", made, user=actor,
                     after={"order": order.id, "group": group.id, "day": day.isoformat(),
                            "quantity": quantity, "rejects": rejects})
    return made


def usable_product_group(group_id: int | None, current_id: int | None = None
                         ) -> ProductGroup | None:
    """The product group an order may be given: an active one, or the one it already has.

    :raise Refused: for an unknown or inactive product group.
    """
    if group_id is None:
        return None
    group = ProductGroup.get_or_none(ProductGroup.id == group_id)
    if group is None or not (group.is_active or group.id == current_id):
        raise Refused(_l("Choose an active product group."), "product_group")
    return group


def set_product_group(order: Order, group_id: int | None, actor) -> None:
    """Give an order another product group, or none.

    :raise Refused: for an unknown or inactive product group.
    """
    with write_transaction():
        current = Order.get_by_id(order.id)
        group = usable_product_group(group_id, current.product_group_id)
        if (group.id if group else None) == current.product_group_id:
            return
        Order.update(product_group=group).where(Order.id == order.id).execute()
        audit.record("order.product_group", current, user=actor,
                     before={"product_group": current.product_group_id},
                     after={"product_group": group.id if group else None})
        order.product_group = group


def create_order(actor, *, product_group: int | None = None, **values) -> Order:
    """Take in an order; its first status change (into intake) is recorded too.

    :raise Refused: for an unknown or inactive product group.
    """
    with database.atomic():
        group = usable_product_group(product_group)
        order = Order.create(created_by=actor, status=INTAKE, product_group=group, **values)
        OrderStatusChange.create(order=order, from_status=None, to_status=INTAKE,
                                 changed_by=actor)
        audit.record("order.create", order, user=actor,
                     after={"client": order.client_id, "product": order.product,
                            "quantity": order.quantity,
                            "product_group": order.product_group_id})
    return order

