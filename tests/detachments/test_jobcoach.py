"""The jobcoach: chosen per individual detachment, enters its weekly hours, sees nothing else."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from portal.audit import AuditEntry
from portal.detachments import (client_links as link_rules, hours as hour_rules,
                                members as member_rules, overview as overview_rules,
                                statements as statement_rules)
from portal.detachments.models import Detachment, HoursEntry
from portal.refusal import Refused
from portal.timeutil import today
from tests import factories

START = date(2026, 1, 1)
MARCH = date(2026, 3, 1)
WRONG_JOBCOACH = "Kies een actieve gebruiker met de rol jobcoach."


@pytest.fixture
def w(make):
    """Two jobcoaches, each with an individual detachment, and the other roles."""
    coach = make.user("jobcoach", display_name="Jan de Coach")
    other_coach = make.user("jobcoach", display_name="Els Begeleider")
    anna = make.employee(first_name="Anna", last_name="Visser")
    bob = make.employee(first_name="Bob", last_name="Smit")
    return SimpleNamespace(
        coach=coach, other_coach=other_coach, anna=anna, bob=bob,
        det=make.detachment(people=[anna], start=START, rate="31.25", name="Anna bij Bakkerij",
                            jobcoach=coach),
        other_det=make.detachment(people=[bob], start=START, name="Bob bij Garage",
                                  jobcoach=other_coach),
        planner=make.user("planner"), supervisor=make.user("supervisor"), hr=make.user("hr"))


def _hours(employee, week: date, **days):
    return {"employee": str(employee.id), "week": week.isoformat(),
            **{f"e{employee.id}-{day}": value for day, value in days.items()}}


# -- the rules ------------------------------------------------------------------------------

def test_only_an_active_jobcoach_can_be_chosen(make, w):
    assert member_rules.find_jobcoach(None) is None
    assert member_rules.find_jobcoach(w.coach.id) == w.coach
    w.coach.is_active_account = False
    w.coach.save()
    for user_id in (w.coach.id, w.planner.id, 999999):
        with pytest.raises(Refused) as refused:
            member_rules.find_jobcoach(user_id)
        assert refused.value.field == "jobcoach"


def test_a_group_detachment_has_no_jobcoach(make, w):
    group = make.group()
    make.employee(work_group=group)
    made = make.detachment("group", group_=group, jobcoach=w.coach)
    assert made.jobcoach_id is None  # a leftover from the hidden individual fields
    with pytest.raises(Refused) as refused:
        member_rules.update_detachment(made, name=made.name, start=made.start_date, end=None, notes="",
                                       is_active=True, jobcoach=w.coach)
    assert refused.value.field == "jobcoach"


def test_changing_the_jobcoach_is_logged(make, w):
    member_rules.update_detachment(w.det, name=w.det.name, start=START, end=None, notes="",
                                   is_active=True, jobcoach=w.other_coach, user=w.planner.id)
    entry = AuditEntry.select().where(AuditEntry.action == "detachment.update").get()
    assert str(w.coach.id) in entry.before and str(w.other_coach.id) in entry.after
    assert Detachment.get_by_id(w.det.id).jobcoach_id == w.other_coach.id


def test_placements_are_the_running_individual_detachments_with_this_week_s_hours(make, w):
    day = today()
    monday = hour_rules.week_start(day)
    hour_rules.save_week(w.det, w.anna, monday, [Decimal("7.5"), Decimal("4")] + [None] * 5)
    ended = make.detachment(people=[make.employee()], start=START, end=day - timedelta(days=30),
                            jobcoach=w.coach)
    placements = overview_rules.coached_placements(w.coach, day)
    assert [p["detachment"].id for p in placements] == [w.det.id]
    assert placements[0]["people"] == [(w.anna, Decimal("11.50"))]
    assert ended.id not in [p["detachment"].id for p in placements]
    assert overview_rules.coached_placements(w.other_coach, day)[0]["people"] == [(w.bob, None)]


# -- the planner chooses the jobcoach -------------------------------------------------------

def _new_form(where, person, **fields):
    data = {"client": str(where.client.id), "location": str(where.id), "kind": "individual",
            "name": "", "start_date": "2026-03-01", "end_date": "", "work_group": "",
            "employee": str(person.id), "member_start": "", "member_end": "", "notes": "",
            "jobcoach": ""}
    data.update(fields)
    return data


def test_planner_chooses_a_jobcoach_for_a_new_individual_detachment(client, login, make, w):
    where = make.client_location()
    person = make.employee()
    login(w.planner)
    form_page = client.get("/detachments/new").get_data(as_text=True)
    assert ">Jan de Coach</option>" in form_page
    assert f">{w.planner.display_name}</option>" not in form_page
    response = client.post("/detachments/", data=_new_form(where, person,
                                                           jobcoach=str(w.coach.id)))
    assert response.status_code == 303
    made = Detachment.select().order_by(Detachment.id.desc()).get()
    assert made.jobcoach_id == w.coach.id
    page = client.get(f"/detachments/{made.id}").get_data(as_text=True)
    assert "Jan de Coach" in page


@pytest.mark.parametrize("chosen", ["planner", "inactive", "missing"])
def test_a_user_who_is_no_active_jobcoach_is_refused_beside_the_field(client, login, make, w,
                                                                      chosen):
    inactive = make.user("jobcoach", is_active_account=False)
    user_id = {"planner": w.planner.id, "inactive": inactive.id, "missing": 999999}[chosen]
    where = make.client_location()
    login(w.planner)
    before = Detachment.select().count()
    response = client.post("/detachments/", data=_new_form(where, make.employee(),
                                                           jobcoach=str(user_id)))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="jobcoach-error"' in page and WRONG_JOBCOACH in page
    assert Detachment.select().count() == before
    response = client.post(f"/detachments/{w.det.id}", data={
        "name": w.det.name, "start_date": "2026-01-01", "end_date": "", "notes": "",
        "is_active": "y", "jobcoach": str(user_id)})
    assert response.status_code == 422
    assert WRONG_JOBCOACH in response.get_data(as_text=True)
    assert Detachment.get_by_id(w.det.id).jobcoach_id == w.coach.id


def test_planner_changes_or_clears_the_jobcoach_on_the_edit_form(client, login, make, w):
    login(w.planner)
    page = client.get(f"/detachments/{w.det.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{w.coach.id}">' in page
    data = {"name": w.det.name, "start_date": "2026-01-01", "end_date": "", "notes": "",
            "is_active": "y", "jobcoach": str(w.other_coach.id)}
    assert client.post(f"/detachments/{w.det.id}", data=data).status_code == 303
    assert Detachment.get_by_id(w.det.id).jobcoach_id == w.other_coach.id
    data["jobcoach"] = ""
    assert client.post(f"/detachments/{w.det.id}", data=data).status_code == 303
    assert Detachment.get_by_id(w.det.id).jobcoach_id is None


def test_a_group_detachment_s_edit_form_offers_no_jobcoach(client, login, make, w):
    group = make.group()
    make.employee(work_group=group)
    det = make.detachment("group", group_=group)
    login(w.planner)
    page = client.get(f"/detachments/{det.id}/edit").get_data(as_text=True)
    assert 'name="jobcoach"' not in page


def test_the_admin_makes_a_jobcoach_account(client, login, make):
    from portal.auth.models import User

    login(make.user("admin"))
    assert 'value="jobcoach"' in client.get("/auth/users/new").get_data(as_text=True)
    response = client.post("/auth/users", data={
        "username": "jan.coach", "display_name": "Jan Coach", "role": "jobcoach",
        "locale": "nl", "password": "lang-genoeg-1", "confirm": "lang-genoeg-1"})
    assert response.status_code == 303
    assert User.get(User.username == "jan.coach").role == "jobcoach"
    assert "Jobcoach" in client.get("/auth/users?q=jan").get_data(as_text=True)


# -- the jobcoach's own pages ---------------------------------------------------------------

def test_a_jobcoach_lands_on_his_placements_beside_his_trajectories(client, make, w):
    response = client.post("/auth/login", data={"username": w.coach.username,
                                                "password": factories.PASSWORD},
                           follow_redirects=True)
    assert response.request.path == "/detachments/mine"
    page = response.get_data(as_text=True)
    nav = page[page.index('<nav aria-label="Hoofdmenu"'):page.index("</nav>")]
    # Since the trajectories area: his caseload and the vacancies, nothing of the company.
    assert nav.count("<li>") == 3 and "Mijn gedetacheerden" in nav and "Trajecten" in nav


def test_the_placements_page_shows_own_people_and_hours_but_no_money(client, login, make, w):
    monday = hour_rules.week_start(today())
    hour_rules.save_week(w.det, w.anna, monday, [Decimal("7.5")] + [None] * 6)
    login(w.coach)
    page = client.get("/detachments/mine").get_data(as_text=True)
    assert "Anna bij Bakkerij" in page and "Anna Visser" in page and "7,50" in page
    assert f"/detachments/{w.det.id}/hours?week={monday.isoformat()}" in page
    assert "Bob" not in page and "Garage" not in page
    assert "31,25" not in page and "€" not in page and "Tarief" not in page
    assert f'href="/detachments/{w.det.id}"' not in page
    client.post("/auth/logout")
    login(w.other_coach)
    page = client.get("/detachments/mine").get_data(as_text=True)
    assert "Bob Smit" in page and "Nog niet ingevuld" in page and "Anna" not in page


def test_a_jobcoach_enters_the_hours_of_his_own_detachment(client, login, make, w):
    login(w.coach)
    page = client.get(f"/detachments/{w.det.id}/hours?week=2026-03-04").get_data(as_text=True)
    assert "Anna Visser" in page and 'href="/detachments/mine"' in page
    assert f'href="/detachments/{w.det.id}"' not in page and "31,25" not in page
    response = client.post(f"/detachments/{w.det.id}/hours",
                           data=_hours(w.anna, date(2026, 3, 2), monday="7,5", friday="4"))
    assert response.status_code == 303
    entry = HoursEntry.get()
    assert (entry.monday, entry.friday, entry.entered_by_id) == (
        Decimal("7.50"), Decimal("4.00"), w.coach.id)


@pytest.mark.parametrize("who, status", [
    ("coach", 200), ("other_coach", 404), ("planner", 200), ("supervisor", 403), ("hr", 403)])
def test_who_opens_and_saves_the_week_form(client, login, make, w, who, status):
    login(getattr(w, who))
    assert client.get(f"/detachments/{w.det.id}/hours").status_code == status
    response = client.post(f"/detachments/{w.det.id}/hours",
                           data=_hours(w.anna, date(2026, 3, 2), monday="8"))
    assert response.status_code == (303 if status == 200 else status)
    assert HoursEntry.select().count() == (1 if status == 200 else 0)


def test_forged_ids_tell_a_jobcoach_nothing(client, login, make, w):
    group = make.group()
    make.employee(work_group=group)
    group_det = make.detachment("group", group_=group)
    login(w.coach)
    for detachment_id in (w.other_det.id, group_det.id, 999999):
        assert client.get(f"/detachments/{detachment_id}/hours").status_code == 404
        response = client.post(f"/detachments/{detachment_id}/hours",
                               data=_hours(w.bob, date(2026, 3, 2), monday="8"))
        assert response.status_code == 404
    # Another detachment's employee under his own detachment: refused, nothing stored.
    response = client.post(f"/detachments/{w.det.id}/hours",
                           data=_hours(w.bob, date(2026, 3, 2), monday="8"))
    assert response.status_code == 422
    assert HoursEntry.select().count() == 0


@pytest.mark.parametrize("path", [
    "/detachments/", "/detachments/list", "/detachments/{det}", "/detachments/{det}/edit",
    "/detachments/{det}/statements/2026-03", "/detachments/clients/{client}/2026-03",
    "/people/employees", "/attendance/", "/orders/board"])
def test_a_jobcoach_sees_nothing_else(client, login, make, w, path):
    login(w.coach)
    url = path.format(det=w.det.id, client=w.det.client_id)
    assert client.get(url).status_code == 403


def test_an_approved_month_refuses_the_jobcoach_with_the_reason(client, login, make, w):
    statement, _token = statement_rules.send_statement(w.det, MARCH, send_empty=True)
    link_rules.approve(statement, name="Petra de Klant")
    login(w.coach)
    page = client.get(f"/detachments/{w.det.id}/hours?week=2026-03-02").get_data(as_text=True)
    assert "goedgekeurde maand" in page
    response = client.post(f"/detachments/{w.det.id}/hours",
                           data=_hours(w.anna, date(2026, 3, 2), monday="8"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="e{w.anna.id}-monday-error"' in page and "is goedgekeurd door de klant" in page
    assert HoursEntry.select().count() == 0
