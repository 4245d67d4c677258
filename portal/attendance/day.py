"""A group's day as the supervisor sees it: one state per employee, built in a fixed few queries."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

import peewee

from portal import timeutil
from portal.attendance import rules
from portal.attendance.models import Absence, AttendanceSegment, Correction, DaySignOff, PlannedLeave
from portal.auth.models import User
from portal.people.models import Employee
from portal.people import working_calendar

# Row states, in the order the day view lists them.
LATE = "late"  # expected, start plus grace passed, not in
MISSING = "missing"  # a past day: expected, never came, no absence registered
WAITING = "waiting"  # expected, not in yet, still within the grace period
IN = "in"
ABSENT = "absent"
LEAVE = "leave"
LEFT = "left"
OFF = "off"  # not expected today (day off, public holiday)
STATES = (LATE, MISSING, WAITING, IN, ABSENT, LEAVE, LEFT, OFF)


@dataclass
class Row:
    """One employee's day."""

    employee: Employee
    shift: rules.Shift | None
    expectation: str
    leave_code: str | None = None
    segments: list = field(default_factory=list)  # current ones, by check-in
    absences: list = field(default_factory=list)  # current ones
    state: str = OFF
    late_by: int = 0
    since: datetime | None = None
    left_at: datetime | None = None
    worked: int = 0

    @property
    def open_segment(self):
        return next((s for s in self.segments if s.check_out is None), None)

    @property
    def system_closed(self) -> list:
        return [s for s in self.segments if s.closed_by_system]

    def signature(self) -> tuple:
        return (self.employee.id, self.state, self.late_by, self.since, self.left_at,
                self.leave_code, tuple((s.id, s.check_in, s.check_out) for s in self.segments),
                tuple((a.id, a.code, a.hours) for a in self.absences))


@dataclass
class DayBoard:
    """Everything the day view shows for one group and day."""

    group: object
    day: date
    now: datetime
    rows: list
    sign_off: DaySignOff | None
    corrections: list
    segments_by_id: dict
    absences_by_id: dict
    holiday: str | None

    def in_state(self, *states) -> list:
        return [row for row in self.rows if row.state in states]

    @property
    def expected_minutes(self) -> int:
        """The hours the schedules expect of those expected (what a planner plans with)."""
        return sum(row.shift.scheduled_minutes for row in self.rows
                   if row.expectation == rules.EXPECTED and row.shift is not None)

    @property
    def worked_minutes(self) -> int:
        """The hours worked so far, by everyone."""
        return sum(row.worked for row in self.rows)

    @property
    def expected_count(self) -> int:
        return sum(1 for row in self.rows if row.expectation == rules.EXPECTED)

    @property
    def to_review(self) -> list:
        """Current segments the system closed at the end of the day: the supervisor checks them."""
        return [(row, segment) for row in self.rows for segment in row.system_closed]

    def version(self, *extra) -> str:
        """A short hash of what the list shows; equal hashes mean nothing visible changed."""
        parts = (self.day, self.sign_off.id if self.sign_off else None, len(self.corrections),
                 *extra, *(row.signature() for row in self.rows))
        return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def build(group, day: date, now: datetime | None = None) -> DayBoard:
    """Load and judge a group's day: seven queries however large the group is."""
    now = now or timeutil.utcnow()
    today = timeutil.local_day(now)
    members = (Employee.select(Employee.id).where(Employee.work_group == group.id))
    employees = list(
        Employee.select()
        .where((Employee.work_group == group.id) & (Employee.is_active == True)  # noqa: E712
               & working_calendar.employed_on(day))
        .order_by(Employee.first_name, Employee.last_name, Employee.id))
    schedules = rules.load_schedules(members, until=day)
    all_segments = list(AttendanceSegment.select().where(
        AttendanceSegment.employee.in_(members) & (AttendanceSegment.day == day))
        .order_by(AttendanceSegment.check_in))
    all_absences = list(Absence.select().where(
        Absence.employee.in_(members) & (Absence.day == day)).order_by(Absence.created_at))
    leaves = list(PlannedLeave.select().where(
        PlannedLeave.employee.in_(members) & (PlannedLeave.starts_on <= day)
        & (PlannedLeave.ends_on >= day) & PlannedLeave.cancelled_at.is_null()))
    sign_off = (DaySignOff.select(DaySignOff, User).join(User)
                .where((DaySignOff.work_group == group.id) & (DaySignOff.day == day)).first())
    made_by = User.alias()
    corrections = list(
        Correction.select(Correction, made_by, Employee)
        # A kiosk scan on a signed-off day is a correction without a user.
        .join(made_by, peewee.JOIN.LEFT_OUTER, on=(Correction.made_by == made_by.id))
        .switch(Correction).join(Employee, peewee.JOIN.INNER, on=(Correction.employee == Employee.id))
        .where((Correction.day == day) & Correction.employee.in_(members))
        .order_by(Correction.made_at.desc(), Correction.id.desc()))

    segments_of: dict[int, list] = {}
    for segment in all_segments:
        segments_of.setdefault(segment.employee_id, []).append(segment)
    absences_of: dict[int, list] = {}
    for absence in all_absences:
        absences_of.setdefault(absence.employee_id, []).append(absence)
    leaves_of: dict[int, list] = {}
    for leave in leaves:
        leaves_of.setdefault(leave.employee_id, []).append(leave)

    rows = []
    for employee in employees:
        shift = rules.shift_on(schedules.get(employee.id, []), day)
        leave_code = rules.leave_on(leaves_of.get(employee.id, []), day)
        row = Row(employee=employee, shift=shift, leave_code=leave_code,
                  expectation=rules.expectation(employee, shift, day, leave_code),
                  segments=rules.current(segments_of.get(employee.id, [])),
                  absences=rules.current(absences_of.get(employee.id, [])))
        _judge(row, day, today, now)
        rows.append(row)
    return DayBoard(group=group, day=day, now=now, rows=rows, sign_off=sign_off,
                    corrections=corrections,
                    segments_by_id={s.id: s for s in all_segments},
                    absences_by_id={a.id: a for a in all_absences},
                    holiday=rules.public_holiday(day))


def _judge(row: Row, day: date, today: date, now: datetime) -> None:
    """Give a row its state from its registrations, schedule and the time of day."""
    expected = row.expectation == rules.EXPECTED
    if row.segments:
        first = row.segments[0]
        if expected:
            row.late_by = rules.late_minutes(first.check_in, day, row.shift)
        row.worked = rules.worked_minutes(row.segments, row.shift, now=now)
        open_segment = row.open_segment
        if open_segment is not None:
            row.state, row.since = IN, open_segment.check_in
        else:
            row.state, row.left_at = LEFT, max(s.check_out for s in row.segments)
    elif row.absences:
        row.state = ABSENT
    elif row.expectation == rules.ON_LEAVE:
        row.state = LEAVE
    elif not expected:
        row.state = OFF
    elif day < today:
        row.state = MISSING
    elif day == today and rules.overdue(now, day, row.shift):
        row.state = LATE
    else:
        row.state = WAITING
