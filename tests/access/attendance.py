"""The supervisor's day: every route, every role, and forged ids of another group (404)."""

from datetime import date, time

from tests import access
from tests.access import Case, only

DAY = date(2026, 11, 16)  # a Monday in the past
VIEWERS = ("admin", "planner", "supervisor", "hr")
CHANGERS = ("admin", "supervisor", "hr")


def _world(w, make):
    # Both employees work every day, so the day has something to show.
    every_day = {d: (time(8), time(16), 30) for d in range(7)}
    make.add_schedule(w.employee, every_day, valid_from=date(2026, 1, 1))
    w.segment = make.segment(w.employee, DAY, "08:00", "12:00")
    w.absence = make.absence(w.employee, DAY, "dokter", hours=1)
    w.other_segment = make.segment(w.other_employee, DAY, "08:00", "12:00")
    w.other_absence = make.absence(w.other_employee, DAY, "ziek")
    w.leave = make.leave(w.employee, date(2030, 1, 1), date(2030, 1, 3))
    w.other_leave = make.leave(w.other_employee, date(2030, 1, 1), date(2030, 1, 3))


access.WORLD_HOOKS.append(_world)


def day(group_attr="group", **more):
    return lambda w: {"group_id": getattr(w, group_attr).id, "day": DAY.isoformat(),
                      **{k: v(w) for k, v in more.items()}}


OWN, OTHER = day(), day("other_group")
CHANGE = only(CHANGERS, 200)
FORGED = only(CHANGERS, 200, supervisor=404)  # admin and hr see every group
FORGED_POST = only(CHANGERS, 303, supervisor=404)

CASES = [
    Case("attendance.index", "GET", only(VIEWERS, supervisor=302)),
    Case("attendance.group_day", "GET", only(VIEWERS), args=OWN),
    Case("attendance.group_day", "GET", only(VIEWERS, supervisor=404), args=OTHER),
    Case("attendance.group_day", "GET", only(VIEWERS, 404),
         args=lambda w: {"group_id": w.group.id, "day": "2026-13-01"}),
    Case("attendance.day_list", "GET", only(VIEWERS), args=OWN),
    Case("attendance.day_list", "GET", only(VIEWERS, supervisor=404), args=OTHER),
    Case("attendance.absence_panel", "GET", CHANGE,
         args=day(employee_id=lambda w: w.employee.id)),
    Case("attendance.absence_panel", "GET", FORGED,
         args=day("other_group", employee_id=lambda w: w.other_employee.id)),
    # Another group's employee under one's own group: 404 for everyone.
    Case("attendance.absence_panel", "GET", only(CHANGERS, 404),
         args=day(employee_id=lambda w: w.other_employee.id)),
    Case("attendance.register_absence", "POST", only(CHANGERS, 303), args=OWN,
         data=lambda w: {"employee_id": w.employee.id, "code": "verlof"}),
    Case("attendance.register_absence", "POST", FORGED_POST, args=OTHER,
         data=lambda w: {"employee_id": w.other_employee.id, "code": "verlof"}),
    Case("attendance.register_absence", "POST", only(CHANGERS, 422), args=OWN,
         data=lambda w: {"employee_id": w.other_employee.id, "code": "verlof"}),
    Case("attendance.clock_panel", "GET", CHANGE, args=day(employee_id=lambda w: w.employee.id)),
    Case("attendance.clock_panel", "GET", FORGED,
         args=day("other_group", employee_id=lambda w: w.other_employee.id)),
    Case("attendance.clock", "POST", only(CHANGERS, 303), args=OWN,
         data=lambda w: {"employee_id": w.employee.id, "at": "13:00", "reason": "Pas vergeten"}),
    Case("attendance.clock", "POST", FORGED_POST, args=OTHER,
         data=lambda w: {"employee_id": w.other_employee.id, "at": "13:00", "reason": "Pas vergeten"}),
    Case("attendance.segment_panel", "GET", CHANGE, args=day(segment_id=lambda w: w.segment.id)),
    Case("attendance.segment_panel", "GET", FORGED,
         args=day("other_group", segment_id=lambda w: w.other_segment.id)),
    Case("attendance.segment_panel", "GET", only(CHANGERS, 404),
         args=day(segment_id=lambda w: w.other_segment.id)),
    Case("attendance.correct_segment", "POST", only(CHANGERS, 303),
         args=day(segment_id=lambda w: w.segment.id),
         data=lambda w: {"check_in": "08:00", "check_out": "12:30", "reason": "Vergeten"}),
    Case("attendance.correct_segment", "POST", FORGED_POST,
         args=day("other_group", segment_id=lambda w: w.other_segment.id),
         data=lambda w: {"check_in": "08:00", "check_out": "12:30", "reason": "Vergeten"}),
    Case("attendance.absence_correction_panel", "GET", CHANGE,
         args=day(absence_id=lambda w: w.absence.id)),
    Case("attendance.absence_correction_panel", "GET", FORGED,
         args=day("other_group", absence_id=lambda w: w.other_absence.id)),
    Case("attendance.correct_absence", "POST", only(CHANGERS, 303),
         args=day(absence_id=lambda w: w.absence.id),
         data=lambda w: {"code": "verlof", "hours": "2", "reason": "Andere code"}),
    Case("attendance.correct_absence", "POST", FORGED_POST,
         args=day("other_group", absence_id=lambda w: w.other_absence.id),
         data=lambda w: {"code": "verlof", "hours": "2", "reason": "Andere code"}),
    Case("attendance.sign_off", "POST", only(CHANGERS, 303), args=OWN),
    Case("attendance.sign_off", "POST", FORGED_POST, args=OTHER),
    Case("attendance.leave", "GET", only(CHANGERS)),
    Case("attendance.plan_leave", "POST", only(CHANGERS, 303),
         data=lambda w: {"employee_id": w.employee.id, "code": "scholing",
                         "starts_on": "2030-02-01", "ends_on": "2030-02-02"}),
    Case("attendance.plan_leave", "POST", only(CHANGERS, 303, supervisor=422),
         data=lambda w: {"employee_id": w.other_employee.id, "code": "scholing",
                         "starts_on": "2030-02-01", "ends_on": "2030-02-02"}),
    Case("attendance.cancel_leave", "POST", only(CHANGERS, 303),
         args=lambda w: {"leave_id": w.leave.id}),
    Case("attendance.cancel_leave", "POST", FORGED_POST,
         args=lambda w: {"leave_id": w.other_leave.id}),
]

