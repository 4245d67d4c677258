"""The day view per role: states, AVG masking, polling, actions, corrections, bad input."""

import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from portal import timeutil
from portal.attendance.models import Absence, AttendanceSegment, Correction, DaySignOff
from portal.audit import AuditEntry
from tests.factories import at

MONDAY = date(2026, 11, 16)
NOW = at(MONDAY, "09:00")


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """Monday 16 November 2026, 09:00 in Amsterdam."""
    monkeypatch.setattr(timeutil, "utcnow", lambda: NOW)


@pytest.fixture
def team(make):
    boss = make.user("supervisor")
    return make.group(supervisor=boss, name="Inpak A")


def fresh_login(app, user):
    """A second browser: its own client, logged in as another user."""
    from tests.factories import PASSWORD

    other = app.test_client()
    assert other.post("/auth/login", data={"username": user.username,
                                           "password": PASSWORD}).status_code == 302
    other.csrf_token = None
    other.get("/overview")
    return other


def url(group, day=MONDAY, tail=""):
    return f"/attendance/groups/{group.id}/{day.isoformat()}{tail}"


def section(html: str, key: str) -> str:
    """The markup of one section of the day list."""
    match = re.search(rf'<section class="day-section section-{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_the_day_sorts_everyone_into_a_state(make, login, team):
    person = {name: make.employee(work_group=team, first_name=name) for name in
              ("Anna", "Bram", "Cor", "Dirk", "Eva", "Fleur", "Gijs", "Hans")}
    make.segment(person["Anna"], MONDAY, "07:55")                  # in, on time
    make.segment(person["Bram"], MONDAY, "08:20")                  # in, 20 min late
    # Cor: expected 08:00, not in at 09:00: late
    make.absence(person["Dirk"], MONDAY, "ziek")                   # absent
    make.segment(person["Eva"], MONDAY, "07:00", "08:30")          # left
    make.leave(person["Fleur"], MONDAY, MONDAY, "scholing")        # planned leave
    make.add_schedule(person["Gijs"], {0: (time(10), time(14), 0)}, valid_from=date(2026, 1, 1))
    make.add_schedule(person["Hans"], {1: (time(8), time(16), 30)}, valid_from=date(2026, 1, 1))

    html = login(team.supervisor).get(url(team)).get_data(as_text=True)

    assert "Anna" in section(html, "in") and "Bram" in section(html, "in")
    assert "20 min te laat" in section(html, "in")
    assert "Binnen sinds 08:20" in html
    assert "Cor" in section(html, "late") and "Te laat, nog niet binnen" in html
    assert "Dirk" in section(html, "absent") and "Ziek" in section(html, "absent")
    assert "Fleur" in section(html, "absent") and "Gepland: Scholing" in html
    assert "Eva" in section(html, "left") and "Vertrokken om 08:30" in html
    assert "Gijs" in section(html, "waiting") and "Verwacht om 10:00" in html
    assert "Hans" in section(html, "off")
    assert "<strong>6</strong> verwacht" in html  # Dirk is expected too; Fleur and Hans are not


def test_the_grace_period_keeps_someone_off_the_late_list(make, login, team, monkeypatch):
    make.employee(work_group=team, first_name="Ilse")
    monkeypatch.setattr(timeutil, "utcnow", lambda: at(MONDAY, "08:05"))
    html = login(team.supervisor).get(url(team)).get_data(as_text=True)
    assert "Ilse" in section(html, "waiting")


def test_a_planner_sees_counts_and_hours_never_people_times_or_sickness(app, make, login, team):
    dirk = make.employee(work_group=team, first_name="Dirk")
    make.absence(dirk, MONDAY, "ziek")
    eva = make.employee(work_group=team, first_name="Eva")
    make.segment(eva, MONDAY, "08:20")
    planner_view = login(make.user("planner")).get(url(team)).get_data(as_text=True)
    assert "<strong>2</strong> verwacht" in planner_view
    assert "<strong>1</strong> afwezig" in planner_view
    assert "Ingeroosterd: 15 u · tot nu gewerkt: 0,67 u" in planner_view
    assert dirk.full_name not in planner_view and eva.full_name not in planner_view
    assert "08:20" not in planner_view and "te laat" not in planner_view
    assert "Ziek" not in planner_view
    assert "Dag aftekenen" not in planner_view and 'class="row-actions"' not in planner_view
    assert 'id="history"' not in planner_view  # correction reasons are not for planners
    hr_view = fresh_login(app, make.user("hr")).get(url(team)).get_data(as_text=True)
    assert "Ziek" in section(hr_view, "absent") and "Binnen sinds 08:20" in hr_view


# Session user, his groups, then employees, schedules, segments, absences, leave, sign-off,
# corrections of the day and the tablets' late scans waiting to be accepted: ten.
EXPECTED_QUERIES = 10


@pytest.mark.parametrize("size", [4, 40])
def test_the_day_view_uses_the_same_few_queries_for_4_or_40(make, login, team, count_queries, size):
    people = [make.employee(work_group=team) for _ in range(size)]
    for n, employee in enumerate(people):
        if n % 4 == 0:
            make.segment(employee, MONDAY, "08:00", "08:30")
            make.segment(employee, MONDAY, "08:45")
        elif n % 4 == 1:
            make.absence(employee, MONDAY, "ziek")
        elif n % 4 == 2:
            make.leave(employee, MONDAY, MONDAY)
    client = login(team.supervisor)
    client.post(url(team, tail=f"/segments/{AttendanceSegment.select().first().id}/correct"),
                data={"check_in": "07:58", "check_out": "08:30", "reason": "Scan te laat"})
    with count_queries() as counted:
        response = client.get(url(team))
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="day-row ') == size
    assert counted.total <= 10, counted.total
    assert counted.total == EXPECTED_QUERIES, counted.total  # the same for 4 and for 40
    with count_queries() as polled:
        client.get(url(team, tail="/list"))
    assert polled.total <= 10, polled.total


def test_the_list_answers_204_while_nothing_changed(make, login, team):
    anna = make.employee(work_group=team, first_name="Anna")
    client = login(team.supervisor)
    first = client.get(url(team, tail="/list"), headers={"HX-Request": "true"})
    assert first.status_code == 200 and 'hx-trigger="every 30s"' in first.get_data(as_text=True)
    version = first.headers["ETag"].strip('"')
    assert client.get(url(team, tail=f"/list?v={version}")).status_code == 204
    assert client.get(url(team, tail="/list"),
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    make.segment(anna, MONDAY, "08:50")
    changed = client.get(url(team, tail=f"/list?v={version}"))
    assert changed.status_code == 200 and "Binnen sinds 08:50" in changed.get_data(as_text=True)


def test_absence_in_one_tap_and_the_panel_as_fragment(make, login, team):
    cor = make.employee(work_group=team, first_name="Cor")
    client = login(team.supervisor)
    panel = client.get(url(team, tail=f"/employees/{cor.id}/absence"), headers={"HX-Request": "true"})
    body = panel.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="panel" class="panel-overlay">')
    assert 'name="code" value="ziek"' in body and "<html" not in body
    response = client.post(url(team, tail="/absences"), data={"employee_id": cor.id, "code": "ziek"})
    assert response.status_code == 303
    absence = Absence.get()
    assert (absence.code, absence.hours, absence.registered_by_id) == ("ziek", None, team.supervisor.id)
    assert AuditEntry.select().where(AuditEntry.action == "absence.register").count() == 1


def test_check_in_and_out_by_hand_with_a_reason(make, login, team):
    cor = make.employee(work_group=team, first_name="Cor")
    client = login(team.supervisor)
    panel = client.get(url(team, tail=f"/employees/{cor.id}/clock")).get_data(as_text=True)
    assert 'value="09:00"' in panel and "Pas vergeten" in panel
    assert client.post(url(team, tail="/clock"), data={"employee_id": cor.id, "at": "08:15",
                                                      "reason": "Pas vergeten"}).status_code == 303
    assert client.post(url(team, tail="/clock"), data={"employee_id": cor.id, "at": "08:45",
                                                      "other_reason": "Naar de tandarts"}).status_code == 303
    segment = AttendanceSegment.get()
    assert segment.check_in == at(MONDAY, "08:15") and segment.check_out == at(MONDAY, "08:45")
    assert segment.in_source == segment.out_source == "supervisor"


def test_a_correction_shows_who_when_from_what_to_what_and_why(make, login, team):
    anna = make.employee(work_group=team, first_name="Anna")
    old = make.segment(anna, MONDAY, "08:20")
    client = login(team.supervisor)
    response = client.post(url(team, tail=f"/segments/{old.id}/correct"),
                           data={"check_in": "07:59", "check_out": "", "reason": "Scanner haperde"})
    assert response.status_code == 303
    html = client.get(url(team)).get_data(as_text=True)
    history = html[html.index('id="history"'):]
    assert "<del>08:20–…</del>" in history and "07:59–…" in history
    assert "Scanner haperde" in history and team.supervisor.display_name in history
    assert AttendanceSegment.select().count() == 2
    assert AuditEntry.select().where(AuditEntry.action == "attendance.correct").count() == 1


def test_sign_off_locks_the_day_for_the_supervisor_and_hr_corrects_it(app, make, login, team):
    anna = make.employee(work_group=team, first_name="Anna")
    segment = make.segment(anna, MONDAY, "07:00", "08:30", closed_by_system=True)
    client = login(team.supervisor)
    html = client.get(url(team)).get_data(as_text=True)
    assert "Door het systeem afgesloten: controleer deze" in html
    assert client.post(url(team, tail="/sign-off")).status_code == 303
    assert DaySignOff.select().count() == 1
    html = client.get(url(team)).get_data(as_text=True)
    assert "Afgetekend door" in html and "Dag aftekenen" not in html
    refused = client.post(url(team, tail=f"/segments/{segment.id}/correct"),
                          data={"check_in": "07:00", "check_out": "08:45", "reason": "Vergeten"})
    assert refused.status_code == 422
    assert "Deze dag is afgetekend. Vraag personeelszaken" in refused.get_data(as_text=True)
    assert AttendanceSegment.select().count() == 1
    hr_client = fresh_login(app, make.user("hr"))
    assert hr_client.post(url(team, tail=f"/segments/{segment.id}/correct"),
                          data={"check_in": "07:00", "check_out": "08:45",
                                "reason": "Vergeten uit te klokken"}).status_code == 303
    assert Correction.get().after_sign_off
    assert "na aftekenen" in hr_client.get(url(team)).get_data(as_text=True)


# -- bad input: a Dutch message beside the field, nothing stored, never a 500 ----------------

def _refused(response, message):
    assert response.status_code == 422, response.status_code
    body = response.get_data(as_text=True)
    assert message in body, body[:3000]
    assert 'class="field-error"' in body


@pytest.fixture
def anna(make, team):
    return make.employee(work_group=team, first_name="Anna")


def _nothing_stored():
    return (AttendanceSegment.select().count(), Absence.select().count(),
            Correction.select().count())


def test_bad_check_out_before_check_in(make, login, team, anna):
    make.segment(anna, MONDAY, "08:30")
    before = _nothing_stored()
    response = login(team.supervisor).post(url(team, tail="/clock"), data={
        "employee_id": anna.id, "at": "08:10", "reason": "Naar huis"})
    _refused(response, "Het uitklokken is vóór het inklokken.")
    assert _nothing_stored() == before


def test_bad_time_in_the_future(login, team, anna):
    response = login(team.supervisor).post(url(team, tail="/clock"), data={
        "employee_id": anna.id, "at": "10:30", "reason": "Pas vergeten"})
    _refused(response, "Deze tijd ligt in de toekomst.")
    assert _nothing_stored() == (0, 0, 0)


def test_bad_time_format(login, team, anna):
    response = login(team.supervisor).post(url(team, tail="/clock"), data={
        "employee_id": anna.id, "at": "25:99", "reason": "Pas vergeten"})
    _refused(response, "Vul een tijd in, zoals 08:30.")


def test_bad_day_outside_the_contract(make, login, team):
    late_starter = make.employee(work_group=team, start_date=date(2026, 11, 10))
    response = login(team.supervisor).post(url(team, date(2026, 11, 9), "/absences"), data={
        "employee_id": late_starter.id, "code": "verlof"})
    _refused(response, "Deze dag valt buiten het contract van de medewerker.")
    assert _nothing_stored() == (0, 0, 0)


def test_bad_hours_over_24(login, team, anna):
    client = login(team.supervisor)
    response = client.post(url(team, tail="/absences"), data={
        "employee_id": anna.id, "code": "dokter", "hours": "25"})
    _refused(response, "Vul meer dan 0 en hoogstens 24 uur in.")
    response = client.post(url(team, tail="/absences"), data={
        "employee_id": anna.id, "code": "dokter", "hours": "veel"})
    _refused(response, "Vul een aantal uren in, zoals 4,5.")
    assert _nothing_stored() == (0, 0, 0)


def test_bad_correction_without_a_reason(make, login, team, anna):
    segment = make.segment(anna, MONDAY, "08:20")
    absence = make.absence(anna, MONDAY, "dokter", hours=Decimal(1))
    client = login(team.supervisor)
    _refused(client.post(url(team, tail=f"/segments/{segment.id}/correct"),
                         data={"check_in": "08:00", "reason": "  "}), "Dit veld is vereist.")
    _refused(client.post(url(team, tail=f"/absences/{absence.id}/correct"),
                         data={"code": "verlof", "reason": ""}), "Dit veld is vereist.")
    assert _nothing_stored() == (1, 1, 0)


def test_bad_absence_code(login, team, anna):
    response = login(team.supervisor).post(url(team, tail="/absences"), data={
        "employee_id": anna.id, "code": "griep"})
    _refused(response, "Deze afwezigheidsreden bestaat niet.")
    assert _nothing_stored() == (0, 0, 0)


def test_bad_change_to_a_signed_off_day_by_the_supervisor(make, login, team, anna):
    DaySignOff.create(work_group=team, day=MONDAY, signed_by=team.supervisor)
    response = login(team.supervisor).post(url(team, tail="/absences"), data={
        "employee_id": anna.id, "code": "verlof"})
    _refused(response, "Deze dag is afgetekend. Vraag personeelszaken")
    assert _nothing_stored() == (0, 0, 0)


def test_bad_employee_of_another_group_in_the_form(make, login, team):
    stranger = make.employee(work_group=make.group())
    client = login(team.supervisor)
    for tail, data in (("/absences", {"code": "verlof"}),
                       ("/clock", {"at": "08:00", "reason": "Pas vergeten"})):
        response = client.post(url(team, tail=tail), data={"employee_id": stranger.id, **data})
        _refused(response, "Deze medewerker zit niet in deze ploeg.")
    assert _nothing_stored() == (0, 0, 0)


def test_bad_leave_for_an_employee_of_another_group(make, login, team):
    stranger = make.employee(work_group=make.group())
    response = login(team.supervisor).post("/attendance/leave", data={
        "employee_id": stranger.id, "code": "verlof", "starts_on": "2026-12-01",
        "ends_on": "2026-12-02"})
    _refused(response, "Kies een medewerker uit je eigen ploeg.")


def test_planned_leave_shows_in_the_expected_list(make, login, team, anna):
    client = login(team.supervisor)
    assert "Anna" in client.get("/attendance/leave").get_data(as_text=True)
    assert client.post("/attendance/leave", data={
        "employee_id": anna.id, "code": "verlof", "starts_on": "2026-11-23",
        "ends_on": "2026-11-24"}).status_code == 303
    html = client.get(url(team, date(2026, 11, 23))).get_data(as_text=True)
    assert "Anna" in section(html, "absent") and "Gepland: Verlof" in html
    assert "Anna" in section(client.get(url(team)).get_data(as_text=True), "waiting") or \
        "Anna" in section(client.get(url(team)).get_data(as_text=True), "late")


def test_huge_or_junk_ids_are_refused_without_a_500(login, team, anna):
    client = login(team.supervisor)
    assert client.get(f"/attendance/groups/{2**40}/2026-11-16").status_code == 404
    assert client.get(url(team, tail=f"/employees/{2**40}/clock")).status_code == 404
    for junk in (str(2**40), "abc", "-1"):
        response = client.post(url(team, tail="/absences"), data={"employee_id": junk,
                                                                 "code": "verlof"})
        assert response.status_code == 422
    response = client.post("/attendance/leave", data={"employee_id": str(2**40), "code": "verlof",
                                                      "starts_on": "2026-12-01",
                                                      "ends_on": "2026-12-01"})
    assert response.status_code == 422
    assert _nothing_stored() == (0, 0, 0)


def test_the_avg_access_questions(make):
    from portal.auth import access

    boss = make.user("supervisor")
    team = make.group(supervisor=boss)
    other = make.group()
    assert access.sees_absence_reasons(boss, team)
    assert not access.sees_absence_reasons(boss, other)
    assert not access.sees_absence_reasons(make.user("planner"), team)
    assert access.sees_absence_reasons(make.user("hr"), other)
    assert not access.sees_absence_reasons(make.user("admin"), other)  # manages systems, not health
    assert access.can_view_group_day(make.user("planner"), other)
    assert not access.can_view_group_day(boss, other)
    assert access.can_plan_leave(boss, team) and not access.can_plan_leave(boss, other)
    assert not access.can_plan_leave(make.user("planner"), team)


def test_sign_off_asks_a_code_for_everyone_who_did_not_come(make, login, team):
    sunday = MONDAY - timedelta(days=1)  # a past day with a shift
    every_day = {d: (time(8), time(16), 30) for d in range(7)}
    came = make.employee(work_group=team, first_name="Anna", schedule=every_day)
    stayed_away = make.employee(work_group=team, first_name="Bram", schedule=every_day)
    make.segment(came, sunday, "08:00", "16:00")
    client = login(team.supervisor)
    page = client.get(url(team, sunday)).get_data(as_text=True)
    field = f"code-{stayed_away.id}"
    assert f'<select id="{field}" name="{field}" required>' in page
    assert f'name="code-{came.id}"' not in page

    refused = client.post(url(team, sunday, "/sign-off"), data={field: ""})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Kies een afwezigheidscode voor iedereen die niet kwam." in html
    assert f'aria-describedby="{field}-error"' in html
    assert DaySignOff.select().count() == 0 and Absence.select().count() == 0

    signed = client.post(url(team, sunday, "/sign-off"), data={field: "ongeoorloofd"})
    assert signed.status_code == 303
    assert DaySignOff.get().day == sunday
    absence = Absence.get()
    assert (absence.employee_id, absence.code, absence.hours) == (stayed_away.id, "ongeoorloofd",
                                                                  None)


def test_a_day_where_everyone_is_accounted_for_signs_off_without_questions(make, login, team):
    sunday = MONDAY - timedelta(days=1)
    person = make.employee(work_group=team, schedule={6: (time(8), time(16), 30)})
    make.absence(person, sunday, "verlof")
    client = login(team.supervisor)
    assert 'name="code-' not in client.get(url(team, sunday)).get_data(as_text=True)
    assert client.post(url(team, sunday, "/sign-off")).status_code == 303
    assert DaySignOff.select().count() == 1 and Absence.select().count() == 1
