"""The PIN for a forgotten badge: who may use it where, and how wrong PINs are limited."""

import json
import re
from datetime import date, datetime, time, timedelta

import pytest
from werkzeug.security import check_password_hash

from portal.attendance.models import AttendanceSegment
from portal.audit import AuditEntry
from portal.db import database
from portal.kiosk import pins
from portal.people import working_calendar
from portal.kiosk.settings import Settings
from portal.kiosk.models import EmployeePin, Scan
from portal.throttle import AttemptCount
from portal.timeutil import to_utc

EVERY_DAY = {d: (time(0), time(23, 59), 0) for d in range(7)}
MONDAY = date(2026, 11, 23)
NOON = to_utc(datetime.combine(MONDAY, time(12)))


@pytest.fixture
def floor(app, make):
    with app.app_context():
        database.connect(reuse_if_open=True)
        group = make.group()
        samira = make.employee(work_group=group, first_name="Samira", schedule=EVERY_DAY)
        joost = make.employee(work_group=group, first_name="Joost", schedule=EVERY_DAY)
        device, credential = make.device(workfloor=group.workfloor)
        yield group, samira, joost, device, credential
        database.close()


def test_set_pin_is_four_digits_stored_hashed_and_replaced(floor):
    _group, samira, _joost, _device, _credential = floor
    pin = pins.set_pin(samira)
    assert pins.PIN.match(pin)
    stored = EmployeePin.get(EmployeePin.employee == samira)
    # Stored as a salted hash that checks, never as the digits. (Not "the digits appear nowhere
    # in it": four digits turn up in a hex digest now and then by chance.)
    method, salt, digest = stored.pin_hash.split("$")
    assert method.startswith("pbkdf2:") and pin not in (salt, digest) and len(digest) >= 64
    assert check_password_hash(stored.pin_hash, pin)
    pins.set_pin(samira)
    assert EmployeePin.select().count() == 1
    assert pins.clear_pin(samira) and not pins.clear_pin(samira)


def test_expected_people_are_those_here_today_with_a_pin(floor, make):
    group, samira, joost, device, _credential = floor
    pins.set_pin(samira)
    elsewhere = make.employee(work_group=make.group(), schedule=EVERY_DAY)
    pins.set_pin(elsewhere)
    weekdays_only = make.employee(work_group=group)  # Monday to Friday
    pins.set_pin(weekdays_only)
    assert [p.id for p in pins.expected_people(device, MONDAY)] == sorted(
        [samira.id, weekdays_only.id], key=lambda i: {samira.id: "S", weekdays_only.id: "V"}[i])
    assert [p.id for p in pins.expected_people(device, MONDAY - timedelta(days=1))] == [samira.id]
    assert pins.expected_people(device, date(2026, 12, 25)) == []  # Christmas
    assert joost.id not in {p.id for p in pins.expected_people(device, MONDAY)}  # no PIN


def test_right_pin_gives_the_employee_wrong_pin_counts(floor):
    _group, samira, _joost, device, _credential = floor
    pin = pins.set_pin(samira)
    wrong = "0000" if pin != "0000" else "1111"
    settings = Settings()
    assert pins.check_pin(device, samira.id, wrong, settings, now=NOON) == (None, "wrong_pin")
    person, problem = pins.check_pin(device, samira.id, pin, settings, now=NOON)
    assert person.id == samira.id and problem is None
    assert not AttemptCount.select().where(AttemptCount.key == f"kiosk-pin-employee:{samira.id}").exists()


def test_one_persons_wrong_pins_do_not_lock_out_another(floor):
    _group, samira, joost, device, _credential = floor
    samira_pin = pins.set_pin(samira)
    joost_pin = pins.set_pin(joost)
    wrong = next(p for p in ("0000", "1111", "2222") if p != samira_pin)
    settings = Settings()
    for _ in range(settings.pin_employee_failures):
        assert pins.check_pin(device, samira.id, wrong, settings, now=NOON)[1] == "wrong_pin"
    assert pins.check_pin(device, samira.id, samira_pin, settings, now=NOON) == (None, "pin_locked")
    person, problem = pins.check_pin(device, joost.id, joost_pin, settings, now=NOON)
    assert person.id == joost.id and problem is None
    later = NOON + timedelta(minutes=settings.pin_window_minutes + 1)
    assert pins.check_pin(device, samira.id, samira_pin, settings, now=later)[1] is None


def test_device_ceiling_stops_trying_pin_after_pin(floor):
    _group, samira, joost, device, _credential = floor
    pins.set_pin(samira)
    joost_pin = pins.set_pin(joost)
    settings = Settings(pin_employee_failures=100, pin_device_failures=3)
    for guess in ("9990", "9991", "9992"):
        pins.check_pin(device, samira.id, guess, settings, now=NOON)
    assert pins.check_pin(device, joost.id, joost_pin, settings, now=NOON) == (None, "pin_locked")


def test_pin_of_someone_not_expected_here_is_refused(floor, make):
    _group, _samira, _joost, device, _credential = floor
    other = make.employee(work_group=make.group(), schedule=EVERY_DAY)
    pin = pins.set_pin(other)
    assert pins.check_pin(device, other.id, pin, Settings(), now=NOON) == (None, "not_expected")


# -- over HTTP --------------------------------------------------------------------------------

