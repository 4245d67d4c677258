"""Signing a group's day off: everyone who did not come gets a code first.

A day signed off with someone still "did not come; no absence registered" left that person's
hours unexplained in every timesheet after it. So sign-off asks the supervisor for a code for
each of them (or an explicit "ongeoorloofd", unauthorised), registers those absences, and
signs off, all in one transaction.
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from portal.attendance import day as day_board
from portal.attendance import rules
from portal.attendance.models import ABSENCE_CODES, DaySignOff
from portal.db import write_transaction
from portal.refusal import Refused

# Expected, not in and nothing registered: on a past day, and today once overdue.
NO_SHOW_STATES = (day_board.MISSING, day_board.LATE)


class CodesMissing(Refused):
    """Sign-off refused: these no-shows (employee ids) still need a code."""

    def __init__(self, employee_ids: list[int]):
        super().__init__(_l("Choose an absence code for everyone who did not come."), "codes")
        self.employee_ids = employee_ids


def no_shows(board) -> list:
    """The rows of the day that need a code before sign-off."""
    return board.in_state(*NO_SHOW_STATES)


def field_name(employee_id: int) -> str:
    """The form field of one no-show's code."""
    return f"code-{employee_id}"


def codes_from(form_data, rows) -> dict[int, str | None]:
    """The code chosen for each no-show row, None where none (or no real code) was chosen."""
    chosen = {}
    for row in rows:
        code = form_data.get(field_name(row.employee.id), "")
        chosen[row.employee.id] = code if code in ABSENCE_CODES else None
    return chosen


def sign_off_day(group, day: date, user, codes: dict[int, str | None]) -> DaySignOff:
    """Register the no-shows' codes as whole-day absences, then sign the day off.

    The no-shows are worked out again inside the transaction, so someone who became a
    no-show since the page was shown is asked for too.

    :raise CodesMissing: when a no-show has no code; nothing is stored then.
    :raise Refused: for a day in the future or one already signed off.
    """
    with write_transaction():
        rows = no_shows(day_board.build(group, day))
        without = [row.employee.id for row in rows if not codes.get(row.employee.id)]
        if without:
            raise CodesMissing(without)
        for row in rows:
            rules.register_absence(row.employee, day, codes[row.employee.id], None, user)
        return rules.sign_off_day(group, day, user)
