"""Small-number suppression for figures that leave the company (municipality figures).

A count from 1 to 4 could point at a person: it is shown as "< 5", and so is every figure
derived from so few people (a percentage of three people's hours tells about each of them).
Nought points at nobody and stays.
"""

THRESHOLD = 5
SUPPRESSED = "< 5"


def is_small(count: int | None) -> bool:
    """Tell whether a count of people is too small to show (1 up to 4)."""
    return count is not None and 0 < count < THRESHOLD


def suppress(value, *people: int | None):
    """`value`, or "< 5" when any of the counts it rests on is 1 to 4 people."""
    return SUPPRESSED if any(is_small(count) for count in people) else value


def suppress_count(count: int | None):
    """A count of people, or "< 5" when it is 1 to 4."""
    return suppress(count, count)