@pytest.fixture
def pin_kiosk(app, floor, monkeypatch):
    """The floor's device as a client; today is never a public holiday here."""
    monkeypatch.setattr(working_calendar, "is_public_holiday", lambda day: False)
    client = app.test_client()
    client.set_cookie("kiosk_device", floor[4], path="/kiosk")
    return client


def pin_scan(client, scan_id, employee_id, pin):
    return client.post("/kiosk/api/scans", content_type="application/json", csrf=False,
                       data=json.dumps({"scan_id": scan_id, "method": "pin",
                                        "employee_id": employee_id, "pin": pin}))


def test_people_list_and_pin_scan_check_in(pin_kiosk, floor):
    _group, samira, _joost, _device, _credential = floor
    pin = pins.set_pin(samira)
    listed = pin_kiosk.get("/kiosk/api/people").get_json()
    assert listed["pin"] and listed["people"] == [
        {"id": samira.id, "first_name": "Samira", "initials": samira.first_name[0] + samira.last_name[0]}]
    response = pin_scan(pin_kiosk, "pin-scan-1", samira.id, pin)
    assert response.status_code == 201
    body = response.get_json()
    assert body["outcome"] == "checked_in" and body["first_name"] == "Samira"
    segment = AttendanceSegment.get()
    assert segment.in_source == "pin" and Scan.get().method == "pin"
    again = pin_scan(pin_kiosk, "pin-scan-1", samira.id, pin)
    assert again.status_code == 200 and again.get_json()["replayed"]


def test_the_forgotten_badge_screen_shows_photos_of_those_expected_here_only(pin_kiosk, floor,
                                                                             make):
    _group, samira, joost, _device, _credential = floor
    pins.set_pin(samira)
    pins.set_pin(joost)
    make.photo(samira)
    elsewhere = make.employee(work_group=make.group(), schedule=EVERY_DAY)
    pins.set_pin(elsewhere)
    make.photo(elsewhere)

    people = {p["first_name"]: p for p in pin_kiosk.get("/kiosk/api/people").get_json()["people"]}
    assert set(people) == {"Samira", "Joost"}
    assert "photo_url" not in people["Joost"]
    photo = pin_kiosk.get(people["Samira"]["photo_url"])
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.headers["Cache-Control"].startswith("private")
    # Someone with a photo who is not expected at this tablet today: no photo, whatever the id.
    refused = pin_kiosk.get(f"/kiosk/api/people/{elsewhere.id}/photo")
    assert refused.status_code == 404 and refused.get_json() == {"ok": False, "error": "no_photo"}
    assert pin_kiosk.get(f"/kiosk/api/people/{joost.id}/photo").status_code == 404
    assert pin_kiosk.get("/kiosk/api/people/99999999999/photo").status_code == 404


def test_wrong_pin_answers_and_stores_nothing_and_never_logs_the_pin(pin_kiosk, floor):
    _group, samira, _joost, _device, _credential = floor
    pin = pins.set_pin(samira)
    wrong = "0000" if pin != "0000" else "1111"
    response = pin_scan(pin_kiosk, "pin-scan-2", samira.id, wrong)
    assert response.status_code == 403 and response.get_json()["error"] == "wrong_pin"
    for _ in range(5):
        pin_scan(pin_kiosk, "pin-scan-3", samira.id, wrong)
    locked = pin_scan(pin_kiosk, "pin-scan-4", samira.id, pin)
    assert locked.status_code == 429 and locked.get_json()["error"] == "pin_locked"
    assert Scan.select().count() == 0 and AttendanceSegment.select().count() == 0
    for entry in AuditEntry.select():
        text = f"{entry.before}{entry.after}{entry.reason}"
        assert pin not in text and wrong not in text


def test_pin_can_be_switched_off_for_the_company(app, pin_kiosk, floor):
    _group, samira, _joost, _device, _credential = floor
    pin = pins.set_pin(samira)
    app.config["KIOSK_PIN_ENABLED"] = 0
    assert pin_kiosk.get("/kiosk/api/people").get_json() == {"ok": True, "pin": False, "people": []}
    response = pin_scan(pin_kiosk, "pin-scan-5", samira.id, pin)
    assert response.status_code == 403 and response.get_json()["error"] == "pin_disabled"
    assert "kiosk-pin-open" not in pin_kiosk.get("/kiosk/").get_data(as_text=True)


def test_admin_makes_a_pin_shown_once_and_removes_it(app, make, login, client):
    login(make.user("admin"))
    person = make.employee(first_name="Samira")
    response = client.post(f"/devices/badges/{person.id}/pin")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    stored = EmployeePin.get(EmployeePin.employee == person)
    # The PIN's own element: a 4-digit number elsewhere (a factory user "Admin 1039") is not it.
    shown = re.search(r'class="enrolment-code"[^>]*>\s*(\d+)\s*<', html).group(1)
    assert pins.PIN.match(shown)
    from werkzeug.security import check_password_hash

    assert check_password_hash(stored.pin_hash, shown)
    listing = client.get("/devices/badges").get_data(as_text=True)
    assert "Nieuwe PIN" in listing
    assert client.post(f"/devices/badges/{person.id}/pin/clear").status_code == 303
    assert EmployeePin.select().count() == 0
