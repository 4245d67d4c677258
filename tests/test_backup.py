"""Backup and restore (docs/backup.md): a copy made while the portal writes, restored, runs."""

import json
import os
from datetime import date
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from portal import db
from portal.db import database
from tests.factories import PASSWORD
from tests.throwaway import throwaway_postgres

ROOT = Path(__file__).resolve().parents[1]

# Starts the portal on the database in PORTAL_DATABASE_URL, as a server would: migrate, then
# answer the log-in page, log in and count what is there.
START_AND_COUNT = """
import json, re
from portal import create_app, db
from portal.attendance.models import AttendanceSegment
from portal.people.models import Employee
from portal.throttle import FailedAttempt
app = create_app()
applied = db.migrate()
client = app.test_client()
page = client.get("/auth/login")
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))
answer = client.post("/auth/login", data={"username": "beheer-backup", "password": PASSWORD,
                                          "csrf_token": token.group(1)})
with db.database.connection_context():
    print(json.dumps({"applied": applied, "login_page": page.status_code,
                      "logged_in": answer.status_code == 302,
                      "employees": Employee.select().count(),
                      "segments": AttendanceSegment.select().count(),
                      "attempts": FailedAttempt.select().count()}))
"""


def start_on(url: str, tmp_path) -> dict:
    env = {**os.environ, "PORTAL_DATABASE_URL": url, "PORTAL_SECRET_KEY": "s" * 32,
           "PORTAL_TEST_DATABASE_URL": ""}
    script = f"PASSWORD = {PASSWORD!r}\n" + START_AND_COUNT
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env={
        **env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def company(app, make):
    with app.app_context():
        make.user("admin", username="beheer-backup")
        people = [make.employee() for _ in range(3)]
        for person in people:
            make.segment(person, date(2026, 11, 16), "08:00", "16:00")
    return people


def test_an_online_sqlite_backup_while_writing_restores_and_starts(app, company, tmp_path):
    if not db.is_sqlite():
        pytest.skip("the SQLite backup; the PostgreSQL run tests pg_dump")
    live = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    stop, written = threading.Event(), []

    def tablets_scanning():
        # Another process's writes, as a worker would make them, until the backup is done.
        connection = sqlite3.connect(str(live), timeout=10)
        while not stop.is_set() and len(written) < 5000:
            connection.execute("INSERT INTO failed_attempt (key, at) VALUES (?, ?)",
                               (f"scan-{len(written)}", "2026-11-16 08:00:00"))
            connection.commit()
            written.append(1)
        connection.close()

    writer = threading.Thread(target=tablets_scanning)
    writer.start()
    while not written and writer.is_alive():
        pass  # the writes are under way before the backup starts
    try:
        target = tmp_path / "backups" / "portal.sqlite3"
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
    finally:
        stop.set()
        writer.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    assert app.test_cli_runner().invoke(args=["backup", str(target)]).exit_code != 0  # no overwrite

    started = start_on(f"sqlite:///{target}", tmp_path)
    assert started["applied"] == [] and started["login_page"] == 200 and started["logged_in"]
    assert (started["employees"], started["segments"]) == (3, 3)
    assert 1 <= started["attempts"] <= len(written)  # a consistent moment of the writes


def test_a_pg_dump_restores_into_a_new_database_and_starts(app, company, tmp_path):
    if db.is_sqlite():
        pytest.skip("pg_dump and pg_restore; the SQLite run tests the online backup")
    url = app.config["DATABASE_URL"].replace("postgresql+pool://", "postgresql://")
    dump = tmp_path / "portal.dump"
    database.close()
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", url], check=True,
                   capture_output=True, timeout=120)
    server = url.rsplit("/", 1)[0] + "/postgres"
    with throwaway_postgres(server, "portal_restored") as restored:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)],
                       check=True, capture_output=True, timeout=120)
        started = start_on(restored, tmp_path)
    assert started["applied"] == [] and started["login_page"] == 200 and started["logged_in"]
    assert (started["employees"], started["segments"]) == (3, 3)
