"""The kiosk over HTTP: enrolment, scanning, replay, revocation and bad input."""

import json
import threading
from datetime import datetime

import pytest

from portal.attendance.models import AttendanceSegment
from portal.audit import AuditEntry
from portal.db import database
from portal.kiosk import devices, scans
from portal.tokens import sha256
from portal.kiosk.models import Device, Scan
from portal.people.models import EmployeePhoto
from portal.throttle import AttemptCount

SCANS = "/kiosk/api/scans"


@pytest.fixture
def place(app, make):
    """A group on a workfloor, an employee in it with a badge, and a device not yet enrolled."""
    group = make.group()
    person = make.employee(work_group=group, first_name="Samira", last_name="Bakker")
    _badge, token = make.badge(person)
    device, _ = make.device(workfloor=group.workfloor, enrolled=False)
    return person, device, token


def enrol_client(client, device):
    _row, code = devices.start_enrolment(device)
    response = client.post("/kiosk/enrol", data={"code": code})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return response


@pytest.fixture
def kiosk(client, place):
    """A test client that is an enrolled kiosk."""
    enrol_client(client, place[1])
    return client


def post_scan(client, scan_id="scan-0001", code=None, **fields):
    body = {"scan_id": scan_id, "code": code, "method": "badge", **fields}
    return client.post(SCANS, data=json.dumps(body), content_type="application/json", csrf=False)


def test_enrolment_sets_a_strict_http_only_cookie_and_opens_the_kiosk(client, place):
    _person, device, _token = place
    response = enrol_client(client, device)
    assert response.headers["Location"].endswith("/kiosk/")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("kiosk_device=") and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie and "Path=/kiosk" in cookie
    credential = cookie.split(";")[0].split("=", 1)[1]
    assert credential not in response.headers["Location"]
    assert Device.get_by_id(device.id).credential_hash == sha256(credential)
    page = client.get("/kiosk/")
    assert page.status_code == 200 and page.headers["X-Kiosk-Page"] == "ready"
    assert "'wasm-unsafe-eval'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert 'id="kiosk-input"' in html and credential not in html
    assert "base.html" not in html and 'class="site-header"' not in html


def test_enrol_form_link_prefills_the_code(client, place):
    _row, code = devices.start_enrolment(place[1])
    page = client.get(f"/kiosk/enrol/{code.lower()}")
    assert page.status_code == 200 and f'value="{code}"' in page.get_data(as_text=True)


def test_wrong_or_used_code_is_refused_and_repeated_failures_throttled(client, place):
    _person, device, _token = place
    _row, code = devices.start_enrolment(device)
    assert client.post("/kiosk/enrol", data={"code": "WRONG"}).status_code == 422
    assert client.post("/kiosk/enrol", data={"code": code}).status_code == 303
    client.csrf_token = None  # enrolment cleared the session, and its CSRF token with it
    client.get("/kiosk/")
    again = client.post("/kiosk/enrol", data={"code": code})
    assert again.status_code == 422
    assert "kiosk_device" not in again.headers.get("Set-Cookie", "")
    for _ in range(9):
        client.post("/kiosk/enrol", data={"code": "ABCDEFGHJKMN"})
    _row, fresh = devices.start_enrolment(device)
    assert client.post("/kiosk/enrol", data={"code": fresh}).status_code == 429


def test_enrolment_and_the_kiosk_page_end_a_user_session(client, login, make, place):
    login(make.user("admin"))
    assert client.get("/overview").status_code == 200
    enrol_client(client, place[1])
    assert client.get("/overview").status_code == 302
    login(make.user("admin"))
    client.get("/kiosk/")
    assert client.get("/overview").status_code == 302


def test_device_reaches_nothing_but_the_kiosk(kiosk):
    for path in ("/overview", "/auth/users", "/people/"):
        response = kiosk.get(path)
        assert response.status_code in (302, 404), path
        assert response.status_code != 200


