"""Who may do what with employees: admin and hr edit; planners and supervisors read."""

from tests import access
from tests.access import Case, everyone, only

EDITORS = ("admin", "hr")


def _employee_photos(w, make):
    make.photo(w.employee)
    make.photo(w.other_employee)


access.WORLD_HOOKS.append(_employee_photos)


def _valid_form(w):
    return {"employee_number": "M-1", "first_name": "Mila", "last_name": "Bakker",
            "employment": "sw", "contract_hours": "32", "municipality": w.municipality.id,
            "work_group": w.group.id, "start_date": "2024-01-01",
            "schedule_valid_from": "2025-01-01",
            "day0-starts_at": "08:00", "day0-ends_at": "16:00", "day0-break_minutes": "30"}


CASES = [
    Case("people.list_employees", "GET", everyone(200, jobcoach=403)),
    Case("people.new_employee", "GET", only(EDITORS)),
    Case("people.create_employee", "POST", only(EDITORS, 422)),
    Case("people.create_employee", "POST", only(EDITORS, 303), data=_valid_form),
    Case("people.edit_employee", "GET", only(EDITORS),
         args=lambda w: {"employee_id": w.employee.id}),
    Case("people.update_employee", "POST", only(EDITORS, 422),
         args=lambda w: {"employee_id": w.employee.id}),
    Case("people.update_employee", "POST", only(EDITORS, 303),
         args=lambda w: {"employee_id": w.employee.id}, data=_valid_form),
    Case("people.validate_employee", "POST", only(EDITORS),
         data=lambda w: {"first_name": "Mila"}),
    Case("people.validate_employee", "POST", only(EDITORS),
         args=lambda w: {"employee_id": w.employee.id}),
    Case("people.set_employee_active", "POST", only(EDITORS, 303),
         args=lambda w: {"employee_id": w.employee.id}, data=lambda w: {"active": "1"}),
    Case("people.employee_photo", "GET", everyone(200, jobcoach=403),
         args=lambda w: {"employee_id": w.employee.id}),
    # A supervisor asking for another group's employee learns nothing: 404.
    Case("people.employee_photo", "GET", everyone(200, supervisor=404, jobcoach=403),
         args=lambda w: {"employee_id": w.other_employee.id}),
    Case("people.edit_employee", "GET", only(EDITORS, 404, denied=403),
         args=lambda w: {"employee_id": 999999}),
]
