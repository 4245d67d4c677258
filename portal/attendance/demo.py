"""The demo's attendance: the past weeks and today so far."""

from dataclasses import dataclass
from datetime import date, timedelta

from peewee import chunked

from portal.attendance import rules as attendance_rules
from portal.attendance.models import (LEAVE_CODES, SICK, Absence, AttendanceSegment, Correction,
                                      DaySignOff, PlannedLeave)
from portal.demo_kit import BATCH, Demo, Person, at, section
from portal.people.models import Employee

HISTORY_DAYS = 21
SICK_START_CHANCE = 0.012  # per expected day: a new sick spell begins
LONG_TERM_SICK = 0.015  # share of people sick for the whole stretch shown
OTHER_ABSENCE = (("verlof", 5), ("dokter", 3), ("bijzonder_verlof", 3), ("scholing", 2),
                 ("ongeoorloofd", 2), ("onbetaald", 1))
OTHER_ABSENCE_CHANCE = 0.015
LATE_CHANCE = 0.04
LUNCH_CHECK_OUT_CHANCE = 0.1
FORGOTTEN_BADGE_CHANCE = 0.02
UNSIGNED_GROUP_SHARE = 0.3  # groups whose last working day is not signed off yet
SYSTEM_CLOSE_REASON = "No check-out by the end of the day"  # as kiosk close_open_days says


@dataclass
class Place:
    """Where a person checks in on a day, and with what."""

    location_id: int
    device_id: int | None
    unexpected: bool  # what the kiosk's expected_here would say of this tablet


@section(50)
def planned_leave(demo: Demo) -> None:
    """Leave planned ahead: some in the past weeks, more in the coming two; a few cancelled."""
    rng, rows = demo.rng, []
    for person in _attending(demo):
        if rng.random() > 0.08:
            continue
        code = rng.choices(LEAVE_CODES, (8, 2, 1))[0]
        first = demo.today + timedelta(days=rng.randint(-12, 14))
        length = rng.choice((0, 0, 2, 4, 4, 6, 11)) if code == "verlof" else 0
        last = first + timedelta(days=length)
        if not (person.employed_on(first) and person.employed_on(last)):
            continue
        cancelled = rng.random() < 0.08
        rows.append(dict(employee=person.id, starts_on=first, ends_on=last, code=code,
                         created_by=_supervisor_id(demo, person),
                         created_at=at(first - timedelta(days=rng.randint(7, 40)), 10),
                         cancelled_by=_supervisor_id(demo, person) if cancelled else None,
                         cancelled_at=at(first - timedelta(days=3), 11) if cancelled else None))
    for batch in chunked(rows, BATCH * 5):
        PlannedLeave.insert_many(batch).execute()
    for row in rows:
        if row["cancelled_at"] is None:
            days = demo.leave_days.setdefault(row["employee"], set())
            days.update(row["starts_on"] + timedelta(days=n)
                        for n in range((row["ends_on"] - row["starts_on"]).days + 1))


def _attending(demo: Demo) -> list[Person]:
    """People who register attendance: current employees in a work group (not office staff)."""
    return [p for p in demo.people if p.is_active and p.group_id is not None]


def _supervisor_id(demo: Demo, person: Person) -> int:
    return demo.group_supervisor[person.group_id]


@section(51)
def attendance(demo: Demo) -> None:
    """Segments and absences from each schedule: the past weeks signed off, today up to now."""
    places = _places(demo)
    unsigned = set(demo.rng.sample(sorted(demo.group_supervisor),
                                   round(len(demo.groups) * UNSIGNED_GROUP_SHARE)))
    last_day = _previous_working_day(demo.today)
    segments, absences = [], []
    for person in _attending(demo):
        person_days = _person_days(demo, person, places, unsigned, last_day)
        for day_segments, day_absences in person_days:
            segments += day_segments
            absences += day_absences
    for batch in chunked(segments, BATCH * 5):
        AttendanceSegment.insert_many(batch).execute()
    for batch in chunked(absences, BATCH * 5):
        Absence.insert_many(batch).execute()
    _corrections(demo, unsigned, last_day)
    _sign_offs(demo, unsigned, last_day)


