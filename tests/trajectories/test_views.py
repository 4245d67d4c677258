"""The trajectory pages as each role sees them, and the queries of the lists that grow."""

import io
import re
from datetime import date

import openpyxl

from portal.trajectories import rules
from portal.trajectories.models import Evaluation, Score
from tests.trajectories import build


def _caseload_world(make, coach, count, kind, skill):
    for _ in range(count):
        made = build.trajectory(make, coach=coach, kind_=kind, start=date(2026, 1, 5))
        build.evaluate(made, date(2026, 2, 2), {skill: 3}, coach)
        rules.add_goal(made, text="Op tijd", skill_ids=[], target_date=None, user=coach.id)


def test_the_caseload_is_a_fixed_handful_of_queries_whatever_the_number(make, login,
                                                                       count_queries):
    coach = make.user("jobcoach")
    kind = build.kind()
    (skill,) = build.skills("Tempo")
    _caseload_world(make, coach, 2, kind, skill)
    client = login(coach)
    with count_queries() as few:
        assert client.get("/trajectories/").status_code == 200
    _caseload_world(make, coach, 12, kind, skill)
    with count_queries() as many:
        page = client.get("/trajectories/")
    assert page.get_data(as_text=True).count("/trajectories/") > 14
    assert many.total == few.total <= 10


def test_the_matching_page_is_a_fixed_handful_of_queries_whatever_the_number(make, login,
                                                                            count_queries):
    coach = make.user("jobcoach")
    kind = build.kind()
    (skill,) = build.skills("Tempo")
    vacancy = rules.save_vacancy(None, client=make.client(), title="Inpakker", hours_per_week=24,
                                 place="", status="open", requirements={skill.id: "3"},
                                 user=None)
    _caseload_world(make, coach, 2, kind, skill)
    client = login(coach)
    url = f"/trajectories/vacancies/{vacancy.id}"
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _caseload_world(make, coach, 12, kind, skill)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count("Voordragen<span") == 14
    assert many.total == few.total <= 14


def test_a_coach_sees_only_his_own_candidates(make, login):
    coach, other = make.user("jobcoach"), make.user("jobcoach")
    build.trajectory(make, coach=coach, first_name="Anna")
    theirs = build.trajectory(make, coach=other, first_name="Bram")
    client = login(coach)
    page = client.get("/trajectories/").get_data(as_text=True)
    assert "Anna" in page and "Bram" not in page
    assert client.get(f"/trajectories/{theirs.id}").status_code == 404


def test_the_supervisor_sees_goals_but_not_the_coach_s_notes(make, login):
    coach = make.user("jobcoach")
    group = make.group()
    made = build.trajectory(make, coach=coach, work_group=group)
    rules.add_goal(made, text="Zelf reizen met de bus", skill_ids=[], target_date=None,
                   user=coach.id)
    rules.add_note(made, "Privé afspraak over thuissituatie", coach.id)
    client = login(group.supervisor)
    as_supervisor = client.get(f"/trajectories/{made.id}").get_data(as_text=True)
    assert "Zelf reizen met de bus" in as_supervisor
    assert "Privé afspraak" not in as_supervisor
    client.post("/auth/logout")
    as_coach = login(coach).get(f"/trajectories/{made.id}").get_data(as_text=True)
    assert "Privé afspraak" in as_coach


def test_a_score_out_of_range_is_refused_in_the_page_and_nothing_is_stored(make, login):
    coach = make.user("jobcoach")
    (skill,) = build.skills("Tempo")
    made = build.trajectory(make, coach=coach)
    client = login(coach)
    refused = client.post(f"/trajectories/{made.id}/evaluation",
                          data={"day": "2026-02-02", f"skill_{skill.id}": "7"})
    assert refused.status_code == 422
    assert "1 tot en met 5" in refused.get_data(as_text=True)
    assert Evaluation.select().count() == 0 and Score.select().count() == 0
    saved = client.post(f"/trajectories/{made.id}/evaluation",
                        data={"day": "2026-02-02", f"skill_{skill.id}": "4", "comment": "Goed"})
    assert saved.status_code == 303
    page = client.get(f"/trajectories/{made.id}").get_data(as_text=True)
    assert f"/trajectories/{made.id}/chart.svg?v=" in page and "Goed" in page


def test_the_chart_is_an_svg_without_script_under_its_own_narrow_policy(make, login):
    coach = make.user("jobcoach")
    (skill,) = build.skills("Tempo")
    made = build.trajectory(make, coach=coach, first_name="Anna", last_name="Visser")
    build.evaluate(made, date(2026, 2, 2), {skill: 2}, coach)
    build.evaluate(made, date(2026, 3, 2), {skill: 4}, coach)
    client = login(coach)
    page = client.get(f"/trajectories/{made.id}").get_data(as_text=True)
    assert "▲</span> omhoog" in page  # 2 to 4 since the evaluation before
    response = client.get(f"/trajectories/{made.id}/chart.svg")
    svg = response.get_data(as_text=True)
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert "<script" not in svg and "Anna Visser" in svg
    assert "Uitvoering van het werk" in svg  # the legend label of the group


