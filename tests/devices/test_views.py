"""The admin's tablet and badge pages."""

import re

from portal.audit import AuditEntry
from portal.kiosk import badges, devices
from portal.tokens import sha256
from portal.kiosk.models import Badge, Device, EnrolmentCode
from portal.people.models import EmployeePhoto


def test_register_a_tablet_for_a_workfloor_and_a_client_site(client, login, make):
    login(make.user("admin"))
    floor = make.workfloor()
    site = make.location(kind="client", client=make.client(), name="Klantlocatie Oost")
    response = client.post("/devices/", data={"name": "Inpak links", "place": f"floor:{floor.id}"})
    assert response.status_code == 303
    response = client.post("/devices/", data={"name": "Bij klant", "place": f"site:{site.id}"})
    assert response.status_code == 303
    first, second = Device.select().order_by(Device.id)
    assert (first.workfloor_id, first.location_id) == (floor.id, floor.location_id)
    assert (second.workfloor_id, second.location_id) == (None, site.id)
    page = client.get("/devices/").get_data(as_text=True)
    assert "Inpak links" in page and "Klantlocatie Oost" in page


def test_register_refuses_blank_name_and_unknown_place(client, login, make):
    login(make.user("admin"))
    response = client.post("/devices/", data={"name": "  ", "place": "floor:999"})
    assert response.status_code == 422 and Device.select().count() == 0
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_enrolment_code_page_shows_code_link_and_qr_once(client, login, make):
    login(make.user("admin"))
    device, _ = make.device(enrolled=False)
    response = client.post(f"/devices/{device.id}/enrolment")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    link = re.search(r'href="(http://[^"]+/kiosk/enrol/([A-Z0-9]+))"', html)
    assert link and "<svg" in html and 'aria-label="' in html
    code = link.group(2)
    assert EnrolmentCode.get().code_hash == sha256(code) and code not in EnrolmentCode.get().code_hash
    tablet = client.application.test_client()
    tablet.get(f"/kiosk/enrol/{code}")
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      tablet.get(f"/kiosk/enrol/{code}").get_data(as_text=True)).group(1)
    enrolled = tablet.post("/kiosk/enrol", data={"code": code, "csrf_token": token})
    assert enrolled.status_code == 303 and "kiosk_device=" in enrolled.headers["Set-Cookie"]
    assert Device.get_by_id(device.id).enrolled_at is not None


def test_revoke_a_tablet(client, login, make):
    login(make.user("admin"))
    device, credential = make.device()
    assert client.post(f"/devices/{device.id}/revoke").status_code == 303
    assert devices.device_for_credential(credential) is None
    assert "Ingetrokken" in client.get("/devices/").get_data(as_text=True)
    assert client.post(f"/devices/{device.id}/enrolment").status_code == 303


def test_print_badges_for_a_selection_issues_new_ones_and_revokes_old(client, login, make):
    login(make.user("admin"))
    group = make.group()
    anna = make.employee(work_group=group, first_name="Anna", last_name="Jansen", has_photo=True)
    EmployeePhoto.create(employee=anna, content_type="image/jpeg", data=b"\xff\xd8jpeg")
    bert = make.employee(work_group=group, first_name="Bert", last_name="de Vries")
    _old, old_token = make.badge(anna)
    response = client.post("/devices/badges/print", data={"employee": [anna.id, bert.id]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert html.count('class="badge-card"') == 2 and html.count("<svg") == 2
    assert "Anna" in html and "Bert" in html
    assert f'src="/people/employees/{anna.id}/photo"' in html
    assert client.get(f"/people/employees/{anna.id}/photo").data == b"\xff\xd8jpeg"
    assert ">BD<" in html  # initials when there is no photo
    assert "Jansen" not in html and anna.employee_number not in html
    assert Badge.select().where(Badge.revoked_at.is_null()).count() == 2
    assert Badge.get(Badge.token_hash == sha256(old_token)).revoked_at is not None
    assert old_token not in html


def test_print_badges_for_a_whole_group(client, login, make):
    login(make.user("admin"))
    group = make.group()
    for _ in range(3):
        make.employee(work_group=group)
    make.employee()
    response = client.post("/devices/badges/print", data={"group": group.id})
    assert response.get_data(as_text=True).count('class="badge-card"') == 3


def test_print_without_choice_is_refused(client, login, make):
    login(make.user("admin"))
    assert client.post("/devices/badges/print", data={}).status_code == 303
    assert Badge.select().count() == 0


def test_badge_list_shows_state_and_revoke_stops_the_card(client, login, make):
    login(make.user("admin"))
    person = make.employee(first_name="Samira")
    make.employee(first_name="Ruud")
    _badge, token = make.badge(person)
    page = client.get("/devices/badges?q=Samira").get_data(as_text=True)
    assert "Samira" in page and "Ruud" not in page
    assert client.post(f"/devices/badges/{person.id}/revoke").status_code == 303
    assert badges.active_badge(person) is None
    assert AuditEntry.select().where(AuditEntry.action == "badge.revoke").count() == 1


def test_badge_list_uses_few_queries(client, login, make, count_queries):
    login(make.user("admin"))
    for _ in range(12):
        make.badge(make.employee(work_group=make.group()))
    with count_queries() as counted:
        assert client.get("/devices/badges").status_code == 200
    assert len(counted.selects) <= 6, counted.selects
