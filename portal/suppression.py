"""The one "< 5" rule for figures that leave the company (the municipalities' figures).

A count from 1 to 4 could point at a person, so it is shown as "< 5", and so is every figure
made from so few people: a share from those it counts and those it leaves out (either can be
worked out from the other), an average from the people averaged, a percentage of three
people's hours. Nought points at nobody and stays.

A shared module, so that every area that shows such figures (reports, trajectories) asks the
same rule without one area importing another.
"""

THRESHOLD = 5
SUPPRESSED = "< 5"


def is_small(count) -> bool:
    """Tell whether a count of people is too small to show (1 up to 4); None is no count."""
    return count is not None and 0 < count < THRESHOLD


def suppress(value, *people):
    """`value`, or "< 5" when any of the counts of people it rests on is 1 to 4.

    Without counts the value is taken as its own count: forgetting them hides a small number
    rather than letting it out.
    """
    return SUPPRESSED if any(is_small(count) for count in (people or (value,))) else value


def suppress_count(count):
    """A count of people, or "< 5" when it is 1 to 4."""
    return suppress(count, count)
