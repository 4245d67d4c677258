"""The rules of trajectories, with expectations worked out by hand."""

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest

from portal.refusal import Refused
from portal.trajectories import rules
from portal.trajectories.models import (ENDED, GARANTIEBAAN, NOT_PLACED, PLACED, REGULAR_JOB,
                                        STOPPED, TRIAL, Evaluation, FollowUp, Phase, Score,
                                        Trajectory, Vacancy)
from tests.trajectories import build


def _phase(start, max_days, end=None):
    return SimpleNamespace(start_date=start, max_days=max_days, end_date=end)


# -- phase limits and signals -------------------------------------------------------------------

def test_a_phase_of_91_days_from_1_january_may_run_up_to_1_april():
    assert rules.phase_last_day(_phase(date(2026, 1, 1), 91)) == date(2026, 4, 1)
    assert rules.phase_last_day(_phase(date(2026, 1, 1), None)) is None


def test_the_signal_starts_two_weeks_before_the_limit_and_turns_overdue_after_it():
    phase = _phase(date(2026, 1, 1), 91)  # last day 1 April
    assert rules.phase_signal(phase, date(2026, 3, 17)) is None
    assert rules.phase_signal(phase, date(2026, 3, 18)) == rules.NEAR  # 14 days before
    assert rules.phase_signal(phase, date(2026, 4, 1)) == rules.NEAR
    assert rules.phase_signal(phase, date(2026, 4, 2)) == rules.OVERDUE
    assert rules.days_left(phase, date(2026, 4, 3)) == -2


def test_an_ended_phase_or_one_without_a_limit_has_no_signal():
    assert rules.phase_signal(_phase(date(2026, 1, 1), 91, end=date(2026, 2, 1)),
                              date(2026, 6, 1)) is None
    assert rules.phase_signal(_phase(date(2020, 1, 1), None), date(2026, 6, 1)) is None


def test_a_trajectory_starts_in_the_first_phase_of_its_kind_with_its_limit(make):
    made = build.trajectory(make, start=date(2026, 1, 5))
    phase = made.phases.get()
    assert (phase.name, phase.position, phase.start_date, phase.max_days) == (
        "Werken met uitkering", 1, date(2026, 1, 5), 91)


def test_a_second_open_trajectory_of_one_kind_is_refused_but_another_kind_is_not(make):
    person = make.employee()
    kind = build.kind()
    build.trajectory(make, employee=person, kind_=kind)
    with pytest.raises(Refused, match="already has an open trajectory"):
        build.trajectory(make, employee=person, kind_=kind)
    build.trajectory(make, employee=person, kind_=build.kind(name="Proefplaatsing"))
    assert Trajectory.select().where(Trajectory.employee == person.id).count() == 2


def test_someone_who_left_can_come_back_with_a_second_trajectory_and_history_stays(make):
    person = make.employee()
    kind = build.kind()
    first = build.trajectory(make, employee=person, kind_=kind, start=date(2025, 1, 6))
    rules.end_trajectory(first, outcome=STOPPED, day=date(2025, 3, 1), reason="moved", user=None)
    second = build.trajectory(make, employee=person, kind_=kind, start=date(2026, 1, 5))
    assert Trajectory.get_by_id(first.id).outcome == STOPPED
    assert second.id != first.id and second.status == "open"


def test_a_planned_end_before_the_start_is_refused_and_nothing_is_stored(make):
    with pytest.raises(Refused, match="before the start"):
        rules.start_trajectory(employee=make.employee(), kind=build.kind(), coach=None,
                               start=date(2026, 2, 1), planned_end=date(2026, 1, 1), user=None)
    assert Trajectory.select().count() == 0


def test_the_next_phase_closes_the_running_one_the_day_before(make):
    made = build.trajectory(make, start=date(2026, 1, 5))
    rules.next_phase(made, date(2026, 3, 2), None)
    first, second = made.phases.order_by(Phase.position)
    assert first.end_date == date(2026, 3, 1)
    assert (second.name, second.start_date, second.max_days) == ("Betaald werk",
                                                                 date(2026, 3, 2), None)


