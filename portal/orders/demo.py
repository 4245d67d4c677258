"""The demo's orders: client work in the own workshops, planned and produced."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from peewee import chunked

from portal.demo_kit import BATCH, Demo, at, section
from portal.orders import rules as order_rules
from portal.orders.models import (INTAKE, INVOICED, IN_PRODUCTION, PLANNED, READY, Assignment,
                                  Order, OrderStatusChange, Production)
from portal.people import structure_rules
from portal.people.models import ProductGroup, WorkGroup

# First word of a workfloor's name -> what its groups make for clients:
# (product, unit, norm range in units per hour, clients who order it)
FLOOR_PRODUCTS = {
    "Assemblage": (
        ("Montage deurbeslagsets", "sets", (18, 30),
         ("Demo Kozijnen BV", "Demo Bouwmaterialen BV")),
        ("Assemblage lampfittingen", "stuks", (40, 70), ("Fictief Elektrotechniek BV",)),
        ("Samenstellen bevestigingssets", "sets", (25, 45), ("Demo Installatietechniek BV",)),
        ("Montage fietsverlichting", "stuks", (20, 35), ("Fictief Fietsonderdelen BV",)),
    ),
    "Verpakken": (
        ("Koffiepads in displays verpakken", "displays", (60, 110), ("Demo Koffiebranderij BV",)),
        ("Relatiegeschenken samenstellen", "pakketten", (12, 20), ("Voorbeeld Verpakkingen BV",)),
        ("Zuivel sealen en etiketteren", "stuks", (150, 260), ("Voorbeeld Zuivel BV",)),
        ("Mailings vouwen en insteken", "stuks", (180, 320), ("Demo Drukwerk BV",)),
        ("Kaarsen in sleeves verpakken", "stuks", (90, 150), ("Voorbeeld Kaarsen BV",)),
    ),
    "Metaalbewerking": (
        ("Ontbramen stansdelen", "stuks", (80, 140), ("Fictief Metaal BV",)),
        ("Zetten montagebeugels", "stuks", (30, 55),
         ("Fictief Metaal BV", "Demo Installatietechniek BV")),
    ),
    "Houtbewerking": (
        ("Plantenbakken timmeren", "stuks", (3, 6),
         ("Voorbeeld Tuinmeubelen BV", "Voorbeeld Kwekerij BV")),
        ("Pallethout op maat zagen", "stuks", (40, 70),
         ("Demo Bouwmaterialen BV", "Demo Recycling BV")),
        ("Kozijnonderdelen schuren", "stuks", (15, 25),
         ("Demo Kozijnen BV", "Demo Meubelmakerij BV")),
    ),
    "Textiel": (
        ("Boodschappentassen naaien", "stuks", (8, 14),
         ("Fictief Textiel BV", "Voorbeeld Webwinkel BV")),
        ("Werkkleding herstellen", "stuks", (4, 7),
         ("Fictief Wasserij BV", "Voorbeeld Schoonmaak BV")),
        ("Logo's borduren op poloshirts", "stuks", (10, 18), ("Demo Sportcentrum",)),
    ),
    "Logistiek": (
        ("Orderpicken webwinkel", "orderregels", (35, 60), ("Voorbeeld Webwinkel BV",)),
        ("Retouren verwerken", "stuks", (25, 40),
         ("Voorbeeld Webwinkel BV", "Fictief Kantoorartikelen BV")),
        ("Kantoorartikelen ompakken", "dozen", (30, 50), ("Fictief Kantoorartikelen BV",)),
    ),
    "Digitaal": (
        ("Personeelsdossiers scannen", "dossiers", (6, 10),
         ("Fictief Woningcorporatie", "Voorbeeld Zorggroep")),
        ("Bouwtekeningen digitaliseren", "tekeningen", (20, 35),
         ("Demo Kozijnen BV", "Fictief Woningcorporatie")),
    ),
    "Groenvoorziening": (
        ("Vaste planten oppotten", "potten", (80, 140), ("Voorbeeld Kwekerij BV",)),
        ("Buxus stekken", "stekken", (150, 250), ("Voorbeeld Kwekerij BV", "Fictief Hoveniers BV")),
    ),
    "Schoonmaak": (
        ("Bedrijfskleding wassen en vouwen", "kg", (25, 40),
         ("Fictief Wasserij BV", "Voorbeeld Schoonmaak BV")),
    ),
}
# Product -> its product group, across the workfloors (packing happens on the logistics floor
# too). The webshop work has none yet: it shows as "without product group" in the figures.
PRODUCT_GROUP_OF = {
    "Montage deurbeslagsets": "Assemblage", "Assemblage lampfittingen": "Assemblage",
    "Samenstellen bevestigingssets": "Assemblage", "Montage fietsverlichting": "Assemblage",
    "Koffiepads in displays verpakken": "Verpakken", "Relatiegeschenken samenstellen": "Verpakken",
    "Zuivel sealen en etiketteren": "Verpakken", "Mailings vouwen en insteken": "Verpakken",
    "Kaarsen in sleeves verpakken": "Verpakken", "Kantoorartikelen ompakken": "Verpakken",
    "Ontbramen stansdelen": "Metaalbewerking", "Zetten montagebeugels": "Metaalbewerking",
    "Plantenbakken timmeren": "Houtbewerking", "Pallethout op maat zagen": "Houtbewerking",
    "Kozijnonderdelen schuren": "Houtbewerking",
    "Boodschappentassen naaien": "Textiel", "Werkkleding herstellen": "Textiel",
    "Logo's borduren op poloshirts": "Textiel", "Bedrijfskleding wassen en vouwen": "Textiel",
    "Personeelsdossiers scannen": "Digitaliseren", "Bouwtekeningen digitaliseren": "Digitaliseren",
    "Vaste planten oppotten": "Groenvoorziening", "Buxus stekken": "Groenvoorziening",
}
# A seasonal product group no longer offered for new orders.
RETIRED_PRODUCT_GROUPS = ("Kerstpakketten",)
ORDER_WEEKS_BACK = 8
ORDER_DAYS = (10, 22)  # working days an order takes its group
PLAN_AHEAD_WEEKS = 6  # how far the last orders are planned beyond the board
LATE_ORDERS = 2
OVERLOADED_CELLS = 4
INTAKE_SHARE = 0.5  # groups with a new order not planned yet


@dataclass
class OrderRun:
    """An order as the simulation of its group's weeks makes and plans it."""

    order: Order
    group: WorkGroup
    good: int = 0
    planned_units: Decimal = Decimal(0)
    cells: dict = field(default_factory=dict)  # day -> hours
    made: list = field(default_factory=list)  # (day, quantity, rejects)
    finished: date | None = None

    @property
    def remaining_units(self) -> Decimal:
        return Decimal(self.order.quantity) - self.good - self.planned_units


