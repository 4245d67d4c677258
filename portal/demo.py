"""A fictional but realistic SW company, for demos and for a first run on an empty database.

`fill()` runs the sections in SECTIONS in order, inside one transaction, each adding one area
of the company to a shared `Demo` object. An area that lands later adds its own function
(`def badges(demo): ...`) and appends it to SECTIONS; it can use everything the earlier
sections left on `demo` (users, groups, employees and so on).

Everything is drawn from random.Random(seed) and dated relative to `today`, so the same seed on
the same day gives the same company. Names of municipalities, sites and clients are invented
and meant to look it; KvK numbers start with 0000 and e-mail addresses use the reserved
.example domain.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from peewee import chunked

from portal.attendance import rules as attendance_rules
from portal.attendance.models import (LEAVE_CODES, SICK, Absence, AttendanceSegment, Correction,
                                      DaySignOff, PlannedLeave)
from portal.auth.models import ADMIN, HR, JOBCOACH, PLANNER, SUPERVISOR, User
from portal.auth.rules import hash_password
from portal.db import database
from portal.detachments import (client_links as link_rules, hours as hour_rules,
                                members as member_rules, periods, rates as rate_rules,
                                statements as statement_rules)
from portal.detachments.models import (APPROVED, DISPUTED, GROUP, INDIVIDUAL, PER_HOUR,
                                       PER_PERSON_DAY, PER_PERSON_MONTH, SENT, Statement)
from portal.kiosk import devices as kiosk_devices, pins as kiosk_pins
from portal.tokens import sha256
from portal.kiosk.models import Badge, Device, EmployeePin
from portal.orders import rules as order_rules
from portal.orders.models import (IN_PRODUCTION, INTAKE, INVOICED, PLANNED, READY, Assignment,
                                  Order, OrderStatusChange, Production)
from portal.people.models import (Client, Employee, Location, Municipality, Schedule,
                                  ScheduleDay, Workfloor, WorkGroup)
from portal.timeutil import local_day, to_utc, utcnow
from portal.timeutil import today as local_today

DEMO_PASSWORD = "werkvloer-demo"
DEFAULT_SEED = 2026
CURRENT_EMPLOYEES = 600
FORMER_EMPLOYEES = 24
BATCH = 100


@dataclass
class Person:
    """What later sections need of an employee: group, contract period and weekly schedule."""

    id: int
    group_id: int | None
    employment: str
    start: date
    end: date | None
    is_active: bool
    week: dict  # weekday -> (starts_at, ends_at, break minutes)

    def employed_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def shift_on(self, day: date) -> tuple | None:
        """The scheduled (start, end, break) of a day within the contract, else None."""
        return self.week.get(day.weekday()) if self.employed_on(day) else None


@dataclass
class Demo:
    """What the sections build, shared between them."""

    rng: random.Random
    today: date
    password_hash: str
    now: datetime = None  # naive UTC, on `today`: "now" in the demo's story
    logins: list = field(default_factory=list)  # (role, username, password)
    users: dict = field(default_factory=dict)  # username -> User
    supervisors: list = field(default_factory=list)
    municipalities: list = field(default_factory=list)
    clients: list = field(default_factory=list)
    locations: dict = field(default_factory=dict)  # key -> Location
    workfloors: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    employee_ids: list = field(default_factory=list)
    people: list = field(default_factory=list)  # Person, current and former
    devices: dict = field(default_factory=dict)  # key -> Device
    # group id -> (client location, first day there): groups detached as a whole
    detached_groups: dict = field(default_factory=dict)
    detachments: dict = field(default_factory=dict)  # key -> Detachment
    pin_holders: set = field(default_factory=set)  # employee ids
    leave_days: dict = field(default_factory=dict)  # employee id -> days of planned leave
    group_supervisor: dict = field(default_factory=dict)  # group id -> supervisor's user id


def is_empty() -> bool:
    """Tell whether the database has no users yet (a fresh installation)."""
    return not User.select().exists()


def fill(seed: int = DEFAULT_SEED, today: date | None = None,
         now: datetime | None = None) -> Demo:
    """Fill an empty database with the demo company; return what was made.

    `now` (naive UTC) is the moment the demo's day has reached: today's check-ins stop there.
    Without it the real clock is used for the real today, and half past ten for another day,
    so that the same seed, day and moment always give the same company.
    """
    today, now = _story_moment(today, now)
    demo = Demo(rng=random.Random(seed), today=today, now=now,
                password_hash=hash_password(DEMO_PASSWORD))
    with database.atomic():
        for section in SECTIONS:
            section(demo)
    return demo


def _story_moment(today: date | None, now: datetime | None) -> tuple[date, datetime]:
    if now is not None:
        return today or local_day(now), now
    if today is None or today == local_today():
        now = utcnow().replace(microsecond=0)
        return local_day(now), now
    return today, to_utc(datetime.combine(today, time(10, 30)))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An Amsterdam wall-clock moment of a day, as stored (naive UTC)."""
    return to_utc(datetime.combine(day, time(hour, minute)))


# --- names ---------------------------------------------------------------------------------

