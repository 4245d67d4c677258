"""The figures' day summaries: the same rows as computing them afresh, and never stale after a
change to what they were computed from."""

from datetime import date, time, timedelta
from decimal import Decimal
from unittest import mock

import pytest

from portal import db, timeutil
from portal.attendance.models import AttendanceSegment
from portal.db import database
from portal.people.models import GroupMove, ScheduleDay
from portal.reports import presence, summary
from portal.reports.absence import ABSENCE_DAYS, absence_figures, expected_absences
from portal.reports.periods import Period
from portal.reports.models import AbsenceDay, AbsenceSummaryDay, PresenceCount, PresenceDay
from portal.timeutil import as_date

# Days well before the database's own date, so the triggers watch them.
MONDAY = date(2026, 11, 2)
WEEK = [MONDAY + timedelta(days=n) for n in range(5)]
TODAY = date(2026, 11, 9)


def _from_check_ins(first, last) -> set:
    found = database.execute_sql(presence.present_counts(), [first, last]).fetchall()
    return {(as_date(day), place, group, int(people)) for day, place, group, people in found}


def _through_summary(first, last) -> set:
    statement, values = presence.PRESENCE.rows(first, last, TODAY)
    found = database.execute_sql(statement, values).fetchall()
    return {(as_date(day), place, group, int(people)) for day, place, group, people in found}


@pytest.fixture
def floor(make):
    """Two groups on one floor, five people, a week of check-ins (one person twice a day)."""
    workfloor = make.workfloor(name="Montage")
    one, two = make.group(workfloor=workfloor), make.group(workfloor=workfloor)
    people = [make.employee(work_group=one) for _ in range(3)]
    people += [make.employee(work_group=two) for _ in range(2)]
    for day in WEEK:
        for person in people:
            make.worked(person, day, 4, workfloor.location)
        make.worked(people[0], day, 3, workfloor.location, start_hour=13)
    return workfloor, one, two, people


def test_the_summary_gives_the_counts_of_the_check_ins(floor):
    workfloor, one, two, _people = floor
    expected = _from_check_ins(WEEK[0], WEEK[-1])
    assert {(day, group, people) for day, _place, group, people in expected} == (
        {(day, one.id, 3) for day in WEEK} | {(day, two.id, 2) for day in WEEK})
    assert _through_summary(WEEK[0], WEEK[-1]) == expected
    assert PresenceDay.select().count() == 5  # held now; read again from the summary
    assert _through_summary(WEEK[0], WEEK[-1]) == expected


def test_the_recent_days_come_from_the_check_ins_and_are_never_kept(floor, make):
    workfloor, one, _two, people = floor
    late = TODAY - timedelta(days=1)
    make.worked(people[0], late, 4, workfloor.location)
    found = _through_summary(WEEK[0], late)
    assert (late, workfloor.location_id, one.id, 1) in found
    assert {as_date(row.day) for row in PresenceDay.select()} == set(
        WEEK[0] + timedelta(days=n) for n in range((TODAY - WEEK[0]).days - 1))


def test_a_check_in_added_to_a_held_day_makes_the_summary_count_it(floor, make):
    workfloor, one, _two, _people = floor
    _through_summary(WEEK[0], WEEK[-1])
    newcomer = make.employee(work_group=one)
    make.worked(newcomer, WEEK[2], 6, workfloor.location)
    assert not PresenceDay.select().where(PresenceDay.day == WEEK[2]).exists()
    assert (WEEK[2], workfloor.location_id, one.id, 4) in _through_summary(WEEK[0], WEEK[-1])
    assert _through_summary(WEEK[0], WEEK[-1]) == _from_check_ins(WEEK[0], WEEK[-1])


def test_a_correction_of_a_held_day_is_counted_again(floor, make):
    workfloor, one, _two, people = floor
    _through_summary(WEEK[0], WEEK[-1])
    # A correction supersedes the person's Wednesday: he was at a client's, not on the floor.
    replacement = make.worked(people[1], WEEK[2], 4, make.client_location())
    for old in AttendanceSegment.select().where((AttendanceSegment.employee == people[1])
                                                & (AttendanceSegment.day == WEEK[2])
                                                & (AttendanceSegment.id != replacement.id)):
        old.superseded_by = replacement
        old.save()
    assert (WEEK[2], workfloor.location_id, one.id, 2) in _through_summary(WEEK[0], WEEK[-1])
    assert _through_summary(WEEK[0], WEEK[-1]) == _from_check_ins(WEEK[0], WEEK[-1])


def test_a_back_dated_group_move_forgets_the_days_from_the_move_on(floor):
    _workfloor, one, two, people = floor
    _through_summary(WEEK[0], WEEK[-1])
    people[0].work_group = two
    people[0].save()
    GroupMove.create(employee=people[0], moved_on=WEEK[3], from_group=one)
    assert {as_date(row.day) for row in PresenceDay.select()} == set(WEEK[:3])
    found = _through_summary(WEEK[0], WEEK[-1])
    assert found == _from_check_ins(WEEK[0], WEEK[-1])
    assert {(day, group, n) for day, _place, group, n in found if day == WEEK[4]} == {
        (WEEK[4], one.id, 2), (WEEK[4], two.id, 3)}


def test_todays_scans_leave_the_summary_alone(floor, make):
    workfloor, _one, _two, people = floor
    _through_summary(WEEK[0], WEEK[-1])
    held = PresenceCount.select().count()
    database_today = as_date(database.execute_sql(
        "SELECT date('now')" if db.is_sqlite() else "SELECT CURRENT_DATE").fetchone()[0])
    make.worked(people[0], database_today, 2, workfloor.location)
    assert PresenceCount.select().count() == held
    assert PresenceDay.select().count() == 5