def test_the_figures_workbook_hides_small_numbers(make, login):
    place = make.municipality(name="Lindendal")
    for _ in range(2):
        build.trajectory(make, municipality=place, start=date(2026, 1, 5))
    response = login(make.user("hr")).get("/trajectories/figures.xlsx?quarter=2026-Q1")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["Lindendal"][1] == "< 5"
    # All municipalities together is a total: below a blank row, outside the data.
    values = list(sheet.iter_rows(values_only=True))
    assert values[-1][0] == "Alle gemeenten" and all(v is None for v in values[-2])


def test_a_forged_quarter_answers_404(make, login):
    assert login(make.user("hr")).get("/trajectories/figures?quarter=20x6-Q9").status_code == 404


def test_hr_starts_a_trajectory_and_a_second_one_of_the_kind_is_refused_in_the_page(make, login):
    from portal.trajectories.models import Trajectory

    person = make.employee(first_name="Sem", last_name="Bakker")
    kind = build.kind()
    coach = make.user("jobcoach")
    client = login(make.user("hr"))
    form = {"employee": person.id, "kind": kind.id, "coach": coach.id, "start_date": "2026-02-02"}
    refused = client.post("/trajectories/", data={**form, "planned_end": "2026-01-01"})
    assert refused.status_code == 422
    assert "Het geplande einde ligt voor de start." in refused.get_data(as_text=True)
    assert Trajectory.select().count() == 0
    assert client.post("/trajectories/", data=form).status_code == 303
    again = client.post("/trajectories/", data=form)
    assert again.status_code == 422
    assert "Sem Bakker heeft al een lopend traject van deze soort." in again.get_data(as_text=True)
    assert Trajectory.select().count() == 1
    assert Trajectory.get().coach_id == coach.id


def test_a_planner_makes_a_vacancy_with_its_profile_and_a_level_of_7_is_refused(make, login):
    from portal.trajectories.models import Requirement, Vacancy

    (pace,) = build.skills("Tempo")
    employer = make.client(name="Fictief Metaal BV")
    client = login(make.user("planner"))
    form = {"client": employer.id, "title": "Orderpicker", "hours_per_week": "24,5",
            "place": "Lindendal", "status": "open"}
    refused = client.post("/trajectories/vacancies", data={**form, f"skill_{pace.id}": "7"})
    assert refused.status_code == 422 and Vacancy.select().count() == 0
    no_client = client.post("/trajectories/vacancies", data={**form, "client": ""})
    assert "Een vacature hoort bij een opdrachtgever: kies er een." in no_client.get_data(
        as_text=True)
    saved = client.post("/trajectories/vacancies", data={**form, f"skill_{pace.id}": "4"})
    assert saved.status_code == 303
    vacancy = Vacancy.get()
    assert (vacancy.title, float(vacancy.hours_per_week)) == ("Orderpicker", 24.5)
    assert [(r.skill_id, r.level) for r in Requirement.select()] == [(pace.id, 4)]
    page = client.get(f"/trajectories/vacancies/{vacancy.id}").get_data(as_text=True)
    assert "Tempo: <strong>4</strong>" in page and "Kandidaten op match" not in page


