"""The employee pages, per role, with the bad input of issue 2."""

import io
from datetime import date, time
from decimal import Decimal

import pytest
from PIL import Image

from portal.audit import AuditEntry
from portal.people import employee_rules as rules
from portal.people.models import Employee, EmployeePhoto, Schedule
from portal.timeutil import today

HTMX = {"HX-Request": "true"}


@pytest.fixture
def office(make):
    """An admin, a municipality and a group with its supervisor."""
    boss = make.user("supervisor")
    return {"admin": make.user("admin"), "municipality": make.municipality(name="Waalwijk"),
            "group": make.group(name="Ploeg Inpak", supervisor=boss), "supervisor": boss}


def _form(office, **overrides):
    data = {"employee_number": "m-100", "first_name": "Mila", "last_name": "de Boer",
            "employment": "leerwerk", "contract_hours": "30,5",
            "municipality": str(office["municipality"].id), "work_group": str(office["group"].id),
            "start_date": "2025-02-03", "end_date": ""}
    for day in range(5):
        data |= {f"day{day}-starts_at": "08:30", f"day{day}-ends_at": "15:00",
                 f"day{day}-break_minutes": "30"}
    data.update(overrides)
    return data


def _photo_file(data=None, name="pasfoto.jpg"):
    out = io.BytesIO()
    if data is None:
        Image.new("RGB", (900, 1200), (90, 60, 30)).save(out, "JPEG")
        data = out.getvalue()
    return (io.BytesIO(data), name)


def test_admin_creates_an_employee_with_schedule_and_photo(client, login, office):
    login(office["admin"])
    response = client.post("/people/employees", data=_form(office, photo=_photo_file()),
                           content_type="multipart/form-data")
    assert response.status_code == 303
    person = Employee.get(Employee.employee_number == "M-100")
    assert (person.first_name, person.contract_hours, person.work_group_id) == (
        "Mila", Decimal("30.5"), office["group"].id)
    schedule = rules.schedule_in_force(person.id, date(2025, 2, 3))
    assert schedule.valid_from == date(2025, 2, 3)
    assert rules.weekly_hours(rules.week_of(schedule)) == Decimal("30.00")
    stored = EmployeePhoto.get(EmployeePhoto.employee == person.id)
    with Image.open(io.BytesIO(bytes(stored.data))) as image:
        assert image.format == "JPEG" and image.size == (450, 600)
    assert person.has_photo
    assert {e.action for e in AuditEntry.select()} == {"employee.create", "employee.photo"}
    page = client.get("/people/employees?q=mila").get_data(as_text=True)
    assert "de Boer, Mila" in page and "Medewerker Mila de Boer is toegevoegd." in page


def test_htmx_save_navigates_and_htmx_error_answers_the_form(client, login, office):
    login(office["admin"])
    bad = client.post("/people/employees", data=_form(office, first_name=""), headers=HTMX)
    assert bad.status_code == 422
    assert 'id="field-first_name"' in bad.get_data(as_text=True)
    good = client.post("/people/employees", data=_form(office), headers=HTMX)
    assert good.status_code == 204
    assert good.headers["HX-Redirect"] == "/people/employees"


