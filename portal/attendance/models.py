"""Presence as registered: segments of a day, never overwritten."""

import peewee

from portal.auth.models import User
from portal.db import BaseModel
from portal.people.models import Employee, Location, WorkGroup
from portal.timeutil import utcnow

# Where a stamp came from.
SOURCES = ("badge", "pin", "supervisor", "correction", "system")


class AttendanceSegment(BaseModel):
    """One stretch of presence: a check-in and, once known, its check-out.

    Times are naive UTC; `day` is the Amsterdam calendar day of the check-in. A correction
    never edits times: it adds a new segment and points the old one at it (`superseded_by`),
    so the day view can show both.
    """

    employee = peewee.ForeignKeyField(Employee, backref="segments")
    day = peewee.DateField()
    check_in = peewee.DateTimeField()
    check_out = peewee.DateTimeField(null=True)
    in_source = peewee.CharField(max_length=12)
    out_source = peewee.CharField(max_length=12, null=True)
    # Kiosk devices live in the kiosk area; ids here keep this model free of that dependency.
    in_device_id = peewee.IntegerField(null=True)
    out_device_id = peewee.IntegerField(null=True)
    location = peewee.ForeignKeyField(Location, null=True, backref="segments")
    closed_by_system = peewee.BooleanField(default=False)
    unexpected_place = peewee.BooleanField(default=False)
    clock_offset_flagged = peewee.BooleanField(default=False)
    created_by = peewee.ForeignKeyField(User, null=True, backref="segments_created")
    reason = peewee.TextField(null=True)
    superseded_by = peewee.ForeignKeyField("self", null=True, backref="supersedes")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "day"), False), (("day",), False))

    @property
    def is_open(self) -> bool:
        return self.check_out is None


# At most one open (and current) check-in per employee, enforced by the database itself.
AttendanceSegment.add_index(
    AttendanceSegment.index(AttendanceSegment.employee, unique=True, name="attendance_segment_one_open")
    .where(AttendanceSegment.check_out.is_null() & AttendanceSegment.superseded_by.is_null())
)


# Absence codes (DESIGN.md). "ziek" is health data under the AVG: no free text goes with it.
SICK = "ziek"
ABSENCE_CODES = ("ziek", "verlof", "dokter", "bijzonder_verlof", "scholing", "onbetaald",
                 "ongeoorloofd")
# Codes that can be planned ahead.
LEAVE_CODES = ("verlof", "scholing", "dokter")


class Absence(BaseModel):
    """Expected time not worked on one day, with a code; `hours` None means the whole day.

    Deliberately no text field: a sick report must never carry a cause or diagnosis.
    Corrected by a new row that the old one points at (`superseded_by`).
    """

    employee = peewee.ForeignKeyField(Employee, backref="absences")
    day = peewee.DateField()
    code = peewee.CharField(max_length=20)
    hours = peewee.DecimalField(max_digits=4, decimal_places=2, null=True)
    registered_by = peewee.ForeignKeyField(User, null=True, backref="absences_registered")
    created_at = peewee.DateTimeField(default=utcnow)
    superseded_by = peewee.ForeignKeyField("self", null=True, backref="supersedes")

    class Meta:
        indexes = ((("employee", "day"), False), (("day", "code"), False))


class PlannedLeave(BaseModel):
    """Leave known ahead of time, from one day to another (both included)."""

    employee = peewee.ForeignKeyField(Employee, backref="planned_leave")
    starts_on = peewee.DateField()
    ends_on = peewee.DateField()
    code = peewee.CharField(max_length=20)
    created_by = peewee.ForeignKeyField(User, null=True, backref="leave_created")
    created_at = peewee.DateTimeField(default=utcnow)
    cancelled_by = peewee.ForeignKeyField(User, null=True, backref="leave_cancelled")
    cancelled_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("employee", "starts_on", "ends_on"), False),)


class DaySignOff(BaseModel):
    """A supervisor's statement that a group's day is complete; later changes need hr or admin."""

    work_group = peewee.ForeignKeyField(WorkGroup, backref="sign_offs")
    day = peewee.DateField()
    signed_by = peewee.ForeignKeyField(User, backref="day_sign_offs")
    signed_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("work_group", "day"), True),)


class Correction(BaseModel):
    """Who changed a registration when, and why: the old row, the new row (None = withdrawn).

    A row with no old registration records something added to a day already signed off.
    """

    employee = peewee.ForeignKeyField(Employee, backref="corrections")
    day = peewee.DateField()
    old_segment = peewee.ForeignKeyField(AttendanceSegment, null=True, backref="corrected_by")
    new_segment = peewee.ForeignKeyField(AttendanceSegment, null=True, backref="correction_of")
    old_absence = peewee.ForeignKeyField(Absence, null=True, backref="corrected_by")
    new_absence = peewee.ForeignKeyField(Absence, null=True, backref="correction_of")
    # Empty for a correction a kiosk scan made (a queued scan for a day already signed off).
    made_by = peewee.ForeignKeyField(User, null=True, backref="corrections_made")
    made_at = peewee.DateTimeField(default=utcnow)
    reason = peewee.TextField()
    after_sign_off = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("employee", "day"), False), (("day",), False))
