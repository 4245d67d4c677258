"""The detachment pages per role: making, refusing bad input, statements, exports."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.audit import AuditEntry
from portal.detachments import (client_links as link_rules, members as member_rules,
                                statements as statement_rules)
from portal.detachments.models import (Detachment, DetachmentMember, HoursEntry, Rate,
                                       Statement, StatementLink)
from portal.timeutil import today
from portal.tokens import sha256

MARCH = date(2026, 3, 1)


@pytest.fixture
def planner(make):
    return make.user("planner")


def _form(make, where, **fields):
    data = {"client": str(where.client.id), "location": str(where.id), "kind": "individual",
            "name": "", "start_date": "2026-03-01", "end_date": "", "work_group": "",
            "employee": "", "member_start": "", "member_end": "", "notes": ""}
    data.update(fields)
    return data


def test_planner_makes_a_group_detachment_with_the_whole_group(client, login, make, planner):
    group = make.group()
    people = [make.employee(work_group=group) for _ in range(3)]
    where = make.client_location()
    login(planner)
    response = client.post("/detachments/", data=_form(make, where, kind="group",
                                                         work_group=str(group.id)))
    assert response.status_code == 303
    detachment = Detachment.get()
    assert response.headers["Location"].endswith(f"/detachments/{detachment.id}")
    assert {m.employee_id for m in detachment.members} == {p.id for p in people}
    page = client.get(f"/detachments/{detachment.id}").get_data(as_text=True)
    assert group.name in page and people[0].full_name in page
    assert AuditEntry.select().where(AuditEntry.action == "detachment.create").count() == 1


def test_someone_who_joins_a_detached_group_later_is_pointed_out_to_the_planner(client, login,
                                                                              make, planner):
    group = make.group()
    first = make.employee(work_group=group, first_name="Anna", last_name="Eerst")
    detachment = make.detachment("group", group_=group, start=today() - timedelta(days=30))
    newcomer = make.employee(work_group=group, first_name="Bram", last_name="Later")
    assert member_rules.group_members_left_out(detachment, detachment.members, today()) == [newcomer]
    login(planner)
    page = client.get(f"/detachments/{detachment.id}").get_data(as_text=True)
    assert "In de groep maar niet in deze detachering: Bram Later" in page

    member_rules.add_member(detachment, newcomer, today(), None)
    [member] = [m for m in detachment.members if m.employee_id == first.id]
    member_rules.update_member(member, member.start_date, today())  # Anna stays behind from today
    assert member_rules.group_members_left_out(detachment, detachment.members, today()) == []
    page = client.get(f"/detachments/{detachment.id}").get_data(as_text=True)
    assert "niet in deze detachering" not in page


@pytest.mark.parametrize("fields, field_id, message", [
    ({"start_date": "2026-05-01", "end_date": "2026-04-30"}, "end_date",
     "De einddatum ligt voor de startdatum."),
    ({"start_date": "2026-03-01", "member_start": "2026-02-01"}, "member_start",
     "De startdatum ligt buiten de periode van de detachering"),
    ({"start_date": "niet-een-datum"}, "start_date", "Ongeldige datum."),
    ({"employee": ""}, "employee", "Kies de medewerker."),
])
def test_bad_detachment_input_is_refused_beside_the_field(client, login, make, planner, fields,
                                                          field_id, message):
    where = make.client_location()
    person = make.employee()
    login(planner)
    data = _form(make, where, employee=str(person.id))
    data.update(fields)
    response = client.post("/detachments/", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field_id}-error"' in page
    assert message in page
    assert Detachment.select().count() == 0


def test_a_person_in_two_detachments_on_the_same_day_is_refused(client, login, make, planner):
    anna = make.employee(first_name="Anna", last_name="Visser")
    make.detachment(people=[anna], start=date(2026, 1, 1))
    where = make.client_location()
    login(planner)
    response = client.post("/detachments/", data=_form(make, where, employee=str(anna.id)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Anna Visser is op die dagen al gedetacheerd" in page
    assert Detachment.select().count() == 1


def test_member_outside_period_and_overlap_refused_when_adding(client, login, make, planner):
    det = make.detachment(people=[make.employee()], start=date(2026, 3, 1),
                          end=date(2026, 6, 30))
    busy = make.employee()
    make.detachment(people=[busy], start=date(2026, 1, 1))
    free = make.employee()
    login(planner)
    url = f"/detachments/{det.id}/members"
    response = client.post(url, data={"member-employee": str(free.id),
                                       "member-start_date": "2026-03-01",
                                       "member-end_date": "2026-07-31"})
    assert response.status_code == 422
    assert 'id="member-end_date-error"' in response.get_data(as_text=True)
    response = client.post(url, data={"member-employee": str(busy.id),
                                       "member-start_date": "2026-03-01",
                                       "member-end_date": ""})
    assert response.status_code == 422
    assert 'id="member-employee-error"' in response.get_data(as_text=True)
    response = client.post(url, data={"member-employee": str(free.id),
                                       "member-start_date": "2026-04-01",
                                       "member-end_date": ""})
    assert response.status_code == 303
    assert DetachmentMember.select().where(DetachmentMember.detachment == det.id).count() == 2


@pytest.mark.parametrize("amount", ["0", "-10", "0,00", "abc", "1e999999"])
def test_a_rate_of_zero_negative_or_nonsense_is_refused(client, login, make, planner, amount):
    det = make.detachment(people=[make.employee()])
    login(planner)
    response = client.post(f"/detachments/{det.id}/rates", data={
        "rate-price_form": "per_hour", "rate-amount": amount, "rate-valid_from": "2026-01",
        "rate-valid_to": ""})
    assert response.status_code == 422
    assert 'id="rate-amount-error"' in response.get_data(as_text=True)
    assert Rate.select().count() == 0


def test_planner_adds_a_rate_with_a_dutch_comma_and_a_new_one_from_january(client, login, make,
                                                                           planner):
    det = make.detachment(people=[make.employee()])
    login(planner)
    url = f"/detachments/{det.id}/rates"
    assert client.post(url, data={"rate-price_form": "per_hour", "rate-amount": "32,50",
                                  "rate-valid_from": "2026-01", "rate-valid_to": ""}
                       ).status_code == 303
    assert client.post(url, data={"rate-price_form": "per_hour", "rate-amount": "33,75",
                                  "rate-valid_from": "2027-01", "rate-valid_to": ""}
                       ).status_code == 303
    rates = [(r.amount, r.valid_from, r.valid_to)
             for r in Rate.select().order_by(Rate.valid_from)]
    assert rates == [(Decimal("32.50"), date(2026, 1, 1), date(2026, 12, 31)),
                     (Decimal("33.75"), date(2027, 1, 1), None)]


def test_edit_refuses_end_before_start_and_keeps_the_period(client, login, make, planner):
    det = make.detachment(people=[make.employee()], start=date(2026, 3, 1))
    login(planner)
    response = client.post(f"/detachments/{det.id}", data={
        "name": "X", "start_date": "2026-03-01", "end_date": "2026-02-01", "notes": "",
        "is_active": "y"})
    assert response.status_code == 422
    assert 'id="end_date-error"' in response.get_data(as_text=True)
    assert Detachment.get_by_id(det.id).end_date is None
    response = client.post(f"/detachments/{det.id}", data={
        "name": "Nieuwe naam", "start_date": "2026-03-01", "end_date": "2026-12-31",
        "notes": "", "is_active": "y"})
    assert response.status_code == 303
    assert Detachment.get_by_id(det.id).end_date == date(2026, 12, 31)


def test_jobcoach_enters_a_week_of_hours(client, login, make, planner):
    anna = make.employee()
    det = make.detachment(people=[anna], start=date(2026, 3, 1), rate="20")
    login(planner)
    page = client.get(f"/detachments/{det.id}/hours?week=2026-03-04")
    assert page.status_code == 200 and anna.full_name in page.get_data(as_text=True)
    data = {"employee": str(anna.id), "week": "2026-03-02", f"e{anna.id}-monday": "7,5",
            f"e{anna.id}-tuesday": "", f"e{anna.id}-wednesday": "4"}
    response = client.post(f"/detachments/{det.id}/hours", data=data)
    assert response.status_code == 303
    entry = HoursEntry.get()
    assert (entry.week_start, entry.monday, entry.wednesday) == (
        date(2026, 3, 2), Decimal("7.50"), Decimal("4.00"))
    data[f"e{anna.id}-monday"] = "25"
    response = client.post(f"/detachments/{det.id}/hours", data=data)
    assert response.status_code == 422
    assert f'id="e{anna.id}-monday-error"' in response.get_data(as_text=True)
    assert HoursEntry.get().monday == Decimal("7.50")
    response = client.post(f"/detachments/{det.id}/hours", data={"employee": "x", "week": "?"})
    assert response.status_code == 422


def test_group_detachments_have_no_weekly_hours_page(client, login, make, planner):
    group = make.group()
    make.employee(work_group=group)
    det = make.detachment("group", group_=group)
    login(planner)
    assert client.get(f"/detachments/{det.id}/hours").status_code == 404


# Anna's March at the client: 7.5 and 8 hours there, 7 and 7.5 worked (breaks out).
STATEMENT_HOURS = ("7,00", "7,50")
STATEMENT_TOTAL = "14,50"
STATEMENT_AMOUNT = "453,13"  # 14.5 × 31.25 = 453.125


def _statement_world(make):
    anna = make.employee(first_name="=SOM(A1)", last_name="Jansen")
    det = make.detachment(people=[anna], start=date(2026, 1, 1), rate="31,25".replace(",", "."))
    make.worked(anna, date(2026, 3, 2), 7.5, det.location)
    make.worked(anna, date(2026, 3, 3), 8, det.location, reason="eerder weg: ziek")
    return anna, det


def test_statement_page_shows_lines_totals_and_amount(client, login, make, planner):
    anna, det = _statement_world(make)
    login(planner)
    page = client.get(f"/detachments/{det.id}/statements/2026-03").get_data(as_text=True)
    assert "14,50" in page and "453,13" in page  # worked hours and 14.5 × 31.25
    assert "ziek" not in page
    assert client.get(f"/detachments/{det.id}/statements/2026-13").status_code == 404
    assert client.get(f"/detachments/{det.id}/statements/maart").status_code == 404


def test_send_shows_the_link_once_and_stores_only_its_hash(client, login, make, planner):
    _anna, det = _statement_world(make)
    login(planner)
    response = client.post(f"/detachments/{det.id}/statements/2026-03/send")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    token = page.split("/detachments/link/")[1].split('"')[0]
    link = StatementLink.get()
    assert link.token_hash == sha256(token) and token not in link.token_hash
    statement = Statement.get()
    assert (statement.status, statement.version) == ("sent", 1)
    page = client.get(f"/detachments/{det.id}/statements/2026-03").get_data(as_text=True)
    assert token not in page


def test_approved_month_refuses_send_and_needs_a_correction_with_reason(client, login, make,
                                                                        planner):
    _anna, det = _statement_world(make)
    statement, _token = statement_rules.send_statement(det, MARCH)
    link_rules.approve(statement, name="Petra de Klant")
    login(planner)
    response = client.post(f"/detachments/{det.id}/statements/2026-03/send")
    assert response.status_code == 303
    assert Statement.select().count() == 1
    response = client.post(f"/detachments/{det.id}/statements/2026-03/correction",
                           data={"reason": "  "})
    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)
    response = client.post(f"/detachments/{det.id}/statements/2026-03/correction",
                           data={"reason": "Uren 3 maart te hoog"})
    assert response.status_code == 303
    assert [s.status for s in Statement.select().order_by(Statement.version)] == [
        "approved", "draft"]
    page = client.get(f"/detachments/{det.id}/statements/2026-03?version=1").get_data(
        as_text=True)
    assert "Versie 1" in page or "versie 1" in page.lower()


def test_planner_revokes_a_link(client, login, make, planner):
    _anna, det = _statement_world(make)
    _statement, token = statement_rules.send_statement(det, MARCH)
    link = StatementLink.get()
    login(planner)
    response = client.post(f"/detachments/{det.id}/links/{link.id}/revoke")
    assert response.status_code == 303
    assert link_rules.resolve_link(token)[1] == link_rules.REVOKED
    other = make.detachment(people=[make.employee()])
    assert client.post(f"/detachments/{other.id}/links/{link.id}/revoke").status_code == 404


def test_client_statement_csv_is_excel_ready_and_guarded(client, login, make, planner):
    anna, det = _statement_world(make)
    login(planner)
    response = client.get(f"/detachments/clients/{det.client_id}/2026-03.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    heading = rows[0]
    assert heading[:6] == ["Klant", "Maand", "Detachering", "Versie", "Status", "Medewerker"]
    assert "Personeelsnummer" not in heading and anna.employee_number not in raw.decode()
    day_rows = [r for r in rows if len(r) > 6 and r[6] == "02-03-2026"]
    assert day_rows[0][heading.index("Uren")] == STATEMENT_HOURS[0]
    assert all(not r[5].startswith("=") for r in rows if len(r) > 5)
    assert any(r[5] == "'=SOM(A1) Jansen" for r in rows if len(r) > 5)
    assert any(r[2] == "'=SOM(A1) Jansen" for r in rows if len(r) > 5)  # the detachment's name
    # The data ends at a blank line; the totals follow it, without a date.
    blank = rows.index([])
    assert all(r[6] for r in rows[1:blank])
    total = [r for r in rows[blank + 1:] if r[5] == "Totaal detachering"][0]
    assert total[6] == "" and total[7] == STATEMENT_TOTAL and total[11] == STATEMENT_AMOUNT
    assert "ziek" not in raw.decode("utf-8-sig")


def test_client_statement_xlsx_has_numbers_as_numbers(client, login, make, planner):
    anna, det = _statement_world(make)
    login(planner)
    response = client.get(f"/detachments/clients/{det.client_id}/2026-03.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    day = [r for r in rows if r[6] is not None and hasattr(r[6], "year")][0]
    assert day[7] == pytest.approx(float(STATEMENT_HOURS[0].replace(",", ".")))
    assert isinstance(day[7], (int, float))
    blank = next(n for n, r in enumerate(rows) if all(v is None for v in r))
    assert all(hasattr(r[6], "year") for r in rows[1:blank])
    total = [r for r in rows[blank:] if r[5] == "Totaal detachering"][0]
    assert total[11] == pytest.approx(float(STATEMENT_AMOUNT.replace(",", ".")))
    names = [sheet.cell(row=n, column=6) for n in range(2, sheet.max_row + 1)]
    assert all(cell.data_type != "f" for cell in names)
    assert "=SOM(A1) Jansen" in [cell.value for cell in names]  # as typed, no quote


def test_every_statement_file_names_its_version_and_state(client, login, make, planner):
    _anna, det = _statement_world(make)
    login(planner)
    response = client.get(f"/detachments/clients/{det.client_id}/2026-03.csv")
    assert "-2026-03-concept.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[1][3] == "" and rows[1][4].startswith("Concept")
    statement, _token = statement_rules.send_statement(det, MARCH)
    link_rules.approve(statement, name="Petra de Klant")
    statement_rules.start_correction(det, MARCH, "Een dag vergeten")
    # During the correction the file holds the draft figures, and says so.
    response = client.get(f"/detachments/clients/{det.client_id}/2026-03.xlsx")
    assert "-2026-03-v2-concept.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet["D2"].value == "2" and sheet["E2"].value.startswith("Concept (een correctie")


def test_client_statement_page_prints_every_detachment_of_the_client(client, login, make,
                                                                     planner):
    anna, det = _statement_world(make)
    bert = make.employee(first_name="Bert")
    other_place = make.client_location(det.client)
    second = make.detachment(people=[bert], where=other_place, rate="40")
    make.worked(bert, date(2026, 3, 4), 4, other_place)
    login(planner)
    page = client.get(f"/detachments/clients/{det.client_id}/2026-03").get_data(as_text=True)
    assert det.name in page and second.name in page
    assert "613,13" in page  # 453.13 + 160.00 (Bert's four hours: too short for a break)
    assert client.get(f"/detachments/clients/{det.client_id}/2026-3").status_code == 404


def test_supervisor_sees_his_groups_detachment_only(client, login, make):
    boss = make.user("supervisor")
    group = make.group(supervisor=boss)
    make.employee(work_group=group)
    mine = make.detachment("group", group_=group)
    theirs = make.detachment(people=[make.employee()])
    login(boss)
    listing = client.get("/detachments/list").get_data(as_text=True)
    assert mine.name in listing and theirs.name not in listing
    assert client.get(f"/detachments/{mine.id}").status_code == 200
    assert client.get(f"/detachments/{theirs.id}").status_code == 404
    assert client.get(f"/detachments/{mine.id}/statements/2026-03").status_code == 200
    assert client.get(f"/detachments/{theirs.id}/statements/2026-03").status_code == 404
    assert client.get(f"/detachments/clients/{mine.client_id}/2026-03").status_code == 403
    page = client.get(f"/detachments/{mine.id}").get_data(as_text=True)
    assert "Tarief toevoegen" not in page and "Medewerker toevoegen" not in page


def test_hr_reads_everything_and_changes_nothing(client, login, make):
    _anna, det = _statement_world(make)
    login(make.user("hr"))
    assert client.get("/detachments/").status_code == 200
    assert client.get(f"/detachments/{det.id}").status_code == 200
    assert client.get(f"/detachments/clients/{det.client_id}/2026-03.csv").status_code == 200
    assert client.post(f"/detachments/{det.id}/statements/2026-03/send").status_code == 403
    assert Statement.select().count() == 0


def test_overview_shows_running_today_ending_and_open_months(client, login, make, planner):
    day = today()
    anna = make.employee(first_name="Anna", last_name="Vandaag")
    running = make.detachment(people=[anna], start=day - timedelta(days=70),
                              end=day + timedelta(days=20), name="Lopende klus")
    later = make.detachment(people=[make.employee()], start=day + timedelta(days=30),
                            name="Komt nog")
    login(planner)
    page = client.get("/detachments/").get_data(as_text=True)
    assert "Lopende klus" in page and "Anna Vandaag" in page
    assert "Nog niet verzonden" in page or "Niet verzonden" in page
    running_part = page.split('id="h-running"')[1].split("</section>")[0]
    assert "Komt nog" not in running_part and later.name == "Komt nog"
    ending_part = page.split('id="h-ending"')[1].split("</section>")[0]
    assert "Lopende klus" in ending_part


def test_a_rate_is_corrected_until_one_of_its_months_is_approved(client, login, make, planner):
    anna, det = _statement_world(make)
    rate = Rate.get()
    login(planner)
    url = f"/detachments/{det.id}/rates/{rate.id}"
    prefix = f"r{rate.id}-"
    response = client.post(url, data={prefix + "price_form": "per_hour", prefix + "amount": "-1"})
    assert response.status_code == 422
    assert f'id="{prefix}amount-error"' in response.get_data(as_text=True)
    response = client.post(url, data={prefix + "price_form": "per_hour",
                                      prefix + "amount": "32,00"})
    assert response.status_code == 303 and Rate.get().amount == Decimal("32.00")
    statement, _token = statement_rules.send_statement(det, MARCH)
    link_rules.approve(statement, name="Petra de Klant")
    response = client.post(url, data={prefix + "price_form": "per_hour",
                                      prefix + "amount": "40"})
    assert response.status_code == 422
    assert "is goedgekeurd door de klant" in response.get_data(as_text=True)
    assert Rate.get().amount == Decimal("32.00")


def test_an_inactive_detachment_keeps_its_sent_months_on_the_client_statement(client, login,
                                                                             make, planner):
    anna, det = _statement_world(make)
    statement_rules.send_statement(det, MARCH)
    det.is_active = False
    det.save()
    login(planner)
    page = client.get(f"/detachments/clients/{det.client_id}/2026-03").get_data(as_text=True)
    assert "14,50" in page
    page = client.get(f"/detachments/clients/{det.client_id}/2026-04").get_data(as_text=True)
    assert "Deze klant had deze maand geen detacheringen." in page


def test_planner_removes_a_member_added_by_mistake(client, login, make, planner):
    det = make.detachment(people=[make.employee()], start=date(2026, 3, 1))
    wrong = make.employee(first_name="Verkeerd")
    member = member_rules.add_member(det, wrong, date(2026, 3, 1), None)
    login(planner)
    response = client.post(f"/detachments/{det.id}/members/{member.id}/remove")
    assert response.status_code == 303
    assert DetachmentMember.select().where(DetachmentMember.employee == wrong.id).count() == 0
    other = make.detachment(people=[make.employee()])
    kept = other.members.get()
    assert client.post(f"/detachments/{det.id}/members/{kept.id}/remove").status_code == 404
    assert AuditEntry.select().where(AuditEntry.action == "detachment.member_remove").count() == 1
