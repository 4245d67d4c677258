"""The supervisor's day as plain functions: who is expected, who is late, what was worked.

Reading rules take loaded rows and answer questions; writing rules check the domain (times,
contract period, sign-off) and raise Refused with the field it concerns, so a view can
show the message beside that field. Nothing registered is ever overwritten: a correction
adds a row and points the old one at it; a withdrawn row points at itself (superseded, by
nothing), which also frees the one-open-check-in index.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import holidays
import peewee
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from portal import audit, timeutil
from portal.attendance.models import (ABSENCE_CODES, LEAVE_CODES, Absence, AttendanceSegment,
                                      Correction, DaySignOff, PlannedLeave)
from portal.auth.access import may_change_signed_day
from portal.db import database, write_transaction
from portal.people.models import Schedule, ScheduleDay
from portal.refusal import Refused

DEFAULT_GRACE_MINUTES = 5


def grace_minutes() -> int:
    """Minutes after the scheduled start before an arrival counts as late (portal/config.py)."""
    if has_app_context():
        return int(current_app.config.get("ATTENDANCE_GRACE_MINUTES", DEFAULT_GRACE_MINUTES))
    return DEFAULT_GRACE_MINUTES


# -- calendar --------------------------------------------------------------------------------

@lru_cache(maxsize=32)
def _dutch_holidays(year: int):
    return holidays.Netherlands(years=year, language="nl")


@lru_cache(maxsize=4096)
def public_holiday(day: date) -> str | None:
    """The name of the Dutch public holiday on a day, or None."""
    return _dutch_holidays(day.year).get(day)


def in_employment(employee, day: date) -> bool:
    """Tell whether a day lies within the employee's contract period."""
    return employee.start_date <= day and (employee.end_date is None or day <= employee.end_date)


# -- schedules -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shift:
    """One scheduled working day: start, end (Amsterdam wall clock) and break."""

    starts_at: time
    ends_at: time
    break_minutes: int = 0

    @property
    def length_minutes(self) -> int:
        return (self.ends_at.hour * 60 + self.ends_at.minute) - (
            self.starts_at.hour * 60 + self.starts_at.minute)

    @property
    def scheduled_minutes(self) -> int:
        """Working time the schedule expects: the shift less its break."""
        return max(0, self.length_minutes - self.break_minutes)


@dataclass
class WeekSchedule:
    """A weekly schedule from `valid_from`: weekday (0 = Monday) -> Shift."""

    valid_from: date
    days: dict = field(default_factory=dict)


def schedule_in_force(schedules: list[WeekSchedule], day: date) -> WeekSchedule | None:
    """The schedule with the latest valid_from on or before the day (None before the first)."""
    found = None
    for schedule in schedules:
        if schedule.valid_from <= day and (found is None or schedule.valid_from > found.valid_from):
            found = schedule
    return found


def shift_on(schedules: list[WeekSchedule], day: date) -> Shift | None:
    """The shift the schedule in force gives a day, or None for a day off."""
    schedule = schedule_in_force(schedules, day)
    return schedule.days.get(day.weekday()) if schedule else None


def load_schedules(employee_ids, until: date) -> dict[int, list[WeekSchedule]]:
    """Every schedule (with its days) of the employees that starts on or before `until`.

    One query, so a list of 40 costs what a list of 4 does. `employee_ids` may be a subquery.
    """
    query = (Schedule.select(Schedule.id, Schedule.employee, Schedule.valid_from,
                             ScheduleDay.weekday, ScheduleDay.starts_at, ScheduleDay.ends_at,
                             ScheduleDay.break_minutes)
             .join(ScheduleDay, peewee.JOIN.LEFT_OUTER, on=(ScheduleDay.schedule == Schedule.id))
             .where(Schedule.employee.in_(employee_ids) & (Schedule.valid_from <= until))
             .order_by(Schedule.employee, Schedule.valid_from))
    result: dict[int, list[WeekSchedule]] = defaultdict(list)
    by_id: dict[int, WeekSchedule] = {}
    shifts: dict[tuple, Shift] = {}
    # Raw rows: a company's schedules are thousands of rows, and most shifts are alike.
    for schedule_id, employee_id, valid_from, weekday, starts, ends, pause in database.execute(query):
        week = by_id.get(schedule_id)
        if week is None:
            week = by_id[schedule_id] = WeekSchedule(valid_from=timeutil.as_date(valid_from))
            result[employee_id].append(week)
        if weekday is not None:
            key = (starts, ends, pause)
            if key not in shifts:
                shifts[key] = Shift(timeutil.as_time(starts), timeutil.as_time(ends), pause or 0)
            week.days[weekday] = shifts[key]
    return result