def _previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5 or attendance_rules.public_holiday(day):
        day -= timedelta(days=1)
    return day


def _places(demo: Demo):
    """A function giving the Place of a person on a day: own site, or the client's if detached."""
    floor_of = {g.id: g.workfloor for g in demo.groups}
    by_floor = {d.workfloor_id: d.id for d in demo.devices.values() if d.workfloor_id}
    by_location = {d.location_id: d.id for d in demo.devices.values() if not d.workfloor_id}

    def place(person: Person, day: date) -> Place:
        detached = demo.detached_groups.get(person.group_id)
        if detached is not None and day >= detached[1]:
            location = detached[0]
            # The kiosk expects a group at its own workfloor's site, so it flags this one.
            return Place(location.id, by_location.get(location.id), True)
        floor = floor_of[person.group_id]
        device = by_floor.get(floor.id) or by_location.get(floor.location_id)
        return Place(floor.location_id, device, False)
    return place


def _history_start(demo: Demo, person: Person) -> date:
    """Three weeks back; a detached group's members from its start (their statements need it)."""
    first = demo.today - timedelta(days=HISTORY_DAYS)
    detached = demo.detached_groups.get(person.group_id)
    if detached is not None:
        first = min(first, detached[1])
    return max(first, person.start)


def _person_days(demo: Demo, person: Person, place, unsigned: set, last_day: date):
    """Each working day's (segments, absences) of one person, oldest first."""
    rng, day = demo.rng, _history_start(demo, person)
    sick_left = 10_000 if rng.random() < LONG_TERM_SICK else 0
    on_leave = demo.leave_days.get(person.id, set())
    supervisor = _supervisor_id(demo, person)
    while day <= demo.today:
        shift = person.shift_on(day)
        if shift is None or attendance_rules.public_holiday(day) or day in on_leave:
            day += timedelta(days=1)
            continue
        is_today = day == demo.today
        started = at(day, shift[0].hour, shift[0].minute) <= demo.now
        if sick_left == 0 and rng.random() < SICK_START_CHANCE:
            sick_left = rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 8, 12))
        if sick_left > 0:
            sick_left -= 1
            if not is_today or started:  # a sick call comes in before the shift starts
                yield [], [_absence(person, day, SICK, supervisor, shift)]
        elif rng.random() < OTHER_ABSENCE_CHANCE:
            code = rng.choices([c for c, _w in OTHER_ABSENCE], [w for _c, w in OTHER_ABSENCE])[0]
            if not is_today or started:
                yield [], [_absence(person, day, code, supervisor, shift)]
        elif day == last_day and person.group_id in unsigned and rng.random() < 0.01:
            yield [], []  # did not come, nobody registered why yet: the day view asks
        else:
            open_late = day == last_day and person.group_id in unsigned and rng.random() < 0.03
            yield _segments(demo, person, day, shift, place(person, day), supervisor,
                            forgot_check_out=open_late), []
        day += timedelta(days=1)


def _absence(person: Person, day: date, code: str, supervisor: int, shift) -> dict:
    # Whole days only, and no text: a sick report never says why (AVG).
    return dict(employee=person.id, day=day, code=code, hours=None, registered_by=supervisor,
                created_at=at(day, shift[0].hour, shift[0].minute) + timedelta(minutes=5))