# (weight, first names, last names): people mostly get a first name that goes with their
# surname, as they would in a town in the Netherlands.
NAME_POOLS = (
    (70, ("Jan", "Piet", "Kees", "Henk", "Gerrit", "Willem", "Johan", "Bas", "Ruud", "Marco",
          "Dennis", "Kevin", "Jeroen", "Sander", "Mark", "Erik", "Ria", "Anja", "Marja",
          "Ingrid", "Petra", "Sandra", "Linda", "Monique", "Esther", "Sanne", "Lisa", "Fleur",
          "Daan", "Sem", "Tim", "Thijs", "Niels", "Joost", "Wendy", "Chantal", "Kim", "Roy",
          "Rick", "Annemiek", "Bert", "Cor", "Dirk", "Hans", "Ton", "Wim", "Yvonne", "Karin",
          "Marleen", "Joyce", "Ilse", "Bram", "Luuk", "Noah", "Emma"),
     ("de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
      "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
      "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs",
      "Vermeulen", "van den Berg", "Schouten", "Willems", "Hoekstra", "Koster", "Prins",
      "Huisman", "Kuipers", "Veenstra", "Postma", "van Dijk", "Verhoeven", "Maas",
      "Timmermans", "Groen")),
    (8, ("Mehmet", "Ayse", "Fatma", "Mustafa", "Hatice", "Emre", "Zeynep"),
     ("Yilmaz", "Kaya", "Demir", "Celik", "Ozturk")),
    (8, ("Mohamed", "Fatima", "Youssef", "Khadija", "Said", "Naima", "Ilias"),
     ("El Amrani", "Bouzid", "Benali", "El Idrissi", "Azzouzi")),
    (6, ("Ravi", "Sharmila", "Jermaine", "Dewi", "Shanti", "Kenneth"),
     ("Ramdin", "Sewnarain", "Martina", "Pinas", "Doelwijt")),
    (4, ("Piotr", "Agnieszka", "Tomasz", "Katarzyna", "Marek"),
     ("Kowalski", "Nowak", "Kaminski", "Lewandowski")),
    (4, ("Ahmad", "Rania", "Yonas", "Senait", "Omar"),
     ("Haddad", "Tesfaye", "Alhassan", "Ghebre")),
)


def person_name(rng: random.Random) -> tuple[str, str]:
    """A plausible first and last name."""
    _weight, first_names, last_names = rng.choices(NAME_POOLS, [p[0] for p in NAME_POOLS])[0]
    if rng.random() < 0.1:  # and some do not
        first_names = rng.choice(NAME_POOLS)[1]
    return rng.choice(first_names), rng.choice(last_names)


# --- sections ------------------------------------------------------------------------------


def users(demo: Demo) -> None:
    """The office accounts: an admin, a planner, HR and a jobcoach (supervisors come with their
    groups)."""
    for role, username, display_name in (
        (ADMIN, "beheer", "Anja Beheer (demo)"),
        (PLANNER, "planning", "Peter Planning (demo)"),
        (HR, "hr", "Hanneke de Personeelszaken (demo)"),
        (JOBCOACH, "jobcoach", "Jolanda Coach (demo)"),
    ):
        demo.users[username] = User.create(username=username, display_name=display_name,
                                           role=role, password_hash=demo.password_hash)
        demo.logins.append((role, username, DEMO_PASSWORD))


MUNICIPALITIES = (("Gemeente Lindendal", 50), ("Gemeente Havervoort", 30),
                  ("Gemeente Brugveen", 20))


def municipalities(demo: Demo) -> None:
    """Three member municipalities, the first the largest."""
    demo.municipalities = [Municipality.create(name=name) for name, _share in MUNICIPALITIES]


CLIENT_NAMES = (
    "Fictief Metaal BV", "Voorbeeld Verpakkingen BV", "Demo Drukwerk BV",
    "Fictief Fietsonderdelen BV", "Voorbeeld Zuivel BV", "Demo Kozijnen BV",
    "Fictief Elektrotechniek BV", "Voorbeeld Tuinmeubelen BV", "Demo Kunststof BV",
    "Fictief Textiel BV", "Voorbeeld Logistiek BV", "Demo Bakkerij BV",
    "Fictief Hoveniers BV", "Voorbeeld Schoonmaak BV", "Demo Meubelmakerij BV",
    "Fictief Kantoorartikelen BV", "Voorbeeld Speelgoed BV", "Demo Installatietechniek BV",
    "Fictief Dierenvoeding BV", "Voorbeeld Kaarsen BV", "Demo Bouwmaterialen BV",
    "Fictief Wasserij BV", "Voorbeeld Kwekerij BV", "Demo Recycling BV",
    "Fictief Woningcorporatie", "Voorbeeld Zorggroep", "Demo Sportcentrum",
    "Fictief Scholengroep", "Voorbeeld Webwinkel BV", "Demo Koffiebranderij BV",
)


def _slug(name: str) -> str:
    return name.lower().replace(" bv", "").replace(" ", "-")


def clients(demo: Demo) -> None:
    """Thirty client companies; two of them have stopped giving work."""
    rng = demo.rng
    rows = []
    for n, name in enumerate(CLIENT_NAMES, start=1):
        first, last = person_name(rng)
        rows.append(dict(name=name, kvk_number=f"0000{n:04d}", contact_name=f"{first} {last}",
                         email=f"contact@{_slug(name)}.example", phone=f"0100-000{n:03d}",
                         is_active=n not in (17, 28)))
    Client.insert_many(rows).execute()
    demo.clients = list(Client.select().order_by(Client.id))


