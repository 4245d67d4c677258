"""A scan is an attendance write like any other: the attendance rules decide what it may do.

Signed-off days, the contract period, old and odd tablet times, a badge left in front of the
camera, and limits that hold when many requests arrive at once.
"""

from datetime import timedelta

import pytest

from portal.attendance import rules as attendance
from portal.attendance.models import AttendanceSegment, Correction
from portal.attendance import closing
from portal.kiosk import late_scans, pins, scans
from portal.kiosk.settings import Settings
from portal.kiosk.models import Scan
from portal.throttle import AttemptCount
from tests.kiosk.test_api import _fire
from tests.kiosk.test_rules import MONDAY, at, ctx, scan, segments, setup  # noqa: F401 (fixtures)


# -- the day and the contract ------------------------------------------------------------------

def test_a_queued_scan_for_a_signed_off_day_is_a_correction_after_sign_off(setup, make):
    person, device, token = setup
    scan(device, token, at(MONDAY, 8, 0))
    supervisor = person.work_group.supervisor
    attendance.sign_off_day(person.work_group, MONDAY, supervisor)
    # The tablet read the badge at 16:00, lost the network, and sent it at 16:20.
    result, stored = scan(device, token, at(MONDAY, 16, 20), tablet_time=at(MONDAY, 16, 0),
                          sent_at=at(MONDAY, 16, 20))
    assert stored and result["outcome"] == "checked_out"
    assert "after_sign_off" in result["flags"]
    (segment,) = segments(person)
    assert segment.check_out == at(MONDAY, 16, 0)
    (correction,) = Correction.select()
    assert correction.after_sign_off and correction.made_by_id is None
    assert correction.new_segment_id == segment.id and correction.day == MONDAY
    assert device.name in correction.reason


def test_a_scan_on_an_open_day_makes_no_correction(setup):
    _person, device, token = setup
    result, _ = scan(device, token, at(MONDAY, 8, 0))
    assert "after_sign_off" not in result["flags"] and Correction.select().count() == 0


def test_someone_whose_contract_starts_next_week_cannot_check_in(setup, make):
    _person, device, _token = setup
    newcomer = make.employee(work_group=make.group(workfloor=device.workfloor),
                             start_date=MONDAY + timedelta(days=7))
    token = make.badge(newcomer)[1]
    result, stored = scan(device, token, at(MONDAY, 8, 0))
    assert stored and result["outcome"] == "inactive_employee" and not result["ok"]
    assert segments(newcomer) == []
    result, _ = scan(device, token, at(MONDAY + timedelta(days=7), 8, 0))
    assert result["outcome"] == "checked_in"


# -- a badge left in front of the camera --------------------------------------------------------

def test_a_check_out_moments_after_the_check_in_is_a_repeat(setup):
    person, device, token = setup
    scan(device, token, at(MONDAY, 16, 49))
    # 90 s later: past the 60 s duplicate window, but no one works a minute and a half.
    result, _ = scan(device, token, at(MONDAY, 16, 50, 30))
    assert result["outcome"] == "duplicate" and result["first_outcome"] == "checked_in"
    assert segments(person)[0].check_out is None
    result, _ = scan(device, token, at(MONDAY, 16, 55))
    assert result["outcome"] == "checked_out"


def test_the_shortest_segment_is_configurable(setup):
    person, device, token = setup
    settings = Settings(min_segment_seconds=0)
    scans.record_scan(device, scans.ScanRequest(scan_id="short-in-1", payload=token),
                      settings, now=at(MONDAY, 16, 49))
    result, _ = scans.record_scan(device, scans.ScanRequest(scan_id="short-out-1", payload=token),
                                  settings, now=at(MONDAY, 16, 50, 30))
    assert result["outcome"] == "checked_out"
    assert segments(person)[0].check_out == at(MONDAY, 16, 50, 30)


# -- tablet times ---------------------------------------------------------------------------------

@pytest.mark.parametrize("days_ago", [7, 30])
def test_a_queued_scan_from_days_ago_is_late_and_not_applied(setup, days_ago):
    person, device, token = setup
    scan(device, token, at(MONDAY, 8, 0))
    scan(device, token, at(MONDAY, 12, 0))
    old = at(MONDAY - timedelta(days=days_ago), 9, 0)
    result, stored = scan(device, token, at(MONDAY, 12, 30), tablet_time=old,
                          sent_at=at(MONDAY, 12, 30))
    assert stored and result["outcome"] == "late_scan" and not result["ok"]
    assert [s.day for s in segments(person)] == [MONDAY]
    # The next real scan checks in; nothing is closed "by system" on the old day.
    result, _ = scan(device, token, at(MONDAY, 13, 0))
    assert result["outcome"] == "checked_in" and "closed_previous" not in result["flags"]
    assert AttendanceSegment.select().where(AttendanceSegment.closed_by_system).count() == 0
    late = Scan.get(Scan.outcome == "late_scan")
    assert late.scanned_at == old and late.employee_id == person.id


