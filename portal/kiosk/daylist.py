"""The day's list a tablet keeps: who is expected at its place today, by a key of their badge.

With it a queued scan ("Opgeslagen") can say whose badge was read while the network is down.
The tablet never gets a badge token nor the stored hash of one: each person's key is a hash of
the stored hash under a salt made for this list, so the list is useless anywhere else and on
another day. Three queries for a floor (people, schedules, badges); a fourth at a client's site
for the people detached there.
"""

import hashlib
import secrets
from datetime import date

from portal.detachments.models import Detachment, DetachmentMember
from portal.detachments.members import running_between
from portal.kiosk.models import Badge, Device
from portal.people import working_calendar
from portal.people.models import Employee, Workfloor, WorkGroup

KEY_HEX_DIGITS = 24
SALT_BYTES = 12


def badge_key(salt: str, token_hash: str) -> str:
    """The list's key of a badge: what the tablet computes from the code it read."""
    return hashlib.sha256(f"{salt}:{token_hash}".encode()).hexdigest()[:KEY_HEX_DIGITS]


def expected_here(device: Device, day: date, columns=()) -> list[Employee]:
    """The active employees expected at the device's place on a day (scheduled, employed)."""
    if working_calendar.is_public_holiday(day):
        return []
    place = (WorkGroup.workfloor == device.workfloor_id) if device.workfloor_id \
        else (Workfloor.location == device.location_id)
    employed = Employee.is_active & working_calendar.employed_on(day)
    columns = (Employee.id, Employee.first_name, Employee.last_name, *columns)
    people = {p.id: p for p in Employee.select(*columns).join(WorkGroup).join(Workfloor)
              .where(place & employed)}
    if device.workfloor_id is None:
        # At a client's site: also whoever is detached there today, whatever their group.
        for p in (Employee.select(*columns).join(DetachmentMember).join(Detachment)
                  .where(employed & (Detachment.location == device.location_id)
                         & running_between(day, day)).distinct()):
            people.setdefault(p.id, p)
    if not people:
        return []
    scheduled = working_calendar.schedules_on(list(people), day)
    return sorted((p for p in people.values() if p.id in scheduled),
                  key=lambda p: (p.first_name, p.last_name, p.id))


def day_list(device: Device, day: date, initials) -> dict:
    """The list for the tablet: a fresh salt and, per active badge, its key and first name."""
    people = {p.id: p for p in expected_here(device, day)}
    salt = secrets.token_hex(SALT_BYTES)
    badges = (Badge.select(Badge.employee, Badge.token_hash)
              .where(Badge.employee.in_(list(people)) & Badge.revoked_at.is_null())
              .tuples()) if people else []
    entries = [{"badge": badge_key(salt, token_hash), "first_name": people[employee_id].first_name,
                "initials": initials(people[employee_id])}
               for employee_id, token_hash in badges]
    return {"salt": salt, "day": day.isoformat(), "people": entries}