def test_the_summary_never_holds_a_day_the_triggers_do_not_watch(app):
    with app.app_context():
        database_today = as_date(database.execute_sql(
            "SELECT date('now')" if db.is_sqlite() else "SELECT CURRENT_DATE"
        ).fetchone()[0])
        far_ahead = database_today + timedelta(days=400)
        assert summary.kept_until(far_ahead) == database_today - timedelta(days=1)
        assert summary.kept_until(date(2026, 1, 10)) == date(2026, 1, 8)


# -- absence ------------------------------------------------------------------------------------

NOV = Period.of("month", date(2026, 11, 1), today=date(2026, 11, 30))


def _absences_afresh(first, last) -> set:
    statement, values = expected_absences(first, last)
    return {(as_date(day), person, code, minutes, before)
            for day, person, code, minutes, before in database.execute_sql(statement, values)}


def _absences_kept(first, last) -> set:
    statement, values = ABSENCE_DAYS.rows(first, last, TODAY)
    return {(as_date(day), person, code, minutes, before)
            for day, person, code, minutes, before in database.execute_sql(statement, values)}


def _held_absence_days() -> set:
    return {as_date(row.day) for row in AbsenceSummaryDay.select()}


@pytest.fixture
def sick_week(make):
    """Someone sick Monday to Wednesday of the first week of November, with leave on Friday."""
    person = make.employee(work_group=make.group())
    for day in WEEK[:3]:
        make.absence(person, day)
    make.absence(person, WEEK[4], code="verlof", hours=Decimal("2"))
    return person


def test_the_kept_absences_are_the_absences_computed_afresh(sick_week):
    afresh = _absences_afresh(WEEK[0], WEEK[-1])
    # 450 minutes a day, 120 for the two hours' leave; the expected day before Monday is the
    # Friday before it, and before Tuesday it is Monday.
    assert sorted((day, code, minutes) for day, _p, code, minutes, _b in afresh) == [
        (WEEK[0], "ziek", 450), (WEEK[1], "ziek", 450), (WEEK[2], "ziek", 450),
        (WEEK[4], "verlof", 120)]
    assert _absences_kept(WEEK[0], WEEK[-1]) == afresh
    assert AbsenceDay.select().count() == 4
    assert _absences_kept(WEEK[0], WEEK[-1]) == afresh


def test_an_absence_added_to_a_kept_day_is_counted(sick_week, make):
    _absences_kept(WEEK[0], WEEK[-1])
    make.absence(sick_week, WEEK[3])
    assert WEEK[3] not in _held_absence_days()
    (row,) = absence_figures(NOV).rows
    assert row.absent == {"ziek": 4 * 450, "verlof": 120}
    assert row.spells == 1  # Monday to Thursday: one spell


def test_a_back_dated_schedule_forgets_the_days_from_it_on(sick_week, make):
    _absences_kept(WEEK[0], WEEK[-1])
    make.add_schedule(sick_week, {d: (time(9), time(13), 0) for d in (0, 2)},
                      valid_from=WEEK[1])
    assert _held_absence_days() == {WEEK[0]}
    kept = _absences_kept(WEEK[0], WEEK[-1])
    assert kept == _absences_afresh(WEEK[0], WEEK[-1])
    # From Tuesday he works Mondays and Wednesdays 9-13: Tuesday and Friday are days off.
    assert sorted((day, minutes) for day, _p, _c, minutes, _b in kept) == [
        (WEEK[0], 450), (WEEK[2], 240)]


def test_a_changed_schedule_day_forgets_the_days_of_its_version(sick_week):
    _absences_kept(WEEK[0], WEEK[-1])
    wednesday = ScheduleDay.get(ScheduleDay.weekday == 2)
    wednesday.ends_at = time(12)
    wednesday.save()
    assert _held_absence_days() == set()
    kept = _absences_kept(WEEK[0], WEEK[-1])
    assert (WEEK[2], sick_week.id, "ziek", 210, kept_before(kept, WEEK[2])) in kept
    assert kept == _absences_afresh(WEEK[0], WEEK[-1])


def kept_before(rows, day):
    return next(before for found, _p, _c, _m, before in rows if found == day)


def test_an_earlier_contract_end_forgets_the_days_after_it(sick_week):
    _absences_kept(WEEK[0], WEEK[-1])
    sick_week.end_date = WEEK[1]
    sick_week.save()
    assert _held_absence_days() == set()
    kept = _absences_kept(WEEK[0], WEEK[-1])
    assert sorted(day for day, *_rest in kept) == [WEEK[0], WEEK[1]]


def test_a_spell_over_the_edge_of_the_kept_days_is_one_spell(make):
    person = make.employee(work_group=make.group())
    for day in WEEK:
        make.absence(person, day)
    # "Today" the Saturday after: the kept days end on Thursday, Friday is computed.
    today = WEEK[-1] + timedelta(days=1)
    statement, values = ABSENCE_DAYS.rows(WEEK[0], WEEK[-1], today)
    assert len(database.execute_sql(statement, values).fetchall()) == 5
    assert max(_held_absence_days()) == WEEK[-1] - timedelta(days=1)
    with mock.patch.object(timeutil, "today", lambda: today):
        (row,) = absence_figures(Period.of("month", date(2026, 11, 1), today=today)).rows
    assert row.spells == 1
    assert row.absent == {"ziek": 5 * 450}