def test_a_check_out_just_before_midnight_received_just_after_still_counts(setup):
    person, device, token = setup
    scan(device, token, at(MONDAY, 16, 0))
    tuesday = MONDAY + timedelta(days=1)
    result, _ = scan(device, token, at(tuesday, 0, 20), tablet_time=at(MONDAY, 23, 59),
                     sent_at=at(tuesday, 0, 20))
    assert result["outcome"] == "checked_out"
    assert segments(person)[0].check_out == at(MONDAY, 23, 59)
    # an hour past midnight the day is closed to its stamps
    result, _ = scan(device, token, at(tuesday, 1, 1), tablet_time=at(MONDAY, 23, 59, 30),
                     sent_at=at(tuesday, 1, 1))
    assert result["outcome"] == "late_scan"


def test_the_supervisor_accepts_a_late_scan_as_a_correction(setup):
    person, device, token = setup
    last_week = MONDAY - timedelta(days=7)
    supervisor = person.work_group.supervisor
    # An earlier day with a forgotten check-out the system closed, then the queued check-out.
    scan(device, token, at(last_week, 8, 0))
    closing.close_open_days(now=at(last_week, 23, 0))
    scan(device, token, at(MONDAY, 12, 30), tablet_time=at(last_week, 15, 30),
         sent_at=at(MONDAY, 12, 30))
    (late,) = late_scans.late_scans([person.id], since=last_week)
    assert late.scanned_at == at(last_week, 15, 30)
    segment = late_scans.accept_late_scan(late, supervisor, now=at(MONDAY, 13, 0))
    assert segment.check_in == at(last_week, 8, 0) and segment.check_out == at(last_week, 15, 30)
    assert segment.in_source == "correction"
    (correction,) = Correction.select()
    assert correction.made_by_id == supervisor.id and correction.new_segment_id == segment.id
    assert late_scans.late_scans([person.id], since=last_week) == []


def test_a_queued_scan_without_sent_at_is_flagged(setup):
    person, device, token = setup
    result, _ = scan(device, token, at(MONDAY, 8, 5), tablet_time=at(MONDAY, 8, 0))
    assert result["outcome"] == "checked_in" and "clock_unchecked" in result["flags"]
    assert segments(person)[0].clock_offset_flagged


def test_a_scan_from_now_without_any_tablet_time_is_not_flagged(setup):
    _person, device, token = setup
    result, _ = scan(device, token, at(MONDAY, 8, 0))
    assert result["flags"] == []


def test_a_tablet_time_after_sent_at_is_flagged_not_silently_set_to_now(setup):
    person, device, token = setup
    # Read "at 10:00" but sent "at 08:00" by the same clock: the tablet's time cannot be right.
    result, _ = scan(device, token, at(MONDAY, 8, 0), tablet_time=at(MONDAY, 10, 0),
                     sent_at=at(MONDAY, 8, 0))
    assert "future_time" in result["flags"]
    (segment,) = segments(person)
    assert segment.check_in == at(MONDAY, 8, 0) and segment.clock_offset_flagged


# -- limits that hold under parallel requests ----------------------------------------------------

def test_parallel_wrong_pins_stop_at_the_limit(app, setup, make):
    person, device, _token = setup  # expected here on Mondays
    pin = pins.set_pin(person)
    wrong = "0000" if pin != "0000" else "1111"
    settings = Settings(pin_employee_failures=5)
    now = at(MONDAY, 12, 0)
    results = _fire(app, [lambda: pins.check_pin(device, person.id, wrong, settings, now=now)
                          for _ in range(8)])
    problems = sorted(r[1] for r in results)
    assert problems == ["pin_locked"] * 3 + ["wrong_pin"] * 5, results


def test_unknown_badges_are_limited_per_device_and_minute_and_counted(setup, make):
    _person, device, _token = setup
    other, _ = make.device(workfloor=device.workfloor)
    settings = Settings(unknown_badges_per_minute=5)
    now = at(MONDAY, 9, 0, 10)
    answers = [scans.record_scan(device, scans.ScanRequest(scan_id=f"rnd-{i:04d}",
                                                           payload=f"{i:040x}"), settings, now=now)
               for i in range(12)]
    assert [a[0]["outcome"] for a in answers] == ["unknown_badge"] * 5 + ["too_many_unknown"] * 7
    assert Scan.select().where(Scan.device == device).count() == 5
    (count,) = AttemptCount.select().where(AttemptCount.key.startswith(
        f"kiosk-unknown:{device.id}:"))
    assert count.attempts == 12
    # another tablet, and the next minute, are not held back
    result, _ = scans.record_scan(other, scans.ScanRequest(scan_id="rnd-other", payload="f" * 40),
                                  settings, now=now)
    assert result["outcome"] == "unknown_badge"
    result, _ = scans.record_scan(device, scans.ScanRequest(scan_id="rnd-later", payload="e" * 40),
                                  settings, now=now + timedelta(minutes=1))
    assert result["outcome"] == "unknown_badge"
