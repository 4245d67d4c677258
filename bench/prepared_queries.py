"""Benchmark: do the kiosk's prepared queries pay? The scan path's badge look-up, both ways.

`portal/kiosk/prepared.py` leans on a private peewee method, so it may stay only where a
measurement shows it pays. This runs the scan path's heaviest read (badge, person, group,
workfloor and the day's sign-off, `scans._badge_by_hash`) as the prepared query and as the
plain peewee query it is built from, alternating in rounds on one database, and prints the time
per call of each and their ratio (a ratio is fair on a shared, noisy machine).

    .venv/bin/python bench/prepared_queries.py [--pg postgresql://postgres@127.0.0.1:5432/postgres]
        [--calls 2000]
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import db  # noqa: E402
from portal.kiosk import scans  # noqa: E402
from portal.kiosk.models import Badge  # noqa: E402
from portal.people.models import Employee, Location, Municipality, Workfloor, WorkGroup  # noqa: E402
from portal.tokens import sha256  # noqa: E402

ROUNDS = 5
PEOPLE = 500
DAY = date(2026, 11, 16)


def build() -> list[str]:
    """500 people with a badge each; return the badges' digests."""
    with db.database.atomic():
        town = Municipality.create(name="Bench")
        site = Location.create(name="Werkplaats", kind="own")
        floor = Workfloor.create(name="Hal 1", location=site, workplaces=PEOPLE)
        group = WorkGroup.create(name="Ploeg 1", workfloor=floor)
        digests = []
        for n in range(PEOPLE):
            person = Employee.create(employee_number=f"P{n:05d}", first_name=f"V{n}",
                                     last_name=f"A{n}", employment="sw",
                                     contract_hours=Decimal(32), municipality=town,
                                     work_group=group, start_date=date(2020, 1, 1))
            digest = sha256(f"badge-{n}")
            Badge.create(employee=person, token_hash=digest)
            digests.append(digest)
    return digests


def per_call(run, digests, calls: int) -> float:
    """Seconds per call of `run(digest)` over `calls` calls."""
    start = time.perf_counter()
    for n in range(calls):
        run(digests[n % len(digests)])
    return (time.perf_counter() - start) / calls


def bench(url: str, label: str, calls: int) -> None:
    db.database.initialize(db.open_database(url))
    with db.database.connection_context():
        db.migrate()
        digests = build()
        prepared = scans._badge_by_hash
        both = {
            "prepared": lambda digest: prepared.first(digest, DAY),
            # The same query, written by peewee anew on every call (as without Prepared).
            "plain": lambda digest: prepared._build(digest, DAY).first(),
        }
        assert both["prepared"](digests[0]).id == both["plain"](digests[0]).id
        times = {name: [] for name in both}
        for _round in range(ROUNDS):
            for name, run in both.items():
                times[name].append(per_call(run, digests, calls))
        prepared_us = statistics.median(times["prepared"]) * 1e6
        plain_us = statistics.median(times["plain"]) * 1e6
        print(f"== {label}: badge look-up, median of {ROUNDS} rounds of {calls} calls ==")
        print(f"prepared {prepared_us:.0f} µs, plain {plain_us:.0f} µs per call; "
              f"prepared / plain = {prepared_us / plain_us:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL server URL; a throwaway database is made there")
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    calls = max(1, min(args.calls, 20_000))
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{tmp}/bench.sqlite3", "SQLite", calls)
        db.database.obj.close()
    if args.pg:
        import psycopg2

        name = f"portal_bench_{uuid.uuid4().hex[:10]}"
        admin = psycopg2.connect(args.pg)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        try:
            bench(args.pg.rsplit("/", 1)[0] + "/" + name, "PostgreSQL", calls)
            db.database.obj.close_all()
        finally:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


if __name__ == "__main__":
    main()
