"""The kiosk's rules, called directly: toggling, duplicates, replays, closing days, places, time."""

import json
from datetime import date, datetime, time, timedelta

import pytest

from portal.attendance.models import AttendanceSegment
from portal.audit import AuditEntry
from portal.kiosk import badges, devices, pins, scans, schedules
from portal.kiosk.settings import Settings
from portal.tokens import sha256
from portal.kiosk.models import Badge, Device, Scan
from portal.timeutil import to_utc

MONDAY = date(2026, 11, 23)


def at(day, hh, mm=0, ss=0):
    """Naive UTC of an Amsterdam wall-clock time."""
    return to_utc(datetime.combine(day, time(hh, mm, ss)))


@pytest.fixture
def ctx(app_context):
    """The rules here run outside a request (conftest.app_context)."""


@pytest.fixture
def setup(ctx, make):
    group = make.group()
    person = make.employee(work_group=group, first_name="Samira")
    device, _credential = make.device(workfloor=group.workfloor)
    _badge, token = make.badge(person)
    return person, device, token


def scan(device, token, now, scan_id=None, **kwargs):
    scan_id = scan_id or f"scan-{now.timestamp():.0f}-{token[:6]}"
    return scans.record_scan(device, scans.ScanRequest(scan_id=scan_id, payload=token, **kwargs),
                             now=now)


def segments(person):
    return list(AttendanceSegment.select().where(AttendanceSegment.employee == person)
                .order_by(AttendanceSegment.check_in))


def test_tokens_are_random_hex_and_stored_only_as_hash(setup):
    person, _device, token = setup
    assert badges.BADGE_TOKEN.match(token) and len(token) * 4 >= 128
    badge = Badge.get(Badge.employee == person)
    assert badge.token_hash == sha256(token) and token not in badge.token_hash


def test_normalise_payload_forgives_case_and_spaces_only():
    token = "ab" * 20
    assert badges.normalise_badge_payload(f"  {token.upper()}\n") == token
    for bad in ("", "x" * 40, token[:-1], token + "0", "<script>", "' OR 1=1 --"):
        assert badges.normalise_badge_payload(bad) is None


def test_first_scan_checks_in_and_next_checks_out(setup):
    person, device, token = setup
    result, stored = scan(device, token, at(MONDAY, 7, 58))
    assert stored and result["outcome"] == "checked_in" and result["time"] == "07:58"
    assert result["first_name"] == "Samira" and result["greeting"] == "morning"
    result, _ = scan(device, token, at(MONDAY, 14, 31))
    assert result["outcome"] == "checked_out" and result["time"] == "14:31"
    (segment,) = segments(person)
    assert segment.check_in == at(MONDAY, 7, 58) and segment.check_out == at(MONDAY, 14, 31)
    assert segment.in_source == "badge" and segment.in_device_id == device.id
    result, _ = scan(device, token, at(MONDAY, 15, 0))
    assert result["outcome"] == "checked_in" and len(segments(person)) == 2


def test_forgotten_check_out_is_closed_by_rule_and_today_starts_with_check_in(setup):
    person, device, token = setup
    scan(device, token, at(MONDAY, 8, 0))
    result, _ = scan(device, token, at(MONDAY + timedelta(days=1), 8, 5))
    assert result["outcome"] == "checked_in" and "closed_previous" in result["flags"]
    yesterday, today = segments(person)
    assert yesterday.closed_by_system and yesterday.out_source == "system"
    assert yesterday.check_out == at(MONDAY, 16, 0)  # the scheduled end
    assert today.day == MONDAY + timedelta(days=1) and today.check_out is None
    assert AuditEntry.select().where(AuditEntry.action == "attendance.closed_by_system").count() == 1


def test_second_scan_within_window_is_a_duplicate_with_the_earlier_answer(setup):
    person, device, token = setup
    first, _ = scan(device, token, at(MONDAY, 8, 0))
    again, stored = scan(device, token, at(MONDAY, 8, 0, 59))
    assert stored and again["outcome"] == "duplicate" and again["first_outcome"] == "checked_in"
    assert again["time"] == first["time"] and len(segments(person)) == 1
    # Past the window, but a check-out five minutes after the check-in is still a repeat
    # (test_attendance_rules.py); past that, it checks out.
    later, _ = scan(device, token, at(MONDAY, 8, 5, 1))
    assert later["outcome"] == "checked_out"


def test_duplicate_window_is_configurable(setup):
    _person, device, token = setup
    scan(device, token, at(MONDAY, 8, 0))
    request = scans.ScanRequest(scan_id="wide-window-1", payload=token)
    result, _ = scans.record_scan(device, request, Settings(duplicate_seconds=600),
                                  now=at(MONDAY, 8, 9))
    assert result["outcome"] == "duplicate"


