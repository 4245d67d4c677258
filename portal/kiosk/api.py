"""The kiosk's JSON API: a device sends scans and asks the time, and nothing else.

Authentication is the device credential, from the HttpOnly `kiosk_device` cookie that
enrolment sets (SameSite=Strict, path /kiosk) or from an `Authorization: Bearer` header for a
hardware terminal. These routes are exempt from the CSRF token because no user session
authorises them, and a third-party page cannot use the device credential either: the cookie is
SameSite=Strict, so a cross-site request arrives without it; a POST must be
`Content-Type: application/json`, which a cross-site form cannot send and cross-site
JavaScript can only send after a CORS preflight that the portal never grants; and a Bearer
header likewise needs a preflight. See docs/kiosk-api.md.
"""

import json
from datetime import datetime, timedelta, timezone
from functools import wraps

from flask import Response, current_app, g, jsonify, request

from portal.auth.access import public
from portal.extensions import csrf
from portal.kiosk import badges, bp, devices, pins, scans
from portal.kiosk.models import Device, Scan
from portal.kiosk.views import device_credential, settings
from portal.people.models import EmployeePhoto
from portal.timeutil import today, utcnow
from portal.tokens import sha256

MAX_BODY = 4096
# Tablet clocks outside these years are broken, not merely off.
EARLIEST, LATEST = datetime(2020, 1, 1), datetime(2100, 1, 1)
PHOTO_MINUTES = 5


def error(code: str, status: int, device_id=None, scan_id=None, log=True):
    """A JSON refusal, logged without the payload."""
    if log:
        scans.refuse(code, device_id, scan_id)
    return jsonify(ok=False, error=code), status


def device_required(view):
    """Let only an enrolled, unrevoked device through; answer JSON 401 otherwise."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        credential = device_credential()
        device = devices.device_for_credential(credential)
        if device is None:
            revoked = (Device.get_or_none(Device.credential_hash == sha256(credential))
                       if credential and len(credential) <= 200 else None)
            code = "device_revoked" if revoked else "device_unknown"
            return error(code, 401, device_id=revoked.id if revoked else None)
        g.device = device
        return view(*args, **kwargs)

    wrapper.allowed_roles = "device"
    return wrapper


def json_api(view):
    """Mark a view as the device API: no CSRF token, JSON answers even when things break."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Exception:
            current_app.logger.exception("Kiosk API failed on %s", request.path)
            # 503: the tablet keeps the scan in its queue and sends it again later.
            return jsonify(ok=False, error="server_unavailable"), 503

    wrapper.allowed_roles = "device"
    return csrf.exempt(wrapper)


def _millis(value) -> datetime | None:
    """A tablet time in milliseconds since the epoch, as naive UTC; ValueError when absurd."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("not a number")
    moment = datetime.fromtimestamp(value / 1000, timezone.utc).replace(tzinfo=None)
    if not EARLIEST <= moment < LATEST:
        raise ValueError("out of range")
    return moment


def _read_json():
    """The request's JSON object, or an error answer."""
    if request.mimetype != "application/json":
        return None, error("content_type", 415, g.device.id)
    if (request.content_length or 0) > MAX_BODY:
        return None, error("too_large", 413, g.device.id)
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        return None, error("too_large", 413, g.device.id)
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, error("invalid_encoding", 400, g.device.id)
    except ValueError:
        return None, error("invalid_json", 400, g.device.id)
    if not isinstance(body, dict):
        return None, error("invalid_json", 400, g.device.id)
    return body, None


