"""Counting failed attempts (log-ins, kiosk PINs) in the database that every worker shares.

Why not flask-limiter: its shared stores are Redis, Memcached or MongoDB, while the portal's
embedded default has nothing but its database, and the count is then the same for every
gunicorn worker and every app host.

Two ways of counting live here. `count_attempt` and `claim` (log-ins, kiosk PINs, unknown
badges per tablet and minute) count and decide in one statement: an
upsert on the key's row that returns the new count, so parallel attempts are serialised by
the row and exactly `limit` of them get through, however many workers race. The older
`is_blocked` + `register_failure` pair (a row per failure) reads and then writes: between the
two, other workers' attempts pass the same check.
"""

from datetime import timedelta

import peewee
from peewee import Case

from portal.db import BaseModel
from portal.timeutil import utcnow


class AttemptCount(BaseModel):
    """The attempts under one key since its window started."""

    key = peewee.CharField(max_length=160, unique=True)
    window_start = peewee.DateTimeField()
    attempts = peewee.IntegerField()


def count_attempt(key: str, window: timedelta, now=None) -> int:
    """Count one attempt under a key and return the count its window has now, in one statement.

    INSERT ... ON CONFLICT DO UPDATE ... RETURNING starts a new window when the old one is
    over, else adds one: parallel attempts are serialised by the key's row, so the n-th sees n
    however many workers race (checking first and adding after let eight parallel wrong PINs
    through where five was the limit).
    """
    now = now or utcnow()
    over = AttemptCount.window_start <= now - window
    query = (AttemptCount
             .insert(key=key, window_start=now, attempts=1)
             .on_conflict(conflict_target=[AttemptCount.key], update={
                 AttemptCount.attempts: Case(None, [(over, 1)], AttemptCount.attempts + 1),
                 AttemptCount.window_start: Case(None, [(over, now)],
                                                 AttemptCount.window_start)})
             .returning(AttemptCount.attempts))
    (attempts,) = query.tuples().execute()[0]
    return attempts


def claim(key: str, limit: int, window: timedelta, now=None) -> bool:
    """Count one attempt under a key; tell whether it is within the limit of the window.

    The attempt is counted before it is tried, so a success must `release` it.
    """
    return count_attempt(key, window, now) <= limit


def release(key: str) -> None:
    """Take back one claimed attempt (it succeeded, so it was no failure)."""
    AttemptCount.update(attempts=AttemptCount.attempts - 1).where(
        (AttemptCount.key == key) & (AttemptCount.attempts > 0)).execute()


def forget(key: str) -> None:
    """Forget every attempt under a key (a success, or a new password)."""
    AttemptCount.delete().where(AttemptCount.key == key).execute()


def forget_prefix(prefix: str) -> None:
    """Forget the attempts under every key that starts with a prefix."""
    AttemptCount.delete().where(AttemptCount.key.startswith(prefix)).execute()


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
    """Delete failures and counts older than any window in use; return how many rows went."""
    now = now or utcnow()
    failures = FailedAttempt.delete().where(FailedAttempt.at < now - older_than).execute()
    counts = AttemptCount.delete().where(AttemptCount.window_start < now - older_than).execute()
    return failures + counts
