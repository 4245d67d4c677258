"""The reads behind the order list and the planning board: a fixed few queries each."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, timedelta
from decimal import Decimal

from peewee import JOIN

from portal.listing import search_filter
from portal.orders import rules
from portal.orders.models import (IN_PRODUCTION, OPEN_STATUSES, PLANNED, STATUSES, Assignment,
                                  Order)
from portal.people.models import Client, Location, ProductGroup, Workfloor, WorkGroup
from portal.timeutil import as_date

BOARD_DAYS = 14
# The product group filter's choice for orders that have none.
WITHOUT_PRODUCT_GROUP = "none"
# Orders a group can still register production on.
PRODUCING_STATUSES = (PLANNED, IN_PRODUCTION)


def _int_arg(args, name) -> int | None:
    value = (args.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def order_list_query(today: date, args):
    """Orders filtered by client, status, workfloor, product group and text: late first, then
    by due date."""
    query, late = rules.figures_query(today)
    # The joined rows' ids too: peewee puts each joined row on the order, and one without its
    # id would set the order's key to None (`order.workfloor_id`, that the page and the
    # exports ask, read None even for an order on a workfloor).
    query = (query.select_extend(Client.id, Client.name, Workfloor.id, Workfloor.name,
                                 Location.id, Location.name, ProductGroup.id, ProductGroup.name)
             .join(Client).switch(Order)
             .join(Workfloor, JOIN.LEFT_OUTER).switch(Order)
             .join(Location, JOIN.LEFT_OUTER).switch(Order)
             .join(ProductGroup, JOIN.LEFT_OUTER).switch(Order))
    client_id = _int_arg(args, "client")
    if client_id:
        query = query.where(Order.client == client_id)
    workfloor_id = _int_arg(args, "workfloor")
    if workfloor_id:
        query = query.where(Order.workfloor == workfloor_id)
    if args.get("product_group") == WITHOUT_PRODUCT_GROUP:
        query = query.where(Order.product_group.is_null())
    else:
        product_group_id = _int_arg(args, "product_group")
        if product_group_id:
            query = query.where(Order.product_group == product_group_id)
    status = args.get("status") or ""
    if status == "open":
        query = query.where(Order.status.in_(OPEN_STATUSES))
    elif status in STATUSES:
        query = query.where(Order.status == status)
    query = search_filter(query, args.get("q"), Order.product, Client.name)
    return query.order_by(late.desc(), Order.due_date, Order.id)


def product_group_filter_choices() -> list[tuple[int, str, bool]]:
    """(id, name, active) of the product groups to filter the list by: the active ones, and the
    inactive ones that orders still carry (their orders stay findable). One query."""
    carried = (Order.select(Order.product_group).distinct()
               .where(Order.product_group.is_null(False)))
    return list(ProductGroup.select(ProductGroup.id, ProductGroup.name, ProductGroup.is_active)
                .where((ProductGroup.is_active == True)  # noqa: E712
                       | ProductGroup.id.in_(carried))
                .order_by(ProductGroup.name).tuples())


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(slots=True)
class Chip:
    """What a board cell shows of one planned order (plain values: 30 groups make many)."""

    id: int
    order_id: int
    product: str
    client: str
    hours: Decimal


@dataclass
class Cell:
    group_id: int
    day: date
    available: Decimal
    assignments: list = field(default_factory=list)

    # Cached: read only once the board is built, several times per cell while rendering.
    @cached_property
    def planned(self) -> Decimal:
        return sum((a.hours for a in self.assignments), Decimal(0))

    @cached_property
    def overload(self) -> Decimal:
        return rules.overload(self.planned, self.available)

    @property
    def dom_id(self) -> str:
        return f"cell-{self.group_id}-{self.day.isoformat()}"


@dataclass
class Row:
    group: WorkGroup
    cells: list

    @property
    def planned(self) -> Decimal:
        return sum((c.planned for c in self.cells), Decimal(0))

    @property
    def available(self) -> Decimal:
        return sum((c.available for c in self.cells), Decimal(0))

    @property
    def overload(self) -> Decimal:
        return sum((c.overload for c in self.cells), Decimal(0))


def board_days(start: date, days: int = BOARD_DAYS) -> list[date]:
    """Every day of the fortnight from a Monday on (idle weekend days are dropped later)."""
    return rules.days_between(start, start + timedelta(days=days - 1))


def _in_use(day: date, working: set, planned: set) -> bool:
    return day.weekday() < 5 or day in working or day in planned


def drop_idle_weekends(days: list[date], rows: list) -> tuple[list[date], list]:
    """Leave out the weekend days on which no shown group works or has work planned."""
    working = {c.day for row in rows for c in row.cells if c.available > 0}
    planned = {c.day for row in rows for c in row.cells if c.assignments}
    keep = [d for d in days if _in_use(d, working, planned)]
    for row in rows:
        row.cells = [c for c in row.cells if _in_use(c.day, working, planned)]
    return keep, rows


def shown_days(start: date, group_ids: list[int]) -> list[date]:
    """The days the board shows for these groups: as `drop_idle_weekends` decides, but without
    building every row (for an answer that sends only a few rows). Three queries."""
    days = board_days(start)
    weekend = [d for d in days if d.weekday() >= 5]
    hours = rules.available_hours(group_ids, weekend[0], weekend[-1])
    working = {d for (_gid, d), h in hours.items() if h > 0}
    planned = {as_date(d) for (d,) in Assignment.select(Assignment.day).distinct()
               .where(Assignment.work_group.in_(group_ids or [0]), Assignment.day.in_(weekend))
               .tuples()}
    return [d for d in days if _in_use(d, working, planned)]


OWN, DETACHED = "own", "detached"
GROUP_KINDS = (OWN, DETACHED)


@dataclass(frozen=True)
class BoardFilter:
    """Which groups the board shows (a workfloor, a kind) and how (compact or full).

    Every link and post of the board carries it in its query string, so a change answers
    rows for the same groups and columns as the page the planner looks at.
    """

    workfloor: int | None = None
    kind: str = ""
    compact: bool = False

    @classmethod
    def from_args(cls, args) -> "BoardFilter":
        kind = args.get("kind") or ""
        return cls(workfloor=_int_arg(args, "workfloor"),
                   kind=kind if kind in GROUP_KINDS else "",
                   compact=args.get("view") == "compact")

    def args(self, **changed) -> dict:
        """The query-string arguments of this filter (only those that are set)."""
        values = {"workfloor": self.workfloor, "kind": self.kind,
                  "view": "compact" if self.compact else None, **changed}
        return {name: value for name, value in values.items() if value}

    @property
    def narrows(self) -> bool:
        return bool(self.workfloor or self.kind)

    def apply(self, groups: list, first: date, last: date) -> list:
        """The groups that pass the filter (one query more only for a kind)."""
        if self.workfloor:
            groups = [g for g in groups if g.workfloor_id == self.workfloor]
        if self.kind:
            detached = detached_group_ids(first, last)
            groups = [g for g in groups if (g.id in detached) == (self.kind == DETACHED)]
        return groups


def detached_group_ids(first: date, last: date) -> set[int]:
    """The groups detached as a whole to a client on some day between two days."""
    from portal.detachments.models import GROUP, Detachment

    return {gid for (gid,) in Detachment.select(Detachment.work_group)
            .where(Detachment.kind == GROUP, Detachment.is_active == True,  # noqa: E712
                   Detachment.work_group.is_null(False), Detachment.start_date <= last,
                   Detachment.end_date.is_null() | (Detachment.end_date >= first))
            .tuples()}


def groups_for(user_group_ids: list[int] | None, group_ids=None):
    """Active groups (with their workfloor), all or only some; one query."""
    query = (WorkGroup.select(WorkGroup, Workfloor).join(Workfloor)
             .where(WorkGroup.is_active == True)  # noqa: E712
             .order_by(Workfloor.name, WorkGroup.name))
    if user_group_ids is not None:
        query = query.where(WorkGroup.id.in_(user_group_ids))
    if group_ids is not None:
        query = query.where(WorkGroup.id.in_(list(group_ids)))
    return list(query)


def build_rows(groups: list, days: list[date]) -> list[Row]:
    """The board's rows: per group, per day, its available hours and planned orders.

    Three queries whatever the number of groups: members, schedule days, assignments.
    """
    if not groups or not days:
        return []
    ids = [g.id for g in groups]
    first, last = days[0], days[-1]
    hours = rules.available_hours(ids, first, last)
    cells = {(gid, day): Cell(gid, day, hours[(gid, day)]) for gid in ids for day in days}
    assignments = (Assignment.select(Assignment.id, Assignment.work_group, Assignment.day,
                                     Assignment.hours, Order.id, Order.product, Client.name)
                   .join(Order).join(Client)
                   .where(Assignment.work_group.in_(ids), Assignment.day.between(first, last))
                   .order_by(Assignment.id).tuples())
    for aid, gid, day, hours, order_id, product, client in assignments:
        cell = cells.get((gid, as_date(day)))
        if cell is not None:
            cell.assignments.append(Chip(aid, order_id, product, client, rules.as_decimal(hours)))
    return [Row(g, [cells[(g.id, day)] for day in days]) for g in groups]


def board_orders(today: date, first: date, last: date, order_ids=None):
    """Open orders whose window meets the shown days, with their figures (two queries)."""
    query, late = rules.figures_query(today)
    query = (query.select_extend(Client.name).join(Client).switch(Order)
             .where(Order.status.in_(OPEN_STATUSES), Order.start_date <= last,
                    Order.due_date >= first)
             .order_by(late.desc(), Order.due_date, Order.id))
    if order_ids is not None:
        query = query.where(Order.id.in_(list(order_ids)))
    return rules.with_figures(query, today)


@dataclass
class PlannedWork:
    """An order's hours planned on a group over some days: what has to move when it goes."""

    order_id: int
    product: str
    client: str
    first_day: date
    last_day: date
    hours: Decimal

    @property
    def week_start(self) -> date:
        """The Monday the board shows this work from."""
        return monday_of(self.first_day)


