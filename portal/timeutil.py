"""Time rules: stored in UTC (naive), shown and reasoned about in Europe/Amsterdam."""

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def as_date(value) -> date | None:
    """A date column as the driver gives it: a date from PostgreSQL, text from SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_time(value) -> time | None:
    """A time column as the driver gives it: a time from PostgreSQL, text from SQLite."""
    if value is None or isinstance(value, time):
        return value
    return time.fromisoformat(str(value))


def utcnow() -> datetime:
    """Return the current time as a naive UTC datetime, the form the database stores."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """Turn a stored naive UTC datetime into an aware Amsterdam datetime."""
    return moment.replace(tzinfo=timezone.utc).astimezone(AMSTERDAM)


def to_utc(local_moment: datetime) -> datetime:
    """Turn an Amsterdam wall-clock datetime (naive or aware) into naive UTC."""
    if local_moment.tzinfo is None:
        local_moment = local_moment.replace(tzinfo=AMSTERDAM)
    return local_moment.astimezone(timezone.utc).replace(tzinfo=None)


def local_day(moment: datetime) -> date:
    """Return the Amsterdam calendar day of a stored UTC moment."""
    return to_local(moment).date()


def today() -> date:
    """Return today's Amsterdam calendar day."""
    return local_day(utcnow())


def day_bounds_utc(day: date) -> tuple[datetime, datetime]:
    """Return the naive UTC start and end of an Amsterdam day (23 or 25 hours on DST days)."""
    start = to_utc(datetime.combine(day, time.min))
    end = to_utc(datetime.combine(date.fromordinal(day.toordinal() + 1), time.min))
    return start, end
