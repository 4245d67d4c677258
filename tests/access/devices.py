"""Only an admin manages tablets and badges."""

from tests.access import Case, WORLD_HOOKS, only

ADMIN = ("admin",)


def _kiosk_world(w, make):
    w.device, _credential = make.device(workfloor=w.workfloor)


WORLD_HOOKS.append(_kiosk_world)

CASES = [
    Case("devices.list_devices", "GET", only(ADMIN)),
    Case("devices.create_device", "POST", only(ADMIN, 422), data=lambda w: {"name": ""}),
    Case("devices.start_enrolment", "POST", only(ADMIN), args=lambda w: {"device_id": w.device.id}),
    Case("devices.revoke_device", "POST", only(ADMIN, 303), args=lambda w: {"device_id": w.device.id}),
    Case("devices.list_badges", "GET", only(ADMIN)),
    Case("devices.print_badges", "POST", only(ADMIN), data=lambda w: {"group": w.group.id}),
    Case("devices.revoke_badge", "POST", only(ADMIN, 303),
         args=lambda w: {"employee_id": w.employee.id}),
]

CASES += [
    Case("devices.set_pin", "POST", only(ADMIN), args=lambda w: {"employee_id": w.employee.id}),
    Case("devices.clear_pin", "POST", only(ADMIN, 303),
         args=lambda w: {"employee_id": w.employee.id}),
]