def test_a_phase_that_would_end_before_it_started_is_refused(make):
    made = build.trajectory(make, start=date(2026, 1, 5))
    with pytest.raises(Refused, match="end before it started"):
        rules.next_phase(made, date(2026, 1, 5), None)
    assert made.phases.count() == 1


# -- evaluations --------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0", "6", "3.5", "drie", -1])
def test_scores_outside_1_to_5_are_refused(value):
    with pytest.raises(Refused, match="1 to 5"):
        rules.check_score(value)


def test_scores_1_to_5_and_not_observed_are_taken():
    assert [rules.check_score(v) for v in ("1", "5", 3, "", None)] == [1, 5, 3, None, None]


def test_a_new_evaluation_leaves_the_old_one_as_it_was_and_becomes_the_latest(make):
    pace, quality = build.skills("Tempo", "Kwaliteit")
    coach = make.user("jobcoach")
    made = build.trajectory(make, coach=coach, start=date(2026, 1, 5))
    old = build.evaluate(made, date(2026, 2, 1), {pace: 2, quality: None}, coach)
    new = build.evaluate(made, date(2026, 3, 1), {pace: 3, quality: 4}, coach)
    assert {(s.skill_id, s.value) for s in Score.select().where(Score.evaluation == old.id)} == {
        (pace.id, 2), (quality.id, None)}
    assert Trajectory.get_by_id(made.id).latest_evaluation_id == new.id
    # An evaluation dated earlier, entered later, does not become the latest.
    build.evaluate(Trajectory.get_by_id(made.id), date(2026, 2, 15), {pace: 1}, coach)
    assert Trajectory.get_by_id(made.id).latest_evaluation_id == new.id


def test_an_evaluation_with_a_score_out_of_range_stores_nothing(make):
    (pace,) = build.skills("Tempo")
    made = build.trajectory(make, start=date(2026, 1, 5))
    with pytest.raises(Refused):
        rules.record_evaluation(made, day=date(2026, 2, 1), scores={pace.id: "7"}, comment="",
                                user=make.user("jobcoach").id)
    assert Evaluation.select().count() == 0 and Score.select().count() == 0


def test_development_tells_up_same_and_down_since_the_evaluation_before(make):
    pace, quality, safety = build.skills("Tempo", "Kwaliteit", "Veiligheid")
    coach = make.user("jobcoach")
    made = build.trajectory(make, coach=coach, start=date(2026, 1, 5))
    build.evaluate(made, date(2026, 2, 1), {pace: 2, quality: 4, safety: 3}, coach)
    build.evaluate(made, date(2026, 3, 1), {pace: 3, quality: 4, safety: 2}, coach)
    dev = rules.development(made)
    assert [dev.trend(s) for s in (pace, quality, safety)] == [rules.UP, rules.SAME, rules.DOWN]
    # Execution group average of the second evaluation: (3 + 4 + 2) / 3 = 3.0
    assert dev.group_average(dev.evaluations[-1], "execution") == 3.0


# -- matching -----------------------------------------------------------------------------------

def test_fit_counts_each_score_up_to_the_level_asked():
    # Asked 3 and 4 (7 in all); scored 5 and 2: met 3 + 2 = 5 of 7 = 71%.
    result = rules.fit({1: 3, 2: 4}, {1: 5, 2: 2})
    assert result.percent == 71
    assert result.gaps == [(2, 4, 2)]


def test_a_skill_not_observed_counts_zero_and_is_a_gap():
    result = rules.fit({1: 2, 2: 2}, {1: 2})
    assert (result.percent, result.gaps) == (50, [(2, 2, None)])


def test_without_requirements_everyone_fits():
    assert rules.fit({}, {1: 1}).percent == 100


def test_the_ranking_breaks_ties_by_gaps_then_name_then_id():
    keys = sorted([rules.ranking_key(80, 1, "Aalders", "Piet", 1),
                   rules.ranking_key(80, 0, "Zwart", "Jan", 2),
                   rules.ranking_key(80, 0, "Bakker", "Kim", 4),
                   rules.ranking_key(80, 0, "Bakker", "Kim", 3)])
    assert [k[-1] for k in keys] == [3, 4, 2, 1]


