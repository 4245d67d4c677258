"""The rules of orders and planning, called directly."""

from datetime import date, time, timedelta
from decimal import Decimal as D

import pytest

from portal.orders import rules
from portal.orders.models import Assignment, Order, OrderStatusChange, Production
from portal.refusal import Refused

MONDAY = date(2026, 11, 23)


def test_required_hours_is_quantity_over_norm_to_the_hundredth():
    assert rules.required_hours(1000, D("50")) == D("20.00")
    assert rules.required_hours(100, D("3")) == D("33.33")
    assert rules.required_hours(1, D("0.5")) == D("2.00")
    with pytest.raises(ValueError):
        rules.required_hours(10, D("0"))


def test_progress_counts_good_units_and_caps_at_one():
    assert rules.progress(1000, 0, 0) == D("0")
    assert rules.progress(1000, 300, 50) == D("0.25")
    assert rules.progress(100, 150, 0) == D("1")
    assert rules.progress(100, 10, 20) == D("0")


def test_remaining_hours_follow_the_good_units():
    assert rules.remaining_hours(1000, D("50"), 250) == D("15.00")
    assert rules.remaining_hours(1000, D("50"), 1200) == D("0.00")


def test_overload_is_what_a_cell_holds_beyond_its_hours():
    assert rules.overload(D("30"), D("37.5")) == 0
    assert rules.overload(D("45"), D("37.5")) == D("7.5")
    assert rules.overload(D("4"), D("0")) == D("4")


def test_status_moves_forward_one_step_or_back_one_and_invoiced_is_final():
    assert rules.allowed_transitions("intake") == ("gepland",)
    assert "gereed" in rules.allowed_transitions("in_productie")
    assert "gepland" in rules.allowed_transitions("in_productie")
    assert "gefactureerd" not in rules.allowed_transitions("in_productie")
    assert rules.allowed_transitions("gefactureerd") == ()


def test_day_hours_deduct_the_break():
    assert rules.day_hours(time(8), time(16), 30) == D("7.50")
    assert rules.day_hours(time(9), time(9, 30), 60) == D("0")


def test_expected_completion_walks_the_plan():
    plan = [(MONDAY, D("8")), (MONDAY + timedelta(days=1), D("8")),
            (MONDAY + timedelta(days=2), D("8"))]
    assert rules.expected_completion(D("10"), plan, set()) == MONDAY + timedelta(days=1)
    assert rules.expected_completion(D("24"), plan, set()) == MONDAY + timedelta(days=2)
    assert rules.expected_completion(D("0"), plan, set()) is None
    assert rules.expected_completion(D("10"), [], set()) is None


def test_expected_completion_continues_at_the_planned_pace_on_working_days():
    # 8 hours a day Mon-Wed; 40 hours need two more working days after Wednesday.
    plan = [(MONDAY + timedelta(days=n), D("8")) for n in range(3)]
    assert rules.expected_completion(D("40"), plan, set()) == MONDAY + timedelta(days=4)
    # Friday a holiday: the pace skips it and the weekend.
    assert rules.expected_completion(D("40"), plan, {MONDAY + timedelta(days=4)}) == (
        MONDAY + timedelta(days=7))


def test_late_when_due_date_passed_or_the_plan_ahead_falls_short():
    today = MONDAY
    assert rules.is_late("gepland", today - timedelta(days=1), D("5"), D("10"), today)
    assert rules.is_late("gepland", today + timedelta(days=5), D("20"), D("10"), today)
    assert not rules.is_late("gepland", today + timedelta(days=5), D("10"), D("10"), today)
    # Intake: not yet planned is not late, unless the due date passed.
    assert not rules.is_late("intake", today + timedelta(days=5), D("20"), D("0"), today)
    assert rules.is_late("intake", today - timedelta(days=1), D("20"), D("0"), today)
    # Done or closed orders are never late.
    assert not rules.is_late("gereed", today - timedelta(days=9), D("20"), D("0"), today)
    assert not rules.is_late("gepland", today - timedelta(days=9), D("0"), D("0"), today)