# key, name, kind, client index (client sites), street, postcode, city
LOCATIONS = (
    ("main", "Hoofdvestiging Lindendal", "own", None, "Ambachtsweg 12", "9991 AB", "Lindendal"),
    ("haver", "Werkbedrijf Havervoort", "own", None, "Kanaaldijk 4", "9992 CD", "Havervoort"),
    ("groen", "Groencentrum Brugveen", "own", None, "Veenweg 88", "9993 EF", "Brugveen"),
    ("c-metaal", "Fictief Metaal BV, hal 3", "client", 0, "Smederijstraat 7", "9991 GH",
     "Lindendal"),
    ("c-logistiek", "Voorbeeld Logistiek BV, DC Havervoort", "client", 10, "Transportweg 21",
     "9992 JK", "Havervoort"),
    ("c-zorg", "Voorbeeld Zorggroep, locatie De Linde", "client", 25, "Lindelaan 3", "9991 LM",
     "Lindendal"),
)


def locations(demo: Demo) -> None:
    """Three own sites and three client sites where detached groups work."""
    for key, name, kind, client_index, street, postcode, city in LOCATIONS:
        client = demo.clients[client_index] if client_index is not None else None
        demo.locations[key] = Location.create(name=name, kind=kind, client=client, street=street,
                                              postcode=postcode, city=city)


# name, own location key, workplaces, number of groups
WORKFLOORS = (
    ("Assemblage", "main", 60, 4),
    ("Verpakken", "main", 70, 4),
    ("Metaalbewerking", "main", 30, 2),
    ("Kantine en catering", "main", 16, 1),
    ("Houtbewerking", "haver", 32, 2),
    ("Textiel en naaiatelier", "haver", 24, 2),
    ("Logistiek en magazijn", "haver", 36, 3),
    ("Digitaal archief en scannen", "haver", 20, 1),
    ("Groenvoorziening", "groen", 40, 3),
    ("Schoonmaak", "groen", 30, 3),
)


def workfloors(demo: Demo) -> None:
    """Ten workfloors on the own sites, with their workplaces."""
    demo.workfloors = [
        Workfloor.create(name=name, location=demo.locations[key], workplaces=places)
        for name, key, places, _groups in WORKFLOORS
    ]


def groups(demo: Demo) -> None:
    """Twenty-five work groups, each with its own supervisor account."""
    number = 0
    for floor, (name, _key, _places, count) in zip(demo.workfloors, WORKFLOORS):
        short = name.split(" ")[0]
        for letter in "ABCD"[:count]:
            number += 1
            first, last = person_name(demo.rng)
            username = f"werkleider{number:02d}"
            supervisor = User.create(username=username, display_name=f"{first} {last}",
                                     role=SUPERVISOR, password_hash=demo.password_hash)
            demo.users[username] = supervisor
            demo.supervisors.append(supervisor)
            demo.logins.append((SUPERVISOR, username, DEMO_PASSWORD))
            group = WorkGroup.create(name=f"{short} {letter}", supervisor=supervisor,
                                     workfloor=floor)
            demo.groups.append(group)
            demo.group_supervisor[group.id] = supervisor.id


# employment, weight among current employees, contract-hour choices, earliest start (years ago)
EMPLOYMENTS = (
    ("sw", 44, (36, 36, 32, 32, 28, 24), (11, 32)),  # the Wsw closed to newcomers in 2015
    ("beschut", 24, (32, 28, 24, 24, 20, 16), (0, 10)),
    ("leerwerk", 12, (32, 24, 20, 16), (0, 1)),
    ("proefplaatsing", 4, (32, 24, 20), (0, 0)),
    ("garantiebaan", 8, (32, 28, 24, 20), (0, 8)),
    ("staff", 8, (36, 36, 32, 24), (0, 25)),
)

# contract hours -> the ways to spread them: (working days, net minutes a day)
WEEK_SHAPES = {
    36: ((5, 432), (4, 540)),
    32: ((4, 480), (5, 384)),
    28: ((4, 420), (5, 336)),
    24: ((3, 480), (4, 360), (5, 288)),
    20: ((5, 240), (4, 300)),
    16: ((4, 240), (2, 480)),
}
WEEKDAY_SETS = {5: ((0, 1, 2, 3, 4),),
                4: ((0, 1, 2, 3), (0, 1, 3, 4), (1, 2, 3, 4), (0, 2, 3, 4)),
                3: ((0, 1, 3), (0, 2, 4), (1, 2, 3)),
                2: ((0, 3), (1, 4))}


def break_minutes(net_minutes: int) -> int:
    """The unpaid break a working day of this length gets."""
    if net_minutes > 330:
        return 30
    if net_minutes > 270:
        return 15
    return 0


def week_schedule(rng: random.Random, contract_hours: int) -> list[tuple[int, time, time, int]]:
    """Working days (weekday, start, end, break) whose net hours add up to the contract."""
    days, net = rng.choice(WEEK_SHAPES[contract_hours])
    pause = break_minutes(net)
    if net <= 300:  # half days: mornings mostly, some afternoons
        start = rng.choice((time(8), time(8, 30), time(8, 30), time(12, 30), time(13)))
    else:
        start = rng.choice((time(7), time(7, 30), time(7, 30), time(8), time(8), time(8, 30)))
    end = (datetime.combine(date.min, start) + timedelta(minutes=net + pause)).time()
    return [(weekday, start, end, pause) for weekday in rng.choice(WEEKDAY_SETS[days])]


