"""Benchmark: every figure page for a year, and the first screen of each role, on a big company.

    .venv/bin/python bench/figures.py                      # SQLite: 2,000 employees x 1 year
    .venv/bin/python bench/figures.py --pg postgresql://postgres@127.0.0.1:5432/postgres
                                                           # and PostgreSQL: 10,000 x 5 years
    .venv/bin/python bench/figures.py --only pg --pg URL   # PostgreSQL alone
    .venv/bin/python bench/figures.py --into URL           # fill an empty database, keep it
    .venv/bin/python bench/figures.py --filled URL         # and time it again, without filling

Each run fills a throwaway database with bulk inserts (COPY on PostgreSQL, executemany on
SQLite): employees in groups of 40 with part-time schedules and a schedule change, a check-in
for nearly every scheduled day, absences, group moves, orders with planning and production,
group detachments at client sites (members, a rate) with monthly statements of a real one's
size. Then it asks each page through the app (a logged-in test client, the whole request),
three times, and prints the best and the median. Targets: a figure page under 1 s on
PostgreSQL at 10,000 x 5 years and under 500 ms on SQLite at 2,000 x 1 year; a first screen
under 100 ms.
"""

import argparse
import csv
import io
import random
import statistics
import sys
import tempfile
import time as clock
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.security import generate_password_hash  # noqa: E402

from portal import create_app, db  # noqa: E402
from portal.db import database  # noqa: E402
from tests.throwaway import throwaway_postgres  # noqa: E402
from portal.reports.registry import FIGURES  # noqa: E402

TODAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 9, 30)
GROUP_SIZE = 40
BATCH_PEOPLE = 400
PASSWORD = "bench-password"
SCHEDULES = [
    {d: ("08:00:00", "16:30:00", 30) for d in range(5)},
    {d: ("08:00:00", "16:30:00", 30) for d in range(5)},
    {d: ("08:00:00", "12:30:00", 30) for d in (0, 1, 2)},
    {d: ("07:30:00", "15:30:00", 30) for d in (0, 1, 3, 4)},
]


class Bulk:
    """Rows into a table fast: COPY on PostgreSQL, one executemany on SQLite."""

    def __init__(self, table: str, columns: tuple):
        self.table, self.columns, self.rows = table, columns, []

    def add(self, *values) -> None:
        self.rows.append(values)

    def flush(self) -> None:
        if not self.rows:
            return
        columns = ", ".join(self.columns)
        if db.is_sqlite():
            marks = ", ".join("?" for _ in self.columns)
            database.connection().executemany(
                f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})', self.rows)
        else:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in self.rows:
                writer.writerow(["\\N" if v is None else v for v in row])
            buffer.seek(0)
            with database.cursor() as cursor:
                cursor.copy_expert(f'COPY "{self.table}" ({columns}) FROM STDIN '
                                   "WITH (FORMAT csv, NULL '\\N')", buffer)
        self.rows = []


def _ids(table: str) -> list[int]:
    return [row[0] for row in database.execute_sql(f'SELECT id FROM "{table}" ORDER BY id')]


