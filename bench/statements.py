"""Benchmark: the monthly hours statements of every client, at 300 detached people.

Builds a throwaway database (SQLite file, and PostgreSQL when a server URL is given), fills it
with a year of attendance for 300 detached employees (and 200 others working at the own
sites), then times `statements.client_month` for every client for one month.

    .venv/bin/python bench/statements.py [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Prints the total time and the time per client statement and per detachment statement.
The target: under 2 s for all clients together.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import db  # noqa: E402
from portal.attendance.models import AttendanceSegment  # noqa: E402
from portal.detachments import exports, hours, periods, statements  # noqa: E402
from portal.detachments.models import (Detachment, DetachmentMember, HoursEntry,  # noqa: E402
                                       Rate)
from portal.people.models import (Client, Employee, Location, Municipality,  # noqa: E402
                                  Workfloor, WorkGroup)
from portal.timeutil import to_utc  # noqa: E402

MONTH = date(2026, 10, 1)
YEAR_START, YEAR_END = date(2025, 11, 1), date(2026, 10, 31)
CLIENTS = 20
GROUPS = 12          # group detachments of 20 people: 240
GROUP_SIZE = 20
INDIVIDUALS = 60     # individual detachments: 60 (300 detached in all)
OTHERS = 200         # employees who stay on the own workfloors
BATCH = 2000


def build(seed: int = 7) -> dict:
    """Fill the database; return counts."""
    rng = random.Random(seed)
    database = db.database
    with database.atomic():
        town = Municipality.create(name="Bench")
        own = Location.create(name="Eigen werkplaats", kind="own")
        floor = Workfloor.create(name="Hal 1", location=own, workplaces=400)
        clients, sites = [], []
        for n in range(CLIENTS):
            client = Client.create(name=f"Klant {n:02d} BV")
            clients.append(client)
            sites.append([Location.create(name=f"Vestiging {n}-{k}", kind="client", client=client)
                          for k in range(2)])
        number = iter(range(1, 10_000))

        def person(group=None):
            n = next(number)
            return Employee.create(employee_number=f"B{n:05d}", first_name=f"Voornaam{n}",
                                   last_name=f"Achternaam{n}", employment="sw",
                                   contract_hours=Decimal(32), municipality=town,
                                   work_group=group, start_date=date(2020, 1, 1))

        placed = []  # (employee, location)
        detachments = []
        for g in range(GROUPS):
            group = WorkGroup.create(name=f"Ploeg {g}", workfloor=floor)
            members = [person(group) for _ in range(GROUP_SIZE)]
            site = sites[g % CLIENTS][0]
            det = Detachment.create(client=site.client, location=site, kind="group",
                                    name=group.name, start_date=YEAR_START, work_group=group)
            DetachmentMember.insert_many([
                {"detachment": det.id, "employee": m.id, "start_date": YEAR_START}
                for m in members]).execute()
            placed += [(m, site) for m in members]
            detachments.append((det, "per_person_day", Decimal("165.00")))
        for i in range(INDIVIDUALS):
            m = person()
            site = sites[(GROUPS + i) % CLIENTS][1]
            det = Detachment.create(client=site.client, location=site, kind="individual",
                                    name=m.full_name, start_date=YEAR_START)
            DetachmentMember.create(detachment=det, employee=m, start_date=YEAR_START)
            placed.append((m, site))
            detachments.append((det, "per_hour", Decimal("28.50")))
        for det, form, amount in detachments:
            Rate.create(detachment=det, price_form=form, amount=amount, valid_from=YEAR_START,
                        valid_to=date(2025, 12, 31))
            raised = (amount * Decimal("1.03")).quantize(Decimal("0.01"))
            Rate.create(detachment=det, price_form=form, amount=raised,
                        valid_from=date(2026, 1, 1))
        others = [(person(), own) for _ in range(OTHERS)]

    rows, segments = [], 0
    day = YEAR_START
    while day <= YEAR_END:
        if day.weekday() < 5:
            for employee, where in placed + others:
                if rng.random() < 0.08:  # absent: not billed, nothing stored here
                    continue
                start = to_utc(datetime.combine(day, datetime.min.time()) + timedelta(hours=8))
                rows.append({"employee": employee.id, "day": day, "check_in": start,
                             "check_out": start + timedelta(minutes=rng.choice((420, 450, 480))),
                             "in_source": "badge", "out_source": "badge",
                             "location": where.id})
        day += timedelta(days=1)
    with database.atomic():
        for first in range(0, len(rows), BATCH):
            AttendanceSegment.insert_many(rows[first:first + BATCH]).execute()
            segments += len(rows[first:first + BATCH])
        # Jobcoach weeks for a third of the individuals (days without a tablet).
        individuals = [d for d, form, _a in detachments if form == "per_hour"][::3]
        for det in individuals:
            member = det.members.get()
            monday = hours.week_start(MONTH)
            while monday <= periods.month_end(MONTH):
                HoursEntry.create(detachment=det, employee=member.employee_id, week_start=monday,
                                  saturday=Decimal("4.00"))
                monday += timedelta(days=7)
    if not db.is_sqlite():
        database.execute_sql("ANALYZE")
    return {"clients": CLIENTS, "detachments": len(detachments),
            "detached": len(placed), "segments": segments}


def run_once() -> tuple[float, list[float], int, Decimal]:
    """Every client's statement for MONTH; total seconds, seconds per client, parts, amount."""
    per_client, parts_count, amount = [], 0, Decimal(0)
    started = time.perf_counter()
    for client in Client.select().order_by(Client.name):
        t0 = time.perf_counter()
        parts = statements.client_month(client, MONTH)
        per_client.append(time.perf_counter() - t0)
        parts_count += len(parts)
        amount += exports.grand_total(parts)["amount"]
    return time.perf_counter() - started, per_client, parts_count, amount