def test_a_coach_ranks_only_his_own_candidates_best_fit_first(make):
    pace, quality = build.skills("Tempo", "Kwaliteit")
    coach, other = make.user("jobcoach"), make.user("jobcoach")
    kind = build.kind()
    strong = build.trajectory(make, coach=coach, kind_=kind, last_name="Sterk")
    weak = build.trajectory(make, coach=coach, kind_=kind, last_name="Zwak")
    foreign = build.trajectory(make, coach=other, kind_=kind, last_name="Ander")
    build.evaluate(strong, date(2026, 2, 1), {pace: 4, quality: 3}, coach)
    build.evaluate(weak, date(2026, 2, 1), {pace: 2, quality: None}, coach)
    build.evaluate(foreign, date(2026, 2, 1), {pace: 5, quality: 5}, other)
    vacancy = rules.save_vacancy(None, client=make.client(), title="Inpakker",
                                 hours_per_week=24, place="Lindendal", status="open",
                                 requirements={pace.id: "3", quality.id: "3"}, user=None)
    ranked = rules.rank_candidates(vacancy, coach)
    assert [(c.last_name, c.fit.percent) for c in ranked] == [("Sterk", 100), ("Zwak", 33)]
    assert ranked[1].fit.gaps == [(pace.id, 3, 2), (quality.id, 3, None)]
    hr = make.user("hr")
    assert [c.last_name for c in rules.rank_candidates(vacancy, hr)] == ["Ander", "Sterk", "Zwak"]


def test_the_database_adds_up_the_fit_as_the_rule_does(make):
    pace, quality, safety = build.skills("Tempo", "Kwaliteit", "Veiligheid")
    coach = make.user("jobcoach")
    kind = build.kind()
    patterns = [(5, 5, 5), (3, None, 2), (1, 1, 1), (4, 2, None), (2, 4, 4)]
    made = []
    for n, values in enumerate(patterns):
        trajectory = build.trajectory(make, coach=coach, kind_=kind, last_name=f"K{n}")
        build.evaluate(trajectory, date(2026, 2, 1),
                       {s: v for s, v in zip((pace, quality, safety), values)}, coach)
        made.append(trajectory)
    build.trajectory(make, coach=coach, kind_=kind, last_name="Nieuw")  # not evaluated yet
    requirements = {pace.id: 3, quality.id: 4, safety.id: 2}
    vacancy = rules.save_vacancy(None, client=make.client(), title="X", hours_per_week=20,
                                 place="", status="open",
                                 requirements={k: str(v) for k, v in requirements.items()},
                                 user=None)
    summed = rules.rank_candidates(vacancy, coach, detailed=0)
    detailed = rules.rank_candidates(vacancy, coach)
    by_rule = {f"K{n}": rules.fit(requirements,
                                  {s.id: v for s, v in zip((pace, quality, safety), values)})
               for n, values in enumerate(patterns)}
    assert [(c.last_name, c.fit.percent, c.gap_count) for c in summed] == [
        (c.last_name, c.fit.percent, len(c.fit.gaps)) for c in detailed]
    # Hand-computed: asked 3 + 4 + 2 = 9; (5,5,5) meets 9 = 100%; (2,4,4) 2 + 4 + 2 = 89%;
    # (3,None,2) 3 + 0 + 2 = 56% with one gap; (4,2,None) 3 + 2 + 0 = 56% with two; (1,1,1) 33%.
    assert [(c.last_name, c.fit.percent) for c in detailed] == [
        ("K0", 100), ("K4", 89), ("K1", 56), ("K3", 56), ("K2", 33), ("Nieuw", 0)]
    assert {name: f.percent for name, f in by_rule.items()} == {
        c.last_name: c.fit.percent for c in detailed if c.last_name != "Nieuw"}