def fill(employees: int, years: int, seed: int = 11) -> dict:
    """The company; returns the row counts."""
    from portal.attendance.rules import public_holiday

    rnd = random.Random(seed)
    first_day = date(TODAY.year - years + 1, 1, 1) if years > 1 else TODAY - timedelta(days=365)
    stamp = NOW.isoformat(sep=" ")
    password = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    groups_count = (employees + GROUP_SIZE - 1) // GROUP_SIZE
    with database.atomic():
        users = Bulk("user", ("username", "display_name", "password_hash", "role", "locale",
                              "is_active", "session_version", "created_at", "last_login_at"))
        for role in ("admin", "planner", "hr"):
            users.add(f"bench-{role}", role, password, role, "nl", True, 1, stamp, stamp)
        for n in range(groups_count):
            users.add(f"werkleider{n}", f"Werkleider {n}", password, "supervisor", "nl", True, 1,
                      stamp, None if n % 7 else stamp)
        users.flush()
        supervisor_ids = [row[0] for row in database.execute_sql(
            "SELECT id FROM \"user\" WHERE role = 'supervisor' ORDER BY id")]
        towns = Bulk("municipality", ("name", "is_active"))
        for n in range(9):
            towns.add(f"Gemeente {n}", True)
        towns.flush()
        town_ids = _ids("municipality")
        clients = Bulk("client", ("name", "contact_name", "email", "phone", "is_active"))
        for n in range(60):
            clients.add(f"Klant {n} BV", "", "", "", True)
        clients.flush()
        client_ids = _ids("client")
        places = Bulk("location", ("name", "kind", "client_id", "street", "postcode", "city",
                                   "is_active"))
        for n in range(4):
            places.add(f"Vestiging {n}", "own", None, "", "", "Lindendal", True)
        for n in range(10):
            places.add(f"Klantlocatie {n}", "client", client_ids[n], "", "", "Brugveen", True)
        places.flush()
        location_ids = _ids("location")
        own, at_clients = location_ids[:4], location_ids[4:]
        floors = Bulk("workfloor", ("name", "location_id", "workplaces", "is_active"))
        floor_count = max(2, employees // 300)
        for n in range(floor_count):
            floors.add(f"Werkvloer {n}", own[n % 4], 260, True)
        floors.flush()
        floor_ids = _ids("workfloor")
        floor_location = {fid: own[n % 4] for n, fid in enumerate(floor_ids)}
        groups = Bulk("work_group", ("name", "supervisor_id", "workfloor_id", "is_active"))
        for n in range(groups_count):
            groups.add(f"Ploeg {n}", supervisor_ids[n], floor_ids[n % floor_count], True)
        groups.flush()
        group_ids = _ids("work_group")
        group_floor = {gid: floor_ids[n % floor_count] for n, gid in enumerate(group_ids)}
        # One group in twenty works at a client's site from the start.
        detached = {gid: at_clients[n % len(at_clients)]
                    for n, gid in enumerate(group_ids) if n % 20 == 7}

        people = Bulk("employee", ("employee_number", "first_name", "last_name", "employment",
                                   "contract_hours", "municipality_id", "work_group_id",
                                   "start_date", "end_date", "is_active", "has_photo",
                                   "created_at"))
        kinds = ["sw"] * 5 + ["beschut"] * 3 + ["leerwerk", "garantiebaan", "proefplaatsing"]
        plan = []
        for n in range(employees):
            start = first_day - timedelta(days=rnd.randint(0, 3000)) if n % 4 else \
                first_day + timedelta(days=rnd.randint(0, (TODAY - first_day).days))
            end = None
            if n % 9 == 0:
                end = start + timedelta(days=rnd.randint(60, 2000))
                end = end if end < TODAY + timedelta(days=90) else None
            group = group_ids[n % groups_count]
            people.add(f"B{n:06d}", f"Voornaam{n}", f"Achternaam{n}", rnd.choice(kinds), "32",
                       town_ids[rnd.randrange(9)], group, start, end, end is None or end >= TODAY,
                       False, stamp)
            plan.append((group, start, end, n % len(SCHEDULES)))
        people.flush()
        employee_ids = _ids("employee")

        schedules = Bulk("schedule", ("employee_id", "valid_from", "created_at"))
        halfway = first_day + (TODAY - first_day) / 2
        for eid, (_g, start, _e, _p) in zip(employee_ids, plan):
            schedules.add(eid, start, stamp)
            # A second, part-time schedule half-way; not for someone who starts on or after
            # that day (two schedules from one day break the (employee, valid_from) key).
            if eid % 5 == 0 and start < halfway:
                schedules.add(eid, halfway, stamp)
        schedules.flush()
        schedule_rows = list(database.execute_sql(
            "SELECT id, employee_id, valid_from FROM schedule ORDER BY employee_id, valid_from"))
        days = Bulk("schedule_day", ("schedule_id", "weekday", "starts_at", "ends_at",
                                     "break_minutes"))
        pattern_of = {eid: p for eid, (_g, _s, _e, p) in zip(employee_ids, plan)}
        second = {}
        for schedule_id, eid, valid_from in schedule_rows:
            pattern = SCHEDULES[pattern_of[eid]]
            if eid in second:
                pattern = SCHEDULES[2]
            second[eid] = True
            for weekday, (starts, ends, pause) in pattern.items():
                days.add(schedule_id, weekday, starts, ends, pause)
        days.flush()

        moves = Bulk("group_move", ("employee_id", "moved_on", "from_group_id", "created_at"))
        for eid in employee_ids[3::97]:
            moves.add(eid, TODAY - timedelta(days=rnd.randint(10, 300)),
                      group_ids[(eid + 1) % groups_count], stamp)
        moves.flush()

        calendar = [first_day + timedelta(days=n) for n in range((TODAY - first_day).days + 1)]
        calendar = [d for d in calendar if d.weekday() < 5 and not public_holiday(d)]
        segments = Bulk("attendance_segment", (
            "employee_id", "day", "check_in", "check_out", "in_source", "out_source",
            "location_id", "closed_by_system", "unexpected_place", "clock_offset_flagged",
            "created_at"))
        absences = Bulk("absence", ("employee_id", "day", "code", "hours", "created_at"))
        counts = {"attendance_segment": 0, "absence": 0}
        for offset in range(0, len(employee_ids), BATCH_PEOPLE):
            for eid, (group, start, end, pattern) in zip(employee_ids[offset:offset + BATCH_PEOPLE],
                                                        plan[offset:offset + BATCH_PEOPLE]):
                weekdays = SCHEDULES[pattern]
                where = detached.get(group) or floor_location[group_floor[group]]
                sick = 0
                for day in calendar:
                    if day < start or (end is not None and day > end) or day.weekday() not in weekdays:
                        continue
                    if sick == 0 and rnd.random() < 0.012:
                        sick = rnd.choice((1, 2, 3, 5, 10))
                    if sick:
                        sick -= 1
                        absences.add(eid, day, "ziek", None, stamp)
                        continue
                    if rnd.random() < 0.03:
                        absences.add(eid, day, "verlof", None, stamp)
                        continue
                    starts, ends, _pause = weekdays[day.weekday()]
                    check_in = datetime.combine(day, time.fromisoformat(starts)) - timedelta(hours=1)
                    check_out = datetime.combine(day, time.fromisoformat(ends)) - timedelta(hours=1)
                    open_ = day == TODAY
                    segments.add(eid, day, check_in, None if open_ else check_out, "badge",
                                 None if open_ else "badge", where, False, False, False, stamp)
            counts["attendance_segment"] += len(segments.rows)
            counts["absence"] += len(absences.rows)
            segments.flush()
            absences.flush()

        planner_id = _ids("user")[1]
        orders = Bulk("order", ("client_id", "product", "quantity", "unit", "norm_per_hour",
                                "start_date", "due_date", "workfloor_id", "notes", "status",
                                "created_by_id", "created_at"))
        order_plan = []
        day = first_day
        while day < TODAY + timedelta(days=14):
            for _ in range(max(1, employees // 500)):
                due = day + timedelta(days=rnd.randint(7, 40))
                status = "gefactureerd" if due < TODAY - timedelta(days=30) else rnd.choice(
                    ("intake", "gepland", "in_productie", "gereed"))
                orders.add(rnd.choice(client_ids), "Product", 4000, "stuks", "50", day, due,
                           rnd.choice(floor_ids), "", status, planner_id, stamp)
                order_plan.append((day, due, status))
            day += timedelta(days=7)
        orders.flush()
        order_ids = _ids("order")
        assignments = Bulk("assignment", ("order_id", "work_group_id", "day", "hours",
                                          "created_by_id", "created_at"))
        production = Bulk("production", ("order_id", "work_group_id", "day", "quantity", "rejects",
                                         "registered_by_id", "registered_at"))
        changes = Bulk("order_status_change", ("order_id", "from_status", "to_status",
                                               "changed_by_id", "changed_at"))
        for oid, (start, due, status) in zip(order_ids, order_plan):
            group = rnd.choice(group_ids)
            for n in range(8):
                cell = start + timedelta(days=n)
                if cell.weekday() >= 5:
                    continue
                assignments.add(oid, group, cell, "10", planner_id, stamp)
                if cell < TODAY:
                    production.add(oid, group, cell, rnd.randint(350, 520), rnd.randint(0, 9),
                                   planner_id, stamp)
            if status in ("gereed", "gefactureerd"):
                ready = due + timedelta(days=rnd.choice((-3, -1, 0, 0, 2)))
                changes.add(oid, "in_productie", "gereed", planner_id,
                            datetime.combine(min(ready, TODAY), time(14)))
        for bulk in (assignments, production, changes):
            bulk.flush()

        detachments = Bulk("detachment", ("client_id", "location_id", "kind", "name",
                                          "start_date", "work_group_id", "notes", "created_at",
                                          "is_active"))
        client_of = dict(database.execute_sql("SELECT id, client_id FROM location"))
        for gid, where in detached.items():
            detachments.add(client_of[where], where, "group", f"Detachering {gid}", first_day,
                            gid, "", stamp, True)
        detachments.flush()
        detachment_ids = _ids("detachment")
        # The group's people as members and an hourly rate, so that the figure's amounts for
        # the months without a sent statement are computed as a statement would be.
        members = Bulk("detachment_member", ("detachment_id", "employee_id", "start_date",
                                             "created_at"))
        rates = Bulk("rate", ("detachment_id", "price_form", "amount", "valid_from",
                              "includes_breaks", "created_at"))
        group_members = {}
        for did, gid in zip(detachment_ids, detached):
            rates.add(did, "per_hour", "31.20", first_day.replace(day=1), False, stamp)
            for eid, (group, start, end, _pattern) in zip(employee_ids, plan):
                if group == gid and (end is None or end >= first_day):
                    members.add(did, eid, max(start, first_day), stamp)
                    group_members.setdefault(did, []).append(eid)
        members.flush()
        rates.flush()
        statements = Bulk("statement", ("detachment_id", "month", "version", "status",
                                        "frozen", "sent_at", "created_at"))
        for did in detachment_ids:
            month = first_day.replace(day=1)
            while month < TODAY.replace(day=1):
                statements.add(did, month, 1, "approved" if month.month % 5 else "disputed",
                               _frozen(did, month, group_members.get(did, [])), stamp, stamp)
                month = (month + timedelta(days=32)).replace(day=1)
        statements.flush()
        badges = Bulk("badge", ("employee_id", "token_hash", "issued_at"))
        for eid in employee_ids:
            if eid % 13:
                badges.add(eid, f"{eid:064d}", stamp)
        badges.flush()
        devices = Bulk("device", ("name", "workfloor_id", "location_id", "credential_hash",
                                  "created_at", "enrolled_at", "last_seen_at"))
        for n, fid in enumerate(floor_ids):
            seen = NOW - timedelta(hours=2 if n % 4 else 50)
            devices.add(f"Tablet {n}", fid, floor_location[fid], f"{n:064d}", stamp, stamp, seen)
        devices.flush()
    if not db.is_sqlite():
        database.execute_sql("ANALYZE")  # as autovacuum would have by the time anyone looks
    tables = ("employee", "schedule_day", "attendance_segment", "absence", "order",
              "assignment", "production", "statement")
    return {table: database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in tables}


def _frozen(detachment_id: int, month: date, people: list) -> str:
    """A sent statement's content of the size a real one has: a line per person and workday."""
    import json

    days = [month + timedelta(days=n) for n in range(31)
            if (month + timedelta(days=n)).month == month.month
            and (month + timedelta(days=n)).weekday() < 5]
    persons = [{"employee_id": eid, "employee_number": f"B{eid:06d}", "name": f"Naam {eid}",
                "lines": [{"key": f"{eid}:{day}", "day": day.isoformat(), "hours": "7.50",
                           "source": "attendance"} for day in days],
                "hours": str(Decimal("7.50") * len(days)), "person_days": len(days),
                "quantity": str(Decimal("7.50") * len(days)),
                "amount": str(Decimal("7.50") * len(days) * Decimal("31.20"))}
               for eid in people]
    amount = sum((Decimal(p["amount"]) for p in persons), Decimal(0))
    return json.dumps({"detachment_id": detachment_id, "month": f"{month:%Y-%m}",
                       "kind": "group", "price_form": "per_hour", "rate": "31.20",
                       "breaks_billed": False, "people": persons,
                       "hours": str(sum((Decimal(p["hours"]) for p in persons), Decimal(0))),
                       "person_days": sum(p["person_days"] for p in persons),
                       "amount": str(amount)}, sort_keys=True)


def _log_in(app, username: str):
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


def timed(client, url: str, runs: int = 3) -> tuple[float, float]:
    """(best, median) seconds of a GET, after checking it answers 200."""
    seconds = []
    for _ in range(runs):
        started = clock.perf_counter()
        response = client.get(url)
        seconds.append(clock.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return min(seconds), statistics.median(seconds)


def _forget_day_summaries() -> None:
    from portal.reports.models import AbsenceDay, AbsenceSummaryDay, PresenceCount, PresenceDay

    with database.connection_context():
        for model in (PresenceCount, PresenceDay, AbsenceDay, AbsenceSummaryDay):
            model.delete().execute()


def _time_day_summaries(clients, year: str) -> None:
    """What the day summaries cost: a year's page that has to fill its summary (as after the
    deploy, or a change to every day), and the nightly job's fill of two years."""
    from portal.reports import registry

    _forget_day_summaries()
    for slug, reader in (("occupancy", "planner"), ("absence", "admin")):
        started = clock.perf_counter()
        assert clients[reader].get(f"/reports/{slug}/?{year}").status_code == 200
        print(f"  {slug} year page that fills the year's day summary: "
              f"{(clock.perf_counter() - started) * 1000:.0f} ms")
    _forget_day_summaries()
    with database.connection_context():
        started = clock.perf_counter()
        days = registry.summarise_recent_years(TODAY)
    print(f"  nightly fill of both day summaries, {days} days: "
          f"{clock.perf_counter() - started:.1f} s")


def run(url: str, name: str, employees: int, years: int, target: float,
        filled: bool = False) -> None:
    from unittest import mock

    from portal import timeutil

    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"SECRET_KEY": "bench" * 8, "DATABASE_URL": url,
                          "INSTANCE_PATH": instance, "WTF_CSRF_ENABLED": True})
        db.migrate()
        with mock.patch.object(timeutil, "today", lambda: TODAY), \
                mock.patch.object(timeutil, "utcnow", lambda: NOW):
            if not filled:
                with database.connection_context():
                    started = clock.perf_counter()
                    counts = fill(employees, years)
                    print(f"{name}: {employees:,} employees x {years} year(s), filled in "
                          f"{clock.perf_counter() - started:.0f} s")
                    for table, count in counts.items():
                        print(f"  {table:<20} {count:>12,} rows")
            else:
                print(f"{name}: the company already in {url.rsplit('/', 1)[-1]}")
            admin = _log_in(app, "bench-admin")
            clients = {"admin": admin, "planner": _log_in(app, "bench-planner"),
                       "hr": _log_in(app, "bench-hr")}
            year = f"period=year&date={TODAY.year}-01-01"
            _time_day_summaries(clients, year)
            for slug, figure in FIGURES.items():
                # Each figure as the first of its readers the bench has (outflow is hr's alone).
                reader = clients[next(role for role in figure.READERS if role in clients)]
                best, median = timed(reader, f"/reports/{slug}/?{year}")
                chart_best, _ = timed(reader, f"/reports/{slug}/chart.svg?{year}", runs=1)
                flag = "ok" if median < target else "OVER"
                print(f"  figure {slug:<12} year page best {best * 1000:6.0f} ms, median "
                      f"{median * 1000:6.0f} ms ({flag} < {target * 1000:.0f} ms); chart "
                      f"{chart_best * 1000:5.0f} ms")
            month = f"period=month&date={TODAY.year}-{TODAY.month:02d}-01"
            best, median = timed(admin, f"/reports/absence/?{month}&by=municipality")
            print(f"  figure absence month per municipality: median {median * 1000:.0f} ms")
            for role, username in (("admin", "bench-admin"), ("planner", "bench-planner"),
                                   ("hr", "bench-hr"), ("supervisor", "werkleider0")):
                client = clients.get(role) or _log_in(app, username)
                best, median = timed(client, "/overview", runs=5)
                flag = "ok" if median < 0.1 else "OVER"
                print(f"  first screen {role:<10} best {best * 1000:5.0f} ms, median "
                      f"{median * 1000:5.0f} ms ({flag} < 100 ms)")
        db.close_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", help="a PostgreSQL server URL whose user may create databases")
    parser.add_argument("--only", choices=("sqlite", "pg"))
    parser.add_argument("--pg-employees", type=int, default=10_000)
    parser.add_argument("--pg-years", type=int, default=5)
    parser.add_argument("--sqlite-employees", type=int, default=2_000)
    parser.add_argument("--into", metavar="URL",
                        help="fill this empty PostgreSQL database and leave it, for --filled")
    parser.add_argument("--filled", metavar="URL",
                        help="time the pages on a database an earlier run filled (and left)")
    args = parser.parse_args()
    if args.filled or args.into:
        run(args.filled or args.into, "PostgreSQL", args.pg_employees, args.pg_years, 1.0,
            filled=bool(args.filled))
        return
    if args.only != "pg":
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{folder}/bench.sqlite3", "SQLite", args.sqlite_employees, 1, 0.5)
    if args.pg and args.only != "sqlite":
        with throwaway_postgres(args.pg, "bench_figures") as url:
            run(url, "PostgreSQL", args.pg_employees, args.pg_years, 1.0)


if __name__ == "__main__":
    main()