# -- expected today --------------------------------------------------------------------------

# Why someone is or is not expected on a day.
EXPECTED = "expected"
NOT_SCHEDULED = "not_scheduled"
HOLIDAY = "holiday"
ON_LEAVE = "leave"
OUTSIDE_CONTRACT = "outside_contract"


def expectation(employee, shift: Shift | None, day: date, leave_code: str | None = None) -> str:
    """Whether the employee is expected on a day, and if not, why not."""
    if not in_employment(employee, day):
        return OUTSIDE_CONTRACT
    if shift is None:
        return NOT_SCHEDULED
    if public_holiday(day):
        return HOLIDAY
    if leave_code:
        return ON_LEAVE
    return EXPECTED


def is_expected(employee, shift: Shift | None, day: date, leave_code: str | None = None) -> bool:
    """Tell whether the employee should come in on a day."""
    return expectation(employee, shift, day, leave_code) == EXPECTED


def leave_on(leaves, day: date) -> str | None:
    """The code of the (not cancelled) planned leave covering a day, if any."""
    for leave in leaves:
        if leave.cancelled_at is None and leave.starts_on <= day <= leave.ends_on:
            return leave.code
    return None


# -- lateness and worked time ----------------------------------------------------------------

@lru_cache(maxsize=4096)
def shift_start_utc(day: date, shift: Shift) -> datetime:
    """The scheduled start of a day as stored (naive UTC)."""
    return timeutil.to_utc(datetime.combine(day, shift.starts_at))


