"""Employee rules without HTTP: schedule checks, weekly hours, schedule versions, photos."""

import io
from datetime import date, time
from decimal import Decimal

import peewee
import pytest
from PIL import Image

from portal.audit import AuditEntry
from portal.people import employee_rules as rules
from portal.people.employee_rules import WorkDay
from portal.people.models import Employee, Schedule

NINE_TO_FIVE = {d: WorkDay(time(9), time(17), 30) for d in range(5)}


@pytest.mark.parametrize("start, end, pause, problem", [
    (None, None, None, None),
    (None, None, 0, None),
    (time(8), time(16), None, None),
    (time(8), time(16), 30, None),
    (time(8), None, None, "end_missing"),
    (None, time(16), None, "start_missing"),
    (time(16), time(8), None, "end_not_after_start"),
    (time(8), time(8), None, "end_not_after_start"),
    (time(8), time(16), -5, "break_negative"),
    (time(8), time(16), 480, "break_too_long"),
    (time(8), time(16), 10**9, "break_too_long"),
    (None, None, 30, "break_without_times"),
])
def test_day_problem(start, end, pause, problem):
    assert rules.day_problem(start, end, pause) == problem


def test_weekly_hours_subtract_breaks():
    assert rules.weekly_hours(NINE_TO_FIVE) == Decimal("37.50")
    assert rules.weekly_hours({0: WorkDay(time(8, 15), time(12, 35), 0)}) == Decimal("4.33")
    assert rules.weekly_hours({}) == Decimal("0.00")


@pytest.mark.parametrize("scheduled, contract, differs", [
    (Decimal("32"), Decimal("32"), False),
    (Decimal("30"), Decimal("32"), False),
    (Decimal("29.5"), Decimal("32"), True),
    (Decimal("36"), Decimal("32"), True),
    (Decimal("36"), None, False),
])
def test_hours_differ_warns_only_for_a_real_gap(scheduled, contract, differs):
    assert rules.hours_differ(scheduled, contract) is differs


def test_unchanged_schedule_creates_no_version(make):
    person = make.employee(schedule={d: (time(9), time(17), 30) for d in range(5)})
    assert rules.change_schedule(person, dict(NINE_TO_FIVE), date(2025, 3, 1)) is None
    assert Schedule.select().where(Schedule.employee == person.id).count() == 1
    assert not AuditEntry.select().where(AuditEntry.action == "employee.schedule").exists()


def test_changed_schedule_is_a_new_version_and_history_stays(make):
    person = make.employee(schedule={d: (time(9), time(17), 30) for d in range(5)})
    short_week = {d: WorkDay(time(9), time(13), 0) for d in range(4)}
    created = rules.change_schedule(person, short_week, date(2025, 3, 1))
    assert created is not None and created.valid_from == date(2025, 3, 1)
    before = rules.week_of(rules.schedule_in_force(person.id, date(2025, 2, 28)))
    after = rules.week_of(rules.schedule_in_force(person.id, date(2025, 3, 1)))
    assert rules.weekly_hours(before) == Decimal("37.50")
    assert rules.weekly_hours(after) == Decimal("16.00")
    assert [row.action for row in AuditEntry.select()] == ["employee.schedule"]


def test_a_second_change_on_the_same_date_replaces_that_version(make):
    person = make.employee()
    rules.change_schedule(person, {0: WorkDay(time(8), time(12), 0)}, date(2025, 3, 1))
    rules.change_schedule(person, {1: WorkDay(time(8), time(12), 0)}, date(2025, 3, 1))
    assert Schedule.select().where(Schedule.employee == person.id).count() == 2
    assert set(rules.week_of(rules.schedule_in_force(person.id, date(2025, 3, 1)))) == {1}


def test_schedule_history_lists_versions_newest_first(make):
    person = make.employee()
    rules.change_schedule(person, {0: WorkDay(time(8), time(12), 0)}, date(2025, 3, 1))
    history = rules.schedule_history(person)
    assert [(s.valid_from, hours) for s, hours in history] == [
        (date(2025, 3, 1), Decimal("4.00")), (date(2000, 1, 1), Decimal("37.50"))]


def _image_bytes(fmt, size=(1200, 800), mode="RGB", **save):
    out = io.BytesIO()
    Image.new(mode, size, (10, 200, 30, 128)[:len(mode)] if mode != "P" else 3).save(
        out, fmt, **save)
    return out.getvalue()


