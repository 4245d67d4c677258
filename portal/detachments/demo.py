"""The demo's detachments: groups and individuals at clients' sites, and their statements."""

from datetime import date, timedelta
from decimal import Decimal

from portal.attendance import rules as attendance_rules
from portal.demo_kit import Demo, Person, at, section
from portal.detachments import (client_links as link_rules, hours as hour_rules,
                                members as member_rules, periods, rates as rate_rules,
                                statements as statement_rules)
from portal.detachments.models import (APPROVED, DISPUTED, GROUP, INDIVIDUAL, PER_HOUR,
                                       PER_PERSON_DAY, PER_PERSON_MONTH, SENT, Statement)
from portal.people.models import Employee, Location

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


@section(40)
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


@section(60)
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
    # The demo's attendance covers only the last weeks: older months are sent empty on purpose.
    statement, _token = statement_rules.send_statement(detachment, month,
                                                       user=demo.users["planning"], now=sent,
                                                       send_empty=True)
    Statement.update(created_at=sent).where(Statement.id == statement.id).execute()
    answered = min(sent + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6)),
                   demo.now - timedelta(hours=1))
    if state == APPROVED:
        link_rules.approve(statement, name=detachment.client.contact_name or "Inkoop",
                           now=answered)
    elif state == DISPUTED:
        line = max((line for person in statement.content["people"] for line in person["lines"]),
                   key=lambda line: (Decimal(line["hours"]), line["key"]))
        name = next(p["name"] for p in statement.content["people"]
                    if line in p["lines"]).split(" ")[0]
        day = date.fromisoformat(line["day"])
        link_rules.dispute(statement, line["key"],
                           DISPUTE_COMMENT.format(day=f"{day:%d-%m}", name=name),
                           now=answered)