def planned_work(group_id: int, first: date, last: date | None) -> list[PlannedWork]:
    """The orders planned on a group between two days (no last: from first on), per order,
    soonest first. One query."""
    query = (Assignment.select(Order.id, Order.product, Client.name, Assignment.day,
                               Assignment.hours)
             .join(Order).join(Client)
             .where(Assignment.work_group == group_id, Assignment.day >= first)
             .order_by(Assignment.day, Order.id))
    if last is not None:
        query = query.where(Assignment.day <= last)
    work = {}
    for order_id, product, client, day, hours in query.tuples():
        day, hours = as_date(day), rules.as_decimal(hours)
        item = work.get(order_id)
        if item is None:
            work[order_id] = PlannedWork(order_id, product, client, day, day, hours)
        else:
            item.last_day, item.hours = day, item.hours + hours
    return list(work.values())


def groups_planned(order_ids, first: date, last: date) -> set[int]:
    """The ids of the groups that have hours of these orders between two days."""
    return {gid for (gid,) in Assignment.select(Assignment.work_group).distinct()
            .where(Assignment.order.in_(list(order_ids)), Assignment.day.between(first, last))
            .tuples()}


def chip_order_ids(rows: list[Row]) -> set[int]:
    """The ids of the orders planned in the rows' cells."""
    return {chip.order_id for row in rows for cell in row.cells for chip in cell.assignments}