@section(70)
def orders(demo: Demo) -> None:
    """Orders in every status: past weeks produced, this week and next planned, some waiting."""
    this_monday = demo.today - timedelta(days=demo.today.weekday())
    first = this_monday - timedelta(weeks=ORDER_WEEKS_BACK)
    board_last = this_monday + timedelta(days=11)  # Friday of next week
    _product_groups(demo)
    groups = [g for g in demo.groups if g.id not in demo.detached_groups
              and g.workfloor.name.split(" ")[0] in FLOOR_PRODUCTS]
    capacity = order_rules.available_hours([g.id for g in groups], first,
                                           board_last + timedelta(weeks=PLAN_AHEAD_WEEKS))
    runs = []
    for group in groups:
        runs += _run_group(demo, group, capacity, first, board_last)
        if demo.rng.random() < INTAKE_SHARE:
            _intake_order(demo, group, board_last)
    _miss_due_dates(demo, runs, board_last)
    _overload(demo, runs, capacity, board_last)
    _store_runs(demo, runs)


def _product_groups(demo: Demo) -> None:
    """The product groups the planner keeps, as he would have entered them."""
    planner = demo.users["planning"].id
    for name in sorted(set(PRODUCT_GROUP_OF.values())) + list(RETIRED_PRODUCT_GROUPS):
        group = structure_rules.save(ProductGroup, None, {"name": name}, actor=planner)
        if name in RETIRED_PRODUCT_GROUPS:
            structure_rules.set_active(group, False, actor=planner)
        demo.product_groups[name] = group.id


