"""The admin's tablets and badges: enrol and revoke devices, issue, print and revoke badges."""

import peewee
from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import roles_required
from portal.auth.models import ADMIN
from portal.devices.forms import DeviceForm
from portal.devices.qr import qr_svg
from portal.kiosk import badges as kiosk_badges, devices as kiosk_devices, pins as kiosk_pins
from portal.kiosk.models import Badge, Device, EmployeePin
from portal.db import write_transaction
from portal.listing import paginate, search_filter
from portal.people.models import Employee, Location, Workfloor, WorkGroup
from portal.timeutil import utcnow
from portal.views import render_form_errors, respond

bp = Blueprint("devices", __name__, url_prefix="/devices")

# A sheet is printed in one go; more than this is a mistake or a very slow printer.
MAX_SHEET = 200


def _devices():
    return (Device.select(Device, Location, Workfloor)
            .join(Location).switch(Device).join(Workfloor, peewee.JOIN.LEFT_OUTER)
            .order_by(Device.revoked_at.is_null(False), Location.name, Device.name))


@bp.get("/")
@roles_required(ADMIN)
def list_devices():
    """List the kiosk tablets with their place, last contact and state."""
    return render_template("devices/devices.html", devices=list(_devices()), form=DeviceForm())


@bp.post("/")
@roles_required(ADMIN)
def create_device():
    """Register a tablet for a workfloor or a client's location."""
    form = DeviceForm()
    if form.validate():
        workfloor, location = form.chosen_place()
        if location is None:
            form.place.errors.append(_("Choose a workfloor or a client location."))
        else:
            device = kiosk_devices.create_device(form.name.data, location=location,
                                                 workfloor=workfloor, created_by=current_user.id)
            flash(_("Tablet %(name)s registered. Make a code to enrol it.", name=device.name),
                  "success")
            return redirect(url_for("devices.list_devices"), 303)
    return render_form_errors("devices/devices.html", devices=list(_devices()), form=form)


def _get_device(device_id: int) -> Device:
    """:raise 404: when there is no such device."""
    return Device.get_or_none(Device.id == device_id) or abort(404)


@bp.post("/<int:device_id>/enrolment")
@roles_required(ADMIN)
def start_enrolment(device_id):
    """Show a fresh one-time enrolment code for a tablet, as text and as a QR code.

    Answered directly, not by redirect: the code exists only in this response.
    """
    device = _get_device(device_id)
    if device.revoked_at is not None:
        flash(_("This tablet was revoked. Register a new one."), "error")
        return redirect(url_for("devices.list_devices"), 303)
    minutes = current_app.config["KIOSK_ENROLMENT_MINUTES"]
    row, code = kiosk_devices.start_enrolment(device, by=current_user.id, minutes=minutes)
    link = url_for("kiosk.enrol_form", code=code, _external=True)
    response = current_app.make_response(render_template(
        "devices/enrolment.html", device=device, code=code, link=link, expires_at=row.expires_at,
        minutes=minutes, qr=qr_svg(link, _("Enrolment code as QR code"))))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:device_id>/revoke")
@roles_required(ADMIN)
def revoke_device(device_id):
    """Revoke a tablet: from now on it can check nobody in or out."""
    device = _get_device(device_id)
    kiosk_devices.revoke_device(device, by=current_user.id)
    flash(_("Tablet %(name)s revoked.", name=device.name), "success")
    return redirect(url_for("devices.list_devices"), 303)


# -- badges -----------------------------------------------------------------------------------

def _badge_rows(args):
    """Active employees with their group and the date of their active badge, if any."""
    active = (Badge.select(Badge.employee, peewee.fn.MAX(Badge.issued_at).alias("issued_at"))
              .where(Badge.revoked_at.is_null()).group_by(Badge.employee).alias("active_badge"))
    query = (Employee.select(Employee, WorkGroup, active.c.issued_at.alias("badge_issued_at"),
                             peewee.fn.COALESCE(EmployeePin.id, 0).alias("pin_id"))
             .join(WorkGroup, peewee.JOIN.LEFT_OUTER).switch(Employee)
             .join(active, peewee.JOIN.LEFT_OUTER, on=(active.c.employee_id == Employee.id))
             .switch(Employee)
             .join(EmployeePin, peewee.JOIN.LEFT_OUTER, on=(EmployeePin.employee == Employee.id))
             .where(Employee.is_active)
             .order_by(Employee.first_name, Employee.last_name))
    group_id = args.get("group", "")
    if group_id.isdigit():
        query = query.where(Employee.work_group == int(group_id))
    return search_filter(query, args.get("q"), Employee.first_name, Employee.last_name,
                         Employee.employee_number)


