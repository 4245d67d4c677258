"""The board's capacity rule in SQL (orders/overloads.py) against the board's own (Python) rule,
on hand-made cells: full and part time, a public holiday, absence with and without hours,
planned leave (and cancelled leave), a detached group, a detached person, a schedule without
days, a contract that ends."""

from datetime import date, time, timedelta
from decimal import Decimal as D

from portal import timeutil
from portal.attendance.models import PlannedLeave
from portal.orders import queries, rules
from portal.orders.models import Assignment
from portal.orders.overloads import overloaded_cell_count

# The fortnight of Christmas 2026: Friday 25 December and Friday 1 January are holidays.
MONDAY = date(2026, 12, 21)
LAST = MONDAY + timedelta(days=13)


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def board_count(first: date, last: date) -> int:
    """The cells the planning board shows over their hours: on the groups the board loads
    (queries.groups_for), by rules.available_hours, as Decimals."""
    shown = {group.id for group in queries.groups_for(None)}
    planned = {}
    for group_id, on, hours in Assignment.select(Assignment.work_group, Assignment.day,
                                                 Assignment.hours).tuples():
        on = timeutil.as_date(on)
        if first <= on <= last and group_id in shown:
            planned[(group_id, on)] = planned.get((group_id, on), D(0)) + D(hours)
    available = rules.available_hours({g for g, _d in planned}, first, last)
    return sum(1 for cell, hours in planned.items()
               if rules.overload(hours, available[cell]) > 0)


def test_the_sql_count_and_the_board_agree_cell_by_cell(make):
    order, other = make.order(), make.order()

    def plan(group, n, hours, on=order):
        make.assignment(on, group, day(n), hours=hours)

    # Full time: 7.5 h a day; a second member leaves on Monday; an inactive one counts never.
    full = make.group()
    worker = make.employee(work_group=full)
    make.employee(work_group=full, end_date=day(0))
    make.employee(work_group=full, is_active=False)
    make.add_schedule(worker, {}, valid_from=day(7))  # no days from Monday 28 on
    plan(full, 0, "15")  # fits: two members
    plan(full, 1, "7.51")  # over by a hundredth
    plan(full, 4, "2")  # Christmas: nobody works
    plan(full, 7, "1")  # his schedule without days is in force

    # Part time: Monday 9-13 (4 h), Wednesday 9-13:20 with 10 minutes' break (4.17 h).
    part = make.group()
    make.employee(work_group=part, schedule={0: (time(9), time(13), 0),
                                             2: (time(9), time(13, 20), 10)})
    plan(part, 0, "4")
    plan(part, 2, "4.17")  # fits: 250 minutes are 4.1666... h, to the hundredth 4.17
    plan(part, 1, "1")  # no Tuesday in the schedule
    plan(part, 9, "4.18")

    # Absence and leave: two members, 15 h.
    away = make.group()
    first, second = make.employee(work_group=away), make.employee(work_group=away)
    make.absence(first, day(0), hours=D("3"))
    plan(away, 0, "12")  # fits: 15 - 3
    make.absence(first, day(1), hours=D("3"))
    make.absence(first, day(1), code="dokter", hours=D("2"))
    plan(away, 1, "6")
    plan(away, 1, "4.5", on=other)  # 10.5 in the cell against 10
    make.absence(first, day(2))  # the whole day
    plan(away, 2, "8")
    make.leave(first, day(3), day(7))
    plan(away, 3, "7.5")  # fits: only the second
    make.absence(second, day(7), hours=D("10"))  # more than his day: nought, not less
    plan(away, 7, "0.5")
    corrected = make.absence(first, day(8), hours=D("2"))
    make.absence(first, day(8), superseded_by=corrected)  # the whole day, corrected to 2 h
    PlannedLeave.update(cancelled_at=timeutil.utcnow()).where(
        PlannedLeave.id == make.leave(second, day(8), day(8)).id).execute()
    plan(away, 8, "13")  # fits: 5.5 + 7.5, the cancelled leave takes nothing
    make.detachment(people=[second], start=day(9), end=day(9))
    plan(away, 9, "7.6")  # only the first, 7.5
    plan(away, 10, "15")  # fits: the detachment ended the day before

    # A group detached to a client from Wednesday.
    detached = make.group()
    for _ in range(3):
        make.employee(work_group=detached)
    make.detachment("group", group_=detached, start=day(2))
    plan(detached, 1, "22.5")  # fits
    plan(detached, 2, "1")

    plan(full, 14, "100")  # the Monday after the fortnight: not counted

    # Over: full 3, part 2, away 4, detached 1.
    assert board_count(MONDAY, LAST) == 10
    assert overloaded_cell_count(MONDAY, LAST) == 10


def test_no_planned_work_no_overloaded_cells(make):
    make.employee(work_group=make.group())
    assert overloaded_cell_count(MONDAY, LAST) == 0


def test_a_fortnight_of_holidays_only_still_counts_its_planned_cells(make):
    group = make.group()
    make.employee(work_group=group)
    make.assignment(make.order(), group, date(2026, 12, 25), hours="1")
    assert overloaded_cell_count(date(2026, 12, 25), date(2026, 12, 25)) == 1
    assert board_count(date(2026, 12, 25), date(2026, 12, 25)) == 1


def test_an_inactive_group_is_not_on_the_board_and_its_cells_are_not_counted(make):
    order = make.order()
    shown, gone = make.group(), make.group(is_active=False)
    for group in (shown, gone):
        make.employee(work_group=group)
        make.assignment(order, group, day(0), hours="20")  # over a member's 7.5 h
    assert [g.id for g in queries.groups_for(None)] == [shown.id]
    assert board_count(MONDAY, LAST) == 1
    assert overloaded_cell_count(MONDAY, LAST) == 1