def test_replay_answers_with_the_first_result_and_applies_once(setup):
    person, device, token = setup
    first, stored = scan(device, token, at(MONDAY, 8, 0), scan_id="same-id-123")
    again, stored_again = scan(device, token, at(MONDAY, 9, 30), scan_id="same-id-123")
    assert stored and not stored_again and again["replayed"]
    assert {k: v for k, v in again.items() if k != "replayed"} == first
    assert len(segments(person)) == 1 and Scan.select().count() == 1


def test_same_scan_id_with_another_payload_is_refused(setup, make):
    _person, device, token = setup
    scan(device, token, at(MONDAY, 8, 0), scan_id="same-id-456")
    _other_badge, other_token = make.badge(make.employee())
    with pytest.raises(scans.ScanIdConflict):
        scan(device, other_token, at(MONDAY, 8, 2), scan_id="same-id-456")
    other_device, _ = make.device()
    with pytest.raises(scans.ScanIdConflict):
        scan(other_device, token, at(MONDAY, 8, 2), scan_id="same-id-456")
    assert Scan.select().count() == 1


def test_unknown_revoked_and_reissued_badges(setup, make):
    person, device, token = setup
    result, _ = scan(device, "0" * 40, at(MONDAY, 8, 0))
    assert result == {"scan_id": result["scan_id"], "ok": False, "outcome": "unknown_badge",
                      "error": "unknown_badge", "flags": [], "at": result["at"],
                      "time": "08:00", "greeting": "morning"}
    _new_badge, new_token = make.badge(person)
    result, _ = scan(device, token, at(MONDAY, 8, 5))
    assert result["outcome"] == "revoked_badge" and "first_name" not in result
    result, _ = scan(device, new_token, at(MONDAY, 8, 6))
    assert result["outcome"] == "checked_in"
    outcomes = [s.outcome for s in Scan.select().order_by(Scan.id)]
    assert outcomes == ["unknown_badge", "revoked_badge", "checked_in"]
    assert Scan.select().where(Scan.employee == person).count() == 2
    logged = " ".join(e.after or "" for e in AuditEntry.select())
    assert token not in logged and new_token not in logged


def test_inactive_employee_is_refused(setup):
    person, device, token = setup
    person.is_active = False
    person.save()
    result, _ = scan(device, token, at(MONDAY, 8, 0))
    assert result["outcome"] == "inactive_employee" and not segments(person)


def test_scan_at_a_place_where_not_expected_is_accepted_and_flagged(setup, make):
    person, _device, token = setup
    elsewhere, _ = make.device()
    result, _ = scan(elsewhere, token, at(MONDAY, 8, 0))
    assert result["outcome"] == "checked_in" and result["flags"] == ["unexpected_place"]
    assert segments(person)[0].unexpected_place


def test_detached_people_are_expected_at_the_clients_tablet_on_their_days(setup, make):
    person, own_device, token = setup
    site = make.client_location()
    at_client, _ = make.device(location=site)
    make.detachment(people=[person], where=site, start=MONDAY, end=MONDAY + timedelta(days=1))
    seconded = make.employee(work_group=None, first_name="Joost")  # detached alone, no group
    make.detachment(people=[seconded], where=site, start=MONDAY)

    assert schedules.expected_here(person, at_client, MONDAY)
    assert not schedules.expected_here(person, at_client, MONDAY + timedelta(days=2))  # ended
    assert schedules.expected_here(seconded, at_client, MONDAY)
    assert not schedules.expected_here(seconded, own_device, MONDAY)
    result, _ = scan(at_client, token, at(MONDAY, 8, 0))
    assert result["outcome"] == "checked_in" and result["flags"] == []
    pins.set_pin(person)
    pins.set_pin(seconded)
    listed = [p.first_name for p in pins.expected_people(at_client, MONDAY)]
    assert listed == ["Joost", "Samira"]
    assert [p.first_name for p in pins.expected_people(at_client, MONDAY + timedelta(days=2))] \
        == ["Joost"]


def test_not_expected_on_a_day_off_or_a_public_holiday(setup):
    person, device, token = setup
    assert schedules.expected_here(person, device, MONDAY)
    assert not schedules.expected_here(person, device, MONDAY - timedelta(days=1))  # Sunday
    assert not schedules.expected_here(person, device, date(2026, 12, 25))  # Christmas, a Friday


def test_device_at_a_client_location_expects_nobody_from_own_floors(setup, make):
    person, _device, _token = setup
    client_site = make.location(kind="client", client=make.client())
    at_client, _ = make.device(location=client_site)
    assert at_client.workfloor_id is None
    assert not schedules.expected_here(person, at_client, MONDAY)


def test_offline_scan_keeps_tablet_time_corrected_by_measured_offset(setup):
    person, device, token = setup
    now = at(MONDAY, 9, 0)
    # The tablet's clock runs 30 s slow; it scanned at 07:59:30 by its clock, sends at 08:59:30.
    result, _ = scan(device, token, now, tablet_time=at(MONDAY, 7, 59, 30),
                     sent_at=at(MONDAY, 8, 59, 30))
    assert result["time"] == "08:00" and result["flags"] == ["queued"]
    assert segments(person)[0].check_in == at(MONDAY, 8, 0)
    stored = Scan.get()
    assert stored.clock_offset_seconds == 30 and stored.tablet_time == at(MONDAY, 7, 59, 30)


