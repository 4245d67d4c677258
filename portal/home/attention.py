"""The first screen of each role: what needs doing now, each a count and a link.

Every line is one SQL count (or one grouped select), whatever the number of people; a role's
screen is a fixed handful of statements (tests/home/test_first_screen.py holds that).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import peewee
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import JOIN, fn

from portal import timeutil
from portal.attendance.models import (Absence, AttendanceSegment, Correction, DaySignOff,
                                      PlannedLeave)
from portal.attendance.rules import public_holiday
from portal.auth.access import audience
from portal.auth.models import ADMIN, HR, PLANNER, SUPERVISOR, User
from portal.people.models import Employee, Schedule, ScheduleDay, WorkGroup

# How far back a day not signed off still asks for attention.
SIGN_OFF_DAYS = 14
CONTRACT_END_DAYS = 30
DEVICE_SILENCE = timedelta(days=1)


@dataclass
class Line:
    """One thing to do: what, how many, where it is done."""

    label: str
    count: int
    href: str
    hint: str = ""


def lines_for(user: User, today: date | None = None) -> list[Line]:
    """The attention lines of the user's role."""
    today = today or timeutil.today()
    builders = {SUPERVISOR: supervisor_lines, PLANNER: planner_lines, HR: hr_lines,
                ADMIN: admin_lines}
    builder = builders.get(audience(user))
    return builder(user, today) if builder else []


# -- who is expected ---------------------------------------------------------------------------

def _schedule_in_force(on: date):
    """The id of each employee's schedule in force on a day (a correlated MAX(valid_from))."""
    later = Schedule.alias()
    return ~fn.EXISTS(later.select(later.id).where(
        (later.employee == Schedule.employee) & (later.valid_from <= on)
        & (later.valid_from > Schedule.valid_from)))


def expected_not_in(group_ids, today: date) -> int:
    """People of the groups the schedule expects today who have neither checked in nor an
    absence or planned leave for today."""
    if public_holiday(today):
        return 0
    return (Employee.select(fn.COUNT(Employee.id))
            .join(Schedule, on=(Schedule.employee == Employee.id))
            .join(ScheduleDay, on=(ScheduleDay.schedule == Schedule.id))
            .where(Employee.work_group.in_(group_ids), Employee.is_active == True,  # noqa: E712
                   Employee.start_date <= today,
                   Employee.end_date.is_null() | (Employee.end_date >= today),
                   Schedule.valid_from <= today, _schedule_in_force(today),
                   ScheduleDay.weekday == today.weekday(),
                   ~fn.EXISTS(AttendanceSegment.select(AttendanceSegment.id).where(
                       (AttendanceSegment.employee == Employee.id)
                       & (AttendanceSegment.day == today))),
                   ~fn.EXISTS(Absence.select(Absence.id).where(
                       (Absence.employee == Employee.id) & (Absence.day == today)
                       & Absence.superseded_by.is_null())),
                   ~fn.EXISTS(PlannedLeave.select(PlannedLeave.id).where(
                       (PlannedLeave.employee == Employee.id) & PlannedLeave.cancelled_at.is_null()
                       & (PlannedLeave.starts_on <= today) & (PlannedLeave.ends_on >= today))))
            .scalar() or 0)


def _unsigned(group_ids, today: date):
    """A select over work_group x the days of the last SIGN_OFF_DAYS before today that keeps
    each group and day with a registration of a member and no sign-off; and the days' column.

    Built from the few pairs, not from the registrations: each pair asks whether one of the
    group's members has a registration that day (an index look-up per member that stops at
    the first), instead of grouping the 70,000 registrations of 10,000 people's fortnight.
    Days without any registration (weekends, mostly) are left out first, one look-up each.
    """
    calendar = peewee.ValuesList([(today - timedelta(days=n),)
                                  for n in range(1, SIGN_OFF_DAYS + 1)]).cte("v", columns=("day",))
    days = (peewee.Select([calendar], [calendar.c.day])
            .where(fn.EXISTS(AttendanceSegment.select(AttendanceSegment.id)
                             .where(AttendanceSegment.day == calendar.c.day)))
            .cte("d", columns=("day",)))
    member = Employee.alias()
    # Nested, so that PostgreSQL probes (employee, day) per member rather than reading the
    # whole day's registrations for every group.
    registered = member.select(member.id).where(
        (member.work_group == WorkGroup.id)
        & fn.EXISTS(AttendanceSegment.select(AttendanceSegment.id).where(
            (AttendanceSegment.employee == member.id) & (AttendanceSegment.day == days.c.day))))
    signed = DaySignOff.select(DaySignOff.id).where(
        (DaySignOff.work_group == WorkGroup.id) & (DaySignOff.day == days.c.day))
    query = (WorkGroup.select().join(days, JOIN.CROSS).with_cte(calendar, days)
             .where(WorkGroup.id.in_(group_ids), fn.EXISTS(registered), ~fn.EXISTS(signed)))
    return query, days.c.day


