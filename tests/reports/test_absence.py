"""Absence figures against hand-computed months (both databases).

November 2026 starts on a Sunday: 21 weekdays (2-6, 9-13, 16-20, 23-27, 30) and no holiday.
May 2026 has 21 weekdays of which Ascension Day (Thu 14) and Whit Monday (25) are holidays.
A full-time day is 8:00-16:00 less 30 minutes: 450 minutes.
"""

from datetime import date, time
from decimal import Decimal

import pytest

from portal.people.models import GroupMove
from portal.reports.absence import absence_figures
from portal.reports.periods import Period
from portal.reports.sql import Filters

NOV = Period.of("month", date(2026, 11, 1), today=date(2026, 12, 31))
PART_TIME = {0: (time(9), time(13), 0), 1: (time(9), time(13), 0), 3: (time(9), time(13), 0)}


@pytest.fixture
def place(make):
    municipality = make.municipality(name="Gemeente Lindendal")
    group = make.group(name="Ploeg Noord")
    return municipality, group


def test_full_time_month_with_two_sick_days(make, place):
    municipality, group = place
    person = make.employee(municipality=municipality, work_group=group)
    make.absence(person, date(2026, 11, 3))
    make.absence(person, date(2026, 11, 4))
    figures = absence_figures(NOV)
    (row,) = figures.rows
    assert row.name == "Ploeg Noord"
    assert row.scheduled == 21 * 450
    assert row.absent == {"ziek": 900}
    assert row.percentage() == Decimal("9.5")  # 900 / 9450
    assert row.spells == 1
    assert row.employees == 1
    # One spell in November for one person: 1 * 365 / 30 per year.
    assert row.frequency(figures.counted_days) == Decimal("12.17")


def test_public_holidays_are_not_scheduled(make, place):
    municipality, group = place
    person = make.employee(municipality=municipality, work_group=group)
    make.absence(person, date(2026, 5, 14))  # sick on Ascension Day: not a working day
    make.absence(person, date(2026, 5, 15), hours=Decimal("2"))
    may = Period.of("month", date(2026, 5, 1), today=date(2026, 12, 31))
    (row,) = absence_figures(may).rows
    assert row.scheduled == 19 * 450
    assert row.absent == {"ziek": 120}


def test_part_time_schedule_and_spells_over_days_off(make, place):
    municipality, group = place
    person = make.employee(schedule=PART_TIME, municipality=municipality, work_group=group)
    make.absence(person, date(2026, 11, 3))  # Tuesday
    make.absence(person, date(2026, 11, 4))  # Wednesday: a day off, counts for nothing
    make.absence(person, date(2026, 11, 5), hours=Decimal("6"))  # more than the 4 h day
    make.absence(person, date(2026, 11, 10))  # Tuesday, after a Monday worked: a new spell
    make.absence(person, date(2026, 11, 12), code="verlof", hours=Decimal("1"))
    (row,) = absence_figures(NOV).rows
    # Mondays 2, 9, 16, 23, 30; Tuesdays 3, 10, 17, 24; Thursdays 5, 12, 19, 26: 13 days of 240.
    assert row.scheduled == 13 * 240
    assert row.absent == {"ziek": 3 * 240, "verlof": 60}
    assert row.spells == 2
    assert row.percentage("ziek") == Decimal("23.1")  # 720 / 3120
    assert row.percentage() == Decimal("25.0")  # 780 / 3120


def test_contract_dates_bound_the_scheduled_time(make, place):
    municipality, group = place
    make.employee(municipality=municipality, work_group=group, start_date=date(2026, 11, 16))
    make.employee(municipality=municipality, work_group=group, start_date=date(2020, 1, 1),
                  end_date=date(2026, 11, 4))
    (row,) = absence_figures(NOV).rows
    # The newcomer: 16-20, 23-27, 30 = 11 days; the leaver: 2, 3, 4 = 3 days.
    assert row.scheduled == (11 + 3) * 450
    assert row.employees == 2


def test_a_person_who_moves_group_mid_month_counts_in_each_group_for_its_days(make, place):
    municipality, old_group = place
    new_group = make.group(name="Ploeg Zuid")
    person = make.employee(municipality=municipality, work_group=new_group)
    GroupMove.create(employee=person, moved_on=date(2026, 11, 16), from_group=old_group)
    make.absence(person, date(2026, 11, 13))  # Friday, still in the old group
    make.absence(person, date(2026, 11, 16))  # Monday, in the new group: the same spell
    figures = absence_figures(NOV)
    by_name = {row.name: row for row in figures.rows}
    assert by_name["Ploeg Noord"].scheduled == 10 * 450
    assert by_name["Ploeg Zuid"].scheduled == 11 * 450
    assert by_name["Ploeg Noord"].absent == {"ziek": 450}
    assert by_name["Ploeg Zuid"].absent == {"ziek": 450}
    assert by_name["Ploeg Noord"].spells == 1
    assert by_name["Ploeg Zuid"].spells == 0
    assert by_name["Ploeg Noord"].employees == by_name["Ploeg Zuid"].employees == 1
    assert figures.total.employees == 1
    assert figures.total.scheduled == 21 * 450
    # Filtering on a group takes only its days.
    only_new = absence_figures(NOV, filters=Filters(group=new_group.id))
    assert only_new.total.scheduled == 11 * 450


def test_a_schedule_change_mid_month_takes_effect_from_its_day(make, place):
    municipality, group = place
    person = make.employee(municipality=municipality, work_group=group)
    make.add_schedule(person, PART_TIME, valid_from=date(2026, 11, 16))
    (row,) = absence_figures(NOV).rows
    # Full time 2-13 (10 days of 450); then Mon/Tue/Thu: 16, 17, 19, 23, 24, 26, 30 (7 of 240).
    assert row.scheduled == 10 * 450 + 7 * 240


