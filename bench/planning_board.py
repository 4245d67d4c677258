"""Benchmark: the planning board (30 groups, two weeks) and the order list (5,000 orders).

Builds a throwaway database at demo scale, logs a planner in, and times each page in the
server (the Flask test client: no network, no browser), printing the median and the slowest of
several requests. Target: under 200 ms per page.

    .venv/bin/python bench/planning_board.py                       # SQLite (a temporary file)
    .venv/bin/python bench/planning_board.py --pg postgresql://postgres@127.0.0.1:5432/postgres
        (makes, then drops, its own database on that server)
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, time as clock, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GROUPS = 30
MEMBERS_PER_GROUP = 10
ORDERS = 5_000
REPEATS = 15


def seed(today: date) -> None:
    """Demo scale: 30 groups of 10, 5,000 orders of which 300 open with plans and production."""
    from werkzeug.security import generate_password_hash

    from portal.auth.models import User
    from portal.db import database
    from portal.orders.models import Assignment, Order, Production
    from portal.people.models import (Client, Employee, Location, Municipality, Schedule,
                                      ScheduleDay, Workfloor, WorkGroup)

    rnd = random.Random(5)
    with database.atomic():
        planner = User.create(username="bench-planner", display_name="Bench Planner",
                              role="planner",
                              password_hash=generate_password_hash("bench-password",
                                                                   method="scrypt:1024:8:1"))
        town = Municipality.create(name="Benchdorp")
        site = Location.create(name="Hoofdvestiging", kind="own", city="Benchdorp")
        floors = [Workfloor.create(name=f"Hal {n}", location=site, workplaces=40)
                  for n in range(1, 6)]
        clients = [Client.create(name=f"Klant {n} BV") for n in range(1, 61)]
        supervisors = [User.create(username=f"bench-sup{n}", display_name=f"Werkleider {n}",
                                   role="supervisor", password_hash="x") for n in range(GROUPS)]
        groups = [WorkGroup.create(name=f"Ploeg {n:02d}", workfloor=floors[n % 5],
                                   supervisor=supervisors[n]) for n in range(GROUPS)]
        employees = []
        for group in groups:
            for m in range(MEMBERS_PER_GROUP):
                employees.append(dict(
                    employee_number=f"B{group.id:02d}{m:03d}", first_name=f"Mede{m}",
                    last_name=f"Werker{group.id}", employment="sw", contract_hours=Decimal(32),
                    municipality=town, work_group=group, start_date=date(2020, 1, 1)))
        Employee.insert_many(employees).execute()
        people = list(Employee.select(Employee.id))
        Schedule.insert_many([dict(employee=p.id, valid_from=date(2020, 1, 1))
                              for p in people]).execute()
        days = []
        for schedule in Schedule.select(Schedule.id):
            for weekday in range(5):
                start = clock(8 + rnd.randint(0, 1))
                days.append(dict(schedule=schedule.id, weekday=weekday, starts_at=start,
                                 ends_at=clock(start.hour + 7, 30), break_minutes=30))
        ScheduleDay.insert_many(days).execute()

        monday = today - timedelta(days=today.weekday())
        orders = []
        for n in range(ORDERS):
            open_order = n < 300
            due = (today + timedelta(days=rnd.randint(3, 40)) if open_order
                   else today - timedelta(days=rnd.randint(1, 700)))
            orders.append(dict(
                client=clients[n % len(clients)].id, product=f"Product {n}",
                quantity=rnd.randint(100, 20_000), unit="stuks",
                norm_per_hour=Decimal(rnd.randint(5, 120)), start_date=due - timedelta(days=45),
                due_date=due, workfloor=floors[n % 5].id, notes="",
                status=(rnd.choice(["intake", "gepland", "in_productie"]) if open_order
                        else rnd.choice(["gereed", "gefactureerd"])),
                created_by=planner.id))
        for chunk in range(0, len(orders), 500):
            Order.insert_many(orders[chunk:chunk + 500]).execute()
        open_orders = list(Order.select(Order.id, Order.start_date, Order.due_date)
                           .where(Order.status != "intake", Order.due_date >= today))
        cells, made = set(), []
        for order in open_orders:
            for _ in range(rnd.randint(2, 6)):
                day = monday + timedelta(days=rnd.randint(-7, 13))
                if day.weekday() < 5 and order.start_date <= day <= order.due_date:
                    cells.add((order.id, groups[rnd.randrange(GROUPS)].id, day))
        Assignment.insert_many([dict(order=o, work_group=g, day=d,
                                     hours=Decimal(rnd.randint(4, 30)), created_by=planner.id)
                                for o, g, d in cells]).execute()
        for order_id, group_id, day in list(cells)[:400]:
            if day <= today:
                made.append(dict(order=order_id, work_group=group_id, day=day,
                                 quantity=rnd.randint(10, 500), rejects=rnd.randint(0, 5),
                                 registered_by=supervisors[0].id))
        Production.insert_many(made).execute()
        closed = list(Order.select(Order.id).where(Order.status.in_(["gereed", "gefactureerd"]))
                      .limit(2000))
        Production.insert_many([dict(order=o.id, work_group=groups[0].id,
                                     day=today - timedelta(days=800), quantity=100, rejects=1,
                                     registered_by=supervisors[0].id) for o in closed]).execute()


def measure(client, url: str) -> tuple[float, float, float, int]:
    """Median and slowest wall time, and median CPU time of this process, in ms; page size.

    The machine is shared: wall time includes waiting for a core, CPU time does not (but it
    leaves out the PostgreSQL server's own work, which the wall time includes).
    """
    client.get(url)  # warm caches (templates, statement plans)
    wall, cpu = [], []
    for _ in range(REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(wall), max(wall), statistics.median(cpu), len(response.get_data())


def run(url: str, label: str) -> None:
    from portal import create_app, db, translations_tool
    from portal.timeutil import today

    translations_tool.compile_all()
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"SECRET_KEY": "bench-" + "x" * 32, "DATABASE_URL": url,
                          "INSTANCE_PATH": instance, "WTF_CSRF_ENABLED": False})
        db.migrate()
        with app.app_context():
            db.database.connect(reuse_if_open=True)
            started = time.perf_counter()
            seed(today())
            # Fresh bulk-loaded tables have no planner statistics yet (autovacuum would gather
            # them within minutes in production); without them PostgreSQL picks nested loops.
            db.database.execute_sql("ANALYZE")
            db.database.close()
        print(f"[{label}] seeded in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        response = client.post("/auth/login", data={"username": "bench-planner",
                                                    "password": "bench-password"})
        assert response.status_code == 302, response.status_code
        monday = today() - timedelta(days=today().weekday())
        pages = [
            (f"/orders/board?start={monday.isoformat()}", "board, 30 groups x 2 weeks"),
            ("/orders/", "order list, 5,000 orders, page 1"),
            ("/orders/?page=100", "order list, 5,000 orders, page 100"),
            ("/orders/?status=open&q=Product", "order list, filtered"),
        ]
        for page_url, name in pages:
            median, slowest, cpu, size = measure(client, page_url)
            verdict = "ok" if median < 200 else "OVER TARGET"
            print(f"[{label}] {name:38s} median {median:6.1f} ms   max {slowest:6.1f} ms   "
                  f"cpu {cpu:6.1f} ms   {size / 1024:5.0f} KB   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a postgresql:// URL of a server to make a database on")
    args = parser.parse_args()
    if not args.pg:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{folder}/bench.sqlite3", "SQLite")
        return
    from tests.throwaway import throwaway_postgres

    with throwaway_postgres(args.pg, "portal_bench") as url:
        run(url, "PostgreSQL")

if __name__ == "__main__":
    main()
