"""The supervisor's day: who is expected, in, late, absent or gone; absences, hand clocking,
corrections, sign-off and planned leave."""

from datetime import date, datetime, timedelta

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import timeutil
from portal.attendance import bp
from portal.attendance import day as day_board
from portal.attendance import labels, rules
from portal.attendance.forms import (AbsenceCorrectionForm, AbsenceForm, ClockForm, LeaveForm,
                                     SegmentCorrectionForm)
from portal.attendance.models import ABSENCE_CODES, Absence, AttendanceSegment, PlannedLeave
from portal.auth.access import (audience, can_change_group_day, can_plan_leave, can_sign_off,
                                can_view_group_day, limit_to_own_groups,
                                may_change_signed_day, roles_required, sees_absence_reasons,
                                sees_own_groups_only)
from portal.auth.models import ADMIN, HR, PLANNER, SUPERVISOR
from portal.people.models import Employee, WorkGroup
from portal.refusal import Refused
from portal.views import is_fragment_request, put_refusal, render_form_errors, respond

VIEWERS = (ADMIN, HR, PLANNER, SUPERVISOR)
CHANGERS = (ADMIN, HR, SUPERVISOR)
POLL_SECONDS = 30


# -- helpers -------------------------------------------------------------------------------------

def _parse_day(text: str) -> date:
    """:raise 404: for anything but an ISO date in a sane range."""
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        abort(404)
    if not 2000 <= parsed.year <= 2100:
        abort(404)
    return parsed


def _own_groups() -> list[WorkGroup]:
    """The groups whose days the user opens: a supervisor's own, everyone else's all."""
    query = WorkGroup.select().where(WorkGroup.is_active == True)  # noqa: E712
    query = limit_to_own_groups(current_user, query, WorkGroup.supervisor)
    return list(query.order_by(WorkGroup.name))


def _group(group_id: int, known: list | None = None) -> WorkGroup:
    """:raise 404: for a missing group, or one a supervisor does not lead."""
    group = next((g for g in known or [] if g.id == group_id), None)
    if group is None:
        group = WorkGroup.get_or_none(WorkGroup.id == group_id) or abort(404)
    if not can_view_group_day(current_user, group):
        abort(404)  # not 403: a forged id must not tell which groups exist
    return group


def _changeable_group(group_id: int) -> WorkGroup:
    """:raise 404: for a group the user may not change (a supervisor's forged id)."""
    group = _group(group_id)
    if not can_change_group_day(current_user, group):
        abort(404)
    return group


def _employee_in(group, employee_id) -> Employee | None:
    if employee_id is None:
        return None
    return Employee.get_or_none((Employee.id == employee_id) & (Employee.work_group == group.id))


def _day_url(group, day: date, **extra) -> str:
    return url_for("attendance.group_day", group_id=group.id, day=day.isoformat(), **extra)


def _show_refusal(form, refused: Refused) -> None:
    """put_refusal; a refusal about the day also stands beside the date atop the panel."""
    if refused.field == "day":
        # The day is in the address, not a field of the form.
        form.day_errors = [str(refused.message)]
        form.form_errors.append(str(refused.message))
    else:
        put_refusal(form, refused)


def _now_clock(day: date, shift, leaving: bool) -> str:
    """The time a hand check-in or -out form suggests: now today, the shift's edge on a past day."""
    if day == timeutil.today():
        return timeutil.to_local(timeutil.utcnow()).strftime("%H:%M")
    if shift is not None:
        return (shift.ends_at if leaving else shift.starts_at).strftime("%H:%M")
    return ""


# -- the day ---------------------------------------------------------------------------------------

@bp.get("/")
@roles_required(*VIEWERS)
def index():
    """Open today's day of the user's group, or let him pick one."""
    groups = _own_groups()
    today = timeutil.today()
    if sees_own_groups_only(current_user) and len(groups) == 1:
        return redirect(_day_url(groups[0], today))
    return render_template("attendance/index.html", groups=groups, today=today)


def _board_context(group, day: date, groups: list) -> dict:
    board = day_board.build(group, day)
    sees_reasons = sees_absence_reasons(current_user, group)
    locked = bool(board.sign_off) and not may_change_signed_day(current_user)
    return dict(
        board=board, group=group, day=day, groups=groups, today=timeutil.today(),
        sees_reasons=sees_reasons,
        can_change=can_change_group_day(current_user, group) and not locked,
        can_sign_off=can_sign_off(current_user, group),
        looks=labels.state_looks(), sections=labels.sections(),
        absence_label=_absence_label(group),
        version=board.version(sees_reasons, audience(current_user)),
        poll=day == timeutil.today(), poll_seconds=POLL_SECONDS,
    )