def _start_date(rng: random.Random, today: date, employment: str, years: tuple) -> date:
    if employment == "proefplaatsing":
        return today - timedelta(days=rng.randint(3, 60))
    if employment == "leerwerk":
        return today - timedelta(days=rng.randint(10, 330))
    earliest, latest = years
    first = today - timedelta(days=365 * latest)
    last = today - timedelta(days=max(365 * earliest, 30))
    if employment == "sw":
        last = min(last, date(2014, 12, 31))
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _end_date(rng: random.Random, today: date, employment: str, start: date) -> date | None:
    if employment == "proefplaatsing":
        return start + timedelta(days=rng.choice((61, 92)))
    if employment == "leerwerk":
        return start + timedelta(days=365)
    if employment in ("beschut", "garantiebaan") and rng.random() < 0.15:
        return today + timedelta(days=rng.randint(30, 400))  # a fixed-term contract
    if employment == "sw" and rng.random() < 0.05:
        return today + timedelta(days=rng.randint(30, 300))  # retiring
    return None


def _group_slots(demo: Demo) -> list:
    """Each group once per member it should get: floors fill up in step with their workplaces."""
    places = {floor.id: floor.workplaces for floor in demo.workfloors}
    per_floor = {floor.id: 0 for floor in demo.workfloors}
    for group in demo.groups:
        per_floor[group.workfloor_id] += 1
    total = sum(places.values())
    slots = []
    for group in demo.groups:
        share = places[group.workfloor_id] / total / per_floor[group.workfloor_id]
        slots += [group] * round(share * CURRENT_EMPLOYEES)
    return slots


def employees(demo: Demo) -> None:
    """600 current employees with part-time schedules, and some who have left."""
    rng, today = demo.rng, demo.today
    weights = [weight for _e, weight, _h, _y in EMPLOYMENTS]
    shares = [share for _name, share in MUNICIPALITIES]
    slots = _group_slots(demo)
    rng.shuffle(slots)
    rows, weeks = [], []
    for n in range(1, CURRENT_EMPLOYEES + FORMER_EMPLOYEES + 1):
        employment, _w, hours, years = rng.choices(EMPLOYMENTS, weights)[0]
        contract = rng.choice(hours)
        start = _start_date(rng, today, employment, years)
        if n > CURRENT_EMPLOYEES:  # left: ended in the past year
            end = today - timedelta(days=rng.randint(1, 365))
            start = min(start, end - timedelta(days=30))
        else:
            end = _end_date(rng, today, employment, start)
        if employment == "staff" and rng.random() < 0.5:
            group = None  # office staff belong to no work group
        else:
            group = slots[n % len(slots)] if slots else None
        first, last = person_name(rng)
        rows.append(dict(
            employee_number=f"{100000 + n}", first_name=first, last_name=last,
            employment=employment, contract_hours=Decimal(contract),
            municipality=rng.choices(demo.municipalities, shares)[0], work_group=group,
            start_date=start, end_date=end, is_active=n <= CURRENT_EMPLOYEES,
        ))
        weeks.append((start, week_schedule(rng, contract)))
    for batch in chunked(rows, BATCH):
        Employee.insert_many(batch).execute()
    ids = dict(Employee.select(Employee.employee_number, Employee.id).tuples())
    demo.employee_ids = [ids[row["employee_number"]] for row in rows]
    _schedules(demo.employee_ids, weeks)
    demo.people = [
        Person(id=emp, group_id=row["work_group"].id if row["work_group"] else None,
               employment=row["employment"], start=row["start_date"], end=row["end_date"],
               is_active=row["is_active"],
               week={weekday: (start, end, pause) for weekday, start, end, pause in week})
        for emp, row, (_from, week) in zip(demo.employee_ids, rows, weeks)]


def _schedules(employee_ids: list[int], weeks: list) -> None:
    """One schedule per employee, valid from the start date, with its working days."""
    for batch in chunked(list(zip(employee_ids, weeks)), BATCH):
        Schedule.insert_many([dict(employee=emp, valid_from=start)
                              for emp, (start, _days) in batch]).execute()
    schedule_ids = dict(Schedule.select(Schedule.employee, Schedule.id).tuples())
    days = [dict(schedule=schedule_ids[emp], weekday=weekday, starts_at=start, ends_at=end,
                 break_minutes=pause)
            for emp, (_from, week) in zip(employee_ids, weeks)
            for weekday, start, end, pause in week]
    for batch in chunked(days, BATCH):
        ScheduleDay.insert_many(batch).execute()


# --- kiosk: badges, PINs and tablets ------------------------------------------------------

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


def pins(demo: Demo) -> None:
    """A handful of people who often forget their card get a PIN for the tablet."""
    placed = [p for p in demo.people if p.is_active and p.group_id is not None]
    for person in demo.rng.sample(placed, PIN_HOLDERS):
        kiosk_pins.set_pin(Employee(id=person.id), by=demo.users["beheer"])
    demo.pin_holders = {row.employee_id for row in EmployeePin.select(EmployeePin.employee)}


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


# --- attendance: the past weeks and today so far -------------------------------------------

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


# --- detachments: groups and individuals at clients' sites ---------------------------------