def _not_signed_off(group_ids, today: date):
    """(group, day) pairs of the last SIGN_OFF_DAYS before today with registrations and no
    sign-off, as a select of group_id, day."""
    query, day = _unsigned(group_ids, today)
    return query.select(WorkGroup.id.alias("group_id"), day.alias("day"))


def _not_signed_off_per_group(group_ids, today: date):
    """(group id, name, days not signed off, the oldest of them) per group, by name."""
    query, day = _unsigned(group_ids, today)
    return (query.select(WorkGroup.id, WorkGroup.name, fn.COUNT(peewee.SQL("*")), fn.MIN(day))
            .group_by(WorkGroup.id, WorkGroup.name).order_by(WorkGroup.name))


def _previous_working_day(today: date) -> date:
    day = today - timedelta(days=1)
    while day.weekday() >= 5 or public_holiday(day):
        day -= timedelta(days=1)
    return day


# -- the roles ---------------------------------------------------------------------------------

def supervisor_lines(user: User, today: date) -> list[Line]:
    from portal.orders.models import Assignment, Production

    groups = WorkGroup.select(WorkGroup.id).where(WorkGroup.supervisor == user.id)
    day = url_for("attendance.index")
    closed = (AttendanceSegment.select(fn.COUNT(AttendanceSegment.id))
              .join(Employee, on=(AttendanceSegment.employee == Employee.id))
              .join(DaySignOff, JOIN.LEFT_OUTER,
                    on=((DaySignOff.work_group == Employee.work_group)
                        & (DaySignOff.day == AttendanceSegment.day)))
              .where(Employee.work_group.in_(groups), AttendanceSegment.closed_by_system == True,  # noqa: E712
                     AttendanceSegment.superseded_by.is_null(), DaySignOff.id.is_null())
              .scalar() or 0)
    yesterday = _previous_working_day(today)
    unregistered = (Assignment.select(fn.COUNT(Assignment.id))
                    .where(Assignment.work_group.in_(groups), Assignment.day == yesterday,
                           ~fn.EXISTS(Production.select(Production.id).where(
                               (Production.order == Assignment.order)
                               & (Production.work_group == Assignment.work_group)
                               & (Production.day == yesterday))))
                    .scalar() or 0)
    return [
        Line(_l("Expected today, not in yet"), expected_not_in(groups, today), day),
        Line(_l("Check-outs closed by the system, to review"), closed, day),
        Line(_l("Days not signed off (last two weeks)"), _not_signed_off(groups, today).count(),
             day),
        Line(_l("Planned work of the last working day without production"), unregistered,
             url_for("orders.today_view")),
    ]


def planner_lines(user: User, today: date) -> list[Line]:
    from portal.detachments.models import DISPUTED, DRAFT, Statement
    from portal.orders.models import INTAKE, Order
    from portal.orders.rules import figures_query

    query, late = figures_query(today)
    late_orders = query.where(late == 1).count()
    this_month = today.replace(day=1)
    latest = Statement.alias()
    unsettled = (Statement.select(fn.COUNT(Statement.id))
                 .where(Statement.month < this_month, Statement.status.in_((DRAFT, DISPUTED)),
                        ~fn.EXISTS(latest.select(latest.id).where(
                            (latest.detachment == Statement.detachment)
                            & (latest.month == Statement.month)
                            & (latest.version > Statement.version))))
                 .scalar() or 0)
    intake = Order.select(fn.COUNT(Order.id)).where(Order.status == INTAKE).scalar() or 0
    return [
        Line(_l("Planning cells overloaded this week and next"), overloaded_cells(today),
             url_for("orders.board")),
        Line(_l("Orders that will miss their due date"), late_orders,
             url_for("orders.list_orders", status="open")),
        Line(_l("Hours statements of past months not sent or disputed"), unsettled,
             url_for("detachments.overview")),
        Line(_l("Orders waiting for intake"), intake,
             url_for("orders.list_orders", status=INTAKE)),
    ]


