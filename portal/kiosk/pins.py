"""A PIN for a forgotten badge: set, clear, who may pick themselves at a device, the check."""

import re
import secrets
from datetime import date, timedelta

from werkzeug.security import check_password_hash, generate_password_hash

from portal import audit, throttle
from portal.db import write_transaction
from portal.detachments.models import Detachment, DetachmentMember
from portal.detachments.members import running_between
from portal.kiosk.models import Device, EmployeePin
from portal.kiosk.settings import Settings
from portal.people import working_calendar
from portal.people.models import Employee, Workfloor, WorkGroup
from portal.timeutil import local_day, utcnow

PIN = re.compile(r"^[0-9]{4}$")
PIN_HASH_METHOD = "pbkdf2:sha256:60000"


def set_pin(employee: Employee, by=None) -> str:
    """Give an employee a new random 4-digit PIN; return it (shown once, stored only hashed)."""
    pin = f"{secrets.randbelow(10_000):04d}"
    pin_hash = generate_password_hash(pin, method=PIN_HASH_METHOD)
    with write_transaction():
        updated = EmployeePin.update(pin_hash=pin_hash, set_at=utcnow(), set_by=by).where(
            EmployeePin.employee == employee).execute()
        if not updated:
            EmployeePin.create(employee=employee, pin_hash=pin_hash, set_by=by)
        audit.record("pin.set", employee, user=by)
        throttle.forget(f"kiosk-pin-employee:{employee.id}")
    return pin


def clear_pin(employee: Employee, by=None) -> bool:
    """Take an employee's PIN away; tell whether there was one."""
    with write_transaction():
        removed = EmployeePin.delete().where(EmployeePin.employee == employee).execute()
        if removed:
            audit.record("pin.clear", employee, user=by)
    return bool(removed)


def expected_people(device: Device, day: date) -> list[Employee]:
    """The active employees with a PIN expected at the device's place on a day.

    Two queries on the company's own floors; at a client's location a third, for the people
    detached there.
    """
    if working_calendar.is_public_holiday(day):
        return []
    place = (WorkGroup.workfloor == device.workfloor_id) if device.workfloor_id \
        else (Workfloor.location == device.location_id)
    employed = Employee.is_active & working_calendar.employed_on(day)
    columns = (Employee.id, Employee.first_name, Employee.last_name, Employee.has_photo)
    people = list(Employee.select(*columns)
                  .join(WorkGroup).join(Workfloor).switch(Employee).join(EmployeePin)
                  .where(place & employed))
    if device.workfloor_id is None:
        # At a client's site: also whoever is detached there today, whatever their group.
        known = {p.id for p in people}
        people += [p for p in Employee.select(*columns).join(EmployeePin).switch(Employee)
                   .join(DetachmentMember).join(Detachment)
                   .where(employed & (Detachment.location == device.location_id)
                          & running_between(day, day)).distinct()
                   if p.id not in known]
    people.sort(key=lambda p: (p.first_name, p.last_name, p.id))
    if not people:
        return []
    scheduled = working_calendar.schedules_on([p.id for p in people], day)
    return [p for p in people if p.id in scheduled]


def check_pin(device: Device, employee_id: int, pin: str, settings: Settings,
              now=None) -> tuple[Employee | None, str | None]:
    """The employee when the PIN is right; else None and why (never says whose PIN is what).

    Every attempt takes its place in the employee's and the device's count before the PIN is
    looked at, each counted and decided in one statement: eight parallel wrong PINs over four
    workers were all checked where five is the limit, because each had checked the count
    before any had added to it. A right PIN clears the employee's count and gives the
    device's place back.
    """
    now = now or utcnow()
    window = timedelta(minutes=settings.pin_window_minutes)
    person_key, device_key = f"kiosk-pin-employee:{employee_id}", f"kiosk-pin-device:{device.id}"
    tries = throttle.count_attempt(person_key, window, now)
    device_tries = throttle.count_attempt(device_key, window, now)
    if tries > settings.pin_employee_failures or device_tries > settings.pin_device_failures:
        return None, "pin_locked"
    if employee_id not in {p.id for p in expected_people(device, local_day(now))}:
        # Not a guess at anyone's PIN: it costs no attempt.
        throttle.release(person_key)
        throttle.release(device_key)
        return None, "not_expected"
    stored = EmployeePin.get_or_none(EmployeePin.employee == employee_id)
    if stored is None or not check_password_hash(stored.pin_hash, pin):
        return None, "wrong_pin"
    throttle.forget(person_key)
    throttle.release(device_key)
    return Employee.get_by_id(employee_id), None
