"""The day's list a tablet keeps to name a queued scan: who is expected here, by a badge key."""

import hashlib
from datetime import date, time, timedelta

from portal.kiosk import daylist
from portal.kiosk.badges import revoke_badges
from portal.tokens import sha256

MONDAY = date(2026, 11, 23)
EVERY_DAY = {d: (time(8), time(16), 0) for d in range(7)}


def initials(person):
    return person.first_name[:1] + person.last_name[:1]


def test_the_list_names_those_expected_here_today_by_a_salted_badge_key(app, make):
    group = make.group()
    samira = make.employee(work_group=group, first_name="Samira", last_name="Bakker")
    token = make.badge(samira)[1]
    weekend = make.employee(work_group=group, first_name="Joost", schedule={5: (time(8), time(12), 0)})
    make.badge(weekend)
    newcomer = make.employee(work_group=group, first_name="Fatma", start_date=MONDAY + timedelta(days=7))
    make.badge(newcomer)
    revoked = make.employee(work_group=group, first_name="Kees")
    make.badge(revoked)
    revoke_badges(revoked)
    make.badge(make.employee(work_group=make.group(), first_name="Elders"))
    device, _credential = make.device(workfloor=group.workfloor)

    listed = daylist.day_list(device, MONDAY, initials)

    assert listed["day"] == "2026-11-23" and len(listed["salt"]) == 24
    # What the tablet computes from the code it read: sha256 of the token, then of salt:hash.
    key = hashlib.sha256(f"{listed['salt']}:{hashlib.sha256(token.encode()).hexdigest()}"
                         .encode()).hexdigest()[:24]
    assert listed["people"] == [{"badge": key, "first_name": "Samira", "initials": "SB"}]
    assert sha256(token) not in str(listed)
    # a fresh salt each time: yesterday's list is no key to today's
    assert daylist.day_list(device, MONDAY, initials)["salt"] != listed["salt"]
    assert daylist.day_list(device, date(2026, 12, 25), initials)["people"] == []  # Christmas
