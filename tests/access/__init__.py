"""The authorisation matrix: what every route answers to every role.

Each area lists its routes in tests/access/<area>.py as `CASES = [Case(...), ...]`.
tests/test_access_matrix.py walks the app's URL map and fails for any route and method that no
Case covers, so a route added later without an entry fails the suite.
"""

from dataclasses import dataclass, field
from typing import Callable

ROLES = ("anonymous", "admin", "planner", "supervisor", "hr", "jobcoach")


@dataclass(frozen=True)
class Case:
    """One route and method, the arguments to build its URL, and the status each role gets.

    `expect` maps a role to a status code; `args(world)` returns the URL's arguments;
    `data(world)` the form posted (the matrix adds the CSRF token itself). Anonymous users
    get 302 (to the log-in page) on every protected route, which is the default.
    GET cases of one role share a world and a log-in; a GET that changes something (or
    needs a fresh session) sets `alone=True` to get its own test.
    `reveals` are words (such as the absence code "Ziek") that a 200 answer must carry for
    the roles in `revealed_to` and must not carry for every other role.
    """

    endpoint: str
    method: str
    expect: dict
    args: Callable = field(default=lambda world: {})
    data: Callable = field(default=lambda world: {})
    headers: dict = field(default_factory=dict)
    alone: bool = False
    reveals: tuple = ()
    revealed_to: tuple = ()

    @property
    def shares_session(self) -> bool:
        return self.method == "GET" and not self.alone

    def leaks(self, role: str, body: str) -> list[str]:
        """What the answer shows that the role may not see, or hides that it should see."""
        wrong = []
        for word in self.reveals:
            if (word in body) != (role in self.revealed_to):
                wrong.append(f"{word!r} {'shown' if word in body else 'missing'}")
        return wrong

    def expected(self, role: str) -> int:
        if role == "anonymous" and role not in self.expect:
            return 302
        return self.expect[role]


def everyone(status: int, **overrides) -> dict:
    """The same status for every logged-in role, with exceptions."""
    return {role: overrides.get(role, status) for role in ROLES if role != "anonymous"} | (
        {"anonymous": overrides["anonymous"]} if "anonymous" in overrides else {})


def only(allowed: tuple, status: int = 200, denied: int = 403, **overrides) -> dict:
    """`status` for the allowed roles, `denied` for the other logged-in roles."""
    result = {role: (status if role in allowed else denied)
              for role in ROLES if role != "anonymous"}
    result.update(overrides)
    return result


# Functions fn(world, make) that areas append to add their own rows to the matrix's world.
WORLD_HOOKS: list = []
