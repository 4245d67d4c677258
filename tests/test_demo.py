"""The demo company: its size, its consistency, and the command that fills it."""

import json
import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import peewee
import pytest

from portal import create_app, demo
from portal.attendance import day as day_view
from portal.attendance import demo as attendance_demo
from portal.attendance import rules as attendance_rules
from portal.attendance.models import (LEAVE_CODES, SICK, Absence, AttendanceSegment, Correction,
                                      DaySignOff, PlannedLeave)
from portal.auth.models import ADMIN, HR, JOBCOACH, PLANNER, SUPERVISOR, User
from portal.detachments import (overview as overview_rules, periods, rates as rate_rules,
                                statements as statement_rules)
from portal.detachments.models import (Detachment, DetachmentMember, Rate, Statement,
                                       StatementLink)
from portal.kiosk import demo as kiosk_demo
from portal.kiosk.models import Badge, Device, EmployeePin
from portal.models import ALL_MODELS
from portal.orders import demo as orders_demo
from portal.orders import queries as order_queries
from portal.orders import rules as order_rules
from portal.orders.models import STATUSES as ORDER_STATUSES
from portal.orders.models import Assignment, Order, OrderStatusChange, Production
from portal.people import demo as people_demo
from portal.people.models import (EMPLOYMENT_TYPES, Client, Employee, Location, Municipality,
                                  Schedule, ScheduleDay, Workfloor, WorkGroup)

from tests.conftest import _config, _empty_all_tables

TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 16, 10, 30)  # UTC: 11:30 in Amsterdam on TODAY, a Monday


def _net_hours(days) -> float:
    minutes = 0
    for day in days:
        start = datetime.combine(TODAY, day.starts_at)
        end = datetime.combine(TODAY, day.ends_at)
        minutes += (end - start).total_seconds() / 60 - day.break_minutes
    return minutes / 60


def test_fill_makes_the_company_the_readme_promises(app):
    with app.app_context():
        made = demo.fill(seed=7, today=TODAY)

        assert Municipality.select().count() == 3
        assert Location.select().count() >= 4
        assert {loc.kind for loc in Location.select()} == {"own", "client"}
        assert Workfloor.select().count() == 10
        assert all(10 <= floor.workplaces <= 80 for floor in Workfloor.select())
        assert WorkGroup.select().count() == 25
        assert Client.select().count() == 30
        assert all(c.kvk_number.startswith("0000") and c.email.endswith(".example")
                   for c in Client.select())
        assert Employee.select().where(Employee.is_active).count() == people_demo.CURRENT_EMPLOYEES
        former = Employee.select().where(~Employee.is_active)
        assert former.count() == people_demo.FORMER_EMPLOYEES
        assert all(e.end_date is not None and e.end_date < TODAY for e in former)
        fixed_term = Employee.is_active & Employee.end_date.is_null(False)
        assert Employee.select().where(fixed_term).count() > 0

        roles = Counter(User.select(User.role).tuples().iterator())
        assert roles == {(ADMIN,): 1, (PLANNER,): 1, (HR,): 1, (JOBCOACH,): 1, (SUPERVISOR,): 25}
        assert {role for role, _name, _password in made.logins} == {ADMIN, PLANNER, HR, JOBCOACH, SUPERVISOR}


def test_every_group_has_its_own_supervisor_and_members(app):
    with app.app_context():
        demo.fill(seed=7, today=TODAY)
        groups = list(WorkGroup.select(WorkGroup, User).join(User))
        assert all(group.supervisor.role == SUPERVISOR for group in groups)
        assert len({group.supervisor_id for group in groups}) == 25
        sizes = dict(WorkGroup.select(WorkGroup.id, peewee.fn.COUNT(Employee.id))
                     .join(Employee, on=(Employee.work_group == WorkGroup.id))
                     .where(Employee.is_active).group_by(WorkGroup.id).tuples())
        assert len(sizes) == 25 and min(sizes.values()) >= 10