def test_photo_is_shrunk_to_600_px_and_loses_its_location():
    exif = Image.Exif()
    exif[0x8825] = {2: (52.0, 22.0, 1.0)}  # GPSInfo: a latitude
    exif[0x010F] = "PhoneMaker"
    original = _image_bytes("JPEG", exif=exif.tobytes())
    assert b"PhoneMaker" in original
    result = rules.prepare_photo(original)
    with Image.open(io.BytesIO(result)) as image:
        assert image.format == "JPEG" and max(image.size) == 600
        assert not image.getexif()
    assert b"PhoneMaker" not in result


def test_transparent_png_becomes_a_jpeg():
    result = rules.prepare_photo(_image_bytes("PNG", size=(50, 50), mode="RGBA"))
    with Image.open(io.BytesIO(result)) as image:
        assert image.format == "JPEG" and image.size == (50, 50)


@pytest.mark.parametrize("data", [
    b"", b"not an image at all", b"%PDF-1.7\n...", _image_bytes("PNG")[:200],
    _image_bytes("BMP", size=(20, 20)),  # a real image, but not a format we take
])
def test_what_is_not_a_usable_photo_is_refused(data):
    with pytest.raises(rules.PhotoRefused) as refused:
        rules.prepare_photo(data)
    assert refused.value.reason == "not_image"


def test_read_limited_refuses_more_than_the_limit():
    assert rules.read_limited(io.BytesIO(b"x" * 10), 10) == b"x" * 10
    with pytest.raises(rules.PhotoRefused) as refused:
        rules.read_limited(io.BytesIO(b"x" * 11), 10)
    assert refused.value.reason == "too_large"


def test_create_employee_stores_schedule_photo_and_log(make):
    municipality = make.municipality()
    person = rules.create_employee(
        {"employee_number": "A1", "first_name": "Ada", "last_name": "Smit", "employment": "sw",
         "contract_hours": Decimal("24"), "municipality": municipality, "work_group": None,
         "start_date": date(2025, 1, 6), "end_date": None},
        {0: WorkDay(time(8), time(16), 30)}, photo=rules.prepare_photo(_image_bytes("PNG")),
        actor=None)
    assert Employee.get_by_id(person.id).has_photo
    assert rules.schedule_in_force(person.id, date(2025, 1, 6)).valid_from == date(2025, 1, 6)
    assert [e.action for e in AuditEntry.select().order_by(AuditEntry.id)] == [
        "employee.create", "employee.photo"]


def test_update_logs_only_what_changed(make):
    person = make.employee(first_name="Ada")
    changed = rules.update_employee(person, {"first_name": "Ada", "contract_hours": Decimal("20")})
    assert changed == {"contract_hours": Decimal("20")}
    entry = AuditEntry.get(AuditEntry.action == "employee.update")
    assert '"contract_hours": "20"' in entry.after and "first_name" not in entry.after
    assert rules.update_employee(person, {"first_name": "Ada"}) == {}
    assert AuditEntry.select().count() == 1


def test_deactivate_and_reactivate_are_logged_once(make):
    person = make.employee()
    rules.set_active(person, False)
    rules.set_active(person, False)
    rules.set_active(person, True)
    assert [e.action for e in AuditEntry.select().order_by(AuditEntry.id)] == [
        "employee.deactivate", "employee.activate"]


def test_supervisor_list_holds_only_his_groups(make):
    boss = make.user("supervisor")
    mine = make.employee(work_group=make.group(supervisor=boss))
    make.employee(work_group=make.group())
    make.employee()  # no group: only the office sees this one
    ids = [e.id for e in rules.employee_list_query(boss, rules.ListFilters())]
    assert ids == [mine.id]
    assert len(list(rules.employee_list_query(make.user("planner"), rules.ListFilters()))) == 3


def test_filters_ignore_nonsense():
    filters = rules.parse_filters({"group": "abc", "municipality": "99999999999",
                                   "employment": "king", "status": "deleted"}, ("sw",))
    assert filters == rules.ListFilters()


def test_an_edit_that_fails_stores_none_of_its_parts(make):
    make.employee(employee_number="TAKEN")
    person = make.employee()
    with pytest.raises(peewee.IntegrityError):
        rules.save_changes(person, {"employee_number": "TAKEN"},
                           {0: WorkDay(time(6), time(10), 0)}, date(2025, 3, 1),
                           photo=rules.prepare_photo(_image_bytes("PNG")))
    assert Schedule.select().where(Schedule.employee == person.id).count() == 1
    assert not Employee.get_by_id(person.id).has_photo
    assert AuditEntry.select().count() == 0
