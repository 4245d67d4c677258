"""Timesheets, their CSV and XLSX exports, and the absence figures page."""

import csv
import io
from datetime import date, time
from decimal import Decimal

import openpyxl
import pytest

from portal import timeutil
from portal.attendance import exports, timesheets
from portal.people.models import Employee
from tests.factories import at

KINGS_DAY = date(2026, 4, 27)  # a Monday, a public holiday
FULL_DAY = {d: (time(8), time(16, 30), 30) for d in range(5)}


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timeutil, "utcnow", lambda: at(date(2026, 5, 4), "12:00"))


@pytest.fixture
def week(make):
    """A week with a holiday, a normal day, a late day, a sick day and planned leave."""
    boss = make.user("supervisor")
    team = make.group(supervisor=boss, name="Inpak A")
    anna = make.employee(work_group=team, first_name="Anna", last_name="=HYPERLINK(1)",
                         schedule=FULL_DAY)
    make.segment(anna, date(2026, 4, 28), "08:00", "16:30", closed_by_system=True)
    make.segment(anna, date(2026, 4, 29), "08:20", "16:30")
    make.absence(anna, date(2026, 4, 30), "ziek")
    make.leave(anna, date(2026, 5, 1), date(2026, 5, 1), "verlof")
    return boss, team, anna


def test_a_week_timesheet(week):
    _boss, _team, anna = week
    start, end = timesheets.period_bounds("week", date(2026, 4, 29))
    assert (start, end) == (KINGS_DAY, date(2026, 5, 3))
    [sheet] = timesheets.build(Employee.select().where(Employee.id == anna.id), start, end)
    assert sheet.days[0].holiday == "Koningsdag" and sheet.days[0].scheduled == 0
    assert sheet.scheduled == 4 * 480
    assert sheet.worked == 480 + 460
    assert sheet.absence["ziek"] == 480 and sheet.absence["verlof"] == 480
    assert sheet.late_count == 1 and sheet.days[2].late == 20
    assert sheet.system_closed_days == 1


