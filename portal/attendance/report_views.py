"""Timesheets and absence figures of the attendance area, with their CSV and XLSX exports.

Its routes are on the attendance blueprint (portal/attendance/__init__.py).
"""

from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from portal import timeutil
from portal.attendance import bp, exports, labels, rules, timesheets
from portal.attendance.models import ABSENCE_CODES
from portal.auth.access import (require_employee, require_group, roles_required,
                                sees_absence_reasons, sees_absence_reasons_of,
                                sees_everyones_absence_reasons)
from portal.auth.models import ADMIN, HR, SUPERVISOR
from portal.people.models import Employee, WorkGroup
from portal.views import CSV, XLSX, download

FORMATS = "<any(csv, xlsx):fmt>"


def _period() -> tuple[str, date, date]:
    """The period asked for (?period=week|month&date=YYYY-MM-DD); bad values fall back to today."""
    kind = request.args.get("period")
    kind = kind if kind in timesheets.PERIODS else "week"
    try:
        anchor = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        anchor = timeutil.today()
    if not 2000 <= anchor.year <= 2100:
        anchor = timeutil.today()
    start, end = timesheets.period_bounds(kind, anchor)
    return kind, start, end


def _period_label(kind: str, start: date, end: date) -> str:
    if kind == "month":
        return format_date(start, "MMMM y")
    return _("week %(week)s, %(start)s – %(end)s", week=start.isocalendar()[1],
             start=format_date(start, "d MMM"), end=format_date(end, "d MMM y"))


def _download(heading, rows, fmt: str, filename: str, title: str, totals=()):
    if fmt == "csv":
        return download(exports.to_csv(heading, rows, totals), f"{filename}.csv", CSV)
    return download(exports.to_xlsx(heading, rows, title, totals), f"{filename}.xlsx", XLSX)


def _employee(employee_id: int) -> Employee:
    """:raise 404: for a missing employee, or one outside a supervisor's groups."""
    employee = Employee.get_or_none(Employee.id == employee_id) or abort(404)
    require_employee(current_user, employee)
    return employee


def _period_links(kind: str, start: date) -> dict:
    return {"prev": timesheets.shift_period(kind, start, -1).isoformat(),
            "next": timesheets.shift_period(kind, start, 1).isoformat()}


@bp.get("/timesheets/employees/<int:employee_id>")
@roles_required(ADMIN, HR, SUPERVISOR)
def employee_timesheet(employee_id):
    """One employee's week or month, day by day."""
    employee = _employee(employee_id)
    kind, start, end = _period()
    sheet = timesheets.build(Employee.select().where(Employee.id == employee.id), start, end)
    show = sees_absence_reasons_of(current_user, employee)
    return render_template("attendance/timesheet_employee.html", employee=employee,
                           sheet=sheet[0] if sheet else None, kind=kind, start=start, end=end,
                           label=_period_label(kind, start, end), links=_period_links(kind, start),
                           codes=ABSENCE_CODES, code_label=labels.code_label, hours=rules.hours,
                           absence_of=lambda absence: labels.shown_absence(absence, show))


@bp.get(f"/timesheets/employees/<int:employee_id>/export.{FORMATS}")
@roles_required(ADMIN, HR, SUPERVISOR)
def export_employee_timesheet(employee_id, fmt):
    """One employee's timesheet as CSV or XLSX."""
    employee = _employee(employee_id)
    kind, start, end = _period()
    sheets = timesheets.build(Employee.select().where(Employee.id == employee.id), start, end)
    show = sees_absence_reasons_of(current_user, employee)
    if not sheets:
        heading, rows, totals = exports.days_table(timesheets.Timesheet(employee, start, end),
                                                   show)
    else:
        heading, rows, totals = exports.days_table(sheets[0], show)
    return _download(heading, rows, fmt, f"urenstaat-{employee.employee_number}-{start.isoformat()}",
                     employee.full_name, totals)


def _group(group_id: int) -> WorkGroup:
    group = WorkGroup.get_or_none(WorkGroup.id == group_id) or abort(404)
    require_group(current_user, group)
    return group


@bp.get("/timesheets/groups/<int:group_id>")
@roles_required(ADMIN, HR, SUPERVISOR)
def group_timesheet(group_id):
    """A group's week (or month): totals per employee."""
    group = _group(group_id)
    kind, start, end = _period()
    sheets = timesheets.build(Employee.select().where(Employee.work_group == group.id), start, end)
    used = [code for code in ABSENCE_CODES if any(s.absence[code] for s in sheets)]
    show = sees_absence_reasons(current_user, group)
    return render_template("attendance/timesheet_group.html", group=group, sheets=sheets,
                           kind=kind, start=start, end=end, label=_period_label(kind, start, end),
                           links=_period_links(kind, start), codes=labels.shown_codes(used, show),
                           code_label=labels.code_label, hours=rules.hours,
                           absence_of=lambda absence: labels.shown_absence(absence, show))


@bp.get(f"/timesheets/groups/<int:group_id>/export.{FORMATS}")
@roles_required(ADMIN, HR, SUPERVISOR)
def export_group_timesheet(group_id, fmt):
    """A group's totals per employee as CSV or XLSX."""
    group = _group(group_id)
    kind, start, end = _period()
    sheets = timesheets.build(Employee.select().where(Employee.work_group == group.id), start, end)
    heading, rows = exports.summary_table(sheets, _period_label(kind, start, end),
                                          sees_absence_reasons(current_user, group))
    return _download(heading, rows, fmt, f"urenstaat-{group.name}-{start.isoformat()}", group.name)


@bp.get(f"/timesheets/export.{FORMATS}")
@roles_required(ADMIN, HR)
def export_all_timesheets(fmt):
    """Every employee's totals for a period (the month run for payroll), as CSV or XLSX."""
    kind, start, end = _period()
    sheets = timesheets.build(Employee.select(), start, end)
    heading, rows = exports.summary_table(sheets, _period_label(kind, start, end),
                                          sees_everyones_absence_reasons(current_user))
    return _download(heading, rows, fmt, f"urenstaten-{start.isoformat()}", _("Timesheets"))


@bp.get("/figures")
@roles_required(ADMIN, HR)
def absence_figures():
    """The absence figures moved to Cijfers; old links and bookmarks land there."""
    month = request.args.get("month", "")
    grouping = request.args.get("by")
    args = {"period": "month"}
    if len(month) == 7:
        args["date"] = month + "-01"
    if grouping in ("group", "workfloor", "municipality"):
        args["by"] = grouping
    return redirect(url_for("reports.figure_page", slug="absence", **args), 301)