def test_scan_checks_in_then_replay_answers_the_same(kiosk, place):
    person, device, token = place
    first = post_scan(kiosk, "scan-0001", token)
    assert first.status_code == 201
    body = first.get_json()
    assert body["ok"] and body["outcome"] == "checked_in" and body["first_name"] == "Samira"
    assert body["initials"] == "SB" and "last_name" not in body
    again = post_scan(kiosk, "scan-0001", token)
    assert again.status_code == 200 and again.get_json() == dict(body, replayed=True)
    assert Scan.select().count() == 1
    assert AttendanceSegment.select().where(AttendanceSegment.employee == person).count() == 1


def test_second_scan_is_duplicate_then_checks_out_when_window_is_zero(app, kiosk, place):
    _person, _device, token = place
    post_scan(kiosk, "scan-0001", token)
    dup = post_scan(kiosk, "scan-0002", token).get_json()
    assert dup["outcome"] == "duplicate" and dup["first_outcome"] == "checked_in"
    app.config["KIOSK_DUPLICATE_SECONDS"] = 0
    app.config["KIOSK_MIN_SEGMENT_SECONDS"] = 0
    out = post_scan(kiosk, "scan-0003", token)
    assert out.status_code == 201 and out.get_json()["outcome"] == "checked_out"


def test_same_scan_id_with_another_payload_is_a_conflict(kiosk, place, make):
    _person, _device, token = place
    _b, other = make.badge(make.employee())
    post_scan(kiosk, "scan-0001", token)
    response = post_scan(kiosk, "scan-0001", other)
    assert response.status_code == 409 and response.get_json()["error"] == "scan_id_conflict"
    response = post_scan(kiosk, "scan-0001", token, tablet_time=1_800_000_000_000)
    assert response.status_code == 409
    assert Scan.select().count() == 1


def test_bearer_header_works_for_hardware_terminals(client, place):
    person, device, token = place
    _row, code = devices.start_enrolment(device)
    _device, credential = devices.enrol(code)
    response = client.post(SCANS, data=json.dumps({"scan_id": "terminal-1", "code": token}),
                           content_type="application/json", csrf=False,
                           headers={"Authorization": f"Bearer {credential}"})
    assert response.status_code == 201 and response.get_json()["outcome"] == "checked_in"
    ping = client.get("/kiosk/api/ping", headers={"Authorization": f"Bearer {credential}"})
    assert ping.status_code == 200 and ping.get_json()["server_time"] > 1_700_000_000_000


def test_unknown_and_revoked_badges_are_stored_refusals(kiosk, place, make):
    person, _device, token = place
    unknown = post_scan(kiosk, "scan-0001", "f" * 40)
    assert unknown.status_code == 201
    assert unknown.get_json()["error"] == "unknown_badge" and not unknown.get_json()["ok"]
    make.badge(person)  # reissue: the old card stops at once
    revoked = post_scan(kiosk, "scan-0002", token).get_json()
    assert revoked["error"] == "revoked_badge" and "first_name" not in revoked
    assert AttendanceSegment.select().count() == 0


def test_a_flood_of_unknown_badges_is_counted_not_stored(app, kiosk, place):
    """One tablet sent 4,000 random tokens in seconds, each stored as a row."""
    app.config["KIOSK_UNKNOWN_PER_MINUTE"] = 3
    answers = [post_scan(kiosk, f"flood-{i:04d}", f"{i:040x}") for i in range(8)]
    assert [a.status_code for a in answers] == [201] * 3 + [429] * 5
    assert answers[-1].get_json() == {"ok": False, "error": "too_many_unknown"}
    assert Scan.select().count() == 3
    # neither a scan row nor a log row for each one past the limit
    assert AuditEntry.select().where(AuditEntry.reason == "too_many_unknown").count() == 0
    (count,) = AttemptCount.select()
    assert count.attempts == 8


