"""Every model of the portal, in one list, for the schema checks and the test database."""

from portal.attendance.models import (Absence, AttendanceSegment, Correction, DaySignOff,
                                      PlannedLeave)
from portal.audit import AuditEntry
from portal.auth.models import User
from portal.detachments.models import (Detachment, DetachmentMember, HoursEntry, Rate, Statement,
                                       StatementDispute, StatementLink)
from portal.kiosk.models import Badge, Device, EmployeePin, EnrolmentCode, Scan
from portal.orders.models import Assignment, Order, OrderStatusChange, Production
from portal.people.models import (
    Client,
    Employee,
    EmployeePhoto,
    GroupMove,
    Location,
    Municipality,
    ProductGroup,
    Schedule,
    ScheduleDay,
    Workfloor,
    WorkGroup,
)
from portal.reports.models import (AbsenceDay, AbsenceSummaryDay, PlacesTarget, PresenceCount,
                                   PresenceDay)
from portal.throttle import AttemptCount, FailedAttempt
from portal.trajectories.models import MODELS as TRAJECTORY_MODELS

ALL_MODELS = [
    User,
    AuditEntry,
    FailedAttempt,
    AttemptCount,
    Municipality,
    Client,
    ProductGroup,
    Location,
    Workfloor,
    WorkGroup,
    Employee,
    EmployeePhoto,
    GroupMove,
    Schedule,
    ScheduleDay,
    AttendanceSegment,
    Absence,
    PlannedLeave,
    DaySignOff,
    Correction,
    Detachment,
    DetachmentMember,
    Rate,
    HoursEntry,
    Statement,
    StatementLink,
    StatementDispute,
    Badge,
    Device,
    EnrolmentCode,
    Scan,
    EmployeePin,
    Order,
    OrderStatusChange,
    Assignment,
    Production,
    *TRAJECTORY_MODELS,
    PlacesTarget,
    PresenceDay,
    PresenceCount,
    AbsenceSummaryDay,
    AbsenceDay,
]