def _absence_label(group):
    return lambda code: labels.absence_label(current_user, group, code)


@bp.get("/groups/<int:group_id>/<day>")
@roles_required(*VIEWERS)
def group_day(group_id, day):
    """The day view of one group: expected, in, late, absent, left; history and sign-off."""
    day = _parse_day(day)
    groups = _own_groups() if sees_own_groups_only(current_user) else []
    group = _group(group_id, groups)
    return render_template("attendance/day.html", **_board_context(group, day, groups),
                           prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1))


@bp.get("/groups/<int:group_id>/<day>/list")
@roles_required(*VIEWERS)
def day_list(group_id, day):
    """The polled list region: 204 (or 304) when nothing visible changed since `v`."""
    day = _parse_day(day)
    group = _group(group_id)
    context = _board_context(group, day, [])
    version = context["version"]
    etag = f'"{version}"'
    if request.args.get("v") == version:
        response = make_response("", 204)
    elif request.headers.get("If-None-Match") == etag:
        response = make_response("", 304)
    else:
        response = make_response(render_template("attendance/_partials/day_list.html", **context))
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-store"
    return response


# -- absence ---------------------------------------------------------------------------------------

def _panel(kind: str, status: int = 200, **context):
    """A dialog over the day view for htmx, or a page of its own without JavaScript."""
    context.update(kind=kind, codes=ABSENCE_CODES, code_label=labels.code_label)
    if status != 200:
        return render_form_errors("attendance/panel_page.html", as_page=True, **context)
    return respond("attendance/panel_page.html", "attendance/_partials/panel.html",
                   as_page=not is_fragment_request(), **context)


def _employee_or_404(group, employee_id: int) -> Employee:
    return _employee_in(group, employee_id) or abort(404)


@bp.get("/groups/<int:group_id>/<day>/employees/<int:employee_id>/absence")
@roles_required(*CHANGERS)
def absence_panel(group_id, day, employee_id):
    """The codes as big buttons, for one employee."""
    day = _parse_day(day)
    group = _changeable_group(group_id)
    employee = _employee_or_404(group, employee_id)
    form = AbsenceForm(data={"employee_id": employee.id})
    return _panel("absence", group=group, day=day, employee=employee, form=form,
                  needs_reason=bool(rules.signed_off(group.id, day)))


@bp.post("/groups/<int:group_id>/<day>/absences")
@roles_required(*CHANGERS)
def register_absence(group_id, day):
    """Register an absence with a code, for the whole day or some hours."""
    day = _parse_day(day)
    group = _changeable_group(group_id)
    form = AbsenceForm()
    employee = None
    if form.validate():
        employee = _employee_in(group, form.employee_id.data)
        if employee is None:
            form.employee_id.errors.append(_("This employee is not in this group."))
        else:
            try:
                rules.register_absence(employee, day, form.code.data, form.hours.hours,
                                       current_user, reason=form.reason.data)
            except Refused as error:
                _show_refusal(form, error)
            else:
                flash(_("Absence of %(name)s registered.", name=employee.full_name), "success")
                return redirect(_day_url(group, day), 303)
    elif form.employee_id.data is not None:
        employee = _employee_in(group, form.employee_id.data)
    return _panel("absence", 422, group=group, day=day, employee=employee, form=form,
                  needs_reason=bool(rules.signed_off(group.id, day)))


# -- clocking by hand ------------------------------------------------------------------------------

@bp.get("/groups/<int:group_id>/<day>/employees/<int:employee_id>/clock")
@roles_required(*CHANGERS)
def clock_panel(group_id, day, employee_id):
    """Check someone in or out by hand: a time and a reason."""
    day = _parse_day(day)
    group = _changeable_group(group_id)
    employee = _employee_or_404(group, employee_id)
    leaving = rules.open_segment(employee) is not None
    schedules = rules.load_schedules([employee.id], until=day)
    shift = rules.shift_on(schedules.get(employee.id, []), day)
    form = ClockForm(data={"employee_id": employee.id, "at": _now_clock(day, shift, leaving)})
    return _panel("clock", group=group, day=day, employee=employee, form=form, leaving=leaving)