def test_the_availability_filter_leaves_out_candidates_in_a_trial(make):
    coach = make.user("jobcoach")
    kind = build.kind()
    busy = build.trajectory(make, coach=coach, kind_=kind, last_name="Bezig")
    build.trajectory(make, coach=coach, kind_=kind, last_name="Vrij")
    vacancy = rules.save_vacancy(None, client=make.client(), title="Groen", hours_per_week=20,
                                 place="", status="open", requirements={}, user=None)
    placement = rules.propose(vacancy, busy, coach.id)
    rules.start_trial(placement, date(2026, 2, 1), date(2026, 2, 28), coach.id)
    names = [c.last_name for c in rules.rank_candidates(vacancy, coach, available_only=True)]
    assert names == ["Vrij"]


def test_a_vacancy_without_a_client_is_refused(make):
    with pytest.raises(Refused, match="belongs to a client"):
        rules.save_vacancy(None, client=None, title="X", hours_per_week=20, place="",
                           status="open", requirements={}, user=None)
    assert Vacancy.select().count() == 0


# -- placements, outcomes and follow-ups --------------------------------------------------------

def test_a_trial_that_ends_before_it_starts_is_refused(make):
    made = build.trajectory(make)
    vacancy = rules.save_vacancy(None, client=make.client(), title="X", hours_per_week=20,
                                 place="", status="open", requirements={}, user=None)
    placement = rules.propose(vacancy, made, make.user("hr").id)
    with pytest.raises(Refused, match="ends before it starts"):
        rules.start_trial(placement, date(2026, 3, 1), date(2026, 2, 1), None)


def test_not_placed_needs_a_reason_from_the_list(make):
    made = build.trajectory(make)
    vacancy = rules.save_vacancy(None, client=make.client(), title="X", hours_per_week=20,
                                 place="", status="open", requirements={}, user=None)
    placement = rules.propose(vacancy, made, make.user("hr").id)
    with pytest.raises(Refused, match="reason"):
        rules.decide_placement(placement, False, date(2026, 3, 1), "ziek", None)
    rules.decide_placement(placement, False, date(2026, 3, 1), "travel", None)
    assert placement.status == NOT_PLACED


def test_six_months_after_31_august_is_the_last_day_of_february():
    assert rules.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert rules.add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)


def test_a_regular_job_schedules_follow_ups_at_6_and_12_months(make):
    made = build.trajectory(make, start=date(2025, 6, 2))
    rules.end_trajectory(made, outcome=REGULAR_JOB, day=date(2026, 1, 31), employer="Bakkerij",
                         hours=32, contract="fixed_term", user=None)
    assert [(f.months, f.due_on) for f in made.follow_ups.order_by(FollowUp.months)] == [
        (6, date(2026, 7, 31)), (12, date(2027, 1, 31))]
    assert made.status == ENDED and made.phases.where(Phase.end_date.is_null()).count() == 0


def test_education_schedules_no_follow_up_and_garantiebaan_does(make):
    school = build.trajectory(make, start=date(2025, 6, 2))
    rules.end_trajectory(school, outcome="education", day=date(2026, 1, 31), user=None)
    job = build.trajectory(make, start=date(2025, 6, 2))
    rules.end_trajectory(job, outcome=GARANTIEBAAN, day=date(2026, 1, 31), employer="Gemeente",
                         hours=20, user=None)
    assert school.follow_ups.count() == 0 and job.follow_ups.count() == 2


def test_a_follow_up_before_the_placement_is_refused(make):
    made = build.trajectory(make, start=date(2025, 6, 2))
    (six, _twelve) = rules.end_trajectory(made, outcome=REGULAR_JOB, day=date(2025, 12, 1),
                                          employer="X", hours=20, contract="permanent", user=None)
    with pytest.raises(Refused, match="before the placement"):
        rules.answer_follow_up(six, "same_employer", date(2025, 11, 30), None)
    assert FollowUp.get_by_id(six.id).answer is None


def test_a_follow_up_is_due_from_its_day_until_answered():
    follow_up = SimpleNamespace(answer=None, due_on=date(2026, 6, 1))
    assert not rules.is_follow_up_due(follow_up, date(2026, 5, 31))
    assert rules.is_follow_up_due(follow_up, date(2026, 6, 1))
    follow_up.answer = "not_working"
    assert not rules.is_follow_up_due(follow_up, date(2026, 6, 2))