def test_revoked_and_unknown_devices_are_refused(kiosk, client, place):
    _person, device, token = place
    devices.revoke_device(device)
    response = post_scan(kiosk, "scan-0001", token)
    assert response.status_code == 401 and response.get_json()["error"] == "device_revoked"
    assert kiosk.get("/kiosk/api/ping").get_json()["error"] == "device_revoked"
    page = kiosk.get("/kiosk/")
    assert "X-Kiosk-Page" not in page.headers and 'name="code"' in page.get_data(as_text=True)
    kiosk.set_cookie("kiosk_device", "made-up", path="/kiosk")
    response = post_scan(kiosk, "scan-0002", token)
    assert response.status_code == 401 and response.get_json()["error"] == "device_unknown"
    assert Scan.select().count() == 0
    refusals = AuditEntry.select().where(AuditEntry.action == "kiosk.scan_refused")
    assert {e.reason for e in refusals} == {"device_revoked", "device_unknown"}


def test_no_credential_at_all(client):
    response = client.post(SCANS, json={"scan_id": "abcdefgh", "code": "x"}, csrf=False)
    assert response.status_code == 401 and response.get_json()["error"] == "device_unknown"


GOOD = "0123456789abcdef0123456789abcdef01234567"
BAD_BODIES = [
    ("empty", b"", "invalid_json", 400),
    ("ten kB", json.dumps({"scan_id": "scan-0001", "code": "a" * 10_000}).encode(), "too_large", 413),
    ("truncated", b'{"scan_id": "scan-0001", "code": "01234', "invalid_json", 400),
    ("not utf-8", b'{"scan_id": "scan-0001", "code": "\xff\xfe"}', "invalid_encoding", 400),
    ("html", json.dumps({"scan_id": "scan-0001", "code": "<script>alert(1)</script>"}).encode(),
     "invalid_code", 400),
    ("sql", json.dumps({"scan_id": "scan-0001", "code": "'; DROP TABLE scan; --"}).encode(),
     "invalid_code", 400),
    ("list", b"[1, 2]", "invalid_json", 400),
    ("no scan id", json.dumps({"code": GOOD}).encode(), "invalid_scan_id", 400),
    ("html scan id", json.dumps({"scan_id": "<b>x</b>12345", "code": GOOD}).encode(),
     "invalid_scan_id", 400),
    ("number code", json.dumps({"scan_id": "scan-0001", "code": 12}).encode(), "invalid_code", 400),
    ("pin of letters", json.dumps({"scan_id": "scan-0001", "method": "pin", "employee_id": 1,
                                   "pin": "abcd"}).encode(), "invalid_pin", 400),
    ("pin, no employee", json.dumps({"scan_id": "scan-0001", "method": "pin", "pin": "1234"}).encode(),
     "invalid_employee", 400),
    ("unknown method", json.dumps({"scan_id": "scan-0001", "method": "face", "code": GOOD}).encode(),
     "invalid_method", 400),
    ("bad time", json.dumps({"scan_id": "scan-0001", "code": GOOD, "tablet_time": "gisteren"}).encode(),
     "invalid_time", 400),
    ("absurd time", json.dumps({"scan_id": "scan-0001", "code": GOOD, "tablet_time": 10**20}).encode(),
     "invalid_time", 400),
]