def overloaded_cells(today: date) -> int:
    """Cells of the board (group and day, this week and next) planned beyond their hours.

    The available hours are the board's own rule (orders.rules.available_hours: schedules,
    holidays, leave, absence and detachments), as one SQL count for all groups together.
    """
    from portal.orders.overloads import overloaded_cell_count

    monday = today - timedelta(days=today.weekday())
    return overloaded_cell_count(monday, monday + timedelta(days=13))


def hr_lines(user: User, today: date) -> list[Line]:
    per_group = list(_not_signed_off_per_group(WorkGroup.select(WorkGroup.id), today).tuples())
    monday = today - timedelta(days=today.weekday())
    corrections = (Correction.select(fn.COUNT(Correction.id))
                   .where(Correction.after_sign_off == True,  # noqa: E712
                          Correction.made_at >= timeutil.to_utc(
                              datetime.combine(monday, time()))).scalar() or 0)
    ending = (Employee.select(fn.COUNT(Employee.id))
              .where(Employee.is_active == True, Employee.end_date >= today,  # noqa: E712
                     Employee.end_date <= today + timedelta(days=CONTRACT_END_DAYS)).scalar() or 0)
    unscheduled = (Employee.select(fn.COUNT(Employee.id))
                   .where(Employee.is_active == True,  # noqa: E712
                          ~fn.EXISTS(ScheduleDay.select(ScheduleDay.id).join(Schedule).where(
                              Schedule.employee == Employee.id))).scalar() or 0)
    # Translated once for all the groups: a lazy string per line, looked up again each time
    # the page reads it, was a third of the page's time with 250 groups.
    label, hint = _("Days not signed off: %(group)s"), _("the oldest first")
    lines = [Line(label % {"group": name}, count,
                  url_for("attendance.group_day", group_id=group_id,
                          day=timeutil.as_date(oldest).isoformat()), hint)
             for group_id, name, count, oldest in per_group]
    if not lines:
        lines.append(Line(_l("Days not signed off"), 0, url_for("attendance.index")))
    employees = url_for("people.list_employees")
    return lines + [
        Line(_l("Corrections after sign-off this week"), corrections, url_for("attendance.index")),
        Line(_l("Contracts ending in the next 30 days"), ending, employees),
        Line(_l("Employees without a schedule"), unscheduled, employees),
        Line(_l("Trajectory phases near or over their limit"), phases_near_limit(today),
             url_for("trajectories.caseload")),
    ]


def phases_near_limit(today: date) -> int:
    """Running phases of open trajectories flagged today (the caseload's own rule: from two
    weeks before the phase's limit, and over it); hr sees them first on the caseload."""
    from portal.trajectories.models import OPEN, Phase, Trajectory
    from portal.trajectories.rules import flagged_phase

    return (Phase.select(fn.COUNT(Phase.id)).join(Trajectory)
            .where(Trajectory.status == OPEN, flagged_phase(today)).scalar() or 0)


def admin_lines(user: User, today: date) -> list[Line]:
    from portal.kiosk.models import Badge, Device

    silent_since = timeutil.utcnow() - DEVICE_SILENCE
    silent = (Device.select(fn.COUNT(Device.id))
              .where(Device.revoked_at.is_null(), Device.credential_hash.is_null(False),
                     Device.last_seen_at.is_null() | (Device.last_seen_at < silent_since))
              .scalar() or 0)
    badgeless = (Employee.select(fn.COUNT(Employee.id))
                 .where(Employee.is_active == True,  # noqa: E712
                        ~fn.EXISTS(Badge.select(Badge.id).where(
                            (Badge.employee == Employee.id) & Badge.revoked_at.is_null())))
                 .scalar() or 0)
    never = (User.select(fn.COUNT(User.id))
             .where(User.is_active_account == True, User.last_login_at.is_null())  # noqa: E712
             .scalar() or 0)
    return [
        Line(_l("Tablets not seen for a day"), silent, url_for("devices.list_devices")),
        Line(_l("Employees waiting for a badge"), badgeless, url_for("devices.list_badges")),
        Line(_l("Users who never logged in"), never, url_for("auth.list_users")),
    ]
