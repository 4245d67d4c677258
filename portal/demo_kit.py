"""What every area's demo section shares: the `Demo` it fills, and the order sections run in.

An area adds its demo in its own `portal/<area>/demo.py`: a function that takes the `Demo`,
registered with `@section(step)`. `portal.demo.fill()` finds those modules and runs the sections
by step, inside one transaction; a section can use everything the earlier steps left on `demo`.
"""

import random
from dataclasses import dataclass, field
from collections.abc import Callable
from datetime import date, datetime, time

from portal.timeutil import to_utc

DEMO_PASSWORD = "werkvloer-demo"
BATCH = 100
# (step, function) of every section, filled as the areas' demo modules are imported.
SECTIONS: list[tuple[int, Callable]] = []


def section(step: int):
    """Register a demo section at a step; the steps of all areas order the whole demo.

    :raise ValueError: when another section has the step already.
    """
    def register(function: Callable) -> Callable:
        taken = {s: f for s, f in SECTIONS}
        if step in taken and taken[step] is not function:
            raise ValueError(f"demo step {step} is taken by {taken[step].__qualname__}")
        if step not in taken:
            SECTIONS.append((step, function))
        return function
    return register


@dataclass
class Person:
    """What later sections need of an employee: group, contract period and weekly schedule."""

    id: int
    group_id: int | None
    employment: str
    start: date
    end: date | None
    is_active: bool
    week: dict  # weekday -> (starts_at, ends_at, break minutes)

    def employed_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def shift_on(self, day: date) -> tuple | None:
        """The scheduled (start, end, break) of a day within the contract, else None."""
        return self.week.get(day.weekday()) if self.employed_on(day) else None


@dataclass
class Demo:
    """What the sections build, shared between them."""

    rng: random.Random
    today: date
    password_hash: str
    now: datetime = None  # naive UTC, on `today`: "now" in the demo's story
    logins: list = field(default_factory=list)  # (role, username, password)
    users: dict = field(default_factory=dict)  # username -> User
    supervisors: list = field(default_factory=list)
    municipalities: list = field(default_factory=list)
    clients: list = field(default_factory=list)
    locations: dict = field(default_factory=dict)  # key -> Location
    workfloors: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    employee_ids: list = field(default_factory=list)
    people: list = field(default_factory=list)  # Person, current and former
    devices: dict = field(default_factory=dict)  # key -> Device
    # group id -> (client location, first day there): groups detached as a whole
    detached_groups: dict = field(default_factory=dict)
    detachments: dict = field(default_factory=dict)  # key -> Detachment
    pin_holders: set = field(default_factory=set)  # employee ids
    leave_days: dict = field(default_factory=dict)  # employee id -> days of planned leave
    group_supervisor: dict = field(default_factory=dict)  # group id -> supervisor's user id
    product_groups: dict = field(default_factory=dict)  # name -> ProductGroup id


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An Amsterdam wall-clock moment of a day, as stored (naive UTC)."""
    return to_utc(datetime.combine(day, time(hour, minute)))
