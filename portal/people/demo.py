"""The demo company's master data: municipalities, clients, sites, floors, groups, employees."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from peewee import chunked

from portal.auth.models import SUPERVISOR, User
from portal.demo_kit import BATCH, DEMO_PASSWORD, Demo, Person, section
from portal.people.models import (Client, Employee, Location, Municipality, Schedule, ScheduleDay,
                                  WorkGroup, Workfloor)

CURRENT_EMPLOYEES = 600
FORMER_EMPLOYEES = 24
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
MUNICIPALITIES = (("Gemeente Lindendal", 50), ("Gemeente Havervoort", 30),
                  ("Gemeente Brugveen", 20))


@section(20)
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


@section(21)
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


@section(22)
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


@section(23)
def workfloors(demo: Demo) -> None:
    """Ten workfloors on the own sites, with their workplaces."""
    demo.workfloors = [
        Workfloor.create(name=name, location=demo.locations[key], workplaces=places)
        for name, key, places, _groups in WORKFLOORS
    ]


@section(24)
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


@section(25)
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