def late_minutes(first_check_in: datetime, day: date, shift: Shift,
                 grace: int | None = None) -> int:
    """Minutes late (counted from the scheduled start), or 0 within the grace period."""
    grace = grace_minutes() if grace is None else grace
    late = int((first_check_in - shift_start_utc(day, shift)).total_seconds() // 60)
    return late if late > grace else 0


def overdue(now: datetime, day: date, shift: Shift, grace: int | None = None) -> bool:
    """Tell whether someone not yet in is now late: the start plus grace has passed."""
    grace = grace_minutes() if grace is None else grace
    return now > shift_start_utc(day, shift) + timedelta(minutes=grace)


def current(rows):
    """The rows not superseded (nor withdrawn) by a correction."""
    return [row for row in rows if row.superseded_by_id is None]


def gross_minutes(segments, now: datetime | None = None) -> int:
    """Minutes between check-ins and check-outs; an open segment counts up to `now` if given."""
    total = 0
    for segment in segments:
        end = segment.check_out or now
        if end is not None and end > segment.check_in:
            total += int((end - segment.check_in).total_seconds() // 60)
    return total


def gap_minutes(segments) -> int:
    """Minutes checked out between the segments of one day (a break taken by checking out)."""
    if len(segments) < 2:
        return 0
    ordered = sorted(segments, key=lambda s: s.check_in)
    gaps = 0
    for before, after in zip(ordered, ordered[1:]):
        if before.check_out is not None and after.check_in > before.check_out:
            gaps += int((after.check_in - before.check_out).total_seconds() // 60)
    return gaps


def break_deduction(gross: int, gaps: int, shift: Shift | None) -> int:
    """The break minutes to deduct from a day's gross time, the way the schedule says.

    The scheduled break is deducted when someone stayed more than half the shift (someone sent
    home at ten did not take the lunch break), less any break already taken by checking out.
    """
    if shift is None or shift.break_minutes <= 0 or gross * 2 <= shift.length_minutes:
        return 0
    return min(gross, max(0, shift.break_minutes - gaps))


def worked_minutes(segments, shift: Shift | None, now: datetime | None = None) -> int:
    """Net worked minutes of a day from its current segments, break deducted."""
    live = current(segments)
    gross = gross_minutes(live, now)
    return gross - break_deduction(gross, gap_minutes(live), shift)


# -- absence figures -------------------------------------------------------------------------

def absence_percentage(sick_minutes: int, scheduled_minutes: int) -> Decimal | None:
    """Sick time over scheduled time, in percent with one decimal (None without schedule)."""
    if scheduled_minutes <= 0:
        return None
    return (Decimal(100 * sick_minutes) / Decimal(scheduled_minutes)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)


def sick_reports(sick_days, expected_days) -> int:
    """The number of sick spells: a run of sick days unbroken by a worked expected day."""
    sick = set(sick_days)
    spells = 0
    previous_sick = False
    for day in sorted(expected_days):
        is_sick = day in sick
        if is_sick and not previous_sick:
            spells += 1
        previous_sick = is_sick
    return spells


def absence_minutes(absence, shift: Shift | None) -> int:
    """Minutes an absence takes: its hours, or the scheduled time for a whole day."""
    scheduled = shift.scheduled_minutes if shift else 0
    if absence.hours is None:
        return scheduled
    return int(Decimal(absence.hours) * 60)


@lru_cache(maxsize=8192)
def hours(minutes: int) -> Decimal:
    """Minutes as hours with two decimals."""
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# -- access to a day ---------------------------------------------------------------------------

def signed_off(group_id: int, day: date) -> DaySignOff | None:
    """The sign-off of a group's day, if it was signed off."""
    return DaySignOff.get_or_none((DaySignOff.work_group == group_id) & (DaySignOff.day == day))


def check_day_open(user, group_id: int, day: date) -> bool:
    """:raise Refused: when the day is signed off and the user may not change it.

    Returns whether the day is signed off (so the change is logged as a correction).
    """
    if signed_off(group_id, day) is None:
        return False
    if not may_change_signed_day(user):
        raise Refused(_l("This day is signed off. Ask HR to change it."), "reason")
    return True


def check_day_for(employee, day: date) -> None:
    """:raise Refused: for a day outside the contract period or in the future."""
    if not in_employment(employee, day):
        raise Refused(_l("This day is outside the employee's contract period."), "day")
    if day > timeutil.today():
        raise Refused(_l("This day is in the future."), "day")


def check_moment(moment: datetime, day: date, field_name: str) -> None:
    """:raise Refused: for a time in the future or on another day than the registration's."""
    if moment > timeutil.utcnow():
        raise Refused(_l("This time is in the future."), field_name)
    start, end = timeutil.day_bounds_utc(day)
    if not start <= moment < end:
        raise Refused(_l("This time is not on the day being registered."), field_name)


def local_moment(day: date, wall_clock: time) -> datetime:
    """A wall-clock time on an Amsterdam day, as stored (naive UTC)."""
    return timeutil.to_utc(datetime.combine(day, wall_clock))


# -- registrations -----------------------------------------------------------------------------

def _segment_dict(segment) -> dict:
    return {"check_in": segment.check_in, "check_out": segment.check_out}


def _absence_dict(absence) -> dict:
    return {"code": absence.code, "hours": absence.hours}


def register_absence(employee, day: date, code: str, hours_absent, user,
                     reason: str | None = None) -> Absence:
    """Register an absence (whole day when `hours_absent` is None).

    :raise Refused: for an unknown code, bad hours, a day outside the contract or in the
        future, or a signed-off day (for hr and admin a reason is then required).
    """
    if code not in ABSENCE_CODES:
        raise Refused(_l("This absence code does not exist."), "code")
    _check_hours(hours_absent)
    check_day_for(employee, day)
    with write_transaction():
        after_sign_off = check_day_open(user, employee.work_group_id, day)
        if after_sign_off and not (reason or "").strip():
            raise Refused(_l("Give a reason: this day is already signed off."), "reason")
        absence = Absence.create(employee=employee, day=day, code=code, hours=hours_absent,
                                 registered_by=user)
        if after_sign_off:
            Correction.create(employee=employee, day=day, new_absence=absence, made_by=user,
                              reason=reason.strip(), after_sign_off=True)
        audit.record("absence.register", absence, user=user, after=_absence_dict(absence),
                     reason=reason or None)
    return absence


def _check_hours(value) -> None:
    if value is not None and not (Decimal("0") < Decimal(value) <= Decimal("24")):
        raise Refused(_l("Enter more than 0 and at most 24 hours."), "hours")


def open_segment(employee) -> AttendanceSegment | None:
    """The employee's open, current check-in, if any."""
    return AttendanceSegment.get_or_none(
        (AttendanceSegment.employee == employee) & AttendanceSegment.check_out.is_null()
        & AttendanceSegment.superseded_by.is_null())


def clock_by_hand(employee, day: date, at: datetime, reason: str, user) -> AttendanceSegment:
    """Check an employee in, or out when he is in, by hand with a reason.

    :raise Refused: for a missing reason, a time in the future or on another day, a
        check-out before the check-in, a day outside the contract, or a signed-off day.
    """
    if not (reason or "").strip():
        raise Refused(_l("Give a reason."), "reason")
    check_day_for(employee, day)
    check_moment(at, day, "at")
    with write_transaction():
        after_sign_off = check_day_open(user, employee.work_group_id, day)
        segment = open_segment(employee)
        if segment is not None and segment.day != day:
            raise Refused(_l("There is an open check-in on another day. Correct that "
                                     "day first."), "at")
        if segment is None:
            _check_no_overlap(employee, day, at, None, exclude=None)
            try:
                with database.atomic():
                    segment = AttendanceSegment.create(employee=employee, day=day, check_in=at,
                                                       in_source="supervisor", created_by=user,
                                                       reason=reason.strip())
            except peewee.IntegrityError:
                # A badge scan checked him in a moment ago (the one-open index said no).
                raise Refused(_l("This employee was just checked in elsewhere. Reload the day."), "at")
            action, before = "attendance.check_in", None
        else:
            if at <= segment.check_in:
                raise Refused(_l("The check-out is before the check-in."), "at")
            before = _segment_dict(segment)
            segment.check_out = at
            segment.out_source = "supervisor"
            # The check-out completes the open segment; the supervisor's reason goes with it.
            segment.reason = "; ".join(filter(None, [segment.reason, reason.strip()]))
            segment.save(only=[AttendanceSegment.check_out, AttendanceSegment.out_source,
                               AttendanceSegment.reason])
            action = "attendance.check_out"
        if after_sign_off:
            Correction.create(employee=employee, day=day, new_segment=segment, made_by=user,
                              reason=reason.strip(), after_sign_off=True)
        audit.record(action, segment, user=user, before=before, after=_segment_dict(segment),
                     reason=reason.strip())
    return segment


def _check_no_overlap(employee, day, check_in, check_out, exclude) -> None:
    query = AttendanceSegment.select().where(
        (AttendanceSegment.employee == employee) & (AttendanceSegment.day == day)
        & AttendanceSegment.superseded_by.is_null())
    if exclude is not None:
        query = query.where(AttendanceSegment.id != exclude.id)
    for other in query:
        other_end = other.check_out or timeutil.utcnow()
        end = check_out or timeutil.utcnow()
        if check_in < other_end and other.check_in < end:
            raise Refused(_l("This time overlaps another registration of the day."), "check_in")


def correct_segment(segment, check_in: datetime | None, check_out: datetime | None,
                    reason: str, user, withdraw: bool = False) -> AttendanceSegment | None:
    """Replace a segment's times (or withdraw it) by a new fact, with who, when and why.

    :raise Refused: for a missing reason, an already corrected segment, times in the future
        or on another day, a check-out before the check-in, or a signed-off day.
    """
    if not (reason or "").strip():
        raise Refused(_l("Give a reason for the correction."), "reason")
    if not withdraw:
        if check_in is None:
            raise Refused(_l("Enter the check-in time."), "check_in")
        check_moment(check_in, segment.day, "check_in")
        if check_out is not None:
            check_moment(check_out, segment.day, "check_out")
            if check_out <= check_in:
                raise Refused(_l("The check-out is before the check-in."), "check_out")
    with write_transaction():
        segment = AttendanceSegment.get_by_id(segment.id)
        if segment.superseded_by_id is not None:
            raise Refused(_l("This registration was already corrected."), "reason")
        employee = segment.employee
        after_sign_off = check_day_open(user, employee.work_group_id, segment.day)
        new = None
        if withdraw:
            # Pointing at itself: superseded, by nothing. The row stays for the history.
            AttendanceSegment.update(superseded_by=segment.id).where(
                AttendanceSegment.id == segment.id).execute()
        else:
            _check_no_overlap(employee, segment.day, check_in, check_out, exclude=segment)
            # The old row steps aside first: the one-open index allows one current open segment.
            AttendanceSegment.update(superseded_by=segment.id).where(
                AttendanceSegment.id == segment.id).execute()
            new = AttendanceSegment.create(
                employee=employee, day=segment.day, check_in=check_in, check_out=check_out,
                in_source="correction", out_source="correction" if check_out else None,
                location=segment.location_id, created_by=user, reason=reason.strip())
            AttendanceSegment.update(superseded_by=new.id).where(
                AttendanceSegment.id == segment.id).execute()
        Correction.create(employee=employee, day=segment.day, old_segment=segment,
                          new_segment=new, made_by=user, reason=reason.strip(),
                          after_sign_off=after_sign_off)
        audit.record("attendance.correct", segment, user=user, before=_segment_dict(segment),
                     after=_segment_dict(new) if new else {"withdrawn": True},
                     reason=reason.strip())
    return new


def correct_absence(absence, code: str | None, hours_absent, reason: str, user,
                    withdraw: bool = False) -> Absence | None:
    """Replace an absence's code or hours (or withdraw it) by a new fact, with who and why.

    :raise Refused: for a missing reason, an unknown code, bad hours, an already corrected
        absence, or a signed-off day.
    """
    if not (reason or "").strip():
        raise Refused(_l("Give a reason for the correction."), "reason")
    if not withdraw:
        if code not in ABSENCE_CODES:
            raise Refused(_l("This absence code does not exist."), "code")
        _check_hours(hours_absent)
    with write_transaction():
        absence = Absence.get_by_id(absence.id)
        if absence.superseded_by_id is not None:
            raise Refused(_l("This registration was already corrected."), "reason")
        employee = absence.employee
        after_sign_off = check_day_open(user, employee.work_group_id, absence.day)
        new = None
        if withdraw:
            Absence.update(superseded_by=absence.id).where(Absence.id == absence.id).execute()
        else:
            new = Absence.create(employee=employee, day=absence.day, code=code,
                                 hours=hours_absent, registered_by=user)
            Absence.update(superseded_by=new.id).where(Absence.id == absence.id).execute()
        Correction.create(employee=employee, day=absence.day, old_absence=absence,
                          new_absence=new, made_by=user, reason=reason.strip(),
                          after_sign_off=after_sign_off)
        audit.record("absence.correct", absence, user=user, before=_absence_dict(absence),
                     after=_absence_dict(new) if new else {"withdrawn": True},
                     reason=reason.strip())
    return new


def sign_off_day(group, day: date, user) -> DaySignOff:
    """Sign a group's day off.

    :raise Refused: for a day in the future or one already signed off.
    """
    if day > timeutil.today():
        raise Refused(_l("A day in the future cannot be signed off."), "day")
    with write_transaction():
        if signed_off(group.id, day) is not None:
            raise Refused(_l("This day is already signed off."), "day")
        sign_off = DaySignOff.create(work_group=group, day=day, signed_by=user)
        audit.record("attendance.sign_off", sign_off, user=user,
                     after={"work_group": group.id, "day": day})
    return sign_off


def plan_leave(employee, starts_on: date, ends_on: date, code: str, user) -> PlannedLeave:
    """Register leave ahead of time.

    :raise Refused: for an unknown code, an end before the start, a period outside the
        contract or longer than a year.
    """
    if code not in LEAVE_CODES:
        raise Refused(_l("This leave code does not exist."), "code")
    if ends_on < starts_on:
        raise Refused(_l("The last day is before the first day."), "ends_on")
    if (ends_on - starts_on).days > 366:
        raise Refused(_l("Plan at most a year at a time."), "ends_on")
    if not (in_employment(employee, starts_on) and in_employment(employee, ends_on)):
        raise Refused(_l("This period is outside the employee's contract period."), "starts_on")
    with database.atomic():
        leave = PlannedLeave.create(employee=employee, starts_on=starts_on, ends_on=ends_on,
                                    code=code, created_by=user)
        audit.record("leave.plan", leave, user=user,
                     after={"code": code, "starts_on": starts_on, "ends_on": ends_on})
    return leave


def cancel_leave(leave, user) -> None:
    """Cancel planned leave; the row stays, marked with who cancelled it and when."""
    with database.atomic():
        PlannedLeave.update(cancelled_by=user, cancelled_at=timeutil.utcnow()).where(
            (PlannedLeave.id == leave.id) & PlannedLeave.cancelled_at.is_null()).execute()
        audit.record("leave.cancel", leave, user=user, before={"code": leave.code})

