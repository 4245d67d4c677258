"""The rules of the supervisor's day, called directly."""

from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace

import pytest

from portal import timeutil
from portal.attendance import rules
from portal.attendance.models import Absence, AttendanceSegment, Correction, DaySignOff
from portal.audit import AuditEntry
from portal.refusal import Refused
from tests.factories import at

MONDAY = date(2026, 11, 16)
SHIFT = rules.Shift(time(8), time(16, 30), 30)


def person(start=date(2020, 1, 1), end=None):
    return SimpleNamespace(start_date=start, end_date=end)


def seg(day, check_in, check_out=None, superseded=None):
    return SimpleNamespace(check_in=at(day, check_in),
                           check_out=at(day, check_out) if check_out else None,
                           superseded_by_id=superseded)


# -- calendar and schedules ---------------------------------------------------------------------

def test_dutch_public_holidays_come_from_the_holiday_library():
    assert rules.public_holiday(date(2026, 4, 27)) == "Koningsdag"
    assert rules.public_holiday(date(2026, 12, 25))
    assert rules.public_holiday(MONDAY) is None


def test_the_schedule_in_force_is_the_latest_that_started():
    old = rules.WeekSchedule(date(2025, 1, 1), {0: SHIFT})
    new = rules.WeekSchedule(date(2026, 11, 1), {1: SHIFT})
    assert rules.schedule_in_force([new, old], date(2026, 10, 31)) is old
    assert rules.schedule_in_force([new, old], date(2026, 11, 1)) is new
    assert rules.schedule_in_force([new, old], date(2024, 12, 31)) is None
    assert rules.shift_on([old, new], MONDAY) is None  # the new one has no Monday
    assert rules.shift_on([old, new], MONDAY.replace(day=17)) == SHIFT


def test_schedules_load_with_their_days_in_one_query(make, count_queries):
    employee = make.employee(schedule={0: (time(8), time(12), 0)})
    make.add_schedule(employee, {2: (time(9), time(17), 45)}, valid_from=date(2026, 11, 18))
    with count_queries() as counted:
        loaded = rules.load_schedules([employee.id], until=date(2026, 11, 30))
    assert counted.total == 1
    assert rules.shift_on(loaded[employee.id], MONDAY) == rules.Shift(time(8), time(12), 0)
    assert rules.shift_on(loaded[employee.id], date(2026, 11, 23)) is None
    assert rules.shift_on(loaded[employee.id], date(2026, 11, 25)) == rules.Shift(
        time(9), time(17), 45)


# -- expected today -----------------------------------------------------------------------------

def test_expected_on_a_scheduled_working_day_only():
    assert rules.expectation(person(), SHIFT, MONDAY) == rules.EXPECTED
    assert rules.expectation(person(), None, MONDAY) == rules.NOT_SCHEDULED
    assert rules.expectation(person(), SHIFT, date(2026, 4, 27)) == rules.HOLIDAY
    assert rules.expectation(person(), SHIFT, MONDAY, leave_code="verlof") == rules.ON_LEAVE
    assert rules.expectation(person(start=MONDAY.replace(day=17)), SHIFT, MONDAY) == (
        rules.OUTSIDE_CONTRACT)
    assert rules.expectation(person(end=MONDAY.replace(day=15)), SHIFT, MONDAY) == (
        rules.OUTSIDE_CONTRACT)
    assert rules.is_expected(person(end=MONDAY), SHIFT, MONDAY)


def test_planned_leave_covers_its_first_and_last_day_unless_cancelled():
    leave = SimpleNamespace(starts_on=date(2026, 11, 16), ends_on=date(2026, 11, 18),
                            code="scholing", cancelled_at=None)
    assert rules.leave_on([leave], date(2026, 11, 16)) == "scholing"
    assert rules.leave_on([leave], date(2026, 11, 18)) == "scholing"
    assert rules.leave_on([leave], date(2026, 11, 19)) is None
    leave.cancelled_at = datetime(2026, 11, 1)
    assert rules.leave_on([leave], date(2026, 11, 17)) is None


# -- lateness -----------------------------------------------------------------------------------

def test_lateness_counts_from_the_start_after_the_grace_period():
    assert rules.late_minutes(at(MONDAY, "08:05"), MONDAY, SHIFT, grace=5) == 0
    assert rules.late_minutes(at(MONDAY, "07:40"), MONDAY, SHIFT, grace=5) == 0
    assert rules.late_minutes(at(MONDAY, "08:06"), MONDAY, SHIFT, grace=5) == 6
    assert rules.late_minutes(at(MONDAY, "08:06"), MONDAY, SHIFT, grace=10) == 0


def test_lateness_uses_amsterdam_wall_clock_across_summer_time():
    summer = date(2026, 3, 30)  # the Monday after the clocks went forward
    assert rules.late_minutes(at(summer, "08:20"), summer, SHIFT, grace=5) == 20
    assert at(summer, "08:00") == datetime(2026, 3, 30, 6, 0)