TIMESHEET = only(CHANGERS)
CASES += [
    Case("attendance.employee_timesheet", "GET", TIMESHEET,
         args=lambda w: {"employee_id": w.employee.id, "period": "week", "date": DAY.isoformat()}),
    Case("attendance.employee_timesheet", "GET", only(CHANGERS, supervisor=404),
         args=lambda w: {"employee_id": w.other_employee.id}),
    Case("attendance.export_employee_timesheet", "GET", TIMESHEET,
         args=lambda w: {"employee_id": w.employee.id, "fmt": "csv", "period": "month"}),
    Case("attendance.export_employee_timesheet", "GET", only(CHANGERS, supervisor=404),
         args=lambda w: {"employee_id": w.other_employee.id, "fmt": "csv"}),
    Case("attendance.group_timesheet", "GET", TIMESHEET,
         args=lambda w: {"group_id": w.group.id, "date": "not-a-date", "period": "year"}),
    Case("attendance.group_timesheet", "GET", only(CHANGERS, supervisor=404),
         args=lambda w: {"group_id": w.other_group.id}),
    Case("attendance.export_group_timesheet", "GET", TIMESHEET,
         args=lambda w: {"group_id": w.group.id, "fmt": "csv"}),
    Case("attendance.export_group_timesheet", "GET", only(CHANGERS, supervisor=404),
         args=lambda w: {"group_id": w.other_group.id, "fmt": "csv"}),
    Case("attendance.export_all_timesheets", "GET", only(("admin", "hr")),
         args=lambda w: {"fmt": "csv", "period": "month", "date": DAY.isoformat()}),
    # Moved to Cijfers (reports.figure_page): the old address redirects.
    Case("attendance.absence_figures", "GET", only(("admin", "hr"), 301),
         args=lambda w: {"month": "2026-11", "by": "municipality"}),
    Case("attendance.absence_figures", "GET", only(("admin", "hr"), 301),
         args=lambda w: {"month": "junk", "by": "junk"}),
]