def _product_group(demo: Demo, product: str) -> int | None:
    name = PRODUCT_GROUP_OF.get(product)
    return demo.product_groups[name] if name else None


def _run_group(demo: Demo, group, capacity: dict, first: date, board_last: date) -> list:
    """Day by day, one order after another on the group's free hours, until past the board."""
    rng, runs, run = demo.rng, [], None
    fill = Decimal(1)
    day, last = first, max(day for _gid, day in capacity)
    while day <= last:
        hours = capacity[(group.id, day)]
        if day.weekday() >= 5 or hours <= 0:
            day += timedelta(days=1)
            continue
        if run is None:
            if day > board_last:
                break
            fill = Decimal(str(round(rng.uniform(0.7, 0.95), 2)))
            run = _new_order(demo, group, day, _typical_hours(capacity, group) * fill)
            runs.append(run)
        norm = Decimal(run.order.norm_per_hour)
        planned = _half_hours(min(hours * fill, run.remaining_units / norm + Decimal("0.49")))
        if planned > 0:
            run.cells[day] = planned
            if day < demo.today:
                _produce(demo, run, day, planned)
            else:
                run.planned_units += planned * norm
        if run.remaining_units <= 0:
            run = None
        day += timedelta(days=1)
    return runs


def _typical_hours(capacity: dict, group) -> Decimal:
    working = [h for (gid, _day), h in capacity.items() if gid == group.id and h > 0]
    return sum(working, Decimal(0)) / max(1, len(working))


def _half_hours(value: Decimal) -> Decimal:
    return (Decimal(value) * 2).to_integral_value(rounding="ROUND_FLOOR") / 2


def _new_order(demo: Demo, group, first_day: date, daily_hours: Decimal) -> OrderRun:
    rng = demo.rng
    product, unit, (low, high), client_names = rng.choice(
        FLOOR_PRODUCTS[group.workfloor.name.split(" ")[0]])
    norm = Decimal(rng.randint(low, high))
    days = rng.randint(*ORDER_DAYS)
    quantity = _round_quantity(daily_hours * days * norm)
    client = _client(demo, rng.choice(client_names))
    start = first_day - timedelta(days=rng.randint(0, 3))
    created = min(at(start - timedelta(days=rng.randint(5, 15)), 10, rng.randint(0, 59)),
                  demo.now - timedelta(hours=rng.randint(26, 72)))  # never in the future
    due = first_day + timedelta(days=round(days * 7 / 5 * 1.3) + rng.randint(2, 8))
    order = order_rules.create_order(
        demo.users["planning"], client=client, product=product, quantity=quantity, unit=unit,
        norm_per_hour=norm, start_date=start, due_date=due, workfloor=group.workfloor,
        location=group.workfloor.location, product_group=_product_group(demo, product), notes="")
    _date_order(order, created)
    return OrderRun(order=order, group=group)


def _round_quantity(units: Decimal) -> int:
    step = 1000 if units > 20000 else 100 if units > 2000 else 10
    return max(step, int(units / step) * step)


def _client(demo: Demo, name: str):
    return next(c for c in demo.clients if c.name == name)


def _date_order(order, created: datetime) -> None:
    Order.update(created_at=created).where(Order.id == order.id).execute()
    OrderStatusChange.update(changed_at=created).where(
        OrderStatusChange.order == order.id).execute()
    order.created_at = created


def _produce(demo: Demo, run: OrderRun, day: date, hours: Decimal) -> None:
    """What the group made in its planned hours: about the norm, a few rejects."""
    rng = demo.rng
    made = int(hours * Decimal(run.order.norm_per_hour) * Decimal(str(rng.uniform(0.8, 1.05))))
    rejects = int(made * rng.uniform(0, 0.03))
    needed = run.order.quantity - run.good
    if made - rejects >= needed:  # the last batch: just what was still needed
        made = needed + rejects
        run.finished = day
    if made > 0:
        run.made.append((day, made, rejects))
        run.good += made - rejects