def test_the_grace_period_comes_from_the_configuration(app):
    with app.app_context():
        assert rules.grace_minutes() == rules.DEFAULT_GRACE_MINUTES
        app.config["ATTENDANCE_GRACE_MINUTES"] = 15
        assert rules.grace_minutes() == 15


def test_overdue_once_the_start_and_grace_have_passed():
    assert not rules.overdue(at(MONDAY, "08:05"), MONDAY, SHIFT, grace=5)
    assert rules.overdue(at(MONDAY, "08:06"), MONDAY, SHIFT, grace=5)


# -- worked time and breaks ---------------------------------------------------------------------

def test_the_scheduled_break_is_deducted_from_a_full_day():
    assert rules.worked_minutes([seg(MONDAY, "08:00", "16:30")], SHIFT) == 480


def test_a_break_taken_by_checking_out_is_not_deducted_twice():
    segments = [seg(MONDAY, "08:00", "12:00"), seg(MONDAY, "12:20", "16:30")]
    assert rules.gap_minutes(segments) == 20
    assert rules.worked_minutes(segments, SHIFT) == 240 + 250 - 10


def test_no_break_is_deducted_when_sent_home_early():
    assert rules.worked_minutes([seg(MONDAY, "08:00", "10:00")], SHIFT) == 120


def test_superseded_segments_do_not_count_and_open_ones_count_until_now():
    segments = [seg(MONDAY, "07:00", "16:30", superseded=99), seg(MONDAY, "08:00")]
    assert rules.worked_minutes(segments, SHIFT) == 0
    assert rules.worked_minutes(segments, SHIFT, now=at(MONDAY, "10:00")) == 120


def test_scheduled_minutes_are_the_shift_less_its_break():
    assert SHIFT.scheduled_minutes == 480
    assert rules.Shift(time(8), time(12), 0).scheduled_minutes == 240


# -- absence figures ----------------------------------------------------------------------------

def test_absence_percentage_and_sick_reports():
    assert rules.absence_percentage(900, 2580) == Decimal("34.9")
    assert rules.absence_percentage(0, 0) is None
    days = [date(2026, 4, d) for d in (1, 8, 10, 13, 15, 17, 20, 22)]
    assert rules.sick_reports([date(2026, 4, d) for d in (8, 10, 13, 22)], days) == 2


# The absence figures themselves moved to the reports area: tests/reports/test_absence.py.


# -- registrations ------------------------------------------------------------------------------

@pytest.fixture
def frozen(monkeypatch):
    """Pin "now" to a Monday at 11:00 in Amsterdam."""
    moment = at(MONDAY, "11:00")
    monkeypatch.setattr(timeutil, "utcnow", lambda: moment)
    return moment


def test_a_hand_check_in_and_out_need_a_reason_and_sane_times(make, frozen):
    boss = make.user("supervisor")
    employee = make.employee(work_group=make.group(supervisor=boss))
    with pytest.raises(Refused) as refused:
        rules.clock_by_hand(employee, MONDAY, at(MONDAY, "08:00"), " ", boss)
    assert refused.value.field == "reason"
    with pytest.raises(Refused) as refused:
        rules.clock_by_hand(employee, MONDAY, at(MONDAY, "11:30"), "Pas vergeten", boss)
    assert refused.value.field == "at"
    segment = rules.clock_by_hand(employee, MONDAY, at(MONDAY, "08:10"), "Pas vergeten", boss)
    assert segment.in_source == "supervisor" and segment.created_by_id == boss.id
    with pytest.raises(Refused) as refused:
        rules.clock_by_hand(employee, MONDAY, at(MONDAY, "08:00"), "Naar huis", boss)
    assert refused.value.field == "at"
    closed = rules.clock_by_hand(employee, MONDAY, at(MONDAY, "10:00"), "Naar huis", boss)
    assert closed.id == segment.id and closed.check_out == at(MONDAY, "10:00")
    assert AuditEntry.select().where(AuditEntry.action.startswith("attendance.")).count() == 2


def test_nothing_is_registered_outside_the_contract_period(make, frozen):
    boss = make.user("supervisor")
    employee = make.employee(work_group=make.group(supervisor=boss), end_date=date(2026, 11, 13))
    with pytest.raises(Refused) as refused:
        rules.register_absence(employee, MONDAY, "ziek", None, boss)
    assert refused.value.field == "day"
    with pytest.raises(Refused):
        rules.clock_by_hand(employee, MONDAY, at(MONDAY, "08:00"), "Pas vergeten", boss)
    assert Absence.select().count() == 0 and AttendanceSegment.select().count() == 0


def test_absence_codes_and_hours_are_checked(make, frozen):
    boss = make.user("supervisor")
    employee = make.employee(work_group=make.group(supervisor=boss))
    with pytest.raises(Refused) as refused:
        rules.register_absence(employee, MONDAY, "griep", None, boss)
    assert refused.value.field == "code"
    with pytest.raises(Refused) as refused:
        rules.register_absence(employee, MONDAY, "dokter", Decimal("25"), boss)
    assert refused.value.field == "hours"
    absence = rules.register_absence(employee, MONDAY, "dokter", Decimal("1.5"), boss)
    assert absence.hours == Decimal("1.5") and Absence.select().count() == 1