def _segments(demo: Demo, person: Person, day: date, shift, place: Place, supervisor: int,
              forgot_check_out: bool = False) -> list[dict]:
    """A day's check-ins and outs around the shift, cut off at now when the day is today."""
    rng = demo.rng
    starts, ends = at(day, shift[0].hour, shift[0].minute), at(day, shift[1].hour, shift[1].minute)
    arrival = starts + timedelta(minutes=rng.randint(-15, 3))
    if rng.random() < LATE_CHANCE:
        late_by = rng.randint(attendance_rules.DEFAULT_GRACE_MINUTES + 2, 50)
        arrival = starts + timedelta(minutes=late_by)
    if day == demo.today and rng.random() < LATE_CHANCE / 2:
        arrival = max(arrival, demo.now + timedelta(minutes=rng.randint(5, 60)))  # not in yet
    departure = ends + timedelta(minutes=rng.randint(-3, 12))
    stretches = [(arrival, departure)]
    if shift[2] and rng.random() < LUNCH_CHECK_OUT_CHANCE:
        middle = arrival + (departure - arrival) / 2
        middle = middle.replace(second=0, microsecond=0)
        stretches = [(arrival, middle), (middle + timedelta(minutes=shift[2]), departure)]
    by_hand = place.device_id is None or rng.random() < FORGOTTEN_BADGE_CHANCE
    source = "supervisor" if by_hand else (
        "pin" if person.id in demo.pin_holders and rng.random() < 0.3 else "badge")
    rows = []
    for check_in, check_out in stretches:
        if check_in > demo.now:
            break
        row = _segment_row(person, day, check_in, check_out, source, place, supervisor)
        if check_out > demo.now:
            row.update(check_out=None, out_source=None, out_device_id=None)
        rows.append(row)
    if forgot_check_out and rows:
        rows[-1].update(check_out=ends, out_source="system", out_device_id=None,
                        closed_by_system=True, reason=SYSTEM_CLOSE_REASON)
    return rows


def _segment_row(person, day, check_in, check_out, source, place: Place, supervisor) -> dict:
    by_hand = source == "supervisor"
    device = None if by_hand else place.device_id
    return dict(employee=person.id, day=day, check_in=check_in, check_out=check_out,
                in_source=source, out_source=source, in_device_id=device, out_device_id=device,
                location=place.location_id, closed_by_system=False,
                unexpected_place=place.unexpected and not by_hand, clock_offset_flagged=False,
                created_by=supervisor if by_hand else None,
                reason=(BY_HAND_REASON if place.device_id is None else FORGOTTEN_BADGE_REASON)
                if by_hand else None,
                created_at=check_in)


# What a supervisor writes when registering by hand (user text, so Dutch).
BY_HAND_REASON = "Geen tablet op deze locatie; ploegleider registreert"
FORGOTTEN_BADGE_REASON = "Pas thuis vergeten"


# (what went wrong, the reason the supervisor gave): the history view's examples
CHECK_IN_FIXES = ("Pas werkte niet bij binnenkomst; was er op tijd",
                  "Tablet hing bij binnenkomst; begintijd volgens ploegleider")
CHECK_OUT_FIX = "Vergeten uit te checken; volgens ploegleider op tijd weg"
ABSENCE_FIX = "Afspraak bij de gemeente; bericht kwam later binnen"
AFTER_SIGN_OFF_FIX = "Na aftekenen: was op cursus, geen verlof"