def bench(url: str, label: str) -> None:
    db.database.initialize(db.open_database(url))
    with db.database.connection_context():
        db.migrate()
        t0 = time.perf_counter()
        counts = build()
        built = time.perf_counter() - t0
        print(f"\n== {label} ==")
        print(f"data: {counts['clients']} clients, {counts['detachments']} detachments, "
              f"{counts['detached']} detached people, {counts['segments']:,} segments "
              f"(a year), built in {built:.1f} s")
        runs = [run_once() for _ in range(3)]
        totals = [r[0] for r in runs]
        _total, per_client, parts, amount = runs[0]
        print(f"month {periods.month_key(MONTH)}: {len(per_client)} client statements with "
              f"{parts} detachment statements, amount EUR {amount:,.2f}")
        print(f"total, first run: {totals[0] * 1000:.0f} ms; median of 3: "
              f"{statistics.median(totals) * 1000:.0f} ms (target < 2000 ms)")
        print(f"per client statement: mean {statistics.mean(per_client) * 1000:.1f} ms, "
              f"max {max(per_client) * 1000:.1f} ms; per detachment statement: "
              f"{statistics.median(totals) / parts * 1000:.1f} ms")
        # Sending freezes one detachment's statement: the planner's click.
        det = Detachment.select().where(Detachment.kind == "group").first()
        t0 = time.perf_counter()
        statements.send_statement(det, MONTH)
        print(f"send (freeze + link) of one group statement: "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL server URL; a throwaway database is made there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{tmp}/bench.sqlite3", "SQLite")
        db.database.obj.close()
    if args.pg:
        import psycopg2

        name = f"portal_bench_{uuid.uuid4().hex[:10]}"
        admin = psycopg2.connect(args.pg)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        try:
            bench(args.pg.rsplit("/", 1)[0] + "/" + name, "PostgreSQL")
            db.database.obj.close_all()
        finally:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


if __name__ == "__main__":
    main()
