"""Planned leave and registered absence take hours off the planner's capacity (no codes)."""

from datetime import date
from decimal import Decimal

from portal.orders import rules as orders_rules

MONDAY, TUESDAY, WEDNESDAY = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)


def test_leave_and_absence_lower_the_available_hours(make):
    team = make.group()
    anna, bram = make.employee(work_group=team), make.employee(work_group=team)
    before = orders_rules.available_hours([team.id], MONDAY, WEDNESDAY)
    full_day = before[(team.id, MONDAY)] / 2
    assert full_day > 0

    make.leave(anna, MONDAY, MONDAY, "verlof")
    make.absence(bram, TUESDAY, "dokter", hours=Decimal("2"))
    make.absence(anna, WEDNESDAY, "ziek")
    cancelled = make.leave(bram, WEDNESDAY, WEDNESDAY)
    cancelled.cancelled_at = cancelled.created_at
    cancelled.save()
    corrected = make.absence(bram, WEDNESDAY, "ziek")
    corrected.superseded_by = corrected.id
    corrected.save()

    after = orders_rules.available_hours([team.id], MONDAY, WEDNESDAY)
    assert after[(team.id, MONDAY)] == full_day
    assert after[(team.id, TUESDAY)] == 2 * full_day - 2
    assert after[(team.id, WEDNESDAY)] == full_day
