"""What an office worker stumbled on: detaching a planned group, the location list, names."""

from datetime import date, timedelta

import pytest

from portal.detachments.models import Detachment
from portal.timeutil import today


@pytest.fixture
def planner(make):
    return make.user("planner")


def _form(where, **fields):
    data = {"client": str(where.client.id), "location": str(where.id), "kind": "group",
            "name": "", "start_date": today().isoformat(), "end_date": "", "work_group": "",
            "employee": "", "member_start": "", "member_end": "", "notes": ""}
    data.update(fields)
    return data


def test_detaching_a_group_with_planned_hours_shows_what_has_to_move_first(client, login, make,
                                                                        planner):
    group = make.group(name="Ploeg Metaal")
    make.employee(work_group=group)
    order = make.order(product="Beugels zetten", start_date=today(),
                       due_date=today() + timedelta(days=40))
    make.assignment(order, group, today() + timedelta(days=3), "600")
    make.assignment(order, group, today() + timedelta(days=10), "593")
    make.assignment(order, group, today() - timedelta(days=3), "8")  # the past stays
    where = make.client_location()
    login(planner)
    response = client.post("/detachments/", data=_form(where, work_group=str(group.id)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert Detachment.select().count() == 0
    assert "moeten naar een andere ploeg" in page
    assert "Beugels zetten" in page and "1.193" in page
    assert 'name="move_planned"' in page
    confirmed = client.post("/detachments/", data=_form(where, work_group=str(group.id),
                                                        move_planned="y"))
    assert confirmed.status_code == 303 and Detachment.select().count() == 1
    shown = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "flash-warning" in shown and "1.193 geplande uren" in shown


def test_detaching_a_group_without_planned_work_asks_nothing(client, login, make, planner):
    group = make.group()
    make.employee(work_group=group)
    order = make.order(start_date=today() - timedelta(days=30), due_date=today() + timedelta(5))
    make.assignment(order, group, today() - timedelta(days=2), "8")  # before the detachment
    login(planner)
    response = client.post("/detachments/", data=_form(make.client_location(),
                                                       work_group=str(group.id)))
    assert response.status_code == 303


def test_the_location_list_holds_only_the_chosen_client_s_sites(client, login, make, planner):
    mine = make.client_location(name="Fictief Metaal · Hal 2")
    other = make.client_location(name="Bakker · Magazijn")
    login(planner)
    everything = client.get("/detachments/new").get_data(as_text=True)
    assert "Hal 2" in everything and "Magazijn" in everything  # without a client: all, by client
    chosen = client.get(f"/detachments/new?client={mine.client_id}",
                        headers={"HX-Request": "true"}).get_data(as_text=True)
    field = chosen[chosen.index('id="field-location"'):]
    field = field[:field.index("</select>")]
    assert "Hal 2" in field and "Magazijn" not in field
    assert f'hx-get="/detachments/new"' in chosen  # choosing a client asks for its sites
    # A site of another client is refused and nothing is stored.
    response = client.post("/detachments/", data=_form(mine, location=str(other.id),
                                                       kind="individual",
                                                       employee=str(make.employee().id)))
    assert response.status_code == 422 and Detachment.select().count() == 0


def test_the_client_sees_names_and_never_personnel_numbers(client, make):
    from portal.detachments import statements as rules

    anna = make.employee(first_name="Anna", last_name="Visser", employee_number="P-48213")
    det = make.detachment(people=[anna], start=date(2026, 1, 1), rate="30")
    make.worked(anna, date(2026, 3, 2), 7.5, det.location)
    _statement, token = rules.send_statement(det, date(2026, 3, 1))
    page = client.get(f"/detachments/link/{token}").get_data(as_text=True)
    assert "Anna Visser" in page and "P-48213" not in page


def test_the_detachment_shows_where_its_hours_come_from(client, login, make, planner):
    from portal.timeutil import today as today_

    group = make.group()
    anna = make.employee(work_group=group, first_name="Anna", last_name="Visser")
    own_site = make.location(name="Hoofdvestiging")
    first = today_().replace(day=1)
    det = make.detachment("group", group_=group, start=first - timedelta(days=40), rate="30")
    # Anna clocks at the own site, not at the client's: nothing of it can be billed.
    make.worked(anna, first, 7.5, own_site)
    login(planner)
    page = client.get(f"/detachments/{det.id}").get_data(as_text=True)
    section = page[page.index('id="h-sources"'):]
    section = section[:section.index("</section>")]
    assert "Hoofdvestiging: 7,50" in section
    assert "Niets te factureren" in section and "andere plek" in section
    assert "Geen tablet" in section
    make.worked(anna, first + timedelta(days=1), 6, det.location)
    page = client.get(f"/detachments/{det.id}").get_data(as_text=True)
    section = page[page.index('id="h-sources"'):]
    section = section[:section.index("</section>")]
    assert "Niets te factureren" not in section and "6,00" in section


def test_the_statement_page_warns_before_an_empty_statement_goes_out(client, login, make,
                                                                    planner):
    from portal.detachments.models import Statement

    anna = make.employee()
    det = make.detachment(people=[anna], start=date(2026, 1, 1), rate="30")
    make.worked(anna, date(2026, 3, 2), 7.5, make.location(name="Hoofdvestiging"))
    login(planner)
    page = client.get(f"/detachments/{det.id}/statements/2026-03").get_data(as_text=True)
    assert "geen uren" in page and 'name="send_empty"' in page
    refused = client.post(f"/detachments/{det.id}/statements/2026-03/send")
    assert refused.status_code == 303 and Statement.select().count() == 0
    shown = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "bevestig" in shown
    sent = client.post(f"/detachments/{det.id}/statements/2026-03/send",
                       data={"send_empty": "1"})
    assert sent.status_code == 200 and Statement.get().status == "sent"


def test_the_statement_says_which_hours_it_bills(client, login, make, planner):
    anna = make.employee()
    det = make.detachment(people=[anna], start=date(2026, 1, 1), rate="30")
    make.worked(anna, date(2026, 3, 2), 8, det.location)
    login(planner)
    page = client.get(f"/detachments/{det.id}/statements/2026-03").get_data(as_text=True)
    assert "gewerkte uren, zonder pauzes" in page and "7,50" in page