def _corrections(demo: Demo, unsigned: set, last_day: date) -> None:
    """A few registrations corrected by a supervisor with a reason, through the rules."""
    rng = demo.rng
    supervisors = {g.id: g.supervisor for g in demo.groups}
    older = (AttendanceSegment.select(AttendanceSegment, Employee).join(Employee)
             .where((AttendanceSegment.day >= demo.today - timedelta(days=HISTORY_DAYS - 2))
                    & (AttendanceSegment.day < last_day)
                    & AttendanceSegment.check_out.is_null(False))
             .order_by(AttendanceSegment.id))
    candidates = list(older)
    rng.shuffle(candidates)
    # Days with a single stretch: a new time there cannot overlap another one.
    picked = [s for s in candidates[:40] if not _has_other_segments(s)][:4]
    for segment, reason in zip(picked, CHECK_IN_FIXES):
        user = supervisors[segment.employee.work_group_id]
        new = attendance_rules.correct_segment(
            segment, segment.check_in - timedelta(minutes=rng.randint(8, 25)),
            segment.check_out, reason, user)
        _date_correction(new.id, segment.day, 14)
    for segment in picked[len(CHECK_IN_FIXES):]:
        _close_by_system(segment)
        user = supervisors[segment.employee.work_group_id]
        real_end = segment.check_out + timedelta(minutes=rng.randint(-20, 10))
        new = attendance_rules.correct_segment(segment, segment.check_in, real_end,
                                               CHECK_OUT_FIX, user)
        _date_correction(new.id, segment.day + timedelta(days=1), 9)
    unauthorised = (Absence.select(Absence, Employee).join(Employee)
                    .where((Absence.code == "ongeoorloofd") & (Absence.day < last_day))
                    .order_by(Absence.id).first())
    if unauthorised is not None:
        user = supervisors[unauthorised.employee.work_group_id]
        new = attendance_rules.correct_absence(unauthorised, "bijzonder_verlof", None,
                                               ABSENCE_FIX, user)
        _date_correction(None, unauthorised.day + timedelta(days=1), 10, absence_id=new.id)


def _has_other_segments(segment) -> bool:
    return AttendanceSegment.select().where(
        (AttendanceSegment.employee == segment.employee_id)
        & (AttendanceSegment.day == segment.day) & (AttendanceSegment.id != segment.id)).exists()


def _close_by_system(segment) -> None:
    """Make a segment look as the kiosk's nightly rule leaves a forgotten check-out."""
    segment.out_source, segment.closed_by_system = "system", True
    segment.reason, segment.out_device_id = SYSTEM_CLOSE_REASON, None
    segment.save(only=[AttendanceSegment.out_source, AttendanceSegment.closed_by_system,
                       AttendanceSegment.reason, AttendanceSegment.out_device_id])


def _date_correction(segment_id, day: date, hour: int, absence_id=None) -> None:
    """Put a correction made now on the morning the supervisor would have made it."""
    moment = at(day, hour, 10)
    if segment_id is not None:
        AttendanceSegment.update(created_at=moment).where(
            AttendanceSegment.id == segment_id).execute()
        Correction.update(made_at=moment).where(Correction.new_segment == segment_id).execute()
    if absence_id is not None:
        Absence.update(created_at=moment).where(Absence.id == absence_id).execute()
        Correction.update(made_at=moment).where(Correction.new_absence == absence_id).execute()


def _sign_offs(demo: Demo, unsigned: set, last_day: date) -> None:
    """Every past working day signed off by the group's supervisor, but the last for some."""
    rng, rows = demo.rng, []
    for group in demo.groups:
        first = demo.today - timedelta(days=HISTORY_DAYS)
        detached = demo.detached_groups.get(group.id)
        if detached is not None:
            first = min(first, detached[1])
        day = first
        while day < demo.today:
            working = day.weekday() < 5 and not attendance_rules.public_holiday(day)
            if working and not (day == last_day and group.id in unsigned):
                rows.append(dict(work_group=group.id, day=day, signed_by=group.supervisor_id,
                                 signed_at=at(day, 16, rng.randint(15, 59))))
            day += timedelta(days=1)
    for batch in chunked(rows, BATCH * 5):
        DaySignOff.insert_many(batch).execute()
    _correct_after_sign_off(demo, last_day, unsigned)


def _correct_after_sign_off(demo: Demo, last_day: date, unsigned: set) -> None:
    """HR changes a signed-off day: logged as a correction after sign-off."""
    leave = (Absence.select(Absence, Employee).join(Employee)
             .where((Absence.code == "verlof") & (Absence.day < last_day)
                    & Absence.superseded_by.is_null())
             .order_by(Absence.id).first())
    if leave is not None:
        new = attendance_rules.correct_absence(leave, "scholing", None, AFTER_SIGN_OFF_FIX,
                                               demo.users["hr"])
        _date_correction(None, min(leave.day + timedelta(days=2), demo.today), 11,
                         absence_id=new.id)
