"""Employee rules: the weekly schedule and its history, photos, the list, and saving."""

import io
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import peewee
from PIL import Image, ImageOps, UnidentifiedImageError

from portal import audit
from portal.auth.access import sees_all_groups
from portal.db import write_transaction
from portal.people.models import (Employee, EmployeePhoto, GroupMove, Municipality, Schedule,
                                  ScheduleDay, WorkGroup)
from portal.timeutil import today, utcnow

WEEKDAYS = range(7)

# A scheduled week this far from the contract hours is worth a warning (but allowed).
HOURS_WARNING_GAP = Decimal("2")

PHOTO_LONG_SIDE = 600
PHOTO_QUALITY = 85
# Formats a phone or camera gives; Pillow's other readers (EPS, PSD, ...) are not needed here.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# Far more pixels than any portrait needs; refusing early keeps a crafted file from eating memory.
PHOTO_MAX_PIXELS = 40_000_000

# Fields whose before/after values the log book keeps on an update.
LOGGED_FIELDS = ("employee_number", "first_name", "last_name", "employment", "contract_hours",
                 "municipality_id", "work_group_id", "start_date", "end_date")


@dataclass(frozen=True)
class WorkDay:
    """One working day of a week: times and the unpaid break in minutes."""

    starts_at: time
    ends_at: time
    break_minutes: int = 0

    @property
    def minutes(self) -> int:
        """Worked minutes: the span minus the break."""
        return _span_minutes(self.starts_at, self.ends_at) - self.break_minutes


# A week maps a weekday (0 = Monday) to its WorkDay; days that are not in it are free.
Week = dict[int, WorkDay]


def _span_minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def day_problem(starts_at: time | None, ends_at: time | None, break_minutes: int | None):
    """Return the code of what is wrong with one day's entry, or None when it is fine.

    Codes: 'end_missing', 'start_missing', 'end_not_after_start', 'break_negative',
    'break_too_long', 'break_without_times'. Empty times mean a free day.
    """
    if starts_at is None and ends_at is None:
        return "break_without_times" if break_minutes else None
    if ends_at is None:
        return "end_missing"
    if starts_at is None:
        return "start_missing"
    span = _span_minutes(starts_at, ends_at)
    if span <= 0:
        return "end_not_after_start"
    if break_minutes is not None and break_minutes < 0:
        return "break_negative"
    if break_minutes is not None and break_minutes >= span:
        return "break_too_long"
    return None


def weekly_minutes(week: Week) -> int:
    """Worked minutes of a week."""
    return sum(day.minutes for day in week.values())


def weekly_hours(week: Week) -> Decimal:
    """Worked hours of a week, to two decimals."""
    return (Decimal(weekly_minutes(week)) / 60).quantize(Decimal("0.01"))


def hours_differ(scheduled: Decimal, contract: Decimal | None) -> bool:
    """Tell whether the scheduled week is far enough from the contract hours to warn."""
    if contract is None:
        return False
    return abs(scheduled - contract) > HOURS_WARNING_GAP


def schedule_in_force(employee_id: int, on: date) -> Schedule | None:
    """The schedule that applies on a day: the latest one valid from that day or earlier."""
    return (Schedule.select().where((Schedule.employee == employee_id)
                                    & (Schedule.valid_from <= on))
            .order_by(Schedule.valid_from.desc()).first())


def week_of(schedule: Schedule | None) -> Week:
    """The days of a stored schedule as a Week (empty when there is none)."""
    if schedule is None:
        return {}
    return {day.weekday: WorkDay(day.starts_at, day.ends_at, day.break_minutes)
            for day in schedule.days}


def _normalised(week: Week) -> Week:
    # Stored times come back without seconds either way; compare like with like.
    return {weekday: WorkDay(day.starts_at.replace(second=0, microsecond=0),
                             day.ends_at.replace(second=0, microsecond=0), day.break_minutes)
            for weekday, day in week.items()}


def _write_schedule(employee: Employee, week: Week, valid_from: date) -> Schedule:
    """Store a week as the schedule valid from a date, replacing one from that same date."""
    schedule = Schedule.get_or_none((Schedule.employee == employee.id)
                                    & (Schedule.valid_from == valid_from))
    if schedule is None:
        schedule = Schedule.create(employee=employee, valid_from=valid_from)
    else:
        ScheduleDay.delete().where(ScheduleDay.schedule == schedule.id).execute()
    for weekday, day in sorted(week.items()):
        ScheduleDay.create(schedule=schedule, weekday=weekday, starts_at=day.starts_at,
                           ends_at=day.ends_at, break_minutes=day.break_minutes)
    return schedule