def test_large_clock_offset_is_flagged_and_never_in_the_future(setup):
    person, device, token = setup
    now = at(MONDAY, 8, 0)
    result, _ = scan(device, token, now, tablet_time=at(MONDAY, 9, 0), sent_at=at(MONDAY, 9, 0))
    assert "clock_offset" in result["flags"] and result["time"] == "08:00"
    assert segments(person)[0].clock_offset_flagged
    moment, offset, flagged = scans.corrected_time(now, now + timedelta(hours=1), None, 120)
    assert moment == now and offset == 0 and not flagged


def test_queued_scan_from_before_the_last_stamp_is_kept_not_applied(setup, make):
    person, device, token = setup
    scan(device, token, at(MONDAY, 8, 30))
    result, _ = scan(device, token, at(MONDAY, 9, 0), tablet_time=at(MONDAY, 8, 0),
                     sent_at=at(MONDAY, 9, 0))
    assert result["outcome"] == "late_scan" and not result["ok"]
    (segment,) = segments(person)
    assert segment.check_in == at(MONDAY, 8, 30) and segment.check_out is None


def test_enrolment_code_is_one_time_and_expires(ctx, make):
    device, _ = make.device(enrolled=False)
    _row, code = devices.start_enrolment(device, now=at(MONDAY, 8, 0))
    assert devices.enrol(code, now=at(MONDAY, 8, 11)) == (None, None)
    _row, code = devices.start_enrolment(device, now=at(MONDAY, 8, 0))
    enrolled, credential = devices.enrol(code.lower(), now=at(MONDAY, 8, 1))
    assert enrolled.id == device.id and len(credential) >= 40
    assert devices.enrol(code, now=at(MONDAY, 8, 2)) == (None, None)
    assert devices.device_for_credential(credential).id == device.id
    assert Device.get_by_id(device.id).credential_hash == sha256(credential)


def test_a_new_code_voids_the_old_one_and_revoking_stops_the_device(ctx, make):
    device, credential = make.device()
    _row, old = devices.start_enrolment(device)
    _row, new = devices.start_enrolment(device)
    assert devices.enrol(old) == (None, None)
    devices.revoke_device(device)
    assert devices.device_for_credential(credential) is None
    assert devices.enrol(new) == (None, None)


def test_reissue_revokes_old_badge_at_once(setup, make):
    person, _device, token = setup
    old = Badge.get(Badge.token_hash == sha256(token))
    new, _token = make.badge(person)
    assert Badge.get_by_id(old.id).revoked_at is not None
    assert badges.active_badge(person).id == new.id
    badges.revoke_badges(person)
    assert badges.active_badge(person) is None


def test_stored_result_is_json_for_replay(setup):
    _person, device, token = setup
    result, _ = scan(device, token, at(MONDAY, 8, 0), scan_id="json-check-1")
    assert json.loads(Scan.get().result) == result


def test_badge_lookup_brings_the_groups_workfloor_in_the_same_query(setup, make):
    person, device, token = setup
    badge, floor = scans._find_badge(token, MONDAY)
    assert badge.employee.id == person.id and floor.id == device.workfloor_id
    assert floor.location_id == device.location_id
    loner = make.employee(work_group=None)
    _b, loner_token = make.badge(loner)
    badge, floor = scans._find_badge(loner_token, MONDAY)
    assert badge.employee.id == loner.id and floor is None
    assert not schedules.expected_here(loner, device, MONDAY)
    assert scans._find_badge("0" * 40, MONDAY) == (None, None)


def test_scheduled_day_follows_the_schedule_in_force(setup, make):
    person, _device, _token = setup
    assert schedules.scheduled_day(person.id, MONDAY).ends_at == time(16)
    make.add_schedule(person, {1: (time(9), time(13), 0)}, valid_from=MONDAY)
    assert schedules.scheduled_day(person.id, MONDAY) is None  # the new one has no Mondays
    assert schedules.scheduled_day(person.id, MONDAY + timedelta(days=1)).ends_at == time(13)
    assert schedules.scheduled_day(person.id, MONDAY - timedelta(days=7)).ends_at == time(16)


def test_a_scan_runs_a_fixed_few_statements(setup, count_queries):
    """The scan path is the busiest in the portal. Six statements: the scan id, the badge with
    its person, the schedule, the day's segments (locked on PostgreSQL), and two inserts."""
    person, device, token = setup
    devices.touch_device(device, now=at(MONDAY, 7, 59))  # seen a moment ago: no update now
    with count_queries() as counted:
        result, stored = scan(device, token, at(MONDAY, 8, 0))
    assert stored and result["outcome"] == "checked_in"
    assert counted.total == 6