def _week(start=MONDAY):
    return start, start + timedelta(days=6)


def test_available_hours_sum_members_schedules_minus_breaks(make):
    group = make.group()
    make.employee(work_group=group)  # Mon-Fri 8-16, 30 min break: 7.5 h
    make.employee(work_group=group, schedule={0: (time(9), time(13), 0), 2: (time(9), time(13), 0)})
    first, last = _week()
    hours = rules.available_hours([group.id], first, last)
    assert hours[(group.id, MONDAY)] == D("11.5")
    assert hours[(group.id, MONDAY + timedelta(days=1))] == D("7.5")
    assert hours[(group.id, MONDAY + timedelta(days=2))] == D("11.5")
    assert hours[(group.id, MONDAY + timedelta(days=5))] == 0


def test_available_hours_leave_out_inactive_members_and_days_outside_employment(make):
    group = make.group()
    make.employee(work_group=group, is_active=False)
    make.employee(work_group=group, start_date=MONDAY + timedelta(days=2))
    make.employee(work_group=group, start_date=date(2020, 1, 1),
                  end_date=MONDAY + timedelta(days=1))
    hours = rules.available_hours([group.id], *_week())
    assert hours[(group.id, MONDAY)] == D("7.5")  # only the one who leaves on Tuesday
    assert hours[(group.id, MONDAY + timedelta(days=1))] == D("7.5")
    assert hours[(group.id, MONDAY + timedelta(days=2))] == D("7.5")  # only the newcomer


def test_available_hours_use_the_schedule_in_force_on_the_day(make):
    group = make.group()
    person = make.employee(work_group=group)
    make.add_schedule(person, {0: (time(8), time(12), 0)}, valid_from=MONDAY + timedelta(days=7))
    hours = rules.available_hours([group.id], MONDAY, MONDAY + timedelta(days=8))
    assert hours[(group.id, MONDAY)] == D("7.5")
    assert hours[(group.id, MONDAY + timedelta(days=7))] == D("4")
    assert hours[(group.id, MONDAY + timedelta(days=8))] == 0


def test_a_schedule_without_days_ends_the_hours_of_the_one_before(make):
    group = make.group()
    person = make.employee(work_group=group)  # Mon-Fri 7.5 h
    make.add_schedule(person, {}, valid_from=MONDAY + timedelta(days=1))
    hours = rules.available_hours([group.id], *_week())
    assert hours[(group.id, MONDAY)] == D("7.5")
    assert hours[(group.id, MONDAY + timedelta(days=1))] == 0


def test_public_holidays_give_no_hours(make):
    group = make.group()
    make.employee(work_group=group)
    christmas = date(2026, 12, 25)  # a Friday
    hours = rules.available_hours([group.id], christmas - timedelta(days=1), christmas)
    assert hours[(group.id, christmas)] == 0
    assert hours[(group.id, christmas - timedelta(days=1))] == D("7.5")


def test_detached_members_are_not_available_on_their_days_at_the_client(make):
    group = make.group()
    seconded = make.employee(work_group=group)
    make.employee(work_group=group)
    make.detachment(people=[seconded], start=MONDAY + timedelta(days=1),
                    end=MONDAY + timedelta(days=2))
    hours = rules.available_hours([group.id], *_week())
    assert hours[(group.id, MONDAY)] == D("15")
    assert hours[(group.id, MONDAY + timedelta(days=1))] == D("7.5")
    assert hours[(group.id, MONDAY + timedelta(days=2))] == D("7.5")
    assert hours[(group.id, MONDAY + timedelta(days=3))] == D("15")


def test_a_group_detached_from_wednesday_has_no_hours_left_for_the_workshop(make):
    group = make.group()
    for _ in range(3):
        make.employee(work_group=group)
    make.detachment("group", group_=group, start=MONDAY + timedelta(days=2))
    hours = rules.available_hours([group.id], *_week())
    assert hours[(group.id, MONDAY + timedelta(days=1))] == D("22.5")
    assert hours[(group.id, MONDAY + timedelta(days=2))] == 0
    assert hours[(group.id, MONDAY + timedelta(days=4))] == 0


