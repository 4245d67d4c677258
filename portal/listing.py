"""Searching and paging of lists: the same two queries for a page of 10 or of 100."""

import math
from dataclasses import dataclass
from functools import reduce
from operator import or_

from werkzeug.datastructures import MultiDict

MAX_SEARCH_LENGTH = 100
MAX_PAGE_SIZE = 100


def search_filter(query, text: str | None, *fields):
    """Narrow a query to rows where every word of the text occurs in one of the fields."""
    words = (text or "")[:MAX_SEARCH_LENGTH].split()
    for word in words[:5]:
        query = query.where(reduce(or_, (field.contains(word) for field in fields)))
    return query


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int
    args: MultiDict

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        return 0 if not self.total else (self.number - 1) * self.size + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.size)

    def link_args(self, number: int) -> dict:
        """The query arguments of another page of the same list (search kept)."""
        args = {key: value for key, value in self.args.items() if key != "page" and value}
        args["page"] = number
        return args


def _positive_int(value, default: int, ceiling: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, 1), ceiling)


def paginate(query, args, default_size: int) -> Page:
    """Fetch one page of a query: one count and one select, whatever the page size."""
    size = _positive_int(args.get("size"), default_size, MAX_PAGE_SIZE)
    total = query.count()
    pages = max(1, math.ceil(total / size))
    number = _positive_int(args.get("page"), 1, pages)
    items = list(query.paginate(number, size))
    return Page(items=items, number=number, size=size, total=total, args=MultiDict(args))
