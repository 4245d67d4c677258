"""Small builders of valid rows, with overridable fields, for tests."""

import itertools
from datetime import date, time
from decimal import Decimal

from werkzeug.security import generate_password_hash

from portal.auth.models import User
from portal.people.models import (Client, Employee, Location, Municipality, Schedule,
                                  ScheduleDay, Workfloor, WorkGroup)

PASSWORD = "correct horse battery"
_seq = itertools.count(1)
_HASH = {}


def _n() -> int:
    return next(_seq)


def user(role="admin", **fields) -> User:
    n = _n()
    # Real hashes are slow on purpose; test users get cheap scrypt parameters (the
    # parameters travel inside the hash, so checking it is cheap too).
    if PASSWORD not in _HASH:
        _HASH[PASSWORD] = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    values = dict(username=f"{role}{n}", display_name=f"{role.title()} {n}", role=role,
                  password_hash=_HASH[PASSWORD])
    values.update(fields)
    return User.create(**values)


def municipality(**fields) -> Municipality:
    return Municipality.create(**{"name": f"Gemeente {_n()}", **fields})


def client(**fields) -> Client:
    return Client.create(**{"name": f"Klant {_n()} BV", **fields})


def product_group(**fields):
    from portal.people.models import ProductGroup

    return ProductGroup.create(**{"name": f"Productgroep {_n()}", **fields})


def location(**fields) -> Location:
    return Location.create(**{"name": f"Locatie {_n()}", "kind": "own", "city": "Testdorp",
                              **fields})


def workfloor(**fields) -> Workfloor:
    if "location" not in fields:
        fields["location"] = location()
    return Workfloor.create(**{"name": f"Werkvloer {_n()}", "workplaces": 20, **fields})


def group(**fields) -> WorkGroup:
    if "workfloor" not in fields:
        fields["workfloor"] = workfloor()
    if "supervisor" not in fields:
        fields["supervisor"] = user("supervisor")
    return WorkGroup.create(**{"name": f"Ploeg {_n()}", **fields})


def employee(schedule=None, **fields) -> Employee:
    """An employee; `schedule` maps weekday -> (start, end, break minutes), Mon-Fri 8-16 if None."""
    n = _n()
    if "municipality" not in fields:
        fields["municipality"] = municipality()
    values = dict(employee_number=f"E{n:05d}", first_name=f"Voornaam{n}", last_name=f"Achternaam{n}",
                  employment="sw", contract_hours=Decimal("32"), start_date=date(2020, 1, 1))
    values.update(fields)
    person = Employee.create(**values)
    add_schedule(person, schedule if schedule is not None else
                 {d: (time(8), time(16), 30) for d in range(5)})
    return person


def add_schedule(person, days: dict, valid_from=date(2000, 1, 1)) -> Schedule:
    schedule = Schedule.create(employee=person, valid_from=valid_from)
    for weekday, (start, end, pause) in days.items():
        ScheduleDay.create(schedule=schedule, weekday=weekday, starts_at=start, ends_at=end,
                           break_minutes=pause)
    return schedule


def device(workfloor=None, location=None, name=None, enrolled=True):
    """A kiosk device at a workfloor (a new one if none given); returns (device, credential)."""
    from portal.kiosk import devices as kiosk_devices

    if workfloor is None and location is None:
        workfloor = globals()["workfloor"]()
    made = kiosk_devices.create_device(name or f"Tablet {_n()}", location=location,
                                       workfloor=workfloor)
    if not enrolled:
        return made, None
    _code_row, code = kiosk_devices.start_enrolment(made)
    enrolled_device, credential = kiosk_devices.enrol(code)
    return enrolled_device, credential


def badge(person, **kwargs):
    """Issue a badge to an employee; returns (badge, token)."""
    from portal.kiosk import badges as kiosk_badges

    return kiosk_badges.issue_badge(person, **kwargs)