def supervised_group_ids(user) -> list[int]:
    return [g.id for g in WorkGroup.select(WorkGroup.id).where(WorkGroup.supervisor == user)]


@dataclass
class WorkItem:
    """An order on a group's list of work: hours planned on the day (0 when planned earlier)."""

    order: Order
    hours_today: Decimal


WORK_LOOKBACK_DAYS = 6


def today_work(group_ids: list[int], day: date) -> dict:
    """{group id: [WorkItem]}: the orders planned on each group today, then those of the past
    few days still in progress (so that yesterday's output can be registered). One query."""
    work = defaultdict(dict)
    rows = (Assignment.select(Assignment, Order, Client).join(Order).join(Client)
            .where(Assignment.work_group.in_(group_ids or [0]),
                   Assignment.day.between(day - timedelta(days=WORK_LOOKBACK_DAYS), day),
                   Order.status.in_(PRODUCING_STATUSES))
            .order_by(Order.due_date, Order.id))
    for assignment in rows:
        items = work[assignment.work_group_id]
        item = items.setdefault(assignment.order_id, WorkItem(assignment.order, Decimal(0)))
        if assignment.day == day:
            item.hours_today += Decimal(assignment.hours)
    return {gid: sorted(items.values(), key=lambda i: (i.hours_today == 0, i.order.due_date,
                                                       i.order.id))
            for gid, items in work.items()}