@bp.post("/groups/<int:group_id>/<day>/clock")
@roles_required(*CHANGERS)
def clock(group_id, day):
    """Check in (or out, when in) by hand, with a reason."""
    day = _parse_day(day)
    group = _changeable_group(group_id)
    form = ClockForm()
    employee = _employee_in(group, form.employee_id.data) if form.employee_id.data else None
    if form.validate():
        if employee is None:
            form.employee_id.errors.append(_("This employee is not in this group."))
        elif not form.given_reason:
            form.other_reason.errors.append(_("Give a reason."))
        else:
            try:
                segment = rules.clock_by_hand(employee, day, rules.local_moment(day, form.at.clock),
                                              form.given_reason, current_user)
            except Refused as error:
                _show_refusal(form, error)
            else:
                message = (_("%(name)s checked out.", name=employee.full_name) if segment.check_out
                           else _("%(name)s checked in.", name=employee.full_name))
                flash(message, "success")
                return redirect(_day_url(group, day), 303)
    leaving = employee is not None and rules.open_segment(employee) is not None
    return _panel("clock", 422, group=group, day=day, employee=employee, form=form,
                  leaving=leaving)


# -- corrections -----------------------------------------------------------------------------------

def _segment_of(group, day: date, segment_id: int) -> AttendanceSegment:
    """:raise 404: for a segment not of this group and day."""
    segment = (AttendanceSegment.select(AttendanceSegment, Employee).join(Employee)
               .where((AttendanceSegment.id == segment_id) & (AttendanceSegment.day == day)
                      & (Employee.work_group == group.id)).first())
    return segment or abort(404)


def _absence_of(group, day: date, absence_id: int) -> Absence:
    """:raise 404: for an absence not of this group and day."""
    absence = (Absence.select(Absence, Employee).join(Employee)
               .where((Absence.id == absence_id) & (Absence.day == day)
                      & (Employee.work_group == group.id)).first())
    return absence or abort(404)


def _clock_text(moment: datetime | None) -> str:
    return timeutil.to_local(moment).strftime("%H:%M") if moment else ""


@bp.get("/groups/<int:group_id>/<day>/segments/<int:segment_id>/correct")
@roles_required(*CHANGERS)
def segment_panel(group_id, day, segment_id):
    """Change a registered time (or withdraw it), with a reason."""
    day = _parse_day(day)
    group = _changeable_group(group_id)
    segment = _segment_of(group, day, segment_id)
    form = SegmentCorrectionForm(data={"check_in": _clock_text(segment.check_in),
                                       "check_out": _clock_text(segment.check_out)})
    return _panel("segment", group=group, day=day, employee=segment.employee, segment=segment,
                  form=form)


@bp.post("/groups/<int:group_id>/<day>/segments/<int:segment_id>/correct")
@roles_required(*CHANGERS)
def correct_segment(group_id, day, segment_id):
    """Store a time correction as a new fact; the earlier registration stays."""
    day = _parse_day(day)
    group = _changeable_group(group_id)
    segment = _segment_of(group, day, segment_id)
    form = SegmentCorrectionForm()
    withdraw = form.withdraw.data == "1"
    if form.validate():
        check_in = rules.local_moment(day, form.check_in.clock) if form.check_in.clock else None
        check_out = rules.local_moment(day, form.check_out.clock) if form.check_out.clock else None
        try:
            rules.correct_segment(segment, check_in, check_out, form.reason.data, current_user,
                                  withdraw=withdraw)
        except Refused as error:
            _show_refusal(form, error)
        else:
            flash(_("Correction of %(name)s saved.", name=segment.employee.full_name), "success")
            return redirect(_day_url(group, day, _anchor="history"), 303)
    return _panel("segment", 422, group=group, day=day, employee=segment.employee,
                  segment=segment, form=form)


@bp.get("/groups/<int:group_id>/<day>/absences/<int:absence_id>/correct")
@roles_required(*CHANGERS)
def absence_correction_panel(group_id, day, absence_id):
    """Change an absence's code or hours (or withdraw it), with a reason."""
    day = _parse_day(day)
    group = _changeable_group(group_id)
    absence = _absence_of(group, day, absence_id)
    hours = "" if absence.hours is None else f"{absence.hours.normalize():f}".replace(".", ",")
    form = AbsenceCorrectionForm(data={"code": absence.code, "hours": hours})
    return _panel("absence_correction", group=group, day=day, employee=absence.employee,
                  absence=absence, form=form)


