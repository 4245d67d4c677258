"""Counting failed attempts (log-ins, kiosk PINs) in the database that every worker shares.

Why not flask-limiter: its shared stores are Redis, Memcached or MongoDB, while the portal's
embedded default has nothing but its database, and the count is then the same for every
gunicorn worker and every app host.

Two ways of counting live here. `claim` (the log-in) counts and decides in one statement: an
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


def claim(key: str, limit: int, window: timedelta, now=None) -> bool:
    """Count one attempt under a key; tell whether it is within the limit of the window.

    One statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING): it starts a new window
    when the old one is over, else adds one, and returns the count this attempt got. The
    attempt is counted before it is tried, so a success must `release` it.
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
    return attempts <= limit


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


class AttemptCounter(BaseModel):
    """How many attempts a key has made in its current window: one row per key, not per try."""

    key = peewee.CharField(max_length=160, unique=True)
    window_start = peewee.DateTimeField()
    count = peewee.IntegerField()


def count_attempt(key: str, window: timedelta, now=None) -> int:
    """Count one attempt under a key and return the count of its window, in one statement.

    Checking a count and then adding to it are two statements, and parallel requests (over
    several workers) all pass the check before any of them adds: eight wrong PINs at once were
    all tried where five is the limit. Here the database adds and answers in one upsert, so
    the n-th attempt sees n whatever runs beside it. A window that has passed starts again at 1.
    """
    now = now or utcnow()
    expired = now - window
    table = AttemptCounter._meta.table_name
    # Both databases evaluate every SET expression against the row as it was.
    cursor = AttemptCounter._meta.database.execute_sql(
        f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "
        f"ON CONFLICT (key) DO UPDATE SET "
        f"count = CASE WHEN {table}.window_start <= %s THEN 1 ELSE {table}.count + 1 END, "
        f"window_start = CASE WHEN {table}.window_start <= %s THEN %s "
        f"ELSE {table}.window_start END "
        f"RETURNING count".replace("%s", AttemptCounter._meta.database.param),
        (key, now, expired, expired, now))
    return cursor.fetchone()[0]


def uncount_attempt(key: str) -> None:
    """Take back one counted attempt (one that turned out right)."""
    AttemptCounter.update(count=AttemptCounter.count - 1).where(
        (AttemptCounter.key == key) & (AttemptCounter.count > 0)).execute()


def attempts(key: str, window: timedelta, now=None) -> int:
    """The count of a key's current window, without adding to it."""
    now = now or utcnow()
    row = AttemptCounter.get_or_none((AttemptCounter.key == key)
                                     & (AttemptCounter.window_start > now - window))
    return row.count if row else 0


def forget_attempts(key: str) -> None:
    """Forget a key's count, after a success."""
    AttemptCounter.delete().where(AttemptCounter.key == key).execute()


def prune_counters(older_than: timedelta, now=None) -> int:
    """Delete counts whose window began before any window in use; return how many went."""
    now = now or utcnow()
    return AttemptCounter.delete().where(AttemptCounter.window_start < now - older_than).execute()
