"""The rule: a client pays worked hours, breaks excluded, as the timesheet counts them."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from portal.attendance import rules as attendance_rules
from portal.attendance import timesheets
from portal.detachments import rates as rate_rules
from portal.detachments import statements
from portal.detachments.models import Rate
from portal.people.models import Employee
from portal.timeutil import to_utc

MARCH = date(2026, 3, 1)


def _segment(make, person, day, start: str, end: str, where):
    from portal.attendance.models import AttendanceSegment

    def at(text):
        hour, minute = map(int, text.split(":"))
        return to_utc(datetime.combine(day, time(hour, minute)))

    return AttendanceSegment.create(employee=person, day=day, check_in=at(start),
                                    check_out=at(end), in_source="badge", out_source="badge",
                                    location=where)


def _march_at_the_client(make):
    """Anna (8-16, 30 minutes' break) at the client every weekday of March, in odd minutes."""
    anna = make.employee(first_name="Anna", last_name="Visser")
    det = make.detachment(people=[anna], start=date(2026, 1, 1), rate="30")
    day = MARCH
    n = 0
    while day.month == 3:
        if day.weekday() < 5:
            n += 1
            if n % 4 == 0:  # a break taken by checking out for 12 minutes: 18 more deducted
                _segment(make, anna, day, "07:58", "12:00", det.location)
                _segment(make, anna, day, "12:12", "16:07", det.location)
            elif n % 4 == 1:  # a short day: no break deducted
                _segment(make, anna, day, "08:03", "11:41", det.location)
            else:
                _segment(make, anna, day, "08:01", f"15:{20 + n:02d}", det.location)
        day += timedelta(days=1)
    return anna, det


def _timesheet_hours(anna) -> Decimal:
    sheet = timesheets.build(Employee.select().where(Employee.id == anna.id), MARCH,
                             date(2026, 3, 31))[0]
    return attendance_rules.hours(sheet.worked)


def test_a_persons_statement_hours_equal_the_timesheets_worked_hours(make):
    anna, det = _march_at_the_client(make)
    content = statements.compute_statements([det], MARCH)[det.id]
    person = content["people"][0]
    billed = Decimal(person["hours"])
    assert billed == _timesheet_hours(anna)
    # The lines add up to the same total (each rounded along the month, by under 0.01 h).
    assert sum(Decimal(line["hours"]) for line in person["lines"]) == billed
    # And both are the gross time less the breaks, worked out by hand for one day: the
    # 2nd of March (n = 1) is 8:03-11:41, 218 minutes, too short for a break.
    first = content["people"][0]["lines"][0]
    assert (first["day"], first["hours"]) == ("2026-03-02", "3.63")


def test_lines_are_rounded_along_so_they_add_up_to_the_minutes():
    lines = [{"minutes": 440}, {"minutes": 440}, {"minutes": 440}]  # 7 h 20 min three times
    statements.round_along(lines)
    assert [line["hours"] for line in lines] == [Decimal("7.33"), Decimal("7.34"),
                                                 Decimal("7.33")]  # 22.00 h, as 1,320 minutes


def test_hours_at_another_place_are_on_the_timesheet_but_not_billed(make):
    anna, det = _march_at_the_client(make)
    _segment(make, anna, date(2026, 3, 7), "09:00", "13:00", make.location())  # a Saturday
    content = statements.compute_statements([det], MARCH)[det.id]
    billed = Decimal(content["people"][0]["hours"])
    assert _timesheet_hours(anna) - billed == Decimal("4.00")


def test_an_agreement_that_bills_breaks_bills_the_time_at_the_client(make):
    anna = make.employee()
    det = make.detachment(people=[anna], start=date(2026, 1, 1), rate="30")
    _segment(make, anna, date(2026, 3, 2), "08:00", "16:00", det.location)
    content = statements.compute_statements([det], MARCH)[det.id]
    assert content["hours"] == "7.50" and content["breaks_billed"] is False
    rate = Rate.get()
    rate_rules.update_rate(rate, price_form="per_hour", amount=Decimal(30), includes_breaks=True)
    content = statements.compute_statements([det], MARCH)[det.id]
    assert content["hours"] == "8.00" and content["amount"] == "240.00"
    assert content["breaks_billed"] is True