def test_employment_types_are_mixed_and_mostly_sw_and_beschut(app):
    with app.app_context():
        demo.fill(seed=7, today=TODAY)
        mix = Counter(e for (e,) in Employee.select(Employee.employment)
                      .where(Employee.is_active).tuples())
        assert set(mix) == set(EMPLOYMENT_TYPES)
        assert mix["sw"] + mix["beschut"] > people_demo.CURRENT_EMPLOYEES / 2
        # The Wsw took no newcomers after 2014.
        assert not Employee.select().where((Employee.employment == "sw")
                                           & (Employee.start_date > date(2014, 12, 31))).exists()


def test_every_employee_has_a_schedule_that_adds_up_to_the_contract(app):
    with app.app_context():
        demo.fill(seed=7, today=TODAY)
        days = {}
        for day in ScheduleDay.select():
            days.setdefault(day.schedule_id, []).append(day)
        schedules = list(Schedule.select(Schedule, Employee).join(Employee))
        assert len(schedules) == Employee.select().count()
        shapes = set()
        for schedule in schedules:
            week = days[schedule.id]
            assert schedule.valid_from == schedule.employee.start_date
            assert abs(_net_hours(week) - float(schedule.employee.contract_hours)) < 0.25
            assert all(d.ends_at > d.starts_at and 0 <= d.weekday <= 4 for d in week)
            shapes.add((len(week), week[0].starts_at))
        # Part-time: 2 to 5 days a week, several start times.
        assert {n for n, _start in shapes} >= {3, 4, 5}
        assert len({start for _n, start in shapes}) >= 4


@pytest.mark.parametrize("hours", sorted(people_demo.WEEK_SHAPES))
def test_week_schedule_spreads_the_contract_hours(hours):
    rng = random.Random(hours)
    for _ in range(50):
        week = people_demo.week_schedule(rng, hours)
        minutes = sum((datetime.combine(TODAY, end) - datetime.combine(TODAY, start))
                      .total_seconds() / 60 - pause for _day, start, end, pause in week)
        assert minutes == hours * 60


def _fingerprint():
    return (list(Employee.select(Employee.employee_number, Employee.first_name,
                                 Employee.last_name, Employee.employment, Employee.start_date,
                                 Employee.end_date, Employee.contract_hours)
                 .order_by(Employee.employee_number).tuples()),
            list(ScheduleDay.select(ScheduleDay.weekday, ScheduleDay.starts_at,
                                    ScheduleDay.ends_at).order_by(ScheduleDay.id).tuples()),
            list(User.select(User.username, User.display_name).order_by(User.username).tuples()),
            list(AttendanceSegment.select(Employee.employee_number, AttendanceSegment.check_in,
                                          AttendanceSegment.check_out).join(Employee)
                 .order_by(Employee.employee_number, AttendanceSegment.check_in,
                           AttendanceSegment.check_out).tuples()),
            list(Absence.select(Employee.employee_number, Absence.day, Absence.code).join(Employee)
                 .order_by(Employee.employee_number, Absence.day, Absence.code).tuples()),
            list(Order.select(Order.product, Order.quantity, Order.status, Order.due_date)
                 .order_by(Order.product, Order.quantity, Order.due_date).tuples()))


def test_the_same_seed_on_the_same_day_gives_the_same_company(app):
    with app.app_context():
        demo.fill(seed=11, today=TODAY, now=NOW)
        first = _fingerprint()
        for model in reversed(ALL_MODELS):  # each after the models that point at it
            model.delete().execute()
        demo.fill(seed=11, today=TODAY, now=NOW)
        assert _fingerprint() == first


