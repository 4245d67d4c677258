"""Counting failed attempts (log-ins, kiosk PINs) in the database that every worker shares.

Why not flask-limiter: its shared stores are Redis, Memcached or MongoDB, while the portal's
embedded default has nothing but its database; failures are rare, so a row per failure costs
nothing, and the count is the same for every gunicorn worker and every app host.
"""

from datetime import timedelta

import peewee

from portal.db import BaseModel
from portal.timeutil import utcnow


class FailedAttempt(BaseModel):
    """One failed attempt under a key such as 'login:anna' or 'pin-device:4'."""

    key = peewee.CharField(max_length=160)
    at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("key", "at"), False),)


def failures_within(key: str, window: timedelta, now=None) -> int:
    """Count the failures under a key in the window that ends now."""
    now = now or utcnow()
    return FailedAttempt.select().where(
        (FailedAttempt.key == key) & (FailedAttempt.at > now - window)
    ).count()


def is_blocked(key: str, limit: int, window: timedelta, now=None) -> bool:
    """Tell whether a key has used up its failures for the window."""
    return failures_within(key, window, now) >= limit


def register_failure(key: str, now=None) -> None:
    """Count one failure under a key."""
    FailedAttempt.create(key=key, at=now or utcnow())


def clear(key: str) -> None:
    """Forget the failures under a key, after a success."""
    FailedAttempt.delete().where(FailedAttempt.key == key).execute()


def clear_prefix(prefix: str) -> None:
    """Forget the failures under every key that starts with a prefix."""
    FailedAttempt.delete().where(FailedAttempt.key.startswith(prefix)).execute()


def prune(older_than: timedelta, now=None) -> int:
    """Delete failures older than any window in use; return how many went."""
    now = now or utcnow()
    return FailedAttempt.delete().where(FailedAttempt.at < now - older_than).execute()
