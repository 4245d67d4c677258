"""Settings from the environment, with safe defaults for the embedded set-up."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

TIME_ZONE = "Europe/Amsterdam"


def _number(variable: str, default: int) -> int:
    return int(os.environ.get(variable, str(default)))


def _secret_key(instance_path: Path) -> str:
    """Return PORTAL_SECRET_KEY, or a key generated once and kept under instance/."""
    given = os.environ.get("PORTAL_SECRET_KEY")
    if given:
        return given
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: when several gunicorn workers start at once, one writes and the rest read.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def from_environment(instance_path: str, given: dict) -> dict:
    """Build the Flask configuration from PORTAL_* environment variables.

    Settings in `given` (from tests) win, and are not derived: no key file is written for a
    test that brings its own key.
    """
    instance = Path(instance_path)
    default_db = f"sqlite:///{instance / 'portal.sqlite3'}"
    return {
        "SECRET_KEY": given.get("SECRET_KEY") or _secret_key(instance),
        "DATABASE_URL": given.get("DATABASE_URL")
        or os.environ.get("PORTAL_DATABASE_URL", default_db),
        "TIME_ZONE": TIME_ZONE,
        # A supervisor's tablet stays logged in for a working day, not for ever.
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=int(os.environ.get("PORTAL_SESSION_HOURS", "12"))
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "portal_session",
        # The CSRF token lives as long as the session: a day view left open on a tablet all
        # morning must still be able to post. The session itself expires (see above).
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": True,
        "WTF_I18N_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": TIME_ZONE,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "PHOTO_MAX_BYTES": int(os.environ.get("PORTAL_PHOTO_MAX_BYTES", str(5 * 1024 * 1024))),
        # Failed log-ins: this many within the window locks the account name for the window.
        "LOGIN_MAX_FAILURES": int(os.environ.get("PORTAL_LOGIN_MAX_FAILURES", "5")),
        "LOGIN_FAILURE_WINDOW": timedelta(
            minutes=int(os.environ.get("PORTAL_LOGIN_FAILURE_MINUTES", "15"))
        ),
        "PAGE_SIZE": 25,
        # Supervisors' tablets sit on poor Wi-Fi: text goes out compressed (the planning board
        # is about 700 KB of HTML). Photos, spreadsheets and the kiosk's wasm are already
        # compressed or binary and are left alone. Static .js is served as text/javascript.
        # Streamed responses (static files) stay as they are: compressing them on the fly
        # leaves the file unclosed, and the browser caches them anyway.
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript", "application/javascript",
                               "application/json", "image/svg+xml"],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_STREAMS": False,
        "COMPRESS_MIN_SIZE": 500,
        # Behind a TLS-terminating reverse proxy, trust one hop of X-Forwarded-*.
        "TRUSTED_PROXIES": int(os.environ.get("PORTAL_TRUSTED_PROXIES", "0")),
        # The kiosk: a second scan within this many seconds is a duplicate; a tablet clock
        # this far off is flagged; check-ins still open at this hour are closed by rule.
        "KIOSK_DUPLICATE_SECONDS": _number("PORTAL_KIOSK_DUPLICATE_SECONDS", 60),
        # A check-out this soon after the check-in is a repeat (a badge left in the camera).
        "KIOSK_MIN_SEGMENT_SECONDS": _number("PORTAL_KIOSK_MIN_SEGMENT_SECONDS", 300),
        # Unknown badges per tablet and minute stored one by one; past it only counted.
        "KIOSK_UNKNOWN_PER_MINUTE": _number("PORTAL_KIOSK_UNKNOWN_PER_MINUTE", 20),
        "KIOSK_OFFSET_FLAG_SECONDS": _number("PORTAL_KIOSK_OFFSET_FLAG_SECONDS", 120),
        "KIOSK_ENROLMENT_MINUTES": _number("PORTAL_KIOSK_ENROLMENT_MINUTES", 10),
        # The PIN for a forgotten badge can be switched off for the whole company (0).
        "KIOSK_PIN_ENABLED": _number("PORTAL_KIOSK_PIN_ENABLED", 1),
        # Minutes after the scheduled start before an arrival counts as late.
        "ATTENDANCE_GRACE_MINUTES": _number("PORTAL_ATTENDANCE_GRACE_MINUTES", 5),
        # How long a client's statement link stays valid.
        "DETACHMENT_LINK_DAYS": _number("PORTAL_DETACHMENT_LINK_DAYS", 30),
    }