def test_the_running_month_divides_by_the_hours_scheduled_up_to_today(make, place):
    """Issue 13: December showed 0.6% against November's 2.6% (the whole month's hours)."""
    municipality, group = place
    person = make.employee(municipality=municipality, work_group=group)
    make.absence(person, date(2026, 11, 3))
    running = Period.of("month", date(2026, 11, 1), today=date(2026, 11, 4))
    (row,) = absence_figures(running).rows
    assert row.scheduled == 3 * 450  # Monday 2 to Wednesday 4
    assert row.percentage() == Decimal("33.3")


def test_staff_outside_the_groups_are_not_in_the_figures(make, place):
    """Issue 13: office staff appeared on a row labelled "-"."""
    municipality, group = place
    make.employee(municipality=municipality, work_group=group)
    make.employee(municipality=municipality, work_group=None, employment="staff")
    for grouping in ("group", "workfloor", "municipality"):
        figures = absence_figures(NOV, grouping)
        assert [row.employees for row in figures.rows] == [1], grouping
        assert "-" not in [row.name for row in figures.rows]
        assert figures.total.scheduled == 21 * 450


def test_corrected_absence_counts_only_in_its_new_form(make, place):
    municipality, group = place
    person = make.employee(municipality=municipality, work_group=group)
    new = make.absence(person, date(2026, 11, 3), code="verlof")
    make.absence(person, date(2026, 11, 3), code="ziek", superseded_by=new)
    (row,) = absence_figures(NOV).rows
    assert row.absent == {"verlof": 450}
    assert row.spells == 0


def test_a_spell_from_last_month_is_not_counted_again(make, place):
    municipality, group = place
    person = make.employee(municipality=municipality, work_group=group)
    make.absence(person, date(2026, 10, 30))  # Friday
    make.absence(person, date(2026, 11, 2))  # Monday: the same spell
    (row,) = absence_figures(NOV).rows
    assert row.spells == 0
    assert row.absent == {"ziek": 450}


def test_groupings_filters_and_months(make, place):
    municipality, group = place
    other = make.municipality(name="Gemeente Brugveen")
    make.employee(municipality=municipality, work_group=group, employment="beschut")
    make.employee(municipality=other, work_group=group, employment="sw")
    by_municipality = absence_figures(NOV, "municipality")
    assert [(r.name, r.scheduled) for r in by_municipality.rows] == [
        ("Gemeente Brugveen", 9450), ("Gemeente Lindendal", 9450)]
    beschut = absence_figures(NOV, "employment", Filters(employment="beschut"))
    assert [(r.key, r.scheduled) for r in beschut.rows] == [("beschut", 9450)]
    supervisor_elsewhere = absence_figures(NOV, filters=Filters(groups=()))
    assert supervisor_elsewhere.rows == []
    quarter = absence_figures(Period.of("quarter", date(2026, 10, 1), today=date(2026, 11, 4)))
    # October has 22 weekdays; November up to the 4th three; December has not begun.
    assert [(m.month, r.scheduled) for m, r in quarter.months] == [
        (10, 2 * 22 * 450), (11, 2 * 3 * 450)]


def test_april_with_three_holidays_a_part_timer_and_a_correction(make, place):
    """The case the attendance area had, now with both people in a group."""
    from portal.attendance.models import Absence

    municipality, group = place
    # Monday and Wednesday 08:00-12:30 with half an hour's break, Friday 08:00-13:00.
    part_timer = make.employee(schedule={0: (time(8), time(12, 30), 30),
                                         2: (time(8), time(12, 30), 30), 4: (time(8), time(13), 0)},
                               municipality=municipality, work_group=group)
    make.employee(municipality=municipality, work_group=group)
    # April 2026: Good Friday the 3rd, Easter Monday the 6th and King's Day the 27th are free.
    for day in (8, 10, 22):
        make.absence(part_timer, date(2026, 4, day))
    make.absence(part_timer, date(2026, 4, 13), hours=Decimal("2"))
    make.absence(part_timer, date(2026, 4, 27))  # on King's Day: not counted
    withdrawn = make.absence(part_timer, date(2026, 4, 15))
    Absence.update(superseded_by=withdrawn.id).where(Absence.id == withdrawn.id).execute()
    make.absence(part_timer, date(2026, 4, 29), code="verlof")
    april = Period.of("month", date(2026, 4, 1), today=date(2026, 12, 31))
    company = absence_figures(april, "company").total
    # Part-timer: 2 Mondays x 4 h + 5 Wednesdays x 4 h + 3 Fridays x 5 h = 43 h.
    # Full-timer: 22 weekdays less 3 holidays = 19 days x 7.5 h.
    assert company.scheduled == 43 * 60 + 19 * 450
    assert company.absent == {"ziek": 240 + 300 + 120 + 240, "verlof": 240}
    # Wed 8 and Fri 10 are one spell; Mon 13 (partly sick) continues it; Wed 22 is a new one.
    assert company.spells == 2
    assert company.employees == 2
    assert company.percentage("ziek") == Decimal("8.1")  # 900 / 11130


def test_changing_an_employees_group_records_the_move(make, place, monkeypatch):
    from portal.people import employee_rules

    _municipality, old_group = place
    new_group = make.group(name="Ploeg Zuid")
    person = make.employee(work_group=old_group)
    monkeypatch.setattr(employee_rules, "today", lambda: date(2026, 11, 16))
    employee_rules.update_employee(person, {"work_group_id": new_group.id})
    employee_rules.update_employee(person, {"first_name": "Anders"})  # no move
    (move,) = GroupMove.select()
    assert (move.employee_id, move.moved_on, move.from_group_id) == (
        person.id, date(2026, 11, 16), old_group.id)
