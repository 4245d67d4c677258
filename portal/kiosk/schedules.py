"""Who is expected where and when: schedules in force, public holidays, the device's place."""

from datetime import date

import holidays
import peewee

from portal.detachments.members import running_between
from portal.detachments.models import Detachment, DetachmentMember
from portal.kiosk.models import Device
from portal.kiosk.prepared import Prepared
from portal.people.models import Employee, Schedule, ScheduleDay, Workfloor, WorkGroup

_NL_HOLIDAYS: dict[int, holidays.HolidayBase] = {}


def is_public_holiday(day: date) -> bool:
    if day.year not in _NL_HOLIDAYS:
        _NL_HOLIDAYS[day.year] = holidays.NL(years=day.year)
    return day in _NL_HOLIDAYS[day.year]


def scheduled_day(employee_id: int, day: date) -> ScheduleDay | None:
    """The schedule day in force for an employee on a day, or None when not expected.

    One query: the latest schedule from before the day, with that weekday's row if it has one.
    """
    if is_public_holiday(day):
        return None
    row = _schedule_in_force.first(day.weekday(), employee_id, day)
    planned = getattr(row, "planned", None)
    return planned if planned is not None and planned.id is not None else None


_schedule_in_force = Prepared(
    [ScheduleDay.weekday, Schedule.employee, Schedule.valid_from],
    lambda weekday, employee, day: Schedule.select(Schedule.id, ScheduleDay)
    .join(ScheduleDay, peewee.JOIN.LEFT_OUTER,
          on=((ScheduleDay.schedule == Schedule.id) & (ScheduleDay.weekday == weekday)),
          attr="planned")
    .where((Schedule.employee == employee) & (Schedule.valid_from <= day))
    .order_by(Schedule.valid_from.desc()).limit(1))


def expected_here(employee: Employee, device: Device, day: date, floor=None) -> bool:
    """Tell whether the employee is expected at the device's place on a day.

    Expected means scheduled that day, and either in a group whose workfloor is the device's
    workfloor (or, for a device at a location, whose workfloor is at that location), or, for a
    device at a location, detached that day to that location. `floor` is the employee's
    group's workfloor when the caller has it already.
    """
    here = _group_works_here(employee, device, floor) or (
        device.workfloor_id is None and _detached_to(employee.id, device.location_id, day))
    return here and scheduled_day(employee.id, day) is not None


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
