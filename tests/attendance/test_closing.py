"""Forgotten check-outs are closed at the scheduled end, else after a usual shift length."""

from datetime import date, time, timedelta

import pytest

from portal.attendance import closing
from portal.attendance.models import AttendanceSegment
from portal.audit import AuditEntry
from portal.throttle import AttemptCount, FailedAttempt
from tests.factories import at

MONDAY = date(2026, 11, 23)
TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture
def ctx(app_context):
    """The rules here run outside a request (conftest.app_context)."""


def person_with(make, days):
    return make.employee(work_group=make.group(), schedule=days)


def closed_at(person):
    segment = AttendanceSegment.get(AttendanceSegment.employee == person.id)
    return segment.check_out, segment.closed_by_system


def test_a_forgotten_check_out_is_closed_at_the_scheduled_end_not_at_22(ctx, make):
    person = person_with(make, {0: (time(7, 30), time(16), 30)})
    make.segment(person, MONDAY, "07:30")
    closing.close_open_days(now=at(MONDAY, "22:00"), hours=8)
    assert closed_at(person) == (at(MONDAY, "16:00"), True)  # 8.5 h, not 14.5


def test_a_late_evening_check_in_without_a_shift_gets_a_usual_shift_not_zero_hours(ctx, make):
    person = person_with(make, {})
    make.segment(person, MONDAY, "22:30")
    assert closing.close_open_days(now=at(MONDAY, "23:59"), hours=8) == []
    assert closing.close_open_days(now=at(TUESDAY, "07:29"), hours=8) == []  # 06:30 + margin
    closing.close_open_days(now=at(TUESDAY, "07:30"), hours=8)
    assert closed_at(person) == (at(TUESDAY, "06:30"), True)


def test_an_evening_shift_across_midnight_closes_at_its_end_the_next_day(ctx, make):
    person = person_with(make, {0: (time(16), time(0, 30), 30)})
    make.segment(person, MONDAY, "16:00")
    assert closing.close_open_days(now=at(TUESDAY, "01:00"), hours=8) == []
    (segment,) = closing.close_open_days(now=at(TUESDAY, "01:30"), hours=8)
    assert segment.check_out == at(TUESDAY, "00:30") and segment.day == MONDAY
    assert AuditEntry.get().action == "attendance.closed_by_system"


def test_a_check_in_after_the_scheduled_end_gets_the_usual_shift_length(ctx, make):
    person = person_with(make, {0: (time(8), time(16), 30)})
    make.segment(person, MONDAY, "17:00")
    closing.close_open_days(now=at(TUESDAY, "08:00"), hours=6)
    assert closed_at(person) == (at(MONDAY, "23:00"), True)


def test_the_shift_length_comes_from_the_settings(app, make):
    app.config["ATTENDANCE_SHIFT_HOURS"] = 5
    with app.app_context():
        person = person_with(make, {})
        make.segment(person, MONDAY, "09:00")
        closing.close_open_days(now=at(TUESDAY, "09:00"))
        assert closed_at(person) == (at(MONDAY, "14:00"), True)


def test_check_ins_already_closed_or_still_running_are_left_alone(ctx, make):
    person = person_with(make, {0: (time(8), time(16), 30)})
    make.segment(person, MONDAY, "08:00", "12:00")
    make.segment(person, MONDAY, "13:00")
    assert closing.close_open_days(now=at(MONDAY, "16:30"), hours=8) == []
    (segment,) = closing.close_open_days(now=at(MONDAY, "17:00"), hours=8)
    assert segment.check_out == at(MONDAY, "16:00")


def test_the_nightly_command_closes_open_days_and_prunes_old_failed_attempts(app, make):
    with app.app_context():
        person = person_with(make, {d: (time(8), time(16), 30) for d in range(7)})
        make.segment(person, date(2026, 1, 5), "08:00")
        FailedAttempt.create(key="pin-device:1", at=at(date(2026, 1, 5), "08:00"))
        AttemptCount.create(key="login:x:1", window_start=at(date(2026, 1, 5), "08:00"),
                            attempts=3)
    result = app.test_cli_runner().invoke(args=["nightly"])
    assert result.exit_code == 0, result.output
    assert "Closed 1 open check-ins. Pruned 2 failed attempts" in result.output
    assert "The figures' summaries hold" in result.output
    with app.app_context():
        assert closed_at(person) == (at(date(2026, 1, 5), "16:00"), True)
        assert FailedAttempt.select().count() == AttemptCount.select().count() == 0


def test_bin_nightly_works_with_another_flask_first_on_path(tmp_path):
    """The documented cron command: the checkout's own Python, not whatever `flask` is."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    decoy = tmp_path / "bin"
    decoy.mkdir()
    (decoy / "flask").write_text("#!/bin/sh\necho 'not this flask' >&2\nexit 3\n")
    (decoy / "flask").chmod(0o755)
    env = {**os.environ, "PATH": f"{decoy}:{os.environ['PATH']}", "PORTAL_PYTHON": sys.executable,
           "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'nightly.sqlite3'}",
           "PORTAL_SECRET_KEY": "k" * 32}
    subprocess.run([sys.executable, "-m", "flask", "--app", "portal", "migrate"], cwd=root,
                   env=env, check=True, capture_output=True)
    done = subprocess.run([str(root / "bin" / "nightly")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Closed 0 open check-ins. Pruned 0 failed attempts" in done.stdout