def test_periods():
    assert timesheets.period_bounds("month", date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert timesheets.shift_period("month", date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert timesheets.shift_period("month", date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert timesheets.shift_period("week", date(2026, 4, 27), -1) == date(2026, 4, 20)


def test_text_that_starts_a_formula_is_guarded():
    for text in ("=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert exports.guard(text) == "'" + text
    assert exports.guard("Anna") == "Anna"


def test_csv_opens_in_a_dutch_excel(week, login):
    boss, team, _anna = week
    response = login(boss).get(f"/attendance/timesheets/groups/{team.id}/export.csv"
                               "?period=week&date=2026-04-29")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Personeelsnummer", "Naam", "Ploeg", "Periode", "Ingeroosterde uren",
                           "Gewerkte uren"]
    anna_row = rows[1]
    assert anna_row[1] == "Anna =HYPERLINK(1)"
    assert anna_row[4] == "32,00" and anna_row[5] == "15,67"
    assert anna_row[rows[0].index("Ziek")] == "8,00"
    assert anna_row[rows[0].index("Te laat (keer)")] == "1"


def test_csv_guards_a_formula_in_a_name(make, login, week):
    boss, team, _anna = week
    make.employee(work_group=team, first_name="=cmd|' /C calc'!A0", last_name="X")
    raw = login(boss).get(f"/attendance/timesheets/groups/{team.id}/export.csv?period=week"
                          "&date=2026-04-29").get_data().decode("utf-8-sig")
    assert "'=cmd|" in raw


def test_xlsx_keeps_numbers_as_numbers(week, login):
    boss, _team, anna = week
    response = login(boss).get(f"/attendance/timesheets/employees/{anna.id}/export.xlsx"
                               "?period=week&date=2026-04-29")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    heading = rows[0]
    tuesday = rows[2]
    assert tuesday[0].date() == date(2026, 4, 28)
    assert tuesday[heading.index("Gewerkte uren")] == 8.0
    assert isinstance(tuesday[heading.index("Ingeroosterde uren")], (int, float))
    # The total sits below a blank row, outside the days a filter or pivot table takes.
    assert rows[-1][0] == "Totaal" and rows[-1][heading.index("Ziek")] == 8.0
    assert all(value is None for value in rows[-2])
    assert all(hasattr(row[0], "year") for row in rows[1:-2])


def test_xlsx_text_is_never_a_formula(week, login, make):
    boss, team, _anna = week
    make.employee(work_group=team, first_name="=1+1", last_name="Y")
    response = login(boss).get(f"/attendance/timesheets/groups/{team.id}/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert "=1+1 Y" in names  # a string cell, as typed: no quote in front
    assert all(row[1].data_type == "s" for row in sheet.iter_rows(min_row=2))


def test_the_timesheet_pages(week, login):
    boss, team, anna = week
    client = login(boss)
    group_page = client.get(f"/attendance/timesheets/groups/{team.id}?period=week&date=2026-04-29")
    html = group_page.get_data(as_text=True)
    assert group_page.status_code == 200 and "Anna" in html and "32,00" in html
    employee_page = client.get(f"/attendance/timesheets/employees/{anna.id}?period=week"
                               "&date=2026-04-29").get_data(as_text=True)
    assert "Koningsdag" in employee_page and "20 min te laat" in employee_page
    assert "door systeem afgesloten" in employee_page


def test_the_old_absence_figures_address_leads_to_the_figures(week, make, login):
    client = login(make.user("hr"))
    moved = client.get("/attendance/figures?month=2026-04&by=group")
    assert moved.status_code == 301
    assert moved.headers["Location"].startswith("/reports/absence/?")
    html = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Inpak A" in html and "Verzuim" in html
    # April 2026 for Anna: 19 working days (3 holidays) of 8 hours, 1 of them sick: 5,3%.
    assert "5,3%" in html


def test_supervisors_export_only_their_own_groups(week, make, login):
    boss, _team, _anna = week
    other = make.group()
    assert login(boss).get(f"/attendance/timesheets/groups/{other.id}/export.csv").status_code == 404


def _reference_days(employee, start, end):
    """A day-by-day timesheet the slow, plain way: per employee and per day queries, rules only."""
    from datetime import timedelta

    from portal.attendance import rules
    from portal.attendance.models import Absence, AttendanceSegment, PlannedLeave

    schedules = rules.load_schedules([employee.id], until=end).get(employee.id, [])
    leaves = list(PlannedLeave.select().where(PlannedLeave.employee == employee.id))
    days = []
    day = start
    while day <= end:
        shift = rules.shift_on(schedules, day)
        leave_code = rules.leave_on(leaves, day)
        why = rules.expectation(employee, shift, day, leave_code)
        segments = list(AttendanceSegment.select().where(
            (AttendanceSegment.employee == employee.id) & (AttendanceSegment.day == day)
            & AttendanceSegment.superseded_by.is_null()).order_by(AttendanceSegment.check_in))
        scheduled = shift.scheduled_minutes if why in (rules.EXPECTED, rules.ON_LEAVE) else 0
        absence = {}
        for row in Absence.select().where((Absence.employee == employee.id) & (Absence.day == day)
                                          & Absence.superseded_by.is_null()):
            absence[row.code] = absence.get(row.code, 0) + rules.absence_minutes(row, shift)
        if why == rules.ON_LEAVE and not absence:
            absence[leave_code] = scheduled
        days.append((day, scheduled, rules.worked_minutes(segments, shift) if segments else 0,
                     absence,
                     rules.late_minutes(segments[0].check_in, day, shift)
                     if segments and why == rules.EXPECTED else 0,
                     any(s.closed_by_system for s in segments),
                     any(s.check_out is None for s in segments), rules.public_holiday(day)))
        day += timedelta(days=1)
    return days


def test_the_fast_timesheet_gives_what_a_plain_per_employee_count_gives(make):
    """build() takes shortcuts for a large company; every day must come out as the rules say."""
    from portal.attendance.models import AttendanceSegment

    team = make.group(supervisor=make.user("supervisor"))
    plain = make.employee(work_group=team, schedule=FULL_DAY)
    starts_late = make.employee(work_group=team, schedule={0: (time(7, 30), time(12), 15)},
                                start_date=date(2026, 4, 15))
    leaves_early = make.employee(work_group=team, schedule=FULL_DAY, end_date=date(2026, 4, 20))
    changes = make.employee(work_group=team, schedule=FULL_DAY)
    make.add_schedule(changes, {2: (time(9), time(13), 0), 3: (time(9), time(17), 45)},
                      valid_from=date(2026, 4, 16))
    without_schedule = make.employee(work_group=None, schedule={})
    for person in (plain, starts_late, leaves_early, changes, without_schedule):
        for day in (date(2026, 4, 1), date(2026, 4, 16), date(2026, 4, 20), date(2026, 4, 27)):
            make.segment(person, day, "08:12", "16:40")
    make.segment(plain, date(2026, 4, 2), "07:55", "10:00")
    make.segment(plain, date(2026, 4, 2), "10:20", "12:00", closed_by_system=True)
    make.segment(plain, date(2026, 4, 2), "12:30", "17:00")
    make.segment(plain, date(2026, 4, 7), "08:00", "09:00")
    make.segment(plain, date(2026, 4, 8), "16:00", "15:00")
    make.segment(changes, date(2026, 4, 30), "09:40")
    replaced = make.segment(changes, date(2026, 4, 22), "06:00", "18:00")
    fixed = make.segment(changes, date(2026, 4, 22), "09:00", "13:00")
    AttendanceSegment.update(superseded_by=fixed.id).where(
        AttendanceSegment.id == replaced.id).execute()
    make.absence(plain, date(2026, 4, 9), "ziek")
    make.absence(plain, date(2026, 4, 10), "ziek", hours=Decimal("2.5"))
    make.absence(plain, date(2026, 4, 10), "dokter", hours=Decimal("1"))
    make.absence(starts_late, date(2026, 4, 20), "ziek")
    make.leave(changes, date(2026, 4, 13), date(2026, 4, 24), "verlof")
    make.absence(changes, date(2026, 4, 14), "ziek")
    make.leave(plain, date(2026, 4, 28), date(2026, 4, 29), "verlof", cancelled_at=at(
        date(2026, 4, 1), "09:00"))

    start, end = timesheets.period_bounds("month", date(2026, 4, 1))
    sheets = timesheets.build(Employee.select(), start, end)
    assert {sheet.employee.id for sheet in sheets} == {
        plain.id, starts_late.id, leaves_early.id, changes.id, without_schedule.id}
    for sheet in sheets:
        got = [(d.day, d.scheduled, d.worked, d.absence, d.late, d.system_closed, d.still_open,
                d.holiday) for d in sheet.days]
        assert got == _reference_days(sheet.employee, start, end), sheet.employee.full_name
    by_id = {sheet.employee.id: sheet for sheet in sheets}
    assert by_id[plain.id].days[1].worked > 0 and by_id[changes.id].days[29].still_open
    assert by_id[changes.id].absence["verlof"] > 0 and by_id[plain.id].absence["dokter"] == 60
    assert any(d.late for d in by_id[plain.id].days)