def _error_beside(page: str, field_id: str) -> str:
    """The message the form macro shows beside a field, or "" when there is none."""
    found = re.search(rf'<p class="field-error" id="{field_id}-error">(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>|⚠", "", found.group(1)).strip() if found else ""


def test_a_refused_trajectory_form_shows_again_with_the_refusal_beside_its_own_field(make, login):
    from portal.trajectories.models import CoachNote, Goal, Phase

    coach = make.user("jobcoach")
    made = build.trajectory(make, coach=coach, start=date(2026, 1, 5))
    client = login(coach)
    phase = client.post(f"/trajectories/{made.id}/phase", data={"phase-day": "2026-01-05"})
    assert phase.status_code == 422
    assert _error_beside(phase.get_data(as_text=True), "phase-day") == (
        "De fase zou eindigen voordat ze begon: kies een datum na 05-01-2026.")
    goal = client.post(f"/trajectories/{made.id}/goals",
                       data={"goal-text": "Zelf reizen", "goal-target_date": "2025-12-01"})
    page = goal.get_data(as_text=True)
    assert goal.status_code == 422
    assert _error_beside(page, "goal-target_date") == (
        "De streefdatum ligt voor de start van het traject.")
    assert "Zelf reizen</textarea>" in page  # what the coach typed is still there
    note = client.post(f"/trajectories/{made.id}/notes", data={"note-text": ""})
    assert note.status_code == 422 and _error_beside(note.get_data(as_text=True), "note-text")
    assert Phase.select().where(Phase.trajectory == made.id).count() == 1
    assert Goal.select().count() == 0 and CoachNote.select().count() == 0
    saved = client.post(f"/trajectories/{made.id}/goals", data={"goal-text": "Zelf reizen"})
    assert saved.status_code == 303 and saved.location.endswith(f"/trajectories/{made.id}")


def test_a_small_form_in_a_list_says_its_refusal_in_a_flash_message(make, login):
    from portal.trajectories.models import Placement

    coach = make.user("jobcoach")
    made = build.trajectory(make, coach=coach)
    vacancy = rules.save_vacancy(None, client=make.client(), title="Inpakker", hours_per_week=24,
                                 place="", status="open", requirements={}, user=None)
    placement = rules.propose(vacancy, made, coach.id)
    client = login(coach)
    url = f"/trajectories/placements/{placement.id}/trial"
    backwards = client.post(url, data={f"t{placement.id}-trial_start": "2026-03-02",
                                       f"t{placement.id}-trial_end": "2026-02-02"})
    assert backwards.status_code == 422
    assert "De proefplaatsing eindigt voordat ze begint." in backwards.get_data(as_text=True)
    empty = client.post(url, data={})
    assert empty.status_code == 422
    assert "Vul de eerste en laatste dag van de proefplaatsing in." in empty.get_data(
        as_text=True)
    assert Placement.get_by_id(placement.id).status == "proposed"


def test_the_settings_forms_refuse_beside_the_field_or_in_a_flash_message(make, login):
    kind = build.kind(name="Leerwerktraject")
    client = login(make.user("admin"))
    twice = client.post("/trajectories/settings/kinds", data={"kind-name": "Leerwerktraject"})
    assert twice.status_code == 422
    assert _error_beside(twice.get_data(as_text=True), "kind-name") == (
        "Er is al een soort met deze naam.")
    nameless = client.post(f"/trajectories/settings/kinds/{kind.id}", data={f"k{kind.id}-name": ""})
    assert nameless.status_code == 422
    assert "Geef de soort een naam." in nameless.get_data(as_text=True)
    added = client.post("/trajectories/settings/kinds", data={"kind-name": "Jobcoaching"})
    assert added.status_code == 303 and added.location.endswith("/trajectories/settings")


def test_ending_a_trajectory_before_its_start_is_refused_beside_the_date(make, login):
    coach = make.user("jobcoach")
    made = build.trajectory(make, coach=coach, start=date(2026, 1, 5))
    refused = login(coach).post(f"/trajectories/{made.id}/end",
                                data={"outcome": "stopped", "day": "2025-12-01",
                                      "reason": "other"})
    assert refused.status_code == 422
    assert _error_beside(refused.get_data(as_text=True), "day") == (
        "De einddatum ligt voor de start van het traject.")
    assert rules.Trajectory.get_by_id(made.id).status == "open"


def _open(page: str) -> set[str]:
    """The folded sections of the trajectory page that are open in it."""
    return set(re.findall(r'<section class="card fold" id="(\w+)"[^>]*>\s*<details open>', page))


def test_a_running_trajectory_opens_its_phases_and_goals_and_an_ended_one_its_outcome():
    from types import SimpleNamespace as Row

    from portal.trajectories.views import open_sections

    day = date(2026, 3, 2)
    running, ended = Row(status="open"), Row(status="ended")
    evaluated_before, evaluated_today = (Row(evaluations=[Row(day=date(2026, 2, 2))]),
                                         Row(evaluations=[Row(day=day)]))
    assert open_sections(running, Row(evaluations=[]), day) == {"phases", "goals"}
    assert open_sections(running, evaluated_before, day) == {"phases", "goals"}
    assert open_sections(running, evaluated_today, day) == {"phases", "goals", "development"}
    assert open_sections(ended, evaluated_before, day) == {"outcome"}
    assert open_sections(ended, evaluated_before, day, unfold="notes") == {"outcome", "notes"}


def test_the_page_folds_its_sections_and_a_refusal_opens_the_one_it_is_in(make, login):
    coach = make.user("jobcoach")
    made = build.trajectory(make, coach=coach, start=date(2026, 1, 5))
    vacancy = rules.save_vacancy(None, client=make.client(), title="Inpakker", hours_per_week=24,
                                 place="", status="open", requirements={}, user=None)
    placement = rules.propose(vacancy, made, coach.id)
    client = login(coach)
    page = client.get(f"/trajectories/{made.id}").get_data(as_text=True)
    assert _open(page) == {"phases", "goals"}
    assert '<summary><h2 id="h-placements">Voordrachten en plaatsingen <span class="fold-state">' \
           '(voorgedragen: 1)</span></h2></summary>' in page
    assert '<details class="subfold" open>' in page  # no goals yet: the new goal form is open
    refused = client.post(f"/trajectories/placements/{placement.id}/trial", data={})
    assert _open(refused.get_data(as_text=True)) == {"phases", "goals", "placements"}
    note = client.post(f"/trajectories/{made.id}/notes", data={"note-text": ""})
    assert "notes" in _open(note.get_data(as_text=True))
    rules.add_goal(made, text="Op tijd", skill_ids=[], target_date=None, user=coach.id)
    page = client.get(f"/trajectories/{made.id}").get_data(as_text=True)
    assert '<details class="subfold">' in page and "(1 open)" in page
    goal = client.post(f"/trajectories/{made.id}/goals", data={"goal-text": ""})
    assert '<details class="subfold" open>' in goal.get_data(as_text=True)