def test_a_correction_is_a_new_fact_and_the_old_one_stays(make, frozen):
    boss = make.user("supervisor")
    employee = make.employee(work_group=make.group(supervisor=boss))
    old = make.segment(employee, MONDAY, "08:20")
    with pytest.raises(Refused) as refused:
        rules.correct_segment(old, at(MONDAY, "08:00"), None, "", boss)
    assert refused.value.field == "reason"
    with pytest.raises(Refused) as refused:
        rules.correct_segment(old, at(MONDAY, "09:00"), at(MONDAY, "08:30"), "Tikfout", boss)
    assert refused.value.field == "check_out"
    new = rules.correct_segment(old, at(MONDAY, "08:00"), None, "Scanner haperde", boss)
    old = AttendanceSegment.get_by_id(old.id)
    assert old.superseded_by_id == new.id and old.check_in == at(MONDAY, "08:20")
    assert new.check_in == at(MONDAY, "08:00") and new.is_open
    correction = Correction.get()
    assert (correction.old_segment_id, correction.new_segment_id) == (old.id, new.id)
    assert correction.reason == "Scanner haperde" and correction.made_by_id == boss.id
    with pytest.raises(Refused):
        rules.correct_segment(old, at(MONDAY, "08:01"), None, "Nog eens", boss)
    assert rules.correct_segment(new, None, None, "Verkeerde persoon", boss, withdraw=True) is None
    assert AttendanceSegment.select().count() == 2
    assert rules.open_segment(employee) is None


def test_an_absence_correction_keeps_the_earlier_absence(make, frozen):
    boss = make.user("supervisor")
    employee = make.employee(work_group=make.group(supervisor=boss))
    sick = rules.register_absence(employee, MONDAY, "ziek", None, boss)
    doctor = rules.correct_absence(sick, "dokter", Decimal("2"), "Was bij de tandarts", boss)
    assert Absence.get_by_id(sick.id).superseded_by_id == doctor.id
    assert rules.correct_absence(doctor, None, None, "Toch gewerkt", boss, withdraw=True) is None
    assert rules.current(Absence.select()) == []
    assert Correction.select().count() == 2


def test_a_signed_off_day_is_locked_for_the_supervisor_but_not_for_hr(make, frozen):
    boss = make.user("supervisor")
    hr = make.user("hr")
    team = make.group(supervisor=boss)
    employee = make.employee(work_group=team)
    segment = make.segment(employee, MONDAY, "08:00", "10:00")
    rules.sign_off_day(team, MONDAY, boss)
    with pytest.raises(Refused) as refused:
        rules.sign_off_day(team, MONDAY, boss)
    assert refused.value.field == "day"
    with pytest.raises(Refused) as refused:
        rules.correct_segment(segment, at(MONDAY, "08:00"), at(MONDAY, "10:30"), "Vergeten", boss)
    assert refused.value.field == "reason"
    with pytest.raises(Refused):
        rules.register_absence(employee, MONDAY, "verlof", Decimal("1"), boss)
    with pytest.raises(Refused):
        rules.register_absence(employee, MONDAY, "verlof", Decimal("1"), hr)  # no reason
    assert AttendanceSegment.select().count() == 1 and Absence.select().count() == 0
    rules.correct_segment(segment, at(MONDAY, "08:00"), at(MONDAY, "10:30"), "Vergeten", hr)
    rules.register_absence(employee, MONDAY, "verlof", Decimal("1"), hr, reason="Nagekomen")
    assert [c.after_sign_off for c in Correction.select()] == [True, True]
    with pytest.raises(Refused):
        rules.sign_off_day(team, date(2026, 11, 17), boss)  # tomorrow
    assert DaySignOff.select().count() == 1


def test_planned_leave_is_checked(make, frozen):
    hr = make.user("hr")
    employee = make.employee(end_date=date(2026, 12, 31))
    with pytest.raises(Refused) as refused:
        rules.plan_leave(employee, date(2026, 12, 1), date(2026, 11, 30), "verlof", hr)
    assert refused.value.field == "ends_on"
    with pytest.raises(Refused) as refused:
        rules.plan_leave(employee, date(2026, 12, 30), date(2027, 1, 2), "verlof", hr)
    assert refused.value.field == "starts_on"
    with pytest.raises(Refused) as refused:
        rules.plan_leave(employee, date(2026, 12, 1), date(2026, 12, 2), "ziek", hr)
    assert refused.value.field == "code"
    leave = rules.plan_leave(employee, date(2026, 12, 1), date(2026, 12, 2), "scholing", hr)
    rules.cancel_leave(leave, hr)
    assert type(leave).get_by_id(leave.id).cancelled_by_id == hr.id