def test_known_time_off_marks_holidays_as_whole_days_for_every_member():
    members = [rules.Member(1, 9, date(2020, 1, 1), None),
               rules.Member(2, 9, date(2020, 1, 1), None)]
    off = rules.known_time_off(members, date(2026, 4, 27), date(2026, 4, 28))
    assert off == {(1, date(2026, 4, 27)): None, (2, date(2026, 4, 27)): None}  # Koningsdag


def test_plan_adds_up_in_one_cell_and_moves_intake_to_planned(make):
    planner = make.user("planner")
    group = make.group()
    order = make.order(start_date=MONDAY, due_date=MONDAY + timedelta(days=14))
    rules.plan(order, group, MONDAY, D("6"), planner, today=MONDAY)
    rules.plan(order, group, MONDAY, D("2.5"), planner, today=MONDAY)
    cell = Assignment.get(order=order, work_group=group, day=MONDAY)
    assert cell.hours == D("8.5")
    assert Order.get_by_id(order.id).status == "gepland"
    change = OrderStatusChange.get(order=order)
    assert (change.from_status, change.to_status, change.changed_by_id) == (
        "intake", "gepland", planner.id)


@pytest.mark.parametrize("problem", ["inactive", "before", "after", "closed", "zero"])
def test_plan_refuses_bad_cells(make, problem):
    planner = make.user("planner")
    group = make.group(is_active=problem != "inactive")
    order = make.order(start_date=MONDAY, due_date=MONDAY + timedelta(days=14),
                       status="gereed" if problem == "closed" else "intake")
    day = {"before": MONDAY - timedelta(days=1), "after": MONDAY + timedelta(days=15)}.get(
        problem, MONDAY)
    with pytest.raises(Refused):
        rules.plan(order, group, day, D("0") if problem == "zero" else D("4"), planner, today=MONDAY)
    assert Assignment.select().count() == 0


def test_move_merges_into_a_cell_with_the_same_order(make):
    planner = make.user("planner")
    group, other = make.group(), make.group()
    order = make.order(start_date=MONDAY, due_date=MONDAY + timedelta(days=14))
    first = rules.plan(order, group, MONDAY, D("4"), planner, today=MONDAY)
    second = rules.plan(order, other, MONDAY + timedelta(days=1), D("3"), planner, today=MONDAY)
    moved = rules.move(first, other, MONDAY + timedelta(days=1), None, planner, today=MONDAY)
    assert moved.id == second.id and moved.hours == D("7")
    assert Assignment.select().count() == 1


def test_default_hours_fill_the_free_hours_of_a_cell(make):
    group = make.group()
    make.employee(work_group=group)
    order = make.order(start_date=MONDAY, due_date=MONDAY + timedelta(days=14))  # 20 hours
    assert rules.default_hours(order, group.id, MONDAY, MONDAY) == D("7.5")
    make.assignment(order, group, MONDAY, "20")
    with pytest.raises(Refused):
        rules.default_hours(order, group.id, MONDAY + timedelta(days=1), MONDAY)


def test_figures_of_an_order_and_the_late_flag_in_sql(make):
    group = make.group()
    today = MONDAY
    on_time = make.order(start_date=MONDAY, due_date=MONDAY + timedelta(days=14), status="gepland")
    make.assignment(on_time, group, MONDAY, "10")
    make.assignment(on_time, group, MONDAY + timedelta(days=1), "10")
    short = make.order(start_date=MONDAY, due_date=MONDAY + timedelta(days=14), status="gepland")
    make.assignment(short, group, MONDAY, "5")
    make.production(short, group, MONDAY, 300, rejects=50)
    overdue = make.order(start_date=MONDAY - timedelta(days=20),
                         due_date=MONDAY - timedelta(days=1), status="in_productie")
    query, late = rules.figures_query(today)
    rows = {f.order.id: f for f in rules.with_figures(query.order_by(Order.id), today)}
    assert not rows[on_time.id].late
    assert rows[on_time.id].expected == MONDAY + timedelta(days=1)
    assert rows[short.id].good == 250 and rows[short.id].remaining == D("15")
    # Production on Monday: Monday's plan lies behind, nothing is planned ahead.
    assert rows[short.id].ahead == 0 and rows[short.id].late
    assert rows[short.id].expected is None
    assert rows[overdue.id].late
    sql_late = {o.id: o.late for o in query}
    assert sql_late == {on_time.id: 0, short.id: 1, overdue.id: 1}