@bp.get("/badges")
@roles_required(ADMIN)
def list_badges():
    """List employees with their badge state; choose some, or a group, to print new badges."""
    page = paginate(_badge_rows(request.args), request.args, current_app.config["PAGE_SIZE"])
    groups = WorkGroup.select().where(WorkGroup.is_active).order_by(WorkGroup.name)
    return respond("devices/badges.html", "devices/_partials/badge_rows.html", page=page,
                   groups=list(groups))


@bp.post("/badges/print")
@roles_required(ADMIN)
def print_badges():
    """Issue new badges for the chosen employees (or a whole group) and show them to print.

    A badge's token exists only at issue, so printing always issues: old cards stop at once.
    """
    ids = [int(v) for v in request.form.getlist("employee") if v.isdigit()]
    group_id = request.form.get("group", "")
    query = Employee.select().where(Employee.is_active)
    if group_id.isdigit():
        query = query.where(Employee.work_group == int(group_id))
    elif ids:
        query = query.where(Employee.id.in_(ids[:MAX_SHEET + 1]))
    else:
        flash(_("Choose the employees or the group to print badges for."), "error")
        return redirect(url_for("devices.list_badges"), 303)
    people = list(query.order_by(Employee.first_name, Employee.last_name).limit(MAX_SHEET + 1))
    if len(people) > MAX_SHEET:
        flash(_("At most %(count)d badges at once.", count=MAX_SHEET), "error")
        return redirect(url_for("devices.list_badges"), 303)
    if not people:
        flash(_("No active employees chosen."), "error")
        return redirect(url_for("devices.list_badges"), 303)
    with write_transaction():
        tokens = [kiosk_badges.issue_badge(person, issued_by=current_user.id)[1]
                  for person in people]
    cards = [{
        "first_name": person.first_name,
        "initials": (person.first_name[:1] + person.last_name[:1]).upper(),
        # The people area serves photos to staff; the admin printing here is staff.
        "photo": url_for("people.employee_photo", employee_id=person.id)
        if person.has_photo else None,
        "qr": qr_svg(token, _("Badge of %(name)s", name=person.first_name)),
    } for person, token in zip(people, tokens)]
    response = current_app.make_response(render_template(
        "devices/badge_sheet.html", cards=cards, issued_at=utcnow()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/badges/<int:employee_id>/revoke")
@roles_required(ADMIN)
def revoke_badge(employee_id):
    """Revoke an employee's badge at once (a lost card)."""
    person = Employee.get_or_none(Employee.id == employee_id) or abort(404)
    revoked = kiosk_badges.revoke_badges(person, by=current_user.id, reason="revoked by admin")
    if revoked:
        flash(_("The badge of %(name)s no longer works.", name=person.full_name), "success")
    else:
        flash(_("%(name)s has no active badge.", name=person.full_name), "error")
    return redirect(url_for("devices.list_badges"), 303)


@bp.post("/badges/<int:employee_id>/pin")
@roles_required(ADMIN)
def set_pin(employee_id):
    """Give an employee a new kiosk PIN and show it once, to hand over on paper."""
    person = Employee.get_or_none(Employee.id == employee_id) or abort(404)
    if not current_app.config["KIOSK_PIN_ENABLED"]:
        flash(_("The PIN for a forgotten badge is switched off."), "error")
        return redirect(url_for("devices.list_badges"), 303)
    pin = kiosk_pins.set_pin(person, by=current_user.id)
    response = current_app.make_response(render_template("devices/pin.html", person=person,
                                                         pin=pin))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/badges/<int:employee_id>/pin/clear")
@roles_required(ADMIN)
def clear_pin(employee_id):
    """Take an employee's kiosk PIN away."""
    person = Employee.get_or_none(Employee.id == employee_id) or abort(404)
    if kiosk_pins.clear_pin(person, by=current_user.id):
        flash(_("%(name)s no longer has a PIN.", name=person.full_name), "success")
    return redirect(url_for("devices.list_badges"), 303)
