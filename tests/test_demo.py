"""The demo company: its size, its consistency, and the command that fills it."""

import random
from collections import Counter
from datetime import date, datetime, timedelta

import peewee
import pytest

from portal import demo
from portal.auth.models import ADMIN, HR, PLANNER, SUPERVISOR, User
from portal.kiosk.models import Badge, Device, EmployeePin
from portal.models import ALL_MODELS
from portal.people.models import (EMPLOYMENT_TYPES, Client, Employee, Location, Municipality,
                                  Schedule, ScheduleDay, Workfloor, WorkGroup)

TODAY = date(2026, 3, 16)


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
        assert Employee.select().where(Employee.is_active).count() == demo.CURRENT_EMPLOYEES
        former = Employee.select().where(~Employee.is_active)
        assert former.count() == demo.FORMER_EMPLOYEES
        assert all(e.end_date is not None and e.end_date < TODAY for e in former)
        fixed_term = Employee.is_active & Employee.end_date.is_null(False)
        assert Employee.select().where(fixed_term).count() > 0

        roles = Counter(User.select(User.role).tuples().iterator())
        assert roles == {(ADMIN,): 1, (PLANNER,): 1, (HR,): 1, (SUPERVISOR,): 25}
        assert {role for role, _name, _password in made.logins} == {ADMIN, PLANNER, HR, SUPERVISOR}


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
        assert mix["sw"] + mix["beschut"] > demo.CURRENT_EMPLOYEES / 2
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


@pytest.mark.parametrize("hours", sorted(demo.WEEK_SHAPES))
def test_week_schedule_spreads_the_contract_hours(hours):
    rng = random.Random(hours)
    for _ in range(50):
        week = demo.week_schedule(rng, hours)
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
            list(User.select(User.username, User.display_name).order_by(User.username).tuples()))


def test_the_same_seed_on_the_same_day_gives_the_same_company(app):
    with app.app_context():
        demo.fill(seed=11, today=TODAY)
        first = _fingerprint()
        for model in reversed(ALL_MODELS):  # each after the models that point at it
            model.delete().execute()
        demo.fill(seed=11, today=TODAY)
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

NOW = datetime(2026, 3, 16, 10, 30)  # UTC: 11:30 in Amsterdam on TODAY, a Monday


@pytest.fixture
def company(app):
    """The demo company on TODAY at NOW, inside an app context."""
    with app.app_context():
        made = demo.fill(seed=7, today=TODAY, now=NOW)
        yield made


def test_every_current_employee_has_one_active_badge_and_leavers_none(company):
    active = Counter(b.employee_id for b in Badge.select().where(Badge.revoked_at.is_null()))
    current = {e.id for e in Employee.select(Employee.id).where(Employee.is_active)}
    assert set(active) == current and set(active.values()) == {1}
    revoked = Badge.select().where(Badge.revoked_at.is_null(False))
    assert revoked.count() == demo.LOST_BADGES + demo.FORMER_EMPLOYEES
    assert all(b.revoked_at > b.issued_at for b in revoked)
    assert len({b.token_hash for b in Badge.select()}) == Badge.select().count()
    assert EmployeePin.select().count() == demo.PIN_HOLDERS


def test_the_tablets_are_enrolled_seen_lately_and_one_is_revoked(company):
    active = [d for d in Device.select() if d.is_active]
    assert len(active) == len(demo.TABLETS)
    assert all(NOW - d.last_seen_at < timedelta(hours=1) for d in active)
    # One at the client's site where a group is detached: a location, no workfloor.
    at_client = [d for d in active if d.location.kind == "client"]
    assert len(at_client) == 1 and at_client[0].workfloor_id is None
    assert Device.select().where(Device.revoked_at.is_null(False)).count() == 1
    waiting = Device.select().where(Device.credential_hash.is_null()).get()
    assert waiting.revoked_at is None  # for the newcomer to enrol