def change_schedule(employee: Employee, week: Week, valid_from: date, *, actor=None):
    """Store a new version of the schedule from `valid_from`, unless nothing changes that day.

    Earlier versions stay, so "expected on day X" keeps its answer for past days.
    Returns the new Schedule, or None when the week equals the one in force on `valid_from`.
    """
    with write_transaction():
        current = _normalised(week_of(schedule_in_force(employee.id, valid_from)))
        if current == _normalised(week):
            return None
        schedule = _write_schedule(employee, week, valid_from)
        audit.record("employee.schedule", employee, user=actor,
                     before=_week_log(current), after=_week_log(week) | {"valid_from": valid_from})
    return schedule


def _week_log(week: Week) -> dict:
    return {str(weekday): f"{day.starts_at:%H:%M}-{day.ends_at:%H:%M}/{day.break_minutes}"
            for weekday, day in sorted(week.items())}


def schedule_history(employee: Employee) -> list[tuple[Schedule, Decimal]]:
    """Every version of an employee's schedule, newest first, with its weekly hours."""
    schedules = (Schedule.select().where(Schedule.employee == employee.id)
                 .order_by(Schedule.valid_from.desc()))
    return [(schedule, weekly_hours(week_of(schedule)))
            for schedule in peewee.prefetch(schedules, ScheduleDay.select())]


class PhotoRefused(ValueError):
    """An upload that is not a usable photo; `reason` is 'too_large' or 'not_image'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_limited(stream, max_bytes: int) -> bytes:
    """Read an upload, refusing it as soon as it is larger than max_bytes."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PhotoRefused("too_large")
    return data


def prepare_photo(data: bytes) -> bytes:
    """Check that the bytes are a real image and re-encode them as a JPEG of at most 600 px.

    Re-encoding drops every piece of metadata (EXIF, GPS position, comments) and anything
    hidden in the original file. :raise PhotoRefused: when it is not an image we can read.
    """
    if not data:
        raise PhotoRefused("not_image")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as probe:
                if probe.width * probe.height > PHOTO_MAX_PIXELS:
                    raise PhotoRefused("too_large")
                probe.verify()
            # verify() leaves the image unusable: open it again to decode it.
            with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = _flatten(image)
                image.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
                out = io.BytesIO()
                image.save(out, "JPEG", quality=PHOTO_QUALITY, optimize=True)
        except PhotoRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoRefused("too_large") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise PhotoRefused("not_image") from None
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB image; transparent parts become white (JPEG has no transparency)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _store_photo(employee: Employee, jpeg: bytes) -> None:
    updated = (EmployeePhoto.update(data=jpeg, content_type="image/jpeg", updated_at=utcnow())
               .where(EmployeePhoto.employee == employee.id).execute())
    if not updated:
        EmployeePhoto.create(employee=employee, data=jpeg, content_type="image/jpeg")
    employee.has_photo = True
    employee.save(only=[Employee.has_photo])


def set_photo(employee: Employee, jpeg: bytes, *, actor=None) -> None:
    """Store a prepared photo (replacing any earlier one) and log the change."""
    with write_transaction():
        _store_photo(employee, jpeg)
        audit.record("employee.photo", employee, user=actor, after={"photo": "set"})


def remove_photo(employee: Employee, *, actor=None) -> None:
    """Delete an employee's photo and log it."""
    with write_transaction():
        EmployeePhoto.delete().where(EmployeePhoto.employee == employee.id).execute()
        employee.has_photo = False
        employee.save(only=[Employee.has_photo])
        audit.record("employee.photo", employee, user=actor, after={"photo": "removed"})


def _log_values(employee: Employee) -> dict:
    return {name: getattr(employee, name) for name in LOGGED_FIELDS}


def create_employee(values: dict, week: Week, *, photo: bytes | None = None,
                    actor=None) -> Employee:
    """Create an employee with a first schedule from the start date, and an optional photo.

    :raise peewee.IntegrityError: when the employee number was taken in the meantime.
    """
    with write_transaction():
        employee = Employee.create(**values)
        audit.record("employee.create", employee, user=actor, after=_log_values(employee))
        if week:
            _write_schedule(employee, week, employee.start_date)
        if photo is not None:
            _store_photo(employee, photo)
            audit.record("employee.photo", employee, user=actor, after={"photo": "set"})
    return employee


def update_employee(employee: Employee, values: dict, *, actor=None) -> dict:
    """Change an employee's details; log and return the fields that changed (name -> new).

    :raise peewee.IntegrityError: when the employee number was taken in the meantime.
    """
    before = _log_values(employee)
    for name, value in values.items():
        setattr(employee, name, value)
    after = _log_values(employee)
    changed = {name: after[name] for name in LOGGED_FIELDS if before[name] != after[name]}
    if changed:
        with write_transaction():
            employee.save()
            if "work_group_id" in changed:
                # The figures count each past day in the group it was worked in.
                GroupMove.create(employee=employee, moved_on=today(),
                                 from_group=before["work_group_id"])
            audit.record("employee.update", employee, user=actor,
                         before={name: before[name] for name in changed}, after=changed)
    return changed