# key, group, client location key, months before this one it started (None: on 1 December
# last year, so that its rate changes on 1 January), price form, rate, rate from 1 January
GROUP_DETACHMENTS = (
    ("metaal", "Metaalbewerking B", "c-metaal", None, PER_HOUR, "31.20", "32.45"),
    ("logistiek", "Logistiek C", "c-logistiek", 2, PER_HOUR, "29.75", None),
    ("zorg", "Schoonmaak C", "c-zorg", 1, PER_PERSON_DAY, "178.00", None),
)
# key, client index, site name, street, postcode, city, months before this one it started,
# weeks it still runs (None: open-ended), price form, rate
INDIVIDUAL_DETACHMENTS = (
    ("bakkerij", 11, "Demo Bakkerij BV, productie", "Meelstraat 9", "9991 NP", "Lindendal", 6,
     None, PER_PERSON_MONTH, "1650.00"),
    ("kwekerij", 22, "Voorbeeld Kwekerij BV, kassen", "Glasweg 30", "9993 RS", "Brugveen", 1,
     None, PER_HOUR, "24.50"),
    ("wasserij", 21, "Fictief Wasserij BV", "Zeepziederij 2", "9992 TV", "Havervoort", 0, 4,
     PER_PERSON_DAY, "95.00"),
    ("sport", 26, "Demo Sportcentrum, beheer", "Sportlaan 1", "9991 WX", "Lindendal", 3,
     None, PER_PERSON_DAY, "120.00"),
)


COACHED = ("bakkerij", "kwekerij", "wasserij")


def months_back(day: date, months: int) -> date:
    """The first day of the month `months` before the month of `day`."""
    month = day.year * 12 + day.month - 1 - months
    return date(month // 12, month % 12 + 1, 1)


def detachments(demo: Demo) -> None:
    """Three groups work at clients' sites as a whole, four people on their own."""
    planner = demo.users["planning"]
    groups = {g.name: g for g in demo.groups}
    for key, group_name, location_key, months, form, amount, january in GROUP_DETACHMENTS:
        group, location = groups[group_name], demo.locations[location_key]
        start = (date(demo.today.year - 1, 12, 1) if months is None
                 else months_back(demo.today, months))
        detachment = member_rules.create_detachment(
            client=location.client, location=location, kind=GROUP, name="", start=start,
            end=None, work_group=group, user=planner)
        _rates(detachment, form, amount, january, demo.today, planner)
        demo.detachments[key] = detachment
        demo.detached_groups[group.id] = (location, start)
    candidates = _individual_candidates(demo)
    for entry in INDIVIDUAL_DETACHMENTS:
        key, client_index, name, street, postcode, city, months, weeks, form, amount = entry
        client = demo.clients[client_index]
        location = Location.create(name=name, kind="client", client=client, street=street,
                                   postcode=postcode, city=city)
        demo.locations[f"c-{key}"] = location
        start = months_back(demo.today, months)
        end = demo.today + timedelta(weeks=weeks) if weeks else None
        person = next(p for p in candidates if p.start < start - timedelta(days=30))
        candidates.remove(person)
        # The jobcoach coaches three of the four; the planner enters the last one's hours.
        coach = demo.users["jobcoach"] if key in COACHED else None
        detachment = member_rules.create_detachment(
            client=client, location=location, kind=INDIVIDUAL, name="", start=start, end=end,
            employee=Employee.get_by_id(person.id), jobcoach=coach, user=planner)
        _rates(detachment, form, amount, None, demo.today, planner)
        _leave_group(person)
        demo.detachments[key] = detachment
        _jobcoach_weeks(demo, detachment, person, start, end)


def _rates(detachment, form: str, amount: str, january: str | None, today: date, user) -> None:
    rate_rules.add_rate(detachment, price_form=form, amount=Decimal(amount),
                        valid_from=detachment.start_date, valid_to=None, user=user)
    if january is not None:  # the yearly indexation; the rate before it ends on 31 December
        rate_rules.add_rate(detachment, price_form=form, amount=Decimal(january),
                            valid_from=date(today.year, 1, 1), valid_to=None, user=user)


def _individual_candidates(demo: Demo) -> list[Person]:
    """Long-serving garantiebaan and beschut employees in a group on the own site."""
    detached = set(demo.detached_groups)
    found = [p for p in demo.people
             if p.is_active and p.end is None and p.group_id is not None
             and p.group_id not in detached and p.employment in ("garantiebaan", "beschut")]
    demo.rng.shuffle(found)
    return found


def _leave_group(person: Person) -> None:
    """Someone detached on his own works at the client, not in a workshop group."""
    Employee.update(work_group=None).where(Employee.id == person.id).execute()
    person.group_id = None


def _jobcoach_weeks(demo: Demo, detachment, person: Person, start: date, end: date | None) -> None:
    """The jobcoach's weekly hours (there is no tablet at the client) up to last week."""
    monday = hour_rules.week_start(start)
    this_monday = hour_rules.week_start(demo.today)
    while monday < this_monday:
        hours = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            shift = person.shift_on(day)
            worked = (shift is not None and start <= day and (end is None or day <= end)
                      and not attendance_rules.public_holiday(day)
                      and demo.rng.random() > 0.05)  # now and then sick or free
            hours.append(_net_hours(shift) if worked else Decimal(0))
        hour_rules.save_week(detachment, Employee.get_by_id(person.id), monday, hours,
                             user=demo.users["planning"])
        monday += timedelta(days=7)


def _net_hours(shift) -> Decimal:
    starts, ends, pause = shift
    minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute) - pause
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


