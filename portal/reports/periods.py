"""The period a figure page shows: a month, a quarter or a year, counted up to today."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

KINDS = ("month", "quarter", "year")


def _month_start(year: int, month: int) -> date:
    """The first of a month; months past 12 or below 1 roll into the next or last year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1)


@dataclass(frozen=True)
class Period:
    """From `start` to `end` (both included); `today` caps what can have happened yet."""

    kind: str
    start: date
    end: date
    today: date

    @classmethod
    def of(cls, kind: str, anchor: date, today: date) -> "Period":
        """The month, quarter or year that holds `anchor`."""
        if kind == "year":
            start, months = date(anchor.year, 1, 1), 12
        elif kind == "quarter":
            start, months = _month_start(anchor.year, (anchor.month - 1) // 3 * 3 + 1), 3
        else:
            kind, start, months = "month", anchor.replace(day=1), 1
        end = _month_start(start.year, start.month + months) - timedelta(days=1)
        return cls(kind, start, end, today)

    @property
    def counted_end(self) -> date:
        """The last day that counts: the period's end, or today in the running period."""
        return min(self.end, self.today)

    @property
    def counted_days(self) -> int:
        return max(0, (self.counted_end - self.start).days + 1)

    def months(self) -> list[date]:
        """The first day of every month in the period."""
        count = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        return [_month_start(self.start.year, self.start.month + n) for n in range(count)]

    def shifted(self, steps: int) -> "Period":
        """The period `steps` before (negative) or after this one."""
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind] * steps
        return Period.of(self.kind, _month_start(self.start.year, self.start.month + months),
                         self.today)

    @property
    def anchor(self) -> str:
        """The period's start as the query argument that brings it back."""
        return self.start.isoformat()

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s", quarter=(self.start.month - 1) // 3 + 1,
                     year=self.start.year)
        return format_date(self.start, "MMMM y")


def parse(kind: str | None, anchor: str | None, today: date) -> Period:
    """The period asked for in a query string; nonsense gives the running month."""
    kind = kind if kind in KINDS else "month"
    try:
        day = date.fromisoformat(anchor or "")
    except ValueError:
        day = today
    if not 2000 <= day.year <= 2100:
        day = today
    return Period.of(kind, day, today)
