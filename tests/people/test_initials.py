"""One rule for initials, the same on the badge, the kiosk and every list."""

import json
from datetime import date

import pytest

from portal import timeutil
from portal.kiosk import pins, schedules
from portal.people.models import initials
from tests.factories import at


@pytest.mark.parametrize("first, last, expected", [
    ("Sanne", "van Dijk", "SD"),
    ("Sanne", "Visser", "SV"),
    ("Tim", "van der Berg", "TB"),
    ("Els", "'t Hart", "EH"),
    ("Piet", "de Vries-Bakker", "PV"),
    ("Ali", "Bakker Visser", "AB"),
    ("Özlem", "ümit", "ÖÜ"),   # no capital word: the last one is the surname
    ("Jo", "", "J"),
])
def test_initials_skip_the_dutch_surname_prefix(first, last, expected):
    assert initials(first, last) == expected


def test_badge_kiosk_and_day_list_show_the_same_initials(app, make, login, client, monkeypatch):
    monday = date(2026, 11, 16)
    monkeypatch.setattr(timeutil, "utcnow", lambda: at(monday, "09:00"))
    monkeypatch.setattr(schedules, "is_public_holiday", lambda day: False)
    boss = make.user("supervisor")
    group = make.group(supervisor=boss)
    sanne = make.employee(work_group=group, first_name="Sanne", last_name="van Dijk")
    make.segment(sanne, monday, "08:00")
    _device, credential = make.device(workfloor=group.workfloor)
    pins.set_pin(sanne)

    login(make.user("admin"))
    sheet = client.post("/devices/badges/print", data={"employee": [sanne.id]})
    assert ">SD<" in sheet.get_data(as_text=True)

    tablet = app.test_client()
    tablet.set_cookie("kiosk_device", credential, path="/kiosk")
    listed = tablet.get("/kiosk/api/people").get_json()
    assert [p["initials"] for p in listed["people"]] == ["SD"]
    _badge, token = make.badge(sanne)
    scanned = tablet.post("/kiosk/api/scans", content_type="application/json", csrf=False,
                          data=json.dumps({"scan_id": "initials-1", "code": token,
                                           "method": "badge"}))
    assert scanned.get_json()["initials"] == "SD"

    supervisor = app.test_client()
    supervisor.post("/auth/login", data={"username": boss.username, "password": make.PASSWORD})
    day = supervisor.get(f"/attendance/groups/{group.id}/{monday.isoformat()}")
    assert '<span class="initials" aria-hidden="true">SD</span>' in day.get_data(as_text=True)