@bp.post("/api/scans")
@public
@json_api
@device_required
def post_scan():
    """Store one scan (exactly once per scan id) and answer with what it did."""
    body, refusal = _read_json()
    if refusal:
        return refusal
    device = g.device
    scan_id = body.get("scan_id")
    if not isinstance(scan_id, str) or not scans.SCAN_ID.match(scan_id):
        return error("invalid_scan_id", 400, device.id)
    method = body.get("method", "badge")
    if method not in ("badge", "pin"):
        return error("invalid_method", 400, device.id, scan_id)
    try:
        tablet_time = _millis(body.get("tablet_time"))
        sent_at = _millis(body.get("sent_at"))
    except (ValueError, OverflowError, OSError):
        return error("invalid_time", 400, device.id, scan_id)
    if method == "pin":
        payload, refusal = _check_pin(device, body, scan_id)
        if refusal:
            return refusal
    else:
        code = body.get("code")
        payload = badges.normalise_badge_payload(code) \
            if isinstance(code, str) and len(code) <= 200 else None
        if payload is None:
            return error("invalid_code", 400, device.id, scan_id)
    scan = scans.ScanRequest(scan_id=scan_id, payload=payload, method=method,
                             tablet_time=tablet_time, sent_at=sent_at)
    try:
        result, stored = scans.record_scan(device, scan, settings())
    except scans.ScanIdConflict:
        return error("scan_id_conflict", 409, device.id, scan_id)
    if result.get("has_photo"):
        result["photo_url"] = f"{bp.url_prefix}/api/photo/{scan_id}"
    return jsonify(result), 201 if stored else 200


PIN_REFUSALS = {"pin_locked": 429, "not_expected": 403, "wrong_pin": 403}


def _check_pin(device, body, scan_id):
    """("employee:<id>", None) for a right PIN, else (None, an error answer)."""
    if not current_app.config["KIOSK_PIN_ENABLED"]:
        return None, error("pin_disabled", 403, device.id, scan_id)
    employee_id, pin = body.get("employee_id"), body.get("pin")
    if isinstance(employee_id, bool) or not isinstance(employee_id, int) \
            or not 0 < employee_id < 2**31:
        return None, error("invalid_employee", 400, device.id, scan_id)
    if not isinstance(pin, str) or not pins.PIN.match(pin):
        return None, error("invalid_pin", 400, device.id, scan_id)
    employee, problem = pins.check_pin(device, employee_id, pin, settings())
    if problem:
        return None, error(problem, PIN_REFUSALS[problem], device.id, scan_id)
    return f"employee:{employee.id}", None


@bp.get("/api/people")
@public
@json_api
@device_required
def people():
    """First names of the people with a PIN expected here today: the forgotten-badge screen."""
    if not current_app.config["KIOSK_PIN_ENABLED"]:
        return jsonify(ok=True, pin=False, people=[])
    found = pins.expected_people(g.device, today())
    return jsonify(ok=True, pin=True, people=[_person(p) for p in found])


def _person(employee) -> dict:
    """One button of the forgotten-badge screen: the photo matters most, for who reads poorly."""
    person = {"id": employee.id, "first_name": employee.first_name,
              "initials": (employee.first_name[:1] + employee.last_name[:1]).upper()}
    if employee.has_photo:
        person["photo_url"] = f"{bp.url_prefix}/api/people/{employee.id}/photo"
    return person


@bp.get("/api/people/<int:employee_id>/photo")
@public
@json_api
@device_required
def person_photo(employee_id):
    """The photo of someone on this device's forgotten-badge screen today, and of nobody else."""
    expected = any(p.id == employee_id for p in pins.expected_people(g.device, today()))
    picture = expected and EmployeePhoto.get_or_none(EmployeePhoto.employee == employee_id)
    if not picture:
        return jsonify(ok=False, error="no_photo"), 404
    response = Response(bytes(picture.data), mimetype=picture.content_type)
    # Kept for the rest of the morning on the tablet only; the list changes by the day.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/api/ping")
@public
@json_api
@device_required
def ping():
    """The server's clock, so the tablet can measure its offset, and that the device is valid."""
    devices.touch_device(g.device)
    now = utcnow()
    millis = int(now.replace(tzinfo=timezone.utc).timestamp() * 1000)
    return jsonify(ok=True, server_time=millis, device=g.device.name)


@bp.get("/api/photo/<scan_id>")
@public
@json_api
@device_required
def photo(scan_id):
    """The photo of the person this device scanned in the last minutes, for the answer screen."""
    scan = Scan.get_or_none((Scan.scan_id == scan_id[:64]) & (Scan.device == g.device)
                            & (Scan.received_at > utcnow() - timedelta(minutes=PHOTO_MINUTES)))
    picture = scan and scan.employee_id and EmployeePhoto.get_or_none(
        EmployeePhoto.employee == scan.employee_id)
    if not picture:
        return jsonify(ok=False, error="no_photo"), 404
    response = Response(bytes(picture.data), mimetype=picture.content_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response
