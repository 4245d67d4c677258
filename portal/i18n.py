"""Dutch first, English second, chosen per user; dates and numbers the Dutch way."""

from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel, format_date, format_datetime, format_decimal
from flask_login import current_user

from portal.auth.models import LOCALES
from portal.timeutil import to_local

babel = Babel()


def select_locale() -> str:
    """A logged-in user's own choice; else the choice made on the log-in page; else Dutch."""
    if current_user and current_user.is_authenticated:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else "nl"


def local_time(moment, fmt: str = "HH:mm") -> str:
    """Format a stored UTC moment as Amsterdam wall-clock time."""
    if moment is None:
        return ""
    return format_datetime(to_local(moment), fmt)


def init_app(app: Flask) -> None:
    """Attach flask-babel and the template helpers that format in the user's language."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Amsterdam")
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["decimal"] = lambda value, fmt=None: (
        format_decimal(value, fmt) if value is not None else ""
    )
    app.jinja_env.globals["current_locale"] = select_locale
    app.jinja_env.globals["request_path"] = lambda: request.full_path.rstrip("?")


PORTAL_DIR = Path(__file__).resolve().parent


def translation_directories() -> list[str]:
    """The shared catalog and each area's own, so areas never edit the same catalog."""
    return [str(PORTAL_DIR / "translations")] + sorted(
        str(path) for path in PORTAL_DIR.glob("*/translations") if path.is_dir()
    )
