"""Benchmark: a year of attendance for 2,000 employees, then the month timesheet export and the
company-wide absence percentage for a month, on SQLite and (when given) PostgreSQL.

    .venv/bin/python bench/attendance_year.py
    .venv/bin/python bench/attendance_year.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

Each run fills a throwaway database (a temporary SQLite file; a new PostgreSQL database that is
dropped afterwards) and prints the row counts and the best and median of a few timed runs.
Target: each timing under one second.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app, db  # noqa: E402
from portal.attendance import exports, rules, timesheets  # noqa: E402
from portal.reports.absence import absence_figures  # noqa: E402
from portal.reports.periods import Period  # noqa: E402
from portal.attendance.models import Absence, AttendanceSegment  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.db import database  # noqa: E402
from portal.people.models import (Employee, Location, Municipality, Schedule,  # noqa: E402
                                  ScheduleDay, Workfloor, WorkGroup)
from portal.timeutil import to_utc  # noqa: E402
from tests.throwaway import throwaway_postgres  # noqa: E402

FIRST, LAST = date(2025, 11, 1), date(2026, 10, 31)
MONTH = date(2026, 10, 1)
GROUP_SIZE = 40
CHUNK = 2000


def fill(employees: int, seed: int = 7) -> None:
    """A company of `employees` people in groups of 40, with a year of scans and absences."""
    rnd = random.Random(seed)
    towns = [Municipality.create(name=f"Gemeente {n}") for n in range(9)]
    site = Location.create(name="Hoofdvestiging", kind="own")
    floors = [Workfloor.create(name=f"Werkvloer {n}", location=site, workplaces=200)
              for n in range(max(1, employees // 200))]
    groups = []
    for n in range((employees + GROUP_SIZE - 1) // GROUP_SIZE):
        boss = User.create(username=f"werkleider{n}", display_name=f"Werkleider {n}",
                           password_hash="-", role="supervisor")
        groups.append(WorkGroup.create(name=f"Ploeg {n}", supervisor=boss,
                                       workfloor=floors[n % len(floors)]))
    full_time = {d: (time(8), time(16, 30), 30) for d in range(5)}
    part_time = {d: (time(8), time(12, 30), 30) for d in (0, 1, 2)}
    four_days = {d: (time(7, 30), time(15, 30), 30) for d in (0, 1, 3, 4)}
    patterns = [full_time, full_time, part_time, four_days]

    with database.atomic():
        Employee.insert_many(
            [{"employee_number": f"B{n:06d}", "first_name": f"Voornaam{n}",
              "last_name": f"Achternaam{n}", "employment": "sw", "contract_hours": 32,
              "municipality": towns[n % len(towns)].id, "work_group": groups[n // GROUP_SIZE].id,
              "start_date": date(2020, 1, 1)} for n in range(employees)]).execute()
        people = list(Employee.select(Employee.id).order_by(Employee.id).tuples())
        Schedule.insert_many([{"employee": pid, "valid_from": date(2020, 1, 1)}
                              for (pid,) in people]).execute()
        schedule_of = dict(Schedule.select(Schedule.employee, Schedule.id).tuples())
        days_rows = []
        pattern_of = {}
        for index, (pid,) in enumerate(people):
            pattern = patterns[index % len(patterns)]
            pattern_of[pid] = pattern
            for weekday, (start, end, pause) in pattern.items():
                days_rows.append({"schedule": schedule_of[pid], "weekday": weekday,
                                  "starts_at": start, "ends_at": end, "break_minutes": pause})
        for offset in range(0, len(days_rows), CHUNK):
            ScheduleDay.insert_many(days_rows[offset:offset + CHUNK]).execute()

    segments, absences = [], []
    day = FIRST
    while day <= LAST:
        if not rules.public_holiday(day):
            for (pid,) in people:
                shift = pattern_of[pid].get(day.weekday())
                if shift is None:
                    continue
                roll = rnd.random()
                if roll < 0.05:
                    absences.append({"employee": pid, "day": day, "code": "ziek"})
                elif roll < 0.08:
                    absences.append({"employee": pid, "day": day, "code": "verlof"})
                else:
                    start = datetime.combine(day, shift[0]) + timedelta(minutes=rnd.randint(-10, 15))
                    end = datetime.combine(day, shift[1]) + timedelta(minutes=rnd.randint(-5, 10))
                    segments.append({"employee": pid, "day": day, "check_in": to_utc(start),
                                     "check_out": to_utc(end), "in_source": "badge",
                                     "out_source": "badge",
                                     "closed_by_system": rnd.random() < 0.01})
        day += timedelta(days=1)
    with database.atomic():
        for offset in range(0, len(segments), CHUNK):
            AttendanceSegment.insert_many(segments[offset:offset + CHUNK]).execute()
        for offset in range(0, len(absences), CHUNK):
            Absence.insert_many(absences[offset:offset + CHUNK]).execute()


def timed(label: str, work, runs: int = 5) -> None:
    """Wall-clock and CPU time of a few runs; the machine is shared, so CPU time is printed too."""
    times, cpu = [], []
    result = None
    for _ in range(runs):
        started, started_cpu = clock.perf_counter(), clock.process_time()
        result = work()
        times.append(clock.perf_counter() - started)
        cpu.append(clock.process_time() - started_cpu)
    verdict = "ok" if min(times) < 1 else "SLOW"
    print(f"  {label:<40} best {min(times):6.3f} s  median {statistics.median(times):6.3f} s"
          f"  (cpu best {min(cpu):5.3f} s)  [{verdict}] {result}")


def month_export(fmt: str):
    start, end = timesheets.period_bounds("month", MONTH)

    def work():
        sheets = timesheets.build(Employee.select(), start, end)
        heading, rows = exports.summary_table(sheets, "oktober 2026", True)
        body = exports.to_csv(heading, rows) if fmt == "csv" else exports.to_xlsx(
            heading, rows, "Urenstaten")
        return f"{len(rows)} rows, {len(body) // 1024} KiB"

    return work


def company_percentage():
    period = Period.of("month", MONTH, today=MONTH.replace(year=MONTH.year + 1))
    company = absence_figures(period, "company").total
    return f"{company.percentage('ziek')}% over {company.employees} employees"


def run(url: str, name: str, employees: int) -> None:
    with tempfile.TemporaryDirectory() as instance:
        create_app({"SECRET_KEY": "bench" * 8, "DATABASE_URL": url, "INSTANCE_PATH": instance})
        db.migrate()
        with database.connection_context():
            started = clock.perf_counter()
            fill(employees)
            filled = clock.perf_counter() - started
            print(f"{name}: filled in {filled:.1f} s")
            for model in (Employee, ScheduleDay, AttendanceSegment, Absence):
                print(f"  {model.__name__:<20} {model.select().count():>9,} rows")
            timed("month timesheet export, CSV", month_export("csv"))
            timed("month timesheet export, XLSX", month_export("xlsx"))
            timed("company absence percentage for a month", company_percentage)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL whose user may create databases")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{folder}/bench.sqlite3", "SQLite", args.employees)
    if args.postgres:
        with throwaway_postgres(args.postgres, "bench_attendance") as url:
            run(url, "PostgreSQL", args.employees)


if __name__ == "__main__":
    main()