# How last month's statement stands, per detachment; earlier months are all approved.
LAST_MONTH = {"metaal": APPROVED, "logistiek": SENT, "zorg": DISPUTED, "bakkerij": APPROVED,
              "kwekerij": APPROVED, "sport": None}
DISPUTE_COMMENT = ("Op {day} is {name} volgens onze planning eerder naar huis gegaan; "
                   "graag nakijken.")


def statements(demo: Demo) -> None:
    """Monthly hours statements: old months approved, last month in every state there is."""
    last_month = months_back(demo.today, 1)
    for key, detachment in demo.detachments.items():
        for month in periods.months_between(detachment.start_date, last_month):
            state = LAST_MONTH.get(key) if month == last_month else APPROVED
            if state is not None:
                _statement(demo, detachment, month, state)


def _statement(demo: Demo, detachment, month: date, state: str) -> None:
    rng = demo.rng
    sent = min(at(periods.next_month(month) + timedelta(days=rng.randint(1, 3)), 9),
               demo.now - timedelta(hours=2))
    statement, _token = statement_rules.send_statement(detachment, month,
                                                       user=demo.users["planning"], now=sent)
    Statement.update(created_at=sent).where(Statement.id == statement.id).execute()
    answered = min(sent + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6)),
                   demo.now - timedelta(hours=1))
    if state == APPROVED:
        link_rules.approve(statement, now=answered)
    elif state == DISPUTED:
        line = max((line for person in statement.content["people"] for line in person["lines"]),
                   key=lambda line: (Decimal(line["hours"]), line["key"]))
        name = next(p["name"] for p in statement.content["people"]
                    if line in p["lines"]).split(" ")[0]
        day = date.fromisoformat(line["day"])
        link_rules.dispute(statement, line["key"],
                           DISPUTE_COMMENT.format(day=f"{day:%d-%m}", name=name),
                           now=answered)


# --- orders: client work in the own workshops, planned and produced -----------------------

# First word of a workfloor's name -> what its groups make for clients:
# (product, unit, norm range in units per hour, clients who order it)
FLOOR_PRODUCTS = {
    "Assemblage": (
        ("Montage deurbeslagsets", "sets", (18, 30),
         ("Demo Kozijnen BV", "Demo Bouwmaterialen BV")),
        ("Assemblage lampfittingen", "stuks", (40, 70), ("Fictief Elektrotechniek BV",)),
        ("Samenstellen bevestigingssets", "sets", (25, 45), ("Demo Installatietechniek BV",)),
        ("Montage fietsverlichting", "stuks", (20, 35), ("Fictief Fietsonderdelen BV",)),
    ),
    "Verpakken": (
        ("Koffiepads in displays verpakken", "displays", (60, 110), ("Demo Koffiebranderij BV",)),
        ("Relatiegeschenken samenstellen", "pakketten", (12, 20), ("Voorbeeld Verpakkingen BV",)),
        ("Zuivel sealen en etiketteren", "stuks", (150, 260), ("Voorbeeld Zuivel BV",)),
        ("Mailings vouwen en insteken", "stuks", (180, 320), ("Demo Drukwerk BV",)),
        ("Kaarsen in sleeves verpakken", "stuks", (90, 150), ("Voorbeeld Kaarsen BV",)),
    ),
    "Metaalbewerking": (
        ("Ontbramen stansdelen", "stuks", (80, 140), ("Fictief Metaal BV",)),
        ("Zetten montagebeugels", "stuks", (30, 55),
         ("Fictief Metaal BV", "Demo Installatietechniek BV")),
    ),
    "Houtbewerking": (
        ("Plantenbakken timmeren", "stuks", (3, 6),
         ("Voorbeeld Tuinmeubelen BV", "Voorbeeld Kwekerij BV")),
        ("Pallethout op maat zagen", "stuks", (40, 70),
         ("Demo Bouwmaterialen BV", "Demo Recycling BV")),
        ("Kozijnonderdelen schuren", "stuks", (15, 25),
         ("Demo Kozijnen BV", "Demo Meubelmakerij BV")),
    ),
    "Textiel": (
        ("Boodschappentassen naaien", "stuks", (8, 14),
         ("Fictief Textiel BV", "Voorbeeld Webwinkel BV")),
        ("Werkkleding herstellen", "stuks", (4, 7),
         ("Fictief Wasserij BV", "Voorbeeld Schoonmaak BV")),
        ("Logo's borduren op poloshirts", "stuks", (10, 18), ("Demo Sportcentrum",)),
    ),
    "Logistiek": (
        ("Orderpicken webwinkel", "orderregels", (35, 60), ("Voorbeeld Webwinkel BV",)),
        ("Retouren verwerken", "stuks", (25, 40),
         ("Voorbeeld Webwinkel BV", "Fictief Kantoorartikelen BV")),
        ("Kantoorartikelen ompakken", "dozen", (30, 50), ("Fictief Kantoorartikelen BV",)),
    ),
    "Digitaal": (
        ("Personeelsdossiers scannen", "dossiers", (6, 10),
         ("Fictief Woningcorporatie", "Voorbeeld Zorggroep")),
        ("Bouwtekeningen digitaliseren", "tekeningen", (20, 35),
         ("Demo Kozijnen BV", "Fictief Woningcorporatie")),
    ),
    "Groenvoorziening": (
        ("Vaste planten oppotten", "potten", (80, 140), ("Voorbeeld Kwekerij BV",)),
        ("Buxus stekken", "stekken", (150, 250), ("Voorbeeld Kwekerij BV", "Fictief Hoveniers BV")),
    ),
    "Schoonmaak": (
        ("Bedrijfskleding wassen en vouwen", "kg", (25, 40),
         ("Fictief Wasserij BV", "Voorbeeld Schoonmaak BV")),
    ),
}
ORDER_WEEKS_BACK = 8
ORDER_DAYS = (10, 22)  # working days an order takes its group
PLAN_AHEAD_WEEKS = 6  # how far the last orders are planned beyond the board
LATE_ORDERS = 2
OVERLOADED_CELLS = 4
INTAKE_SHARE = 0.5  # groups with a new order not planned yet


