"""Who is expected where: the device's place; when is the working calendar's to say."""

from datetime import date

from portal.detachments.members import running_between
from portal.detachments.models import Detachment, DetachmentMember
from portal.kiosk.models import Device
from portal.kiosk.prepared import Prepared
from portal.people import working_calendar
from portal.people.models import Employee, Workfloor, WorkGroup

# The working calendar has one owner; the scan path uses its prepared form.
is_public_holiday = working_calendar.is_public_holiday
scheduled_day = working_calendar.scheduled_day


def expected_here(employee: Employee, device: Device, day: date, floor=None) -> bool:
    """Tell whether the employee is expected at the device's place on a day.

    Expected means scheduled that day, and either in a group whose workfloor is the device's
    workfloor (or, for a device at a location, whose workfloor is at that location), or, for a
    device at a location, detached that day to that location. `floor` is the employee's
    group's workfloor when the caller has it already.
    """
    here = _group_works_here(employee, device, floor) or (
        device.workfloor_id is None and _detached_to(employee.id, device.location_id, day))
    return here and working_calendar.scheduled_day(employee.id, day) is not None


def _group_works_here(employee: Employee, device: Device, floor=None) -> bool:
    if employee.work_group_id is None:
        return False
    if floor is None:
        floor = (Workfloor.select(Workfloor.id, Workfloor.location)
                 .join(WorkGroup).where(WorkGroup.id == employee.work_group_id).first())
    if floor is None:
        return False
    return (floor.id == device.workfloor_id if device.workfloor_id
            else floor.location_id == device.location_id)


def _detached_to(employee_id: int, location_id: int, day: date) -> bool:
    return _detachment_at.first(employee_id, location_id, day) is not None


_detachment_at = Prepared(
    [DetachmentMember.employee, Detachment.location, DetachmentMember.start_date],
    lambda employee, location, day: DetachmentMember.select(DetachmentMember.id).join(Detachment)
    .where((DetachmentMember.employee == employee) & (Detachment.location == location)
           & running_between(day, day)).limit(1))