@pytest.mark.parametrize("name,raw,code,status", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_input_gets_a_clear_json_error_and_stores_nothing(kiosk, name, raw, code, status):
    response = kiosk.post(SCANS, data=raw, content_type="application/json", csrf=False)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.get_json() == {"ok": False, "error": code}
    assert Scan.select().count() == 0 and AttendanceSegment.select().count() == 0
    entry = AuditEntry.select().where(AuditEntry.action == "kiosk.scan_refused").get()
    assert entry.reason == code and "DROP" not in (entry.after or "")


def test_only_json_is_accepted(kiosk, place):
    response = kiosk.post(SCANS, data={"scan_id": "scan-0001", "code": place[2]}, csrf=False)
    assert response.status_code == 415 and response.get_json()["error"] == "content_type"
    response = kiosk.post(SCANS, data=json.dumps({"scan_id": "scan-0001", "code": place[2]}),
                          content_type="text/plain", csrf=False)
    assert response.status_code == 415
    assert Scan.select().count() == 0


def test_the_raw_token_is_never_logged(kiosk, place):
    _person, _device, token = place
    post_scan(kiosk, "scan-0001", token)
    post_scan(kiosk, "scan-0002", token[::-1])
    for entry in AuditEntry.select():
        assert token not in f"{entry.before}{entry.after}{entry.reason}"
        assert token[::-1] not in f"{entry.before}{entry.after}{entry.reason}"


def test_photo_is_served_only_to_the_device_that_just_scanned(kiosk, client, place, app, make):
    person, device, token = place
    person.has_photo = True
    person.save()
    EmployeePhoto.create(employee=person, content_type="image/jpeg", data=b"\xff\xd8fakejpeg")
    body = post_scan(kiosk, "scan-0001", token).get_json()
    assert body["photo_url"] == "/kiosk/api/photo/scan-0001"
    photo = kiosk.get(body["photo_url"])
    assert photo.status_code == 200 and photo.data == b"\xff\xd8fakejpeg"
    other = app.test_client()
    other_device, _ = make.device()
    enrol_client(other, Device.create(name="x", location=other_device.location))
    assert other.get(body["photo_url"]).status_code == 404


def test_server_failure_answers_json_503(kiosk, place, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("database gone")

    monkeypatch.setattr(scans, "record_scan", broken)
    response = post_scan(kiosk, "scan-0001", place[2])
    assert response.status_code == 503 and response.get_json()["error"] == "server_unavailable"


# -- concurrency ------------------------------------------------------------------------------

def _fire(app, calls):
    """Run the calls in threads that start together; return their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                barrier.wait()
                results[i] = call()
            except Exception as exc:  # noqa: BLE001 (the test inspects it)
                results[i] = exc
            finally:
                database.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_same_scan_id_from_many_threads_is_applied_once(app, place):
    person, device, token = place
    _row, code = devices.start_enrolment(device)
    device, _ = devices.enrol(code)
    request = scans.ScanRequest(scan_id="race-0001", payload=token)
    results = _fire(app, [lambda: scans.record_scan(device, request) for _ in range(6)])
    assert all(isinstance(r, tuple) for r in results), results
    assert sum(1 for _result, stored in results if stored) == 1
    assert len({json.dumps(r[0]["outcome"]) for r in results}) == 1
    assert Scan.select().count() == 1
    assert AttendanceSegment.select().where(AttendanceSegment.employee == person).count() == 1


def test_same_badge_from_two_devices_at_once_has_one_effect(app, place, make):
    person, device, token = place
    _row, code = devices.start_enrolment(device)
    device, _ = devices.enrol(code)
    second, _ = make.device(workfloor=device.workfloor)
    calls = [lambda d=d, i=i: scans.record_scan(d, scans.ScanRequest(scan_id=f"two-dev-{i}",
                                                                     payload=token))
             for i, d in enumerate([device, second, device, second])]
    results = _fire(app, calls)
    assert all(isinstance(r, tuple) for r in results), results
    outcomes = sorted(r[0]["outcome"] for r in results)
    assert outcomes == ["checked_in", "duplicate", "duplicate", "duplicate"]
    assert AttendanceSegment.select().where(AttendanceSegment.employee == person).count() == 1


def test_same_badge_checking_out_at_two_devices_at_once_checks_out_once(app, place, make):
    """The open check-in is there to lock: the second tablet waits, then sees the check-out."""
    person, device, token = place
    second, _ = make.device(workfloor=device.workfloor)
    with app.app_context():
        database.connect(reuse_if_open=True)
        scans.record_scan(device, scans.ScanRequest(scan_id="morning-in", payload=token),
                          now=datetime(2026, 11, 23, 7, 0))
        database.close()
    calls = [lambda d=d, i=i: scans.record_scan(d, scans.ScanRequest(scan_id=f"out-{i}",
                                                                     payload=token),
                                                now=datetime(2026, 11, 23, 15, 0))
             for i, d in enumerate([device, second, device, second])]
    results = _fire(app, calls)
    assert all(isinstance(r, tuple) for r in results), results
    outcomes = sorted(r[0]["outcome"] for r in results)
    assert outcomes == ["checked_out", "duplicate", "duplicate", "duplicate"]
    [segment] = AttendanceSegment.select().where(AttendanceSegment.employee == person)
    assert segment.check_out is not None