@dataclass
class OrderRun:
    """An order as the simulation of its group's weeks makes and plans it."""

    order: Order
    group: WorkGroup
    good: int = 0
    planned_units: Decimal = Decimal(0)
    cells: dict = field(default_factory=dict)  # day -> hours
    made: list = field(default_factory=list)  # (day, quantity, rejects)
    finished: date | None = None

    @property
    def remaining_units(self) -> Decimal:
        return Decimal(self.order.quantity) - self.good - self.planned_units


def orders(demo: Demo) -> None:
    """Orders in every status: past weeks produced, this week and next planned, some waiting."""
    this_monday = demo.today - timedelta(days=demo.today.weekday())
    first = this_monday - timedelta(weeks=ORDER_WEEKS_BACK)
    board_last = this_monday + timedelta(days=11)  # Friday of next week
    groups = [g for g in demo.groups if g.id not in demo.detached_groups
              and g.workfloor.name.split(" ")[0] in FLOOR_PRODUCTS]
    capacity = order_rules.available_hours([g.id for g in groups], first,
                                           board_last + timedelta(weeks=PLAN_AHEAD_WEEKS))
    runs = []
    for group in groups:
        runs += _run_group(demo, group, capacity, first, board_last)
        if demo.rng.random() < INTAKE_SHARE:
            _intake_order(demo, group, board_last)
    _miss_due_dates(demo, runs, board_last)
    _overload(demo, runs, capacity, board_last)
    _store_runs(demo, runs)


def _run_group(demo: Demo, group, capacity: dict, first: date, board_last: date) -> list:
    """Day by day, one order after another on the group's free hours, until past the board."""
    rng, runs, run = demo.rng, [], None
    fill = Decimal(1)
    day, last = first, max(day for _gid, day in capacity)
    while day <= last:
        hours = capacity[(group.id, day)]
        if day.weekday() >= 5 or hours <= 0:
            day += timedelta(days=1)
            continue
        if run is None:
            if day > board_last:
                break
            fill = Decimal(str(round(rng.uniform(0.7, 0.95), 2)))
            run = _new_order(demo, group, day, _typical_hours(capacity, group) * fill)
            runs.append(run)
        norm = Decimal(run.order.norm_per_hour)
        planned = _half_hours(min(hours * fill, run.remaining_units / norm + Decimal("0.49")))
        if planned > 0:
            run.cells[day] = planned
            if day < demo.today:
                _produce(demo, run, day, planned)
            else:
                run.planned_units += planned * norm
        if run.remaining_units <= 0:
            run = None
        day += timedelta(days=1)
    return runs


def _typical_hours(capacity: dict, group) -> Decimal:
    working = [h for (gid, _day), h in capacity.items() if gid == group.id and h > 0]
    return sum(working, Decimal(0)) / max(1, len(working))


def _half_hours(value: Decimal) -> Decimal:
    return (Decimal(value) * 2).to_integral_value(rounding="ROUND_FLOOR") / 2


def _new_order(demo: Demo, group, first_day: date, daily_hours: Decimal) -> OrderRun:
    rng = demo.rng
    product, unit, (low, high), client_names = rng.choice(
        FLOOR_PRODUCTS[group.workfloor.name.split(" ")[0]])
    norm = Decimal(rng.randint(low, high))
    days = rng.randint(*ORDER_DAYS)
    quantity = _round_quantity(daily_hours * days * norm)
    client = _client(demo, rng.choice(client_names))
    start = first_day - timedelta(days=rng.randint(0, 3))
    created = min(at(start - timedelta(days=rng.randint(5, 15)), 10, rng.randint(0, 59)),
                  demo.now - timedelta(hours=rng.randint(26, 72)))  # never in the future
    due = first_day + timedelta(days=round(days * 7 / 5 * 1.3) + rng.randint(2, 8))
    order = order_rules.create_order(
        demo.users["planning"], client=client, product=product, quantity=quantity, unit=unit,
        norm_per_hour=norm, start_date=start, due_date=due, workfloor=group.workfloor,
        location=group.workfloor.location, notes="")
    _date_order(order, created)
    return OrderRun(order=order, group=group)


def _round_quantity(units: Decimal) -> int:
    step = 1000 if units > 20000 else 100 if units > 2000 else 10
    return max(step, int(units / step) * step)


def _client(demo: Demo, name: str):
    return next(c for c in demo.clients if c.name == name)


def _date_order(order, created: datetime) -> None:
    Order.update(created_at=created).where(Order.id == order.id).execute()
    OrderStatusChange.update(changed_at=created).where(
        OrderStatusChange.order == order.id).execute()
    order.created_at = created