def jpeg_bytes(size=(40, 30), color=(200, 120, 60)) -> bytes:
    """A small real JPEG, as a camera would give."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def photo(person, data=None):
    """Give an employee a stored photo."""
    from portal.people.models import EmployeePhoto

    EmployeePhoto.create(employee=person, content_type="image/jpeg", data=data or jpeg_bytes())
    person.has_photo = True
    person.save(only=[Employee.has_photo])
    return person


def order(**fields):
    """An open order due in four weeks, 1,000 pieces at 50 an hour (20 hours)."""
    from datetime import timedelta

    from portal.orders.models import Order
    from portal.timeutil import today

    if "client" not in fields:
        fields["client"] = client()
    if "created_by" not in fields:
        fields["created_by"] = user("planner")
    values = dict(product=f"Product {_n()}", quantity=1000, unit="stuks",
                  norm_per_hour=Decimal("50"), start_date=today() - timedelta(days=7),
                  due_date=today() + timedelta(days=28), status="intake")
    values.update(fields)
    return Order.create(**values)


def assignment(order, work_group, day, hours="8", **fields):
    from portal.orders.models import Assignment

    return Assignment.create(order=order, work_group=work_group, day=day, hours=Decimal(hours),
                             created_by=fields.pop("created_by", order.created_by), **fields)


def production(order, work_group, day, quantity, rejects=0, **fields):
    from portal.orders.models import Production

    return Production.create(order=order, work_group=work_group, day=day, quantity=quantity,
                             rejects=rejects,
                             registered_by=fields.pop("registered_by", work_group.supervisor),
                             **fields)


# -- attendance ---------------------------------------------------------------------------------

def at(day, hh_mm: str):
    """An Amsterdam wall-clock time on a day, as stored (naive UTC)."""
    from datetime import datetime

    from portal.timeutil import to_utc

    return to_utc(datetime.combine(day, time.fromisoformat(hh_mm)))


def segment(person, day, check_in: str, check_out: str | None = None, **fields):
    """A badge-scanned segment; times are Amsterdam "HH:MM" on the day."""
    from portal.attendance.models import AttendanceSegment

    values = dict(employee=person, day=day, check_in=at(day, check_in),
                  check_out=at(day, check_out) if check_out else None, in_source="badge",
                  out_source="badge" if check_out else None)
    values.update(fields)
    return AttendanceSegment.create(**values)


def late_scan(person, day, hh_mm: str, device_=None):
    """A tablet's scan of a day that arrived days later: kept for the supervisor, not applied."""
    from portal.kiosk.models import Scan

    device_ = device_ or device()[0]
    return Scan.create(scan_id=f"late-{_n():06d}", device=device_, method="badge",
                       employee=person, payload_hash="0" * 64, tablet_time=at(day, hh_mm),
                       scanned_at=at(day, hh_mm), outcome="late_scan", result="{}")


def absence(person, day, code="ziek", hours=None, **fields):
    from portal.attendance.models import Absence

    return Absence.create(employee=person, day=day, code=code, hours=hours, **fields)


def leave(person, starts_on, ends_on, code="verlof", **fields):
    from portal.attendance.models import PlannedLeave

    return PlannedLeave.create(employee=person, starts_on=starts_on, ends_on=ends_on, code=code,
                               **fields)


# -- detachments ------------------------------------------------------------------------------

def client_location(client_=None, **fields):
    """A location at a client's site (a new client unless one is given)."""
    return location(**{"kind": "client", "client": client_ or client(), **fields})


def detachment(kind="individual", *, start=date(2026, 1, 1), end=None, people=(), group_=None,
               where=None, rate=None, price_form="per_hour", **fields):
    """A detachment at a client location with members (employees, or a whole group)."""
    from portal.detachments import members as member_rules, rates as rate_rules

    where = where or client_location()
    made = member_rules.create_detachment(
        client=where.client, location=where, kind=kind, name=fields.pop("name", ""),
        start=start, end=end, work_group=group_, employee=people[0] if people else None, **fields)
    for person in people[1:]:
        member_rules.add_member(made, person, start, None)
    if rate is not None:
        rate_rules.add_rate(made, price_form=price_form, amount=Decimal(str(rate)),
                            valid_from=start.replace(day=1), valid_to=None)
    return made


def worked(person, day, hours, where, start_hour=8, **fields):
    """A closed attendance segment of `hours` on an Amsterdam day at a location."""
    from datetime import datetime, timedelta

    from portal.attendance.models import AttendanceSegment
    from portal.timeutil import to_utc

    check_in = to_utc(datetime.combine(day, time(start_hour)))
    values = dict(employee=person, day=day, check_in=check_in,
                  check_out=check_in + timedelta(minutes=round(hours * 60)), in_source="badge",
                  out_source="badge", location=where)
    values.update(fields)
    return AttendanceSegment.create(**values)
