"""The presence summary: the same counts as the check-ins, and never stale after a change."""

from datetime import date, timedelta

import pytest

from portal import db
from portal.attendance.models import AttendanceSegment
from portal.db import database
from portal.people.models import GroupMove
from portal.reports import presence, summary
from portal.reports.models import PresenceCount, PresenceDay
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
