"""A morning rush at the kiosks: many tablets scanning at once against gunicorn on 127.0.0.1.

Prints figures; it is not a test. For each database (SQLite, then PostgreSQL when reachable):
seed 2,000 employees with badges and 50+ enrolled devices in a throwaway database, start
gunicorn, then
  1. the floor: the same stack's bare route that does one indexed insert, and
  2. the rush: 5,000+ scans from the tablets as fast as they go, 10% of them replays,
  3. a paced phase: the same tablets each sending one scan a second (check-ins of another
     1,000 employees), which is twenty times a real morning's peak,
and print requests per second, p50/p95/p99 latency for each, the rush's ratio to the floor,
and the counts of lost and duplicated scans. Bounded: a fixed number of requests and a time
limit per phase.

When every tablet sends its next scan the moment the last one is answered, a request's latency
is mostly its wait in the queue: with n tablets and a throughput of x per second, it averages
n / x (Little's law), for the floor as for the kiosk. The paced phase shows what one scan costs
when the server is not saturated.

    .venv/bin/python bench/kiosk_rush.py [--tablets 50] [--scans 5000] [--employees 2000]
        [--workers 4] [--only sqlite|postgresql] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import asyncio
import hashlib
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, time as dtime
from decimal import Decimal
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHASE_LIMIT_SECONDS = 300
PACED_EMPLOYEES = 1000


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(url, employees, tablets, instance):
    """Migrate a fresh database and fill it; return (badge tokens, device credentials)."""
    from portal import create_app, db
    from portal.db import database
    from portal.kiosk.models import Badge, Device
    from portal.people.models import (Employee, Location, Municipality, Schedule, ScheduleDay,
                                      Workfloor, WorkGroup)

    create_app({"SECRET_KEY": "bench" * 8, "DATABASE_URL": url, "INSTANCE_PATH": instance})
    db.migrate()
    tokens, credentials = [], []
    with database.connection_context(), database.atomic():
        town = Municipality.create(name="Benchdorp")
        site = Location.create(name="Bench", kind="own")
        floors = [Workfloor.create(name=f"Vloer {i}", location=site, workplaces=200)
                  for i in range(5)]
        groups = [WorkGroup.create(name=f"Ploeg {i}", workfloor=floors[i % 5]) for i in range(20)]
        rows = [dict(employee_number=f"B{i:05d}", first_name=f"Naam{i}", last_name="Bench",
                     employment="sw", contract_hours=Decimal(32), municipality=town,
                     work_group=groups[i % 20], start_date=date(2020, 1, 1))
                for i in range(employees)]
        for start in range(0, len(rows), 500):
            Employee.insert_many(rows[start:start + 500]).execute()
        people = list(Employee.select(Employee.id).order_by(Employee.id))
        Schedule.insert_many([dict(employee=p.id, valid_from=date(2000, 1, 1)) for p in people]
                             ).execute()
        schedules = list(Schedule.select(Schedule.id))
        days = [dict(schedule=s.id, weekday=d, starts_at=dtime(0), ends_at=dtime(23, 59))
                for s in schedules for d in range(7)]
        for start in range(0, len(days), 1000):
            ScheduleDay.insert_many(days[start:start + 1000]).execute()
        badges = []
        for person in people:
            token = secrets.token_hex(20)
            tokens.append(token)
            badges.append(dict(employee=person.id, token_hash=sha(token)))
        for start in range(0, len(badges), 500):
            Badge.insert_many(badges[start:start + 500]).execute()
        for i in range(tablets):
            credential = secrets.token_urlsafe(32)
            credentials.append(credential)
            Device.create(name=f"Tablet {i}", location=site, workfloor=floors[i % 5],
                          credential_hash=sha(credential))
        if db.is_sqlite():
            database.execute_sql("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, "
                                 "scan_id VARCHAR(64) NOT NULL, received_at TIMESTAMP)")
        else:
            database.execute_sql("CREATE TABLE bench_floor (id SERIAL PRIMARY KEY, "
                                 "scan_id VARCHAR(64) NOT NULL, received_at TIMESTAMP)")
        database.execute_sql("CREATE UNIQUE INDEX bench_floor_scan_id ON bench_floor (scan_id)")
    return tokens, credentials


def start_gunicorn(url, port, workers, instance):
    env = dict(os.environ, PORTAL_DATABASE_URL=url, PORTAL_SECRET_KEY="bench" * 8,
               PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "bench.floor_app:app", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--no-control-socket", "--log-level", "warning",
         "--backlog", "512"],
        cwd=str(ROOT), env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/kiosk/sw.js", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


async def run_phase(base, jobs, tablets, credentials, interval=None):
    """Send the jobs (path, body, tablet index) from `tablets` concurrent workers.

    Without an interval each worker sends as fast as it is answered; with one, each sends a job
    every `interval` seconds (at once when it has fallen behind).
    """
    queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    latencies, answers = [], []

    async def tablet(index):
        loop = asyncio.get_running_loop()
        next_at = loop.time() + (interval * index / tablets if interval else 0)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while not queue.empty():
                path, body, owner = queue.get_nowait()
                if interval:
                    await asyncio.sleep(max(0.0, next_at - loop.time()))
                    next_at += interval
                # A scan (and its replay) always comes from the tablet that made it.
                headers = {"Authorization": f"Bearer {credentials[owner]}"}
                for attempt in range(5):  # a tablet retries what got no answer, as the kiosk does
                    started = time.perf_counter()
                    try:
                        response = await client.post(path, json=body, headers=headers)
                    except httpx.HTTPError:
                        await asyncio.sleep(0.05 * 2 ** attempt)
                        continue
                    latencies.append(time.perf_counter() - started)
                    if response.status_code in (429, 503) or response.status_code >= 500:
                        await asyncio.sleep(0.05 * 2 ** attempt)
                        continue
                    answers.append((body, response.status_code, response.json()))
                    break
                else:
                    answers.append((body, None, None))

    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(tablet(i) for i in range(tablets))),
                           timeout=PHASE_LIMIT_SECONDS)
    return time.perf_counter() - started, latencies, answers


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def bench(label, url, args, instance):
    from portal.db import database

    print(f"\n== {label} ==", flush=True)
    tokens, credentials = seed(url, args.employees + PACED_EMPLOYEES, args.tablets, instance)
    paced_tokens, tokens = tokens[args.employees:], tokens[:args.employees]
    port = free_port()
    server = start_gunicorn(url, port, args.workers, instance)
    base = f"http://127.0.0.1:{port}"
    try:
        rng = random.Random(7)
        fresh = args.scans - args.scans // 10
        scans = []
        for i in range(fresh):
            token = tokens[i % len(tokens)]
            scans.append({"scan_id": uuid.uuid4().hex, "code": token})
        replays = [dict(rng.choice(scans)) for _ in range(args.scans - fresh)]
        # Replays come after their originals: a tablet resending what it sent before.
        kiosk_jobs = [("/kiosk/api/scans", s, i % args.tablets) for i, s in enumerate(scans)]
        owner = {s["scan_id"]: i % args.tablets for i, s in enumerate(scans)}
        for replay in replays:
            kiosk_jobs.insert(rng.randrange(len(kiosk_jobs) // 2, len(kiosk_jobs) + 1),
                              ("/kiosk/api/scans", replay, owner[replay["scan_id"]]))
        floor_jobs = [("/bench/floor", {"scan_id": uuid.uuid4().hex}, i % args.tablets)
                      for i in range(args.scans)]

        paced_jobs = [("/kiosk/api/scans", {"scan_id": uuid.uuid4().hex, "code": token},
                       i % args.tablets) for i, token in enumerate(paced_tokens)]

        floor_time, floor_lat, floor_answers = asyncio.run(
            run_phase(base, floor_jobs, args.tablets, credentials))
        kiosk_time, kiosk_lat, kiosk_answers = asyncio.run(
            run_phase(base, kiosk_jobs, args.tablets, credentials))
        paced_time, paced_lat, paced_answers = asyncio.run(
            run_phase(base, paced_jobs, args.tablets, credentials, interval=1.0))
    finally:
        stop(server)

    from portal.attendance.models import AttendanceSegment
    from portal.kiosk.models import Scan

    paced_ids = {body["scan_id"] for body, _s, _a in paced_answers}
    paced_stored = sum(1 for _b, status, _a in paced_answers if status == 201)
    sent_ids = {body["scan_id"] for body, _s, _a in kiosk_answers}
    acknowledged = {body["scan_id"] for body, status, _a in kiosk_answers if status in (200, 201)}
    unanswered = sum(1 for _b, status, _a in kiosk_answers if status is None)
    errors = {}
    for _body, status, answer in kiosk_answers:
        if status not in (200, 201):
            errors[(status, (answer or {}).get("error"))] = errors.get((status, (answer or {}).get("error")), 0) + 1
    first_answer, replay_mismatch = {}, 0
    for body, status, answer in kiosk_answers:
        if status not in (200, 201):
            continue
        key = body["scan_id"]
        core = {k: v for k, v in answer.items() if k != "replayed"}
        if key in first_answer and first_answer[key] != core:
            replay_mismatch += 1
        first_answer.setdefault(key, core)
    with database.connection_context():
        stored_ids = {s.scan_id for s in Scan.select(Scan.scan_id)} - paced_ids
        stored_rows = Scan.select().where(Scan.scan_id.not_in(list(paced_ids))).count()
        checked_in = Scan.select().where((Scan.outcome == "checked_in")
                                         & Scan.scan_id.not_in(list(paced_ids))).count()
        checked_out = Scan.select().where(Scan.outcome == "checked_out").count()
        segments = AttendanceSegment.select().count() - paced_stored
        open_segments = AttendanceSegment.select().where(
            AttendanceSegment.check_out.is_null()).count() - paced_stored
        floor_rows = database.execute_sql("SELECT COUNT(*) FROM bench_floor").fetchone()[0]
    lost = len(acknowledged - stored_ids) + unanswered
    duplicated = (stored_rows - len(stored_ids)) + (segments - checked_in) + replay_mismatch

    floor_rate = len(floor_answers) / floor_time
    kiosk_rate = len(kiosk_answers) / kiosk_time
    print(f"workers={args.workers} tablets={args.tablets} employees={args.employees} "
          f"requests={len(kiosk_jobs)} (replays {len(replays)})")
    print(f"floor : {floor_rate:8.1f} req/s  p50 {pct(floor_lat, 50):6.1f} ms  "
          f"p95 {pct(floor_lat, 95):6.1f} ms  p99 {pct(floor_lat, 99):6.1f} ms  "
          f"rows {floor_rows}/{len(floor_jobs)}")
    print(f"kiosk : {kiosk_rate:8.1f} scans/s p50 {pct(kiosk_lat, 50):6.1f} ms  "
          f"p95 {pct(kiosk_lat, 95):6.1f} ms  p99 {pct(kiosk_lat, 99):6.1f} ms")
    print(f"ratio kiosk/floor throughput: {kiosk_rate / floor_rate:.2f}")
    print(f"scan ids sent {len(sent_ids)}, stored {len(stored_ids)}, acknowledged "
          f"{len(acknowledged)}; check-ins {checked_in}, check-outs {checked_out}, "
          f"segments {segments} ({open_segments} open)")
    print(f"lost: {lost}   duplicated: {duplicated}   refusals/errors: {errors or 'none'}")
    print(f"paced : {len(paced_answers) / paced_time:8.1f} scans/s p50 {pct(paced_lat, 50):6.1f} ms  "
          f"p95 {pct(paced_lat, 95):6.1f} ms  p99 {pct(paced_lat, 99):6.1f} ms  "
          f"({args.tablets} tablets, one scan a second each; {paced_stored}/{len(paced_jobs)} "
          f"stored as new check-ins)")
    return {"floor": floor_rate, "kiosk": kiosk_rate}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tablets", type=int, default=50)
    parser.add_argument("--scans", type=int, default=5000)
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg", default=os.environ.get(
        "PORTAL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-rush-") as tmp:
        if args.only in (None, "sqlite"):
            bench("SQLite", f"sqlite:///{tmp}/rush.sqlite3", args, tmp)
        if args.only in (None, "postgresql"):
            from tests.throwaway import throwaway_postgres

            with throwaway_postgres(args.pg, "kiosk_rush") as url:
                bench("PostgreSQL", url, args, tmp)


if __name__ == "__main__":
    main()