def _produce(demo: Demo, run: OrderRun, day: date, hours: Decimal) -> None:
    """What the group made in its planned hours: about the norm, a few rejects."""
    rng = demo.rng
    made = int(hours * Decimal(run.order.norm_per_hour) * Decimal(str(rng.uniform(0.8, 1.05))))
    rejects = int(made * rng.uniform(0, 0.03))
    needed = run.order.quantity - run.good
    if made - rejects >= needed:  # the last batch: just what was still needed
        made = needed + rejects
        run.finished = day
    if made > 0:
        run.made.append((day, made, rejects))
        run.good += made - rejects


def _intake_order(demo: Demo, group, board_last: date) -> None:
    """A new order taken in this week, to start after the board: the planner's next job."""
    rng = demo.rng
    product, unit, (low, high), client_names = rng.choice(
        FLOOR_PRODUCTS[group.workfloor.name.split(" ")[0]])
    norm = Decimal(rng.randint(low, high))
    start = board_last + timedelta(days=rng.randint(3, 20))
    order = order_rules.create_order(
        demo.users["planning"], client=_client(demo, rng.choice(client_names)), product=product,
        quantity=_round_quantity(norm * rng.randint(300, 1200)), unit=unit, norm_per_hour=norm,
        start_date=start, due_date=start + timedelta(days=rng.randint(14, 35)),
        workfloor=group.workfloor, location=group.workfloor.location,
        notes=rng.choice(("", "", "Levering in delen mogelijk", "Klant levert materiaal aan")))
    _date_order(order, min(demo.now, at(demo.today - timedelta(days=rng.randint(0, 6)), 10)))


def _miss_due_dates(demo: Demo, runs: list, board_last: date) -> None:
    """A couple of orders in production whose due date falls before their planned hours end."""
    candidates = [r for r in runs if r.made and r.finished is None
                  and len([d for d in r.cells if demo.today <= d <= board_last]) >= 4]
    for run in demo.rng.sample(candidates, min(LATE_ORDERS, len(candidates))):
        ahead = sorted(d for d in run.cells if d >= demo.today)
        due = ahead[1]
        for day in ahead[2:]:
            del run.cells[day]  # the planner cannot plan past the due date
        run.order.due_date = due


def _overload(demo: Demo, runs: list, capacity: dict, board_last: date) -> None:
    """A few cells on the board with more hours than the group has that day."""
    cells = sorted((run.order.id, day, run) for run in runs for day in run.cells
                   if demo.today <= day <= board_last)
    for _id, day, run in demo.rng.sample(cells, min(OVERLOADED_CELLS, len(cells))):
        available = capacity[(run.group.id, day)]
        run.cells[day] = _half_hours(available * Decimal(str(demo.rng.uniform(1.15, 1.35))))


def _store_runs(demo: Demo, runs: list) -> None:
    """The simulated orders' plan, production, status and status history, in bulk."""
    planner = demo.users["planning"]
    assignments, production, changes = [], [], []
    for run in runs:
        order, supervisor = run.order, run.group.supervisor_id
        order.due_date = max(order.due_date, max(run.cells))
        planned_at = min(order.created_at + timedelta(days=demo.rng.randint(1, 3), hours=3),
                         at(min(run.cells), 8), demo.now - timedelta(hours=1))
        assignments += [dict(order=order.id, work_group=run.group.id, day=day, hours=hours,
                             created_by=planner, created_at=planned_at)
                        for day, hours in sorted(run.cells.items())]
        production += [dict(order=order.id, work_group=run.group.id, day=day, quantity=made,
                            rejects=rejects, registered_by=supervisor,
                            registered_at=at(day, 15, 45))
                       for day, made, rejects in run.made]
        steps = _status_steps(demo, run, planned_at, planner.id, supervisor)
        changes += [dict(order=order.id, from_status=before, to_status=after, changed_by=user,
                         changed_at=moment) for before, after, user, moment in steps]
        Order.update(status=steps[-1][1], due_date=order.due_date).where(
            Order.id == order.id).execute()
    for model, rows in ((Assignment, assignments), (Production, production),
                        (OrderStatusChange, changes)):
        for batch in chunked(rows, BATCH * 5):
            model.insert_many(batch).execute()


def _status_steps(demo: Demo, run: OrderRun, planned_at: datetime, planner: int,
                  supervisor: int) -> list[tuple]:
    """(from, to, by, when) for each move after intake, as the rules would have made them."""
    steps = [(INTAKE, PLANNED, planner, planned_at)]
    if run.made:  # the first registration moves the order into production
        steps.append((PLANNED, IN_PRODUCTION, supervisor, at(run.made[0][0], 15, 45)))
    if run.finished is not None:
        steps.append((IN_PRODUCTION, READY, planner, at(run.finished, 16, 30)))
        invoiced = at(run.finished + timedelta(days=demo.rng.randint(3, 10)), 10)
        if invoiced < demo.now - timedelta(days=1) and demo.rng.random() < 0.8:
            steps.append((READY, INVOICED, planner, invoiced))
    return steps


# The demo is built in this order; a new area appends its own function here.
SECTIONS = [users, municipalities, clients, locations, workfloors, groups, employees,
            badges, pins, tablets, detachments, planned_leave, attendance, statements,
            orders]