def save_changes(employee: Employee, values: dict, week: Week, valid_from: date, *,
                 photo: bytes | None = None, drop_photo: bool = False, actor=None) -> None:
    """Save an edit as one whole: details, a new schedule version if it changed, the photo.

    :raise peewee.IntegrityError: when the employee number was taken in the meantime.
    """
    with write_transaction():
        update_employee(employee, values, actor=actor)
        change_schedule(employee, week, valid_from, actor=actor)
        if photo is not None:
            set_photo(employee, photo, actor=actor)
        elif drop_photo and employee.has_photo:
            remove_photo(employee, actor=actor)


def set_active(employee: Employee, active: bool, *, actor=None) -> None:
    """Deactivate or reactivate an employee; history keeps pointing at the row."""
    if employee.is_active == active:
        return
    with write_transaction():
        employee.is_active = active
        employee.save(only=[Employee.is_active])
        audit.record("employee.activate" if active else "employee.deactivate", employee,
                     user=actor)


def employee_number_taken(number: str, except_id: int | None = None) -> bool:
    """Tell whether another employee has this number (numbers are kept in capitals)."""
    query = Employee.select().where(Employee.employee_number == number.upper())
    if except_id is not None:
        query = query.where(Employee.id != except_id)
    return query.exists()


def visible_employees(user, query):
    """Narrow an Employee query (joined with WorkGroup) to the employees a user may see."""
    if sees_all_groups(user):
        return query
    return query.where(WorkGroup.supervisor == user.id)


@dataclass
class ListFilters:
    """The list's filters, already checked: ints are ids, None means no filter."""

    text: str = ""
    group: int | None = None
    municipality: int | None = None
    employment: str | None = None
    status: str = "active"  # active, inactive, all


STATUSES = ("active", "inactive", "all")


def parse_filters(args, employment_codes) -> ListFilters:
    """Read the list's filters from query arguments, ignoring values that make no sense."""

    def _id(name):
        value = args.get(name, "")
        return int(value) if value.isdigit() and len(value) < 10 else None

    employment = args.get("employment") or None
    status = args.get("status") or "active"
    return ListFilters(
        text=args.get("q", ""),
        group=_id("group"),
        municipality=_id("municipality"),
        employment=employment if employment in employment_codes else None,
        status=status if status in STATUSES else "active",
    )


def employee_list_query(user, filters: ListFilters):
    """The employees a user may see, matching the filters, with group, municipality and the
    photo's version in the same rows: one query for any page size (the photo bytes stay out)."""
    from portal.listing import search_filter

    query = (Employee.select(Employee, Municipality, WorkGroup, EmployeePhoto.updated_at)
             .join(Municipality, on=(Employee.municipality == Municipality.id))
             .switch(Employee)
             .join(WorkGroup, peewee.JOIN.LEFT_OUTER, on=(Employee.work_group == WorkGroup.id))
             .switch(Employee)
             .join(EmployeePhoto, peewee.JOIN.LEFT_OUTER,
                   on=(EmployeePhoto.employee == Employee.id), attr="photo"))
    query = visible_employees(user, query)
    query = search_filter(query, filters.text, Employee.first_name, Employee.last_name,
                          Employee.employee_number)
    if filters.group is not None:
        query = query.where(Employee.work_group == filters.group)
    if filters.municipality is not None:
        query = query.where(Employee.municipality == filters.municipality)
    if filters.employment:
        query = query.where(Employee.employment == filters.employment)
    if filters.status != "all":
        query = query.where(Employee.is_active == (filters.status == "active"))
    return query.order_by(Employee.last_name, Employee.first_name, Employee.id)


def photo_version(moment: datetime | None) -> str:
    """A short token that changes whenever the photo does, for cache-busting photo URLs."""
    if isinstance(moment, datetime):
        return moment.strftime("%Y%m%d%H%M%S%f")
    return "0"


def group_choices_for(user) -> list[WorkGroup]:
    """The groups a user may filter on: all for admins, planners and hr; a supervisor's own."""
    query = WorkGroup.select(WorkGroup.id, WorkGroup.name, WorkGroup.is_active)
    if not sees_all_groups(user):
        query = query.where(WorkGroup.supervisor == user.id)
    return list(query.order_by(WorkGroup.name))


def initials(employee: Employee) -> str:
    """First letters of the first and the last name, for a list without a photo."""
    parts = [employee.first_name, employee.last_name.split()[-1] if employee.last_name else ""]
    return "".join(part[:1].upper() for part in parts if part)