def test_production_moves_a_planned_order_into_production(make):
    group = make.group()
    order = make.order(status="gepland")
    make.assignment(order, group, MONDAY, "8")
    rules.register_production(order, group, MONDAY, 120, 5, group.supervisor, today=MONDAY)
    assert Order.get_by_id(order.id).status == "in_productie"
    assert Production.get().quantity == 120


@pytest.mark.parametrize("quantity,rejects,day_offset", [(-1, 0, 0), (10, 11, 0), (0, 0, 0),
                                                         (10, -1, 0), (10, 0, 1)])
def test_production_refuses_bad_numbers(make, quantity, rejects, day_offset):
    group = make.group()
    order = make.order(status="gepland")
    make.assignment(order, group, MONDAY, "8")
    with pytest.raises(Refused):
        rules.register_production(order, group, MONDAY + timedelta(days=day_offset), quantity,
                                  rejects, group.supervisor, today=MONDAY)
    assert Production.select().count() == 0


def test_production_for_an_order_not_planned_on_the_group_is_refused(make):
    group, other = make.group(), make.group()
    order = make.order(status="gepland")
    make.assignment(order, other, MONDAY, "8")
    with pytest.raises(Refused):
        rules.register_production(order, group, MONDAY, 10, 0, group.supervisor, today=MONDAY)


def test_production_far_beyond_the_order_needs_confirmation(make):
    group = make.group()
    order = make.order(status="in_productie", quantity=1000)
    make.assignment(order, group, MONDAY, "8")
    with pytest.raises(Refused) as refused:
        rules.register_production(order, group, MONDAY, 5000, 0, group.supervisor, today=MONDAY)
    assert refused.value.field == "confirm"
    rules.register_production(order, group, MONDAY, 1100, 0, group.supervisor, today=MONDAY)
    rules.register_production(order, group, MONDAY, 5000, 0, group.supervisor, today=MONDAY,
                              confirmed=True)
    assert Production.select().count() == 2


def test_change_status_records_who_and_refuses_jumps(make):
    planner = make.user("planner")
    order = make.order(status="gereed")
    with pytest.raises(Refused):
        rules.change_status(order, "intake", planner)
    rules.change_status(order, "gefactureerd", planner)
    assert Order.get_by_id(order.id).status == "gefactureerd"
    assert OrderStatusChange.get(order=order).changed_by_id == planner.id


def test_hours_are_written_the_dutch_way(app):
    from portal.orders.formatting import hours_text

    with app.test_request_context():
        assert hours_text(D("7.50")) == "7,5"
        assert hours_text(D("1234.25")) == "1.234,25"
        assert hours_text(D("100")) == "100"
        assert hours_text(D("0")) == "0"
        assert hours_text(None) == ""


def test_an_order_takes_an_active_product_group_or_none(make):
    from portal.audit import AuditEntry

    active, retired = make.product_group(), make.product_group(is_active=False)
    order = make.order()
    assert rules.usable_product_group(None) is None
    assert rules.usable_product_group(active.id) == active
    for refused in (retired.id, 999_999):
        with pytest.raises(Refused):
            rules.usable_product_group(refused)
    rules.set_product_group(order, active.id, actor=None)
    rules.set_product_group(order, active.id, actor=None)  # no change: no record
    assert Order.get_by_id(order.id).product_group_id == active.id
    assert AuditEntry.select().where(AuditEntry.action == "order.product_group").count() == 1
    # The retired group an order already has may stay on it, not be newly chosen.
    assert rules.usable_product_group(retired.id, retired.id) == retired
