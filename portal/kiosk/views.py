"""The kiosk blueprint: the tablet's page, its enrolment, and (in api.py) its JSON API."""

import mimetypes
from datetime import timedelta

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from portal import throttle
from portal.auth.access import public
from portal.kiosk import bp, devices
from portal.kiosk.settings import Settings
from portal.security import extend_csp

# Browsers compile WebAssembly while it downloads only when it comes as application/wasm.
mimetypes.add_type("application/wasm", ".wasm")

COOKIE = "kiosk_device"
# Long-lived on purpose: nobody should have to log a wall tablet in again; revoking ends it.
COOKIE_SECONDS = 10 * 365 * 24 * 3600
ENROL_MAX_FAILURES = 10
ENROL_WINDOW = timedelta(minutes=15)


def settings() -> Settings:
    """The kiosk rules' numbers from the app config (portal/config.py)."""
    config = current_app.config
    return Settings(duplicate_seconds=config["KIOSK_DUPLICATE_SECONDS"],
                    min_segment_seconds=config["KIOSK_MIN_SEGMENT_SECONDS"],
                    unknown_badges_per_minute=config["KIOSK_UNKNOWN_PER_MINUTE"],
                    offset_flag_seconds=config["KIOSK_OFFSET_FLAG_SECONDS"])


def _drop_user_session() -> None:
    """A kiosk never keeps a person's session: whoever was logged in here is logged out."""
    if current_user.is_authenticated:
        logout_user()
    session.clear()


def device_credential() -> str | None:
    """The credential a tablet sent: a Bearer header (hardware terminals) or the cookie."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    return request.cookies.get(COOKIE)


def _current_device():
    return devices.device_for_credential(device_credential())


@bp.get("/")
@public
def index():
    """The kiosk screen on an enrolled tablet; elsewhere, the form to enrol this tablet."""
    _drop_user_session()
    device = _current_device()
    if device is None:
        return render_template("kiosk/not_enrolled.html"), 200
    devices.touch_device(device)
    # The camera scanner runs zxing compiled to WebAssembly.
    extend_csp("script-src", "'wasm-unsafe-eval'")
    response = current_app.make_response(render_template("kiosk/kiosk.html", device=device))
    # The service worker keeps only a page that is a working kiosk for its offline copy.
    response.headers["X-Kiosk-Page"] = "ready"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/enrol/<code>")
@public
def enrol_form(code):
    """Ask to enrol this tablet with the code from the admin's screen."""
    _drop_user_session()
    return render_template("kiosk/enrol.html", code=devices.normalise_enrolment_code(code))


@bp.post("/enrol")
@public
def enrol():
    """Enrol this tablet: trade the one-time code for a long-lived device credential."""
    key = f"kiosk-enrol:{request.remote_addr or '-'}"
    code = request.form.get("code", "")
    if throttle.is_blocked(key, ENROL_MAX_FAILURES, ENROL_WINDOW):
        return render_template("kiosk/enrol.html", code=devices.normalise_enrolment_code(code),
                               problem=_("Too many wrong codes. Wait a quarter of an hour.")), 429
    device, credential = devices.enrol(code)
    if device is None:
        throttle.register_failure(key)
        return render_template("kiosk/enrol.html", code=devices.normalise_enrolment_code(code),
                               problem=_("This code is wrong, used or expired. "
                                         "Ask the admin for a new code.")), 422
    _drop_user_session()
    response = redirect(url_for("kiosk.index"), 303)
    response.set_cookie(COOKIE, credential, max_age=COOKIE_SECONDS, path=bp.url_prefix,
                        httponly=True, samesite="Strict", secure=request.is_secure)
    return response


@bp.get("/sw.js")
@public
def service_worker():
    """The service worker that lets the kiosk page open without network (scope /kiosk/)."""
    response = current_app.response_class(
        render_template("kiosk/sw.js", version=current_app.config.get("KIOSK_SW_VERSION", "1")),
        mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