def test_the_caseload_puts_overdue_phases_first(make):
    coach = make.user("jobcoach")
    kind = build.kind()
    today = rules.local_today()
    build.trajectory(make, coach=coach, kind_=kind, last_name="Aalders", start=today)
    build.trajectory(make, coach=coach, kind_=kind, last_name="Zwart",
                     start=today - timedelta(days=100))
    build.trajectory(make, coach=coach, kind_=kind, last_name="Mol",
                     start=today - timedelta(days=80))
    rows = rules.caseload(coach, today)
    assert [(r.trajectory.employee.last_name, r.signal) for r in rows] == [
        ("Zwart", rules.OVERDUE), ("Mol", rules.NEAR), ("Aalders", None)]


# -- work rhythm --------------------------------------------------------------------------------

def test_work_rhythm_counts_presence_lateness_and_unexcused_days(make):
    # Monday 2 to Friday 6 March 2026, 8:00-16:00 with 30 minutes break: 7.5 h a day.
    person = make.employee(schedule={d: (time(8), time(16), 30) for d in range(5)})
    make.segment(person, date(2026, 3, 2), "08:00", "16:00")  # 7.5 h
    make.segment(person, date(2026, 3, 3), "08:30", "16:00")  # late; 7.5 - 0.5 = 7 h
    make.segment(person, date(2026, 3, 4), "08:00", "12:00")  # 4 h, before the break
    make.absence(person, date(2026, 3, 5), code="ongeoorloofd")
    make.absence(person, date(2026, 3, 6), code="ziek")
    rhythm = rules.work_rhythm(person, date(2026, 3, 2), date(2026, 3, 6))
    assert rhythm.scheduled_minutes == 5 * 450
    assert rhythm.late_arrivals == 1
    assert rhythm.unexcused_days == 1
    # Present 7.5 + 7 + 4 = 18.5 h of 37.5 h: 49%.
    assert rhythm.presence_percentage == 49


def test_workfloors_with_a_profile_are_ranked_for_a_candidate(make):
    pace, lifting = build.skills("Tempo", "Tillen")
    coach = make.user("jobcoach")
    made = build.trajectory(make, coach=coach)
    build.evaluate(made, date(2026, 2, 2), {pace: 3, lifting: 2}, coach)
    light, heavy, unprofiled = (make.workfloor(name="Inpak"), make.workfloor(name="Metaal"),
                                make.workfloor(name="Kantine"))
    rules.save_workfloor_profile(light, {pace.id: "3"}, None)
    rules.save_workfloor_profile(heavy, {pace.id: "3", lifting.id: "4"}, None)
    ranked = rules.rank_workfloors(Trajectory.get_by_id(made.id))
    # Metaal: met 3 + 2 of 7 asked = 71%, Tillen below.
    assert [(f.name, fit.percent, fit.gaps) for f, fit in ranked] == [
        ("Inpak", 100, []), ("Metaal", 71, [(lifting.id, 4, 2)])]
    with pytest.raises(Refused, match="1 to 5"):
        rules.save_workfloor_profile(unprofiled, {pace.id: "9"}, None)
    assert rules.workfloor_requirements(unprofiled.id) == {}


def test_the_sql_flag_of_a_phase_agrees_with_its_signal_around_the_limit(make):
    from portal.trajectories.models import Phase

    # 91 days from 5 January: last day 5 April; near from 22 March, overdue from 6 April.
    made = build.trajectory(make, start=date(2026, 1, 5))
    phase = Phase.get(Phase.trajectory == made)
    for day in (date(2026, 3, 21), date(2026, 3, 22), date(2026, 4, 5), date(2026, 4, 6)):
        flagged = Phase.select().where(rules.flagged_phase(day)).count()
        assert flagged == (rules.phase_signal(phase, day) is not None), day
    assert Phase.select().where(rules.flagged_phase(date(2026, 3, 21))).count() == 0
    assert Phase.select().where(rules.flagged_phase(date(2026, 3, 22))).count() == 1