@pytest.mark.parametrize("overrides, field, message", [
    ({"first_name": ""}, "first_name", "Dit veld is vereist."),
    ({"first_name": "   "}, "first_name", "Dit veld is vereist."),
    ({"last_name": "x" * 10_000}, "last_name", "Gebruik hoogstens 120 tekens."),
    ({"first_name": "x" * 10_000}, "first_name", "Gebruik hoogstens 80 tekens."),
    ({"employee_number": "12 34"}, "employee_number",
     "Gebruik alleen letters, cijfers en streepjes."),
    ({"contract_hours": "-8"}, "contract_hours", "Vul meer dan 0 en hoogstens 40 uur in."),
    ({"contract_hours": "0"}, "contract_hours", "Vul meer dan 0 en hoogstens 40 uur in."),
    ({"contract_hours": "400000"}, "contract_hours", "Vul meer dan 0 en hoogstens 40 uur in."),
    # Nobody writes hours as "1e9": the one Dutch decimal field reads it as no number at all.
    ({"contract_hours": "1e9"}, "contract_hours", "Vul een aantal uren in, zoals 32 of 30,5."),
    ({"contract_hours": "NaN"}, "contract_hours", "Vul een aantal uren in, zoals 32 of 30,5."),
    ({"contract_hours": "veel"}, "contract_hours", "Vul een aantal uren in, zoals 32 of 30,5."),
    ({"contract_hours": "12,345"}, "contract_hours",
     "Gebruik hoogstens twee cijfers achter de komma."),
    ({"end_date": "2025-02-02"}, "end_date", "De einddatum kan niet vóór de startdatum liggen."),
    ({"start_date": "0202-01-01"}, "start_date", "Vul een datum tussen 1950 en 2100 in."),
    ({"start_date": "morgen"}, "start_date", "Ongeldige datum."),
    ({"municipality": "999999"}, "municipality", "Kies een gemeente uit de lijst."),
    ({"municipality": "'; drop table employee"}, "municipality", "Kies een gemeente uit de lijst."),
    ({"municipality": ""}, "municipality", "Dit veld is vereist."),
    ({"work_group": "999999"}, "work_group", "Kies een ploeg uit de lijst."),
    ({"employment": "koning"}, "employment", "Ongeldige keuze."),
    ({"day0-ends_at": "07:00"}, "day0-ends_at", "De eindtijd moet na de begintijd liggen."),
    ({"day1-ends_at": ""}, "day1-ends_at", "Vul ook een eindtijd in"),
    ({"day2-break_minutes": "390"}, "day2-break_minutes",
     "De pauze moet korter zijn dan de werkdag."),
    ({"day3-break_minutes": "-10"}, "day3-break_minutes", "De pauze kan niet negatief zijn."),
    ({"day6-break_minutes": "30"}, "day6-break_minutes", "Laat de pauze leeg op een vrije dag."),
    ({"day4-starts_at": "25:99"}, "day4-starts_at", "Ongeldige waarde voor tijd."),
])
def test_bad_input_gets_a_dutch_message_beside_the_field_and_stores_nothing(
        client, login, office, overrides, field, message):
    login(office["admin"])
    response = client.post("/people/employees", data=_form(office, **overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    region = html[html.index(f'id="field-{field}"') if not field.startswith("day")
                  else html.index(f'id="{field}"'):]
    assert message in region[:15000]
    assert Employee.select().count() == 0 and Schedule.select().count() == 0


def test_inactive_municipality_and_group_are_refused(client, login, make, office):
    login(office["admin"])
    closed = make.municipality(is_active=False)
    old_group = make.group(is_active=False)
    html = client.post("/people/employees", data=_form(
        office, municipality=str(closed.id), work_group=str(old_group.id))).get_data(as_text=True)
    assert "Kies een gemeente uit de lijst." in html and "Kies een ploeg uit de lijst." in html
    assert Employee.select().count() == 0


def test_duplicate_employee_number_is_refused_whatever_the_case(client, login, make, office):
    make.employee(employee_number="M-100")
    login(office["admin"])
    response = client.post("/people/employees", data=_form(office, employee_number="m-100"))
    assert response.status_code == 422
    assert "Er is al een medewerker met nummer M-100." in response.get_data(as_text=True)
    assert Employee.select().count() == 1


def test_a_file_that_is_not_an_image_is_refused(client, login, office):
    login(office["admin"])
    response = client.post("/people/employees", content_type="multipart/form-data",
                           data=_form(office, photo=_photo_file(b"MZ\x90\x00 no photo", "a.jpg")))
    assert response.status_code == 422
    assert "Dit bestand is geen foto." in response.get_data(as_text=True)
    assert Employee.select().count() == 0 and EmployeePhoto.select().count() == 0


def test_a_photo_over_the_limit_is_refused(app, client, login, office):
    app.config["PHOTO_MAX_BYTES"] = 2048
    login(office["admin"])
    response = client.post("/people/employees", content_type="multipart/form-data",
                           data=_form(office, photo=_photo_file(b"\xff\xd8" + b"x" * 5000)))
    assert response.status_code == 422
    assert "De foto is te groot." in response.get_data(as_text=True)
    assert Employee.select().count() == 0 and EmployeePhoto.select().count() == 0


def test_a_post_without_csrf_token_is_refused(client, login, office):
    login(office["admin"])
    response = client.post("/people/employees", data=_form(office), csrf=False)
    assert response.status_code == 400
    assert "Dit formulier is verlopen" in response.get_data(as_text=True)
    assert Employee.select().count() == 0


def test_schedule_warning_when_it_differs_from_the_contract(client, login, office):
    login(office["admin"])
    html = client.post("/people/employees/check",
                       data=_form(office, contract_hours="38")).get_data(as_text=True)
    assert "Ingeroosterd:</strong> 30 uur per week" in html
    assert "Het rooster wijkt meer dan 2 uur af van de contracturen." in html
    html = client.post("/people/employees/check", data=_form(office)).get_data(as_text=True)
    assert "wijkt meer dan" not in html


def test_the_check_endpoint_answers_field_messages(client, login, make, office):
    make.employee(employee_number="M-100")
    login(office["admin"])
    response = client.post("/people/employees/check", data=_form(office), headers=HTMX)
    assert response.status_code == 200
    assert "Er is al een medewerker met nummer M-100." in response.get_data(as_text=True)
    assert Employee.select().count() == 1


def _edit_form(person, office, **overrides):
    data = _form(office, employee_number=person.employee_number, first_name=person.first_name,
                 last_name=person.last_name, contract_hours="32", start_date="2020-01-01",
                 schedule_valid_from="2025-06-02")
    for day in range(5):
        data |= {f"day{day}-starts_at": "08:00", f"day{day}-ends_at": "16:00",
                 f"day{day}-break_minutes": "30"}
    data.update(overrides)
    return data


def test_saving_an_unchanged_schedule_makes_no_new_version(client, login, make, office):
    person = make.employee(work_group=office["group"], municipality=office["municipality"])
    login(office["admin"])
    response = client.post(f"/people/employees/{person.id}", data=_edit_form(
        person, office, last_name="Jansen"))
    assert response.status_code == 303
    assert Employee.get_by_id(person.id).last_name == "Jansen"
    assert Schedule.select().where(Schedule.employee == person.id).count() == 1


def test_a_changed_schedule_starts_on_the_chosen_date(client, login, make, office):
    person = make.employee(work_group=office["group"], municipality=office["municipality"])
    login(office["admin"])
    response = client.post(f"/people/employees/{person.id}", data=_edit_form(
        person, office, **{"day4-starts_at": "", "day4-ends_at": "", "day4-break_minutes": ""}))
    assert response.status_code == 303
    assert rules.weekly_hours(rules.week_of(rules.schedule_in_force(
        person.id, date(2025, 6, 1)))) == Decimal("37.50")
    assert rules.weekly_hours(rules.week_of(rules.schedule_in_force(
        person.id, date(2025, 6, 2)))) == Decimal("30.00")
    assert AuditEntry.select().where(AuditEntry.action == "employee.schedule").count() == 1


def test_edit_form_shows_todays_schedule_and_defaults_the_date_to_today(client, login, make,
                                                                          office):
    person = make.employee(schedule={2: (time(7, 30), time(12), 15)})
    login(office["admin"])
    html = client.get(f"/people/employees/{person.id}/edit").get_data(as_text=True)
    assert 'id="day2-starts_at" name="day2-starts_at" type="time" value="07:30"' in html
    assert f'value="{today().isoformat()}"' in html


def test_photo_is_replaced_and_removed_with_a_log_entry(client, login, make, office):
    person = make.photo(make.employee(work_group=office["group"],
                                      municipality=office["municipality"]))
    login(office["admin"])
    client.post(f"/people/employees/{person.id}", content_type="multipart/form-data",
                data=_edit_form(person, office, photo=_photo_file()))
    with Image.open(io.BytesIO(bytes(EmployeePhoto.get().data))) as image:
        assert image.size == (450, 600)
    client.post(f"/people/employees/{person.id}", data=_edit_form(person, office,
                                                                    remove_photo="y"))
    assert not Employee.get_by_id(person.id).has_photo and EmployeePhoto.select().count() == 0
    assert [e.after for e in AuditEntry.select().where(AuditEntry.action == "employee.photo")
            .order_by(AuditEntry.id)] == ['{"photo": "set"}', '{"photo": "removed"}']


def test_deactivated_employee_leaves_the_default_list(client, login, make, office):
    person = make.employee(last_name="Vertrokken")
    login(office["admin"])
    response = client.post(f"/people/employees/{person.id}/active", data={"active": "0"})
    assert response.status_code == 303
    assert not Employee.get_by_id(person.id).is_active
    assert AuditEntry.get().action == "employee.deactivate"
    client.get("/overview")  # shows (and so clears) the flash that names the employee
    assert "Vertrokken" not in client.get("/people/employees").get_data(as_text=True)
    assert "Vertrokken" in client.get("/people/employees?status=inactive").get_data(as_text=True)


def test_supervisor_sees_only_his_groups_employees(client, login, make, office):
    make.employee(last_name="Eigenploeg", work_group=office["group"])
    other_group = make.group(name="Ploeg Elders")
    make.employee(last_name="Andereploeg", work_group=other_group)
    login(office["supervisor"])
    html = client.get("/people/employees").get_data(as_text=True)
    assert "Eigenploeg" in html and "Andereploeg" not in html
    assert "Nieuwe medewerker" not in html and "Wijzigen" not in html
    assert "Ploeg Elders" not in html  # not offered as a filter either
    forged = client.get(f"/people/employees?group={other_group.id}&status=all")
    assert "Andereploeg" not in forged.get_data(as_text=True)
    assert "Geen medewerkers gevonden." in forged.get_data(as_text=True)


def test_supervisor_gets_404_for_another_groups_employee_photo(client, login, make, office):
    other = make.photo(make.employee(work_group=make.group()))
    own = make.photo(make.employee(work_group=office["group"]))
    login(office["supervisor"])
    assert client.get(f"/people/employees/{other.id}/photo").status_code == 404
    assert client.get(f"/people/employees/{own.id}/photo").status_code == 200


@pytest.mark.parametrize("role", ["planner", "supervisor"])
def test_readers_cannot_change_employees(client, login, make, office, role):
    person = make.employee(work_group=office["group"])
    login(office["supervisor"] if role == "supervisor" else make.user(role))
    assert client.get(f"/people/employees/{person.id}/edit").status_code == 403
    assert client.post(f"/people/employees/{person.id}/active",
                       data={"active": "0"}).status_code == 403
    assert Employee.get_by_id(person.id).is_active


def test_hr_edits_employees(client, login, make, office):
    person = make.employee(work_group=office["group"], municipality=office["municipality"])
    login(make.user("hr"))
    response = client.post(f"/people/employees/{person.id}",
                           data=_edit_form(person, office, first_name="Henk"))
    assert response.status_code == 303 and Employee.get_by_id(person.id).first_name == "Henk"


@pytest.mark.parametrize("url, method", [
    ("/people/employees/999999/edit", "GET"), ("/people/employees/999999", "POST"),
    ("/people/employees/999999/active", "POST"), ("/people/employees/999999/photo", "GET"),
    ("/people/employees/999999/check", "POST"),
])
def test_forged_ids_are_404(client, login, office, url, method):
    login(office["admin"])
    assert client.open(url, method=method, data={"active": "0"}).status_code == 404


def test_photo_is_served_with_private_caching(client, login, make, office):
    person = make.photo(make.employee())
    login(office["admin"])
    response = client.get(f"/people/employees/{person.id}/photo")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "private" in response.headers["Cache-Control"]
    assert "max-age=86400" in response.headers["Cache-Control"]
    again = client.get(f"/people/employees/{person.id}/photo",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    assert client.get(f"/people/employees/{make.employee().id}/photo").status_code == 404


def test_list_filters_narrow_the_rows(client, login, make, office):
    make.employee(last_name="Pieters", employment="beschut", work_group=office["group"],
                  municipality=office["municipality"])
    make.employee(last_name="Klaassen", employment="sw")
    login(office["admin"])

    def names(query):
        html = client.get(f"/people/employees?{query}", headers=HTMX).get_data(as_text=True)
        return {name for name in ("Pieters", "Klaassen") if name in html}

    assert names("") == {"Pieters", "Klaassen"}
    assert names("q=piet") == {"Pieters"}
    assert names(f"group={office['group'].id}") == {"Pieters"}
    assert names(f"municipality={office['municipality'].id}") == {"Pieters"}
    assert names("employment=sw") == {"Klaassen"}
    assert names("group=abc&employment=koning") == {"Pieters", "Klaassen"}


def test_list_shows_photo_or_initials(client, login, make, office):
    with_photo = make.photo(make.employee(first_name="Fleur", last_name="Fotogeniek"))
    make.employee(first_name="Ilse", last_name="van Dam")
    login(office["admin"])
    html = client.get("/people/employees").get_data(as_text=True)
    assert f'src="/people/employees/{with_photo.id}/photo?v=' in html
    assert '<span class="initials" aria-hidden="true">ID</span>' in html


def test_edit_form_shows_the_stored_values(client, login, make, office):
    person = make.employee(work_group=office["group"], municipality=office["municipality"],
                           contract_hours=Decimal("30.5"), employment="beschut")
    login(office["admin"])
    html = client.get(f"/people/employees/{person.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{office["municipality"].id}">Waalwijk</option>' in html
    assert f'<option selected value="{office["group"].id}">Ploeg Inpak</option>' in html
    assert '<option selected value="beschut">' in html
    assert 'value="30,5"' in html and 'value="2020-01-01"' in html


def test_a_number_taken_between_check_and_save_gets_the_message(client, login, make, office,
                                                                monkeypatch):
    make.employee(employee_number="M-100")
    monkeypatch.setattr(rules, "employee_number_taken", lambda *args: False)
    login(office["admin"])
    response = client.post("/people/employees", data=_form(office))
    assert response.status_code == 422
    assert "Er is al een medewerker met nummer M-100." in response.get_data(as_text=True)
    assert Employee.select().count() == 1 and Schedule.select().count() == 1
