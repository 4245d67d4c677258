"""Employees: the list, the form with schedule and photo, (de)activation and the photo itself."""

import peewee
from flask import (Response, abort, current_app, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import STAFF_ROLES, can_edit_employees, require_employee, roles_required
from portal.auth.models import ADMIN, HR
from portal.listing import paginate
from portal.people import bp
from portal.people import employee_rules as rules
from portal.people.employee_forms import (EditEmployeeForm, EmployeeForm, photo_limit_mb,
                                          weekday_labels)
from portal.people.labels import employment_labels
from portal.people.models import EMPLOYMENT_TYPES, Employee, EmployeePhoto, Municipality
from portal.timeutil import today
from portal.views import is_fragment_request, render_form_errors

EDITORS = (ADMIN, HR)
FORM_TEMPLATE = "people/employees_form.html"
# A photo changes rarely and its URL carries its version; the browser may keep it a day.
PHOTO_MAX_AGE = 24 * 3600


@bp.get("/employees")
@roles_required(*STAFF_ROLES)
def list_employees():
    """List the employees the user may see, searchable and filtered."""
    filters = rules.parse_filters(request.args, EMPLOYMENT_TYPES)
    query = rules.employee_list_query(current_user, filters)
    page = paginate(query, request.args, current_app.config["PAGE_SIZE"])
    context = {"page": page, "filters": filters, "can_edit": can_edit_employees(current_user),
               "photo_url": photo_url, "initials": rules.initials}
    if is_fragment_request():
        return render_template("people/_partials/employee_rows.html", **context)
    municipalities = list(Municipality.select(Municipality.id, Municipality.name)
                          .order_by(Municipality.name))
    return render_template("people/employees.html", groups=rules.group_choices_for(current_user),
                           municipalities=municipalities, employment_labels=employment_labels(),
                           employment_codes=EMPLOYMENT_TYPES, **context)


def _get_employee(employee_id: int) -> Employee:
    """:raise 404: when there is no such employee, or the user may not see him or her."""
    employee = Employee.get_or_none(Employee.id == employee_id) or abort(404)
    require_employee(current_user, employee)
    return employee


def _render_form(form, employee, status=200):
    """The form page; the schedule total and history come from the entered and stored data."""
    entered = form.entered_week()
    scheduled = rules.weekly_hours(entered)
    context = dict(
        form=form, employee=employee, weekday_labels=weekday_labels(), scheduled_hours=scheduled,
        # No warning against a contract figure that is itself wrong.
        hours_differ=not form.contract_hours.errors
        and rules.hours_differ(scheduled, form.contract_hours.data),
        history=rules.schedule_history(employee) if employee else [],
        hours_gap=rules.HOURS_WARNING_GAP,
        photo_max_mb=photo_limit_mb(),
        photo_version=rules.photo_version(_photo_updated_at(employee)),
    )
    if status == 422:
        return render_form_errors(FORM_TEMPLATE, **context)
    return render_template(FORM_TEMPLATE, **context), status


def _photo_updated_at(employee):
    if employee is None or not employee.has_photo:
        return None
    return (EmployeePhoto.select(EmployeePhoto.updated_at)
            .where(EmployeePhoto.employee == employee.id).scalar())


def _saved(target: str):
    """After a save: htmx gets a full navigation to the target, a plain form a 303 redirect."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


@bp.get("/employees/new")
@roles_required(*EDITORS)
def new_employee():
    """Show the form for a new employee."""
    form = EmployeeForm(formdata=None, data={"start_date": today(), "employment": "sw"})
    return _render_form(form, None)


@bp.post("/employees")
@roles_required(*EDITORS)
def create_employee():
    """Create an employee with schedule and optional photo."""
    form = EmployeeForm()
    if form.validate():
        try:
            employee = rules.create_employee(form.values(), form.week(),
                                             photo=form.prepared_photo, actor=current_user.id)
        except peewee.IntegrityError:
            # Another admin saved the same number between our check and our insert.
            form.employee_number.errors.append(_("Another employee already has number %(number)s.",
                                                 number=form.employee_number.data.upper()))
        else:
            flash(_("Employee %(name)s added.", name=employee.full_name), "success")
            return _saved(url_for("people.list_employees"))
    return _render_form(form, None, 422)


@bp.get("/employees/<int:employee_id>/edit")
@roles_required(*EDITORS)
def edit_employee(employee_id):
    """Show an employee's form, with the schedule in force today."""
    employee = _get_employee(employee_id)
    # Plain values, not the row: the selects hold ids, not Municipality and WorkGroup objects.
    values = {name: getattr(employee, name) for name in (
        "employee_number", "first_name", "last_name", "employment", "contract_hours",
        "start_date", "end_date")}
    form = EditEmployeeForm(formdata=None, employee=employee, data={
        **values, "municipality": employee.municipality_id, "work_group": employee.work_group_id,
        "schedule_valid_from": today()})
    form.fill_week(rules.week_of(rules.schedule_in_force(employee.id, today())))
    return _render_form(form, employee)


@bp.post("/employees/<int:employee_id>")
@roles_required(*EDITORS)
def update_employee(employee_id):
    """Save an employee's details, a new schedule version if it changed, and the photo."""
    employee = _get_employee(employee_id)
    form = EditEmployeeForm(employee=employee)
    if form.validate():
        try:
            rules.save_changes(employee, form.values(), form.week(), form.schedule_valid_from.data,
                               photo=form.prepared_photo, drop_photo=form.remove_photo.data,
                               actor=current_user.id)
        except peewee.IntegrityError:
            form.employee_number.errors.append(_("Another employee already has number %(number)s.",
                                                 number=form.employee_number.data.upper()))
        else:
            flash(_("Employee %(name)s saved.", name=employee.full_name), "success")
            return _saved(url_for("people.list_employees"))
    return _render_form(form, employee, 422)


@bp.post("/employees/check")
@bp.post("/employees/<int:employee_id>/check")
@roles_required(*EDITORS)
def validate_employee(employee_id=None):
    """Answer the form re-rendered with its messages, for checking fields while typing."""
    employee = _get_employee(employee_id) if employee_id is not None else None
    form = EditEmployeeForm(employee=employee) if employee else EmployeeForm()
    form.validate()
    return _render_form(form, employee)


@bp.post("/employees/<int:employee_id>/active")
@roles_required(*EDITORS)
def set_employee_active(employee_id):
    """Deactivate or reactivate an employee."""
    employee = _get_employee(employee_id)
    activate = request.form.get("active") == "1"
    rules.set_active(employee, activate, actor=current_user.id)
    flash(_("Employee %(name)s activated.", name=employee.full_name) if activate
          else _("Employee %(name)s deactivated.", name=employee.full_name), "success")
    return redirect(url_for("people.edit_employee", employee_id=employee.id), 303)


@bp.get("/employees/<int:employee_id>/photo")
@roles_required(*STAFF_ROLES)
def employee_photo(employee_id):
    """Serve an employee's photo, cacheable by this browser only (it is personal data)."""
    employee = _get_employee(employee_id)
    photo = EmployeePhoto.get_or_none(EmployeePhoto.employee == employee.id)
    if photo is None:
        abort(404)
    response = Response(bytes(photo.data), mimetype=photo.content_type)
    response.set_etag(f"{employee.id}-{rules.photo_version(photo.updated_at)}")
    response.last_modified = photo.updated_at
    response.cache_control.private = True
    response.cache_control.max_age = PHOTO_MAX_AGE
    return response.make_conditional(request)


def photo_url(employee: Employee) -> str:
    """The photo's URL with its version, so a changed photo is fetched again at once."""
    photo = getattr(employee, "photo", None)
    return url_for("people.employee_photo", employee_id=employee.id,
                   v=rules.photo_version(getattr(photo, "updated_at", None)))