def _intake_order(demo: Demo, group, board_last: date) -> None:
    """A new order taken in this week, to start after the board: the planner's next job."""
    rng = demo.rng
    product, unit, (low, high), client_names = rng.choice(
        FLOOR_PRODUCTS[group.workfloor.name.split(" ")[0]])
    norm = Decimal(rng.randint(low, high))
    start = board_last + timedelta(days=rng.randint(3, 20))
    order = order_rules.create_order(
        demo.users["planning"], client=_client(demo, rng.choice(client_names)), product=product,
        quantity=_round_quantity(norm * rng.randint(300, 1200)), unit=unit, norm_per_hour=norm,
        start_date=start, due_date=start + timedelta(days=rng.randint(14, 35)),
        workfloor=group.workfloor, location=group.workfloor.location,
        product_group=_product_group(demo, product),
        notes=rng.choice(("", "", "Levering in delen mogelijk", "Klant levert materiaal aan")))
    _date_order(order, min(demo.now, at(demo.today - timedelta(days=rng.randint(0, 6)), 10)))


def _miss_due_dates(demo: Demo, runs: list, board_last: date) -> None:
    """A couple of orders in production whose due date falls before their planned hours end."""
    candidates = [r for r in runs if r.made and r.finished is None
                  and len([d for d in r.cells if demo.today <= d <= board_last]) >= 4]
    for run in demo.rng.sample(candidates, min(LATE_ORDERS, len(candidates))):
        ahead = sorted(d for d in run.cells if d >= demo.today)
        due = ahead[1]
        for day in ahead[2:]:
            del run.cells[day]  # the planner cannot plan past the due date
        run.order.due_date = due


def _overload(demo: Demo, runs: list, capacity: dict, board_last: date) -> None:
    """A few cells on the board with more hours than the group has that day."""
    cells = sorted((run.order.id, day, run) for run in runs for day in run.cells
                   if demo.today <= day <= board_last)
    for _id, day, run in demo.rng.sample(cells, min(OVERLOADED_CELLS, len(cells))):
        available = capacity[(run.group.id, day)]
        run.cells[day] = _half_hours(available * Decimal(str(demo.rng.uniform(1.15, 1.35))))


def _store_runs(demo: Demo, runs: list) -> None:
    """The simulated orders' plan, production, status and status history, in bulk."""
    planner = demo.users["planning"]
    assignments, production, changes = [], [], []
    for run in runs:
        order, supervisor = run.order, run.group.supervisor_id
        order.due_date = max(order.due_date, max(run.cells))
        planned_at = min(order.created_at + timedelta(days=demo.rng.randint(1, 3), hours=3),
                         at(min(run.cells), 8), demo.now - timedelta(hours=1))
        assignments += [dict(order=order.id, work_group=run.group.id, day=day, hours=hours,
                             created_by=planner, created_at=planned_at)
                        for day, hours in sorted(run.cells.items())]
        production += [dict(order=order.id, work_group=run.group.id, day=day, quantity=made,
                            rejects=rejects, registered_by=supervisor,
                            registered_at=at(day, 15, 45))
                       for day, made, rejects in run.made]
        steps = _status_steps(demo, run, planned_at, planner.id, supervisor)
        changes += [dict(order=order.id, from_status=before, to_status=after, changed_by=user,
                         changed_at=moment) for before, after, user, moment in steps]
        Order.update(status=steps[-1][1], due_date=order.due_date).where(
            Order.id == order.id).execute()
    for model, rows in ((Assignment, assignments), (Production, production),
                        (OrderStatusChange, changes)):
        for batch in chunked(rows, BATCH * 5):
            model.insert_many(batch).execute()


def _status_steps(demo: Demo, run: OrderRun, planned_at: datetime, planner: int,
                  supervisor: int) -> list[tuple]:
    """(from, to, by, when) for each move after intake, as the rules would have made them."""
    steps = [(INTAKE, PLANNED, planner, planned_at)]
    if run.made:  # the first registration moves the order into production
        steps.append((PLANNED, IN_PRODUCTION, supervisor, at(run.made[0][0], 15, 45)))
    if run.finished is not None:
        steps.append((IN_PRODUCTION, READY, planner, at(run.finished, 16, 30)))
        invoiced = at(run.finished + timedelta(days=demo.rng.randint(3, 10)), 10)
        if invoiced < demo.now - timedelta(days=1) and demo.rng.random() < 0.8:
            steps.append((READY, INVOICED, planner, invoiced))
    return steps