@bp.post("/groups/<int:group_id>/<day>/absences/<int:absence_id>/correct")
@roles_required(*CHANGERS)
def correct_absence(group_id, day, absence_id):
    """Store an absence correction as a new fact; the earlier registration stays."""
    day = _parse_day(day)
    group = _changeable_group(group_id)
    absence = _absence_of(group, day, absence_id)
    form = AbsenceCorrectionForm()
    withdraw = form.withdraw.data == "1"
    if form.validate():
        try:
            rules.correct_absence(absence, form.code.data, form.hours.hours, form.reason.data,
                                  current_user, withdraw=withdraw)
        except Refused as error:
            _show_refusal(form, error)
        else:
            flash(_("Correction of %(name)s saved.", name=absence.employee.full_name), "success")
            return redirect(_day_url(group, day, _anchor="history"), 303)
    return _panel("absence_correction", 422, group=group, day=day, employee=absence.employee,
                  absence=absence, form=form)


# -- sign-off --------------------------------------------------------------------------------------

@bp.post("/groups/<int:group_id>/<day>/sign-off")
@roles_required(*CHANGERS)
def sign_off(group_id, day):
    """Sign the group's day off; later changes need hr or admin."""
    day = _parse_day(day)
    group = _changeable_group(group_id)
    try:
        rules.sign_off_day(group, day, current_user)
    except Refused as error:
        flash(str(error.message), "error")
        return redirect(_day_url(group, day), 303)
    flash(_("The day is signed off."), "success")
    return redirect(_day_url(group, day), 303)


# -- planned leave ---------------------------------------------------------------------------------

def _leave_employees() -> list[Employee]:
    """The employees whose leave the user registers: hr and admin all, a supervisor his groups'."""
    query = (Employee.select(Employee, WorkGroup).join(WorkGroup)
             .where(Employee.is_active == True)  # noqa: E712
             .order_by(Employee.first_name, Employee.last_name))
    return list(limit_to_own_groups(current_user, query, WorkGroup.supervisor))


def _leave_page(form, status=200):
    employees = _leave_employees()
    form.employee_id.choices = [(e.id, f"{e.full_name} ({e.work_group.name})") for e in employees]
    ids = [e.id for e in employees]
    upcoming = list(PlannedLeave.select(PlannedLeave, Employee).join(Employee)
                    .where(PlannedLeave.employee.in_(ids or [0])
                           & (PlannedLeave.ends_on >= timeutil.today())
                           & PlannedLeave.cancelled_at.is_null())
                    .order_by(PlannedLeave.starts_on, Employee.first_name))
    body = render_template("attendance/leave.html", form=form, upcoming=upcoming,
                           code_label=labels.code_label)
    return body, status


@bp.get("/leave")
@roles_required(ADMIN, HR, SUPERVISOR)
def leave():
    """Planned leave ahead of time: the form and what is planned."""
    return _leave_page(LeaveForm())


@bp.post("/leave")
@roles_required(ADMIN, HR, SUPERVISOR)
def plan_leave():
    """Register leave ahead of time for an employee of one's own groups."""
    form = LeaveForm()
    if form.validate():
        employee = (Employee.select(Employee, WorkGroup)
                    .join(WorkGroup, on=(Employee.work_group == WorkGroup.id))
                    .where(Employee.id == form.employee_id.data).first())
        if employee is None or not can_plan_leave(current_user, employee.work_group):
            form.employee_id.errors.append(_("Choose an employee of your own groups."))
        else:
            try:
                rules.plan_leave(employee, form.starts_on.data, form.ends_on.data, form.code.data,
                                 current_user)
            except Refused as error:
                _show_refusal(form, error)
            else:
                flash(_("Leave of %(name)s planned.", name=employee.full_name), "success")
                return redirect(url_for("attendance.leave"), 303)
    return _leave_page(form, 422)


@bp.post("/leave/<int:leave_id>/cancel")
@roles_required(ADMIN, HR, SUPERVISOR)
def cancel_leave(leave_id):
    """Cancel planned leave (it stays on record, marked cancelled)."""
    planned = (PlannedLeave.select(PlannedLeave, Employee).join(Employee)
               .where(PlannedLeave.id == leave_id).first()) or abort(404)
    group = WorkGroup.get_or_none(WorkGroup.id == planned.employee.work_group_id)
    if not can_plan_leave(current_user, group):
        abort(404)
    rules.cancel_leave(planned, current_user)
    flash(_("Leave cancelled."), "success")
    return redirect(url_for("attendance.leave"), 303)

