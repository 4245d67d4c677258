"""The company structure through its pages: lists, forms, bad input, deactivation."""

import pytest

from portal.audit import AuditEntry
from portal.people.models import Client, Location, Municipality, Workfloor, WorkGroup

HTMX = {"HX-Request": "true"}


@pytest.fixture
def admin(login, make):
    user = make.user("admin")
    login(user)
    return user


def _text(response) -> str:
    return response.get_data(as_text=True)


# -- Creating, with and without htmx ----------------------------------------------------------

def test_admin_creates_each_kind_and_it_is_logged(client, admin, make):
    supervisor = make.user("supervisor", display_name="Sem Werkleider")
    posts = [
        ("/people/municipalities", {"name": "Gemeente Zandvoort-Oost"}),
        ("/people/clients", {"name": "Fictief Verpakt BV", "kvk_number": "1234 5678",
                             "contact_name": "Els Inkoop", "email": "els@fictief.example",
                             "phone": "+31 6 1234 5678"}),
        ("/people/locations", {"name": "Hal Noord", "kind": "own", "street": "Werkweg 1",
                               "postcode": "1234ab", "city": "Zandvoort"}),
    ]
    for url, data in posts:
        assert client.post(url, data=data).status_code == 303, url
    location = Location.get(Location.name == "Hal Noord")
    assert location.postcode == "1234 AB"
    assert Client.get().kvk_number == "12345678"
    response = client.post("/people/workfloors", data={"name": "Inpak", "location": location.id,
                                                       "workplaces": "24"})
    assert response.status_code == 303
    floor = Workfloor.get(Workfloor.name == "Inpak")
    response = client.post("/people/groups", data={"name": "Inpak A", "supervisor": supervisor.id,
                                                   "workfloor": floor.id})
    assert response.status_code == 303
    group = WorkGroup.get(WorkGroup.name == "Inpak A")
    assert (group.supervisor_id, group.workfloor_id) == (supervisor.id, floor.id)
    actions = [entry.action for entry in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions == ["municipality.create", "client.create", "location.create",
                       "workfloor.create", "group.create"]
    assert AuditEntry.get(AuditEntry.action == "group.create").user_id == admin.id
    page = _text(client.get("/people/groups"))
    assert "Inpak A" in page and "Sem Werkleider" in page and "Inpak A is aangemaakt." in page


def test_htmx_create_redirects_the_whole_page(client, admin):
    response = client.post("/people/municipalities", data={"name": "Gemeente Hx"}, headers=HTMX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/people/municipalities"
    assert Municipality.get().name == "Gemeente Hx"


def test_htmx_refusal_answers_422_with_the_message_beside_the_field(client, admin):
    response = client.post("/people/municipalities", data={"name": ""}, headers=HTMX)
    assert response.status_code == 422
    body = _text(response)
    assert 'id="field-name"' in body and "Dit veld is vereist." in body
    assert 'aria-describedby="name-error"' in body
    assert Municipality.select().count() == 0


# -- Bad input: a Dutch message beside the field, 422, nothing stored -------------------------

def _valid(kind, world):
    """A valid form for each kind, to spoil one field at a time."""
    return {
        "municipality": {"name": "Gemeente Nieuw"},
        "client": {"name": "Nieuwe Klant BV", "kvk_number": "87654321",
                   "email": "info@nieuw.example", "phone": "0412 123456"},
        "location": {"name": "Nieuwe Hal", "kind": "own", "postcode": "5211 AB",
                     "city": "Testdorp"},
        "workfloor": {"name": "Nieuwe vloer", "location": world.location.id, "workplaces": "10"},
        "group": {"name": "Nieuwe ploeg", "supervisor": world.supervisor.id,
                  "workfloor": world.workfloor.id},
    }[kind]


PLURAL = {"municipality": "municipalities", "client": "clients", "location": "locations",
          "workfloor": "workfloors", "group": "groups"}
MODEL = {"municipality": Municipality, "client": Client, "location": Location,
         "workfloor": Workfloor, "group": WorkGroup}


@pytest.fixture
def world(make):
    class World:
        pass

    w = World()
    w.supervisor = make.user("supervisor")
    w.planner = make.user("planner")
    w.group = make.group(name="Bestaande ploeg", supervisor=w.supervisor)
    w.workfloor = w.group.workfloor
    w.location = w.workfloor.location
    w.municipality = make.municipality(name="Gemeente Bestaand")
    w.client = make.client(name="Bestaande Klant BV")
    w.inactive_client = make.client(name="Oude Klant BV", is_active=False)
    w.client_site = make.location(name="Bij de klant", kind="client", client=w.client)
    w.inactive_location = make.location(name="Gesloten hal", is_active=False)
    w.inactive_floor = make.workfloor(name="Oude vloer", is_active=False)
    w.gone_supervisor = make.user("supervisor", is_active_account=False)
    return w


BAD_INPUT = [
    # (kind, field overrides, message)
    *[(kind, {"name": ""}, "Dit veld is vereist.") for kind in PLURAL],
    *[(kind, {"name": "   "}, "Dit veld is vereist.") for kind in PLURAL],
    *[(kind, {"name": "X" * 10_000}, "Veld mag niet langer zijn dan") for kind in PLURAL],
    ("municipality", {"name": "gemeente bestaand"}, "Er is al een gemeente met deze naam."),
    ("client", {"name": "Bestaande Klant BV"}, "Er is al een klant met deze naam."),
    ("location", {"name": "BIJ DE KLANT"}, "Er is al een locatie met deze naam."),
    ("group", {"name": "Bestaande ploeg"}, "Er is al een ploeg met deze naam."),
    ("client", {"kvk_number": "1234567"}, "Een KvK-nummer heeft precies 8 cijfers."),
    ("client", {"kvk_number": "1234567a"}, "Een KvK-nummer heeft precies 8 cijfers."),
    ("client", {"email": "info@"}, "Vul een e-mailadres in zoals naam@bedrijf.nl."),
    ("client", {"phone": "bel me"}, "Vul een telefoonnummer in"),
    ("location", {"postcode": "12345"}, "Vul een Nederlandse postcode in zoals 1234 AB."),
    ("location", {"postcode": "0123 AB"}, "Vul een Nederlandse postcode in zoals 1234 AB."),
    ("location", {"kind": "castle"}, "Ongeldige keuze"),
    ("location", {"kind": "client"}, "Kies de klant van deze locatie."),
    ("location", {"client": "CLIENT"}, "Een eigen vestiging heeft geen klant"),
    ("location", {"kind": "client", "client": "999999"},
     "Deze klant bestaat niet of is niet actief."),
    ("location", {"kind": "client", "client": "INACTIVE_CLIENT"},
     "Deze klant bestaat niet of is niet actief."),
    ("location", {"kind": "client", "client": "abc"}, "Ongeldige keuze"),
    ("location", {"kind": "client", "client": "9" * 30}, "Ongeldige keuze"),
    ("workfloor", {"location": "-1"}, "Ongeldige keuze"),
    ("group", {"supervisor": "1" + "0" * 20}, "Ongeldige keuze"),
    ("location", {"city": ""}, "Dit veld is vereist."),
    ("workfloor", {"workplaces": "0"}, "Vul een aantal in van 1 tot en met 500."),
    ("workfloor", {"workplaces": "-5"}, "Vul een aantal in van 1 tot en met 500."),
    ("workfloor", {"workplaces": "501"}, "Vul een aantal in van 1 tot en met 500."),
    ("workfloor", {"workplaces": "9" * 400}, "Vul een aantal in van 1 tot en met 500."),
    ("workfloor", {"workplaces": "twaalf"}, "Ongeldig getal."),
    ("workfloor", {"workplaces": "2.5"}, "Ongeldig getal."),
    ("workfloor", {"workplaces": ""}, "Dit veld is vereist."),
    ("workfloor", {"location": ""}, "Kies een locatie."),
    ("workfloor", {"location": "999999"}, "Deze locatie bestaat niet of is niet actief."),
    ("workfloor", {"location": "INACTIVE_LOCATION"},
     "Deze locatie bestaat niet of is niet actief."),
    ("workfloor", {"location": "CLIENT_SITE"}, "Een werkvloer hoort bij een eigen vestiging"),
    ("workfloor", {"name": "OUDE VLOER", "location": "INACTIVE_FLOOR_LOCATION"},
     "Deze locatie heeft al een werkvloer met deze naam."),
    ("group", {"supervisor": ""}, "Kies een werkleider."),
    ("group", {"supervisor": "PLANNER"}, "Kies een actieve gebruiker met de rol werkleider."),
    ("group", {"supervisor": "GONE_SUPERVISOR"},
     "Kies een actieve gebruiker met de rol werkleider."),
    ("group", {"supervisor": "999999"}, "Kies een actieve gebruiker met de rol werkleider."),
    ("group", {"workfloor": ""}, "Kies een werkvloer."),
    ("group", {"workfloor": "999999"}, "Deze werkvloer bestaat niet of is niet actief."),
    ("group", {"workfloor": "INACTIVE_FLOOR"}, "Deze werkvloer bestaat niet of is niet actief."),
]

PLACEHOLDERS = {
    "CLIENT": lambda w: w.client.id,
    "INACTIVE_CLIENT": lambda w: w.inactive_client.id,
    "INACTIVE_LOCATION": lambda w: w.inactive_location.id,
    "CLIENT_SITE": lambda w: w.client_site.id,
    "INACTIVE_FLOOR_LOCATION": lambda w: w.inactive_floor.location_id,
    "PLANNER": lambda w: w.planner.id,
    "GONE_SUPERVISOR": lambda w: w.gone_supervisor.id,
    "INACTIVE_FLOOR": lambda w: w.inactive_floor.id,
}


@pytest.mark.parametrize("kind, overrides, message", BAD_INPUT,
                         ids=[f"{k}-{'-'.join(o)}-{i}" for i, (k, o, _m) in enumerate(BAD_INPUT)])
def test_bad_input_gets_a_dutch_message_and_stores_nothing(client, admin, world, kind,
                                                           overrides, message):
    data = _valid(kind, world)
    data.update({field: PLACEHOLDERS[value](world) if value in PLACEHOLDERS else value
                 for field, value in overrides.items()})
    before = MODEL[kind].select().count()
    response = client.post(f"/people/{PLURAL[kind]}", data=data)
    assert response.status_code == 422
    assert message in _text(response)
    assert MODEL[kind].select().count() == before
    assert AuditEntry.select().count() == 0


@pytest.mark.parametrize("kind", PLURAL)
def test_the_valid_form_of_each_bad_input_case_is_accepted(client, admin, world, kind):
    response = client.post(f"/people/{PLURAL[kind]}", data=_valid(kind, world))
    assert response.status_code == 303


@pytest.mark.parametrize("kind", PLURAL)
def test_a_post_without_csrf_token_is_refused(client, admin, world, kind):
    before = MODEL[kind].select().count()
    response = client.post(f"/people/{PLURAL[kind]}", data=_valid(kind, world), csrf=False)
    assert response.status_code == 400
    assert "Dit formulier is verlopen" in _text(response)
    assert MODEL[kind].select().count() == before


def test_same_workfloor_name_is_fine_on_another_location(client, admin, make):
    first = make.workfloor(name="Montage")
    other = make.location()
    response = client.post("/people/workfloors", data={"name": "montage", "location": other.id,
                                                       "workplaces": "8"})
    assert response.status_code == 303
    response = client.post("/people/workfloors", data={
        "name": "MONTAGE", "location": first.location_id, "workplaces": "8"})
    assert response.status_code == 422
    assert "Deze locatie heeft al een werkvloer met deze naam." in _text(response)


# -- Changing ----------------------------------------------------------------------------------

def test_edit_shows_the_values_and_update_logs_before_and_after(client, admin, make):
    floor = make.workfloor(name="Houtbewerking", workplaces=12)
    page = _text(client.get(f"/people/workfloors/{floor.id}/edit"))
    assert 'value="Houtbewerking"' in page and 'value="12"' in page
    response = client.post(f"/people/workfloors/{floor.id}", data={
        "name": "Houtbewerking", "location": floor.location_id, "workplaces": "16"})
    assert response.status_code == 303
    assert Workfloor.get_by_id(floor.id).workplaces == 16
    entry = AuditEntry.get(AuditEntry.action == "workfloor.update")
    assert '"workplaces": 12' in entry.before and '"workplaces": 16' in entry.after


def test_renaming_to_its_own_name_in_other_letters_is_fine(client, admin, make):
    town = make.municipality(name="Gemeente Oud")
    response = client.post(f"/people/municipalities/{town.id}", data={"name": "GEMEENTE OUD"})
    assert response.status_code == 303
    assert Municipality.get_by_id(town.id).name == "GEMEENTE OUD"


def test_a_site_may_keep_its_client_after_the_client_was_deactivated(client, admin, make):
    customer = make.client(is_active=False)
    site = make.location(kind="client", client=customer)
    page = _text(client.get(f"/people/locations/{site.id}/edit"))
    assert f'<option selected value="{customer.id}">' in page
    response = client.post(f"/people/locations/{site.id}", data={
        "name": site.name, "kind": "client", "client": customer.id, "city": "Elders"})
    assert response.status_code == 303
    assert Location.get_by_id(site.id).city == "Elders"


def test_an_own_site_with_workfloors_cannot_become_a_client_site(client, admin, make):
    floor = make.workfloor()
    customer = make.client()
    response = client.post(f"/people/locations/{floor.location_id}", data={
        "name": "Hal", "kind": "client", "client": customer.id, "city": "Testdorp"})
    assert response.status_code == 422
    assert "Deze locatie heeft actieve werkvloeren" in _text(response)
    assert Location.get_by_id(floor.location_id).kind == "own"


def test_unknown_id_is_404(client, admin):
    for url in ("/people/groups/999999/edit", "/people/workfloors/999999/edit",
                f"/people/locations/{'9' * 30}/edit", "/people/clients/0/edit"):
        assert client.get(url).status_code == 404
    assert client.post("/people/clients/999999", data={"name": "X"}).status_code == 404


# -- Deactivation ------------------------------------------------------------------------------

def test_workfloor_with_active_groups_is_not_deactivated(client, admin, make):
    group = make.group()
    floor = group.workfloor
    response = client.post(f"/people/workfloors/{floor.id}/active", data={"active": "0"},
                           follow_redirects=True)
    assert "Deze werkvloer heeft nog 1 actieve ploeg." in _text(response)
    assert Workfloor.get_by_id(floor.id).is_active
    assert not AuditEntry.select().exists()

    client.post(f"/people/groups/{group.id}/active", data={"active": "0"})
    response = client.post(f"/people/workfloors/{floor.id}/active", data={"active": "0"},
                           follow_redirects=True)
    assert f"{floor.name} is gedeactiveerd." in _text(response)
    assert not Workfloor.get_by_id(floor.id).is_active
    assert [e.action for e in AuditEntry.select().order_by(AuditEntry.id)] == [
        "group.deactivate", "workfloor.deactivate"]


def test_group_with_active_employees_is_not_deactivated(client, admin, make):
    group = make.group()
    make.employee(work_group=group)
    make.employee(work_group=group)
    make.employee(work_group=group, is_active=False)
    response = client.post(f"/people/groups/{group.id}/active", data={"active": "0"},
                           follow_redirects=True)
    assert "Deze ploeg heeft nog 2 actieve medewerkers." in _text(response)
    assert WorkGroup.get_by_id(group.id).is_active


def test_deactivation_asks_for_confirmation(client, admin, make):
    group = make.group(name="Ploeg Zon")
    page = _text(client.get(f"/people/groups/{group.id}/edit"))
    assert 'data-confirm="Ploeg Zon deactiveren?"' in page


def test_a_group_comes_back_only_when_its_workfloor_is_active(client, admin, make):
    group = make.group(is_active=False)
    Workfloor.update(is_active=False).where(Workfloor.id == group.workfloor_id).execute()
    response = client.post(f"/people/groups/{group.id}/active", data={"active": "1"},
                           follow_redirects=True)
    assert "Activeer eerst de werkvloer" in _text(response)
    assert not WorkGroup.get_by_id(group.id).is_active


# -- Lists -------------------------------------------------------------------------------------

def test_group_list_shows_supervisor_workfloor_and_active_employees(client, admin, make):
    boss = make.user("supervisor", display_name="Bram Baas")
    floor = make.workfloor(name="Metaal")
    group = make.group(name="Metaal 1", supervisor=boss, workfloor=floor)
    for active in (True, True, True, False):
        make.employee(work_group=group, is_active=active)
    page = _text(client.get("/people/groups", headers=HTMX))
    assert page.lstrip().startswith("<div id=\"group-rows\"")
    row = page[page.index("Metaal 1"):page.index("</tr>", page.index("Metaal 1"))]
    assert "Bram Baas" in row and "Metaal" in row and '<td class="num">3</td>' in row


def test_workfloor_list_shows_workplaces_and_active_groups(client, admin, make):
    floor = make.workfloor(name="Textiel", workplaces=18)
    make.group(workfloor=floor)
    make.group(workfloor=floor)
    make.group(workfloor=floor, is_active=False)
    page = _text(client.get("/people/workfloors"))
    row = page[page.index("Textiel"):page.index("</tr>", page.index("Textiel"))]
    assert '<td class="num">18</td>' in row and '<td class="num">2</td>' in row


def test_search_narrows_and_inactive_ones_have_their_own_filter(client, admin, make):
    make.client(name="Appel Logistiek BV")
    make.client(name="Peer Metaal BV", contact_name="Joke Appelman")
    make.client(name="Appel Oud BV", is_active=False)
    page = _text(client.get("/people/clients?q=appel", headers=HTMX))
    assert "Appel Logistiek BV" in page and "Peer Metaal BV" in page
    assert "Appel Oud BV" not in page
    page = _text(client.get("/people/clients?q=logistiek"))
    assert "Appel Logistiek BV" in page and "Peer Metaal BV" not in page
    page = _text(client.get("/people/clients?status=inactive"))
    assert "Appel Oud BV" in page and "Appel Logistiek BV" not in page
    page = _text(client.get("/people/clients?status=all&q=appel"))
    assert "Appel Oud BV" in page and "Appel Logistiek BV" in page


def test_list_pages_and_keeps_the_search(client, admin, make, app):
    app.config["PAGE_SIZE"] = 3
    for n in range(7):
        make.municipality(name=f"Gemeente Zuid {n}")
    page = _text(client.get("/people/municipalities?q=zuid&page=3"))
    assert "Gemeente Zuid 6" in page and "Gemeente Zuid 5" not in page
    assert "Pagina 3 van 3" in page
    assert 'href="/people/municipalities?q=zuid&amp;page=2"' in page


def test_planner_reads_workfloors_but_sees_no_edit_buttons(client, login, make):
    floor = make.workfloor(name="Inpak")
    login(make.user("planner"))
    page = _text(client.get("/people/workfloors"))
    assert "Inpak" in page and "Nieuwe werkvloer" not in page and "Bekijken" in page
    page = _text(client.get(f"/people/workfloors/{floor.id}/edit"))
    assert "<fieldset class=\"read-only\" disabled>" in page and "Deactiveren" not in page


def test_supervisor_sees_only_the_groups_he_leads(client, login, make):
    boss = make.user("supervisor")
    make.group(name="Mijn ploeg", supervisor=boss)
    other = make.group(name="Andere ploeg")
    login(boss)
    page = _text(client.get("/people/groups"))
    assert "Mijn ploeg" in page and "Andere ploeg" not in page
    assert client.get(f"/people/groups/{other.id}/edit").status_code == 404
    assert client.get("/people/workfloors").status_code == 403


@pytest.mark.parametrize("plural", PLURAL.values())
def test_a_list_page_of_100_takes_as_many_queries_as_a_page_of_5(client, admin, make, plural,
                                                                  count_queries):
    for _n in range(10):
        group = make.group()
        make.employee(work_group=group)
        make.location(kind="client", client=make.client())
    with count_queries() as small:
        client.get(f"/people/{plural}?size=5")
    with count_queries() as large:
        client.get(f"/people/{plural}?size=100")
    assert small.total == large.total
