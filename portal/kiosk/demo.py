"""The demo's kiosk: badges, PINs and tablets."""

import random
from datetime import datetime, timedelta

from peewee import chunked

from portal.demo_kit import BATCH, Demo, at, section
from portal.kiosk import devices as kiosk_devices, pins as kiosk_pins
from portal.kiosk.models import Badge, Device, EmployeePin
from portal.people.models import Employee
from portal.tokens import sha256

LOST_BADGES = 10
PIN_HOLDERS = 8

# key, name, workfloor name (a workfloor tablet) or location key (a tablet for the whole site)
TABLETS = (
    ("main", "Tablet ingang Hoofdvestiging", None, "main"),
    ("verpakken", "Tablet Verpakken", "Verpakken", None),
    ("haver", "Tablet ingang Havervoort", None, "haver"),
    ("groen", "Tablet Groencentrum", None, "groen"),
    ("c-metaal", "Tablet Fictief Metaal hal 3", None, "c-metaal"),
)


def _token(rng: random.Random) -> str:
    """A badge or device token from the demo's own random stream (so the hashes repeat)."""
    return f"{rng.getrandbits(160):040x}"


@section(30)
def badges(demo: Demo) -> None:
    """A badge for everyone; some replaced after a loss, and leavers' badges revoked."""
    rng, admin = demo.rng, demo.users["beheer"]
    rows = []
    lost = set(rng.sample([p.id for p in demo.people if p.is_active], LOST_BADGES))
    for person in demo.people:
        issued = at(max(person.start, demo.today - timedelta(days=3 * 365)), 9)
        if person.id in lost:  # the first card went missing and was replaced
            replaced = issued + timedelta(days=rng.randint(20, 400), hours=rng.randint(0, 6))
            replaced = min(replaced, demo.now - timedelta(days=2))
            rows.append(_badge_row(rng, person.id, admin, issued, revoked=replaced))
            issued = replaced
        revoked = at(person.end, 16) if not person.is_active else None
        rows.append(_badge_row(rng, person.id, admin, issued, revoked=revoked))
    for batch in chunked(rows, BATCH * 5):
        Badge.insert_many(batch).execute()


def _badge_row(rng, employee_id, admin, issued, revoked=None) -> dict:
    return dict(employee=employee_id, token_hash=sha256(_token(rng)),
                issued_at=issued, issued_by=admin, revoked_at=revoked)


@section(31)
def pins(demo: Demo) -> None:
    """A handful of people who often forget their card get a PIN for the tablet."""
    placed = [p for p in demo.people if p.is_active and p.group_id is not None]
    for person in demo.rng.sample(placed, PIN_HOLDERS):
        kiosk_pins.set_pin(Employee(id=person.id), by=demo.users["beheer"])
    demo.pin_holders = {row.employee_id for row in EmployeePin.select(EmployeePin.employee)}


@section(32)
def tablets(demo: Demo) -> None:
    """Five enrolled tablets, one replaced last month, and one still waiting for enrolment."""
    rng, admin = demo.rng, demo.users["beheer"]
    floors = {floor.name: floor for floor in demo.workfloors}
    for key, name, floor_name, location_key in TABLETS:
        enrolled = demo.now - timedelta(days=rng.randint(40, 500))
        device = _enrolled_tablet(name, floors.get(floor_name), demo.locations.get(location_key),
                                  admin, enrolled)
        seen = demo.now - timedelta(minutes=rng.randint(1, 25))
        Device.update(last_seen_at=seen).where(Device.id == device.id).execute()
        demo.devices[key] = device
    kantine = floors["Kantine en catering"]
    old = _enrolled_tablet("Tablet kantine (gevallen, vervangen)", kantine, None, admin,
                           demo.now - timedelta(days=400))
    kiosk_devices.revoke_device(old, by=admin, now=demo.now - timedelta(days=rng.randint(25, 40)))
    # Left for the newcomer: enrol a browser as this tablet to try the kiosk.
    kiosk_devices.create_device("Tablet Metaalbewerking", None,
                                workfloor=floors["Metaalbewerking"], created_by=admin)


def _enrolled_tablet(name, floor, location, admin, moment: datetime) -> Device:
    device = kiosk_devices.create_device(name, location, workfloor=floor, created_by=admin)
    _row, code = kiosk_devices.start_enrolment(device, by=admin, now=moment)
    device, _credential = kiosk_devices.enrol(code, now=moment + timedelta(minutes=3))
    Device.update(created_at=moment - timedelta(days=1)).where(Device.id == device.id).execute()
    return device