def test_demo_command_fills_once_and_prints_the_logins(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--if-empty", "--seed", "3"])
    assert result.exit_code == 0, result.output
    for role, username in ((ADMIN, "beheer"), (PLANNER, "planning"), (HR, "hr"),
                           (SUPERVISOR, "werkleider01")):
        assert f"{role}" in result.output and username in result.output
    assert demo.DEMO_PASSWORD in result.output

    # The printed log-in works.
    response = client.post("/auth/login", data={"username": "beheer",
                                                 "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/overview")

    with app.app_context():
        before = (User.select().count(), Employee.select().count())
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0
    assert "has users already" in again.output
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code == 1 and "empty" in refused.output
    with app.app_context():
        assert (User.select().count(), Employee.select().count()) == before


# -- the areas the company is alive in --------------------------------------------------------


@pytest.fixture(scope="module")
def company(_migrated, tmp_path_factory):
    """The demo company on TODAY at NOW, inside an app context, made once for the read-only
    checks below (a fill takes seconds; two dozen of them made this file the suite's slowest)."""
    application = create_app(_config(_migrated, tmp_path_factory.mktemp("demo")))
    with application.app_context():
        made = demo.fill(seed=7, today=TODAY, now=NOW)
        yield made
    _empty_all_tables()


def test_every_current_employee_has_one_active_badge_and_leavers_none(company):
    active = Counter(b.employee_id for b in Badge.select().where(Badge.revoked_at.is_null()))
    current = {e.id for e in Employee.select(Employee.id).where(Employee.is_active)}
    assert set(active) == current and set(active.values()) == {1}
    revoked = Badge.select().where(Badge.revoked_at.is_null(False))
    assert revoked.count() == kiosk_demo.LOST_BADGES + people_demo.FORMER_EMPLOYEES
    assert all(b.revoked_at > b.issued_at for b in revoked)
    assert len({b.token_hash for b in Badge.select()}) == Badge.select().count()
    assert EmployeePin.select().count() == kiosk_demo.PIN_HOLDERS


def test_the_tablets_are_enrolled_seen_lately_and_one_is_revoked(company):
    active = [d for d in Device.select() if d.is_active]
    assert len(active) == len(kiosk_demo.TABLETS)
    assert all(NOW - d.last_seen_at < timedelta(hours=1) for d in active)
    # One at the client's site where a group is detached: a location, no workfloor.
    at_client = [d for d in active if d.location.kind == "client"]
    assert len(at_client) == 1 and at_client[0].workfloor_id is None
    assert Device.select().where(Device.revoked_at.is_null(False)).count() == 1
    waiting = Device.select().where(Device.credential_hash.is_null()).get()
    assert waiting.revoked_at is None  # for the newcomer to enrol


def _current_segments():
    return list(AttendanceSegment.select().where(AttendanceSegment.superseded_by.is_null()))


def test_attendance_has_at_most_one_open_check_in_each_and_only_today(company):
    segments = _current_segments()
    open_ones = [s for s in segments if s.check_out is None]
    assert open_ones, "people who started before now are in"
    assert len({s.employee_id for s in open_ones}) == len(open_ones)
    assert all(s.day == TODAY and s.check_in <= NOW for s in open_ones)
    assert all(s.check_in <= NOW and (s.check_out is None or s.check_out <= NOW)
               for s in segments)


def test_segments_never_overlap_and_absence_never_meets_attendance(company):
    by_day = {}
    for segment in _current_segments():
        by_day.setdefault((segment.employee_id, segment.day), []).append(segment)
    for day_segments in by_day.values():
        day_segments.sort(key=lambda s: s.check_in)
        for before, after in zip(day_segments, day_segments[1:]):
            assert before.check_out is not None and before.check_out <= after.check_in
    absent = {(a.employee_id, a.day) for a in Absence.select().where(
        Absence.superseded_by.is_null())}
    assert absent and not absent & set(by_day)


def test_registrations_respect_holidays_contracts_schedules_and_leave(company):
    employees = {e.id: e for e in Employee.select()}
    schedules = attendance_rules.load_schedules(list(employees), until=TODAY)
    leave = [(l.employee_id, l.starts_on, l.ends_on) for l in PlannedLeave.select().where(
        PlannedLeave.cancelled_at.is_null())]
    for row in _current_segments() + list(Absence.select()):
        employee = employees[row.employee_id]
        assert attendance_rules.public_holiday(row.day) is None
        assert attendance_rules.in_employment(employee, row.day)
        assert attendance_rules.shift_on(schedules[employee.id], row.day) is not None
        assert not any(e == row.employee_id and s <= row.day <= t for e, s, t in leave)


def test_sick_is_about_five_percent_and_some_come_late(company):
    segments = _current_segments()
    past_days = {(s.employee_id, s.day) for s in segments if s.day < TODAY}
    sick = Absence.select().where((Absence.code == SICK) & (Absence.day < TODAY)).count()
    assert 0.03 < sick / (sick + len(past_days)) < 0.08
    assert {a.code for a in Absence.select()} >= {SICK, "verlof", "dokter", "ongeoorloofd"}
    assert not Absence.select().where(Absence.hours.is_null(False)).exists()
    schedules = attendance_rules.load_schedules([s.employee_id for s in segments], until=TODAY)
    first_in = {}
    for s in segments:
        key = (s.employee_id, s.day)
        first_in[key] = min(first_in.get(key, s.check_in), s.check_in)
    late = [key for key, moment in first_in.items() if attendance_rules.late_minutes(
        moment, key[1], attendance_rules.shift_on(schedules[key[0]], key[1]), grace=5)]
    assert 0.02 < len(late) / len(first_in) < 0.08
    assert any(day == TODAY for _e, day in late)


def test_today_nobody_is_in_before_the_shift_starts(company):
    groups = list(WorkGroup.select())
    boards = [day_view.build(group, TODAY, now=NOW) for group in groups]
    states = Counter(row.state for board in boards for row in board.rows)
    assert states[day_view.IN] > 100 and states[day_view.WAITING] > 0
    assert states[day_view.LATE] > 0 and states[day_view.ABSENT] > 0
    for board in boards:
        for row in board.in_state(day_view.WAITING):
            assert not row.segments and row.shift.starts_at >= time(11, 0)


def test_past_days_are_signed_off_but_the_last_one_for_some_groups(company):
    last = attendance_demo._previous_working_day(TODAY)
    groups = WorkGroup.select().count()
    signed_last = DaySignOff.select().where(DaySignOff.day == last).count()
    assert 0 < signed_last < groups
    assert not DaySignOff.select().where(DaySignOff.day >= TODAY).exists()
    earlier = last - timedelta(days=7)
    assert DaySignOff.select().where(DaySignOff.day == earlier).count() == groups
    # Waiting for the supervisor: closed by the system, on a day not signed off yet.
    to_review = [s for s in _current_segments() if s.closed_by_system]
    assert to_review and all(s.day == last for s in to_review)
    unsigned = {g for (g,) in WorkGroup.select(WorkGroup.id).tuples()} - {
        d.work_group_id for d in DaySignOff.select().where(DaySignOff.day == last)}
    assert all(s.employee.work_group_id in unsigned for s in to_review)
    board = day_view.build(WorkGroup.get_by_id(to_review[0].employee.work_group_id), last,
                           now=NOW)
    assert board.to_review and board.sign_off is None
    # No one left unexplained on a signed-off day.
    for group in WorkGroup.select().where(WorkGroup.id.not_in(list(unsigned))):
        assert not day_view.build(group, last, now=NOW).in_state(day_view.MISSING)


def test_corrections_have_reasons_and_point_from_old_to_new(company):
    corrections = list(Correction.select())
    assert len(corrections) >= 5 and all(c.reason.strip() for c in corrections)
    assert any(c.after_sign_off for c in corrections)
    for c in corrections:
        old = c.old_segment or c.old_absence
        new = c.new_segment or c.new_absence
        assert old is not None and new is not None and old.superseded_by_id == new.id
        assert c.made_at <= NOW
    corrected_sick = [c for c in corrections if c.old_absence and c.old_absence.code == SICK]
    assert not corrected_sick  # a reason next to a sick report could name a cause (AVG)


def test_leave_is_planned_in_the_coming_two_weeks(company):
    ahead = PlannedLeave.select().where((PlannedLeave.starts_on > TODAY)
                                        & (PlannedLeave.starts_on <= TODAY + timedelta(days=14)))
    assert ahead.count() >= 10
    assert {l.code for l in ahead} <= set(LEAVE_CODES)
    assert PlannedLeave.select().where(PlannedLeave.cancelled_at.is_null(False)).exists()


def test_groups_at_client_sites_are_detached_and_some_people_on_their_own(company):
    detachments = list(Detachment.select())
    groups = [d for d in detachments if d.kind == "group"]
    assert {d.location.kind for d in detachments} == {"client"}
    assert {d.location_id for d in groups} == {
        loc.id for loc in Location.select().where(Location.name.in_(
            [name for key, name, *_rest in people_demo.LOCATIONS if key.startswith("c-")]))}
    assert all(d.location.client_id == d.client_id and d.client.is_active for d in detachments)
    for detachment in groups:
        members = {m.employee_id for m in detachment.members}
        current = {e.id for e in Employee.select().where(
            (Employee.work_group == detachment.work_group_id) & Employee.is_active)}
        assert members == current
    individuals = [d for d in detachments if d.kind == "individual"]
    assert len(individuals) >= 3
    for detachment in individuals:
        (member,) = detachment.members
        assert member.employee.work_group_id is None  # works at the client, not in a workshop
    for member in DetachmentMember.select():
        assert periods.find_overlap(member.employee_id, member.start_date,
                                    member.end_date, exclude_member_id=member.id) is None


def test_a_detached_group_checks_in_at_the_client(company):
    detachment = Detachment.select().where(Detachment.kind == "group").first()
    members = [m.employee_id for m in detachment.members]
    places = {s.location_id for s in AttendanceSegment.select().where(
        AttendanceSegment.employee.in_(members) & (AttendanceSegment.day >= detachment.start_date))}
    assert places == {detachment.location_id}


def test_the_jobcoach_coaches_three_of_the_individual_detachments(company):
    coached = Detachment.select().join(User, on=(Detachment.jobcoach == User.id)).where(
        User.username == "jobcoach")
    assert coached.count() == 3 and all(d.kind == "individual" for d in coached)
    assert Detachment.select().where((Detachment.kind == "individual")
                                     & Detachment.jobcoach.is_null()).count() == 1


def test_one_rate_changes_on_the_first_of_january(company):
    new_year = date(TODAY.year, 1, 1)
    changes = [r for r in Rate.select() if r.valid_from == new_year
               and r.detachment.start_date < new_year]
    assert len(changes) == 1
    before = Rate.get((Rate.detachment == changes[0].detachment_id)
                      & (Rate.valid_to == date(TODAY.year - 1, 12, 31)))
    assert before.amount < changes[0].amount
    for detachment in Detachment.select():
        months = periods.months_between(detachment.start_date, TODAY)
        rates = list(detachment.rates)
        assert all(rate_rules.rate_for_month(rates, m) is not None for m in months)


def test_statements_add_up_and_match_the_registrations(company):
    sent = list(Statement.select().where(Statement.status != "draft"))
    assert sent
    for statement in sent:
        content = statement.content
        people_hours = sum(Decimal(p["hours"]) for p in content["people"])
        line_hours = sum(Decimal(line["hours"]) for p in content["people"] for line in p["lines"])
        assert Decimal(content["hours"]) == people_hours == line_hours > 0
        if content["price_form"] != "fixed_result":
            assert Decimal(content["amount"]) == sum(Decimal(p["amount"])
                                                     for p in content["people"])
        live = statement_rules.compute_statements([statement.detachment], statement.month)
        assert json.loads(statement_rules.freeze(live[statement.detachment_id])) == content


def test_the_planners_overview_shows_every_state_of_last_month(company):
    last_month = date(TODAY.year, TODAY.month - 1, 1)
    open_months = overview_rules.open_months(TODAY)
    states = Counter(statement.status if statement else None
                     for client in open_months for month, entries in client["months"]
                     for _detachment, statement in entries)
    assert states == {"sent": 1, "disputed": 1, None: 1}
    assert all(month == last_month for client in open_months for month, _e in client["months"])
    approved = Statement.select().where((Statement.month == last_month)
                                        & (Statement.status == "approved"))
    assert approved.count() >= 2
    waiting = Statement.get(Statement.status == "sent")
    assert StatementLink.select().where((StatementLink.statement == waiting)
                                        & StatementLink.revoked_at.is_null()
                                        & (StatementLink.expires_at > NOW)).exists()
    disputed = Statement.get(Statement.status == "disputed")
    (objection,) = disputed.disputes
    assert objection.comment and objection.line_key in statement_rules.line_keys(disputed.content)


def _good_made():
    made = {}
    for p in Production.select():
        made[p.order_id] = made.get(p.order_id, 0) + p.quantity - p.rejects
    return made


def test_orders_are_spread_over_every_status_with_their_history(company):
    orders = list(Order.select())
    assert 60 <= len(orders) <= 110
    statuses = Counter(o.status for o in orders)
    assert set(statuses) == set(ORDER_STATUSES) and min(statuses.values()) >= 3
    assert all(o.client.is_active and o.workfloor.location_id == o.location_id for o in orders)
    for order in orders:
        steps = list(order.status_changes.order_by(OrderStatusChange.changed_at,
                                                   OrderStatusChange.id))
        assert (steps[0].from_status, steps[0].to_status) == (None, "intake")
        assert steps[-1].to_status == order.status
        for before, after in zip(steps, steps[1:]):
            assert after.from_status == before.to_status
            assert after.to_status in order_rules.allowed_transitions(before.to_status)
        assert all(step.changed_at <= NOW for step in steps)


def test_production_follows_the_plan_and_the_status(company):
    planned = {(a.order_id, a.work_group_id, a.day) for a in Assignment.select()}
    for assignment in Assignment.select(Assignment, Order).join(Order):
        order = assignment.order
        assert order.start_date <= assignment.day <= order.due_date
    for made in Production.select():
        assert made.day < TODAY and (made.order_id, made.work_group_id, made.day) in planned
        assert 0 <= made.rejects < made.quantity
    good = _good_made()
    for order in Order.select():
        done = good.get(order.id, 0)
        if order.status in ("gereed", "gefactureerd"):
            assert done == order.quantity
        elif order.status == "in_productie":
            assert 0 < done < order.quantity
        else:
            assert done == 0
        if order.status == "intake":
            assert not order.assignments.exists()


def test_the_board_is_filled_this_week_and_next_with_some_overload(company):
    monday = TODAY - timedelta(days=TODAY.weekday())
    groups = order_queries.groups_for(None)
    rows = order_queries.build_rows(groups, order_queries.board_days(monday))
    planned_groups = {row.group.id for row in rows if any(c.assignments for c in row.cells)}
    assert len(planned_groups) >= 0.7 * len(groups)
    detached = {d.work_group_id for d in Detachment.select().where(Detachment.kind == "group")}
    assert not planned_groups & detached
    cells = [c for row in rows for c in row.cells]
    hours = {}
    for a in Assignment.select().where(Assignment.day.between(monday, monday + timedelta(13))):
        hours[(a.work_group_id, a.day)] = hours.get((a.work_group_id, a.day), 0) + a.hours
    assert {(c.group_id, c.day): c.planned for c in cells if c.assignments} == hours
    overloaded = [c for c in cells if c.overload > 0]
    assert 1 <= len(overloaded) <= 8
    assert sum(1 for c in cells if c.assignments and c.planned <= c.available) > 100


def test_a_couple_of_orders_will_miss_their_due_date(company):
    query, late = order_rules.figures_query(TODAY)
    figures = order_rules.with_figures(list(query), TODAY)
    missing = [f for f in figures if f.late]
    assert len(missing) == orders_demo.LATE_ORDERS
    assert all(f.order.status == "in_productie" and f.order.due_date >= TODAY for f in missing)
    # The rest of the open work is planned to be done in time.
    for f in figures:
        if f.order.status in ("gepland", "in_productie") and not f.late:
            assert f.expected is not None and f.expected <= f.order.due_date
