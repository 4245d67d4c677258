"""Every trajectories route for every role.

hr sees every trajectory; a jobcoach only those he coaches (another's answer 404, like a forged
id); a supervisor those of his group members, without the coach's pages (404 there too); a
planner only vacancies; an admin only the skill list and the kinds of trajectory.
"""

from datetime import date

from tests import access
from tests.access import Case, only

COACHING = ("hr", "jobcoach")
SEEING = ("hr", "jobcoach", "supervisor")
VACANCIES = ("hr", "jobcoach", "planner")
VACANCY_MANAGERS = ("hr", "planner")


def _world(w, make):
    from portal.trajectories import rules
    from tests.trajectories import build

    (w.skill,) = build.skills("Tempo")
    kind = build.kind()
    w.trajectory = build.trajectory(make, employee=w.employee, kind_=kind, coach=w.jobcoach,
                                    start=date(2026, 1, 5))
    w.other_trajectory = build.trajectory(make, employee=w.other_employee, kind_=kind,
                                          coach=w.other_jobcoach, start=date(2026, 1, 5))
    build.evaluate(w.trajectory, date(2026, 2, 2), {w.skill: 3}, w.jobcoach)
    w.goal = rules.add_goal(w.trajectory, text="Op tijd beginnen", skill_ids=[w.skill.id],
                            target_date=None, user=w.jobcoach.id)
    w.vacancy = rules.save_vacancy(None, client=w.client, title="Inpakker", hours_per_week=24,
                                   place="Lindendal", status="open",
                                   requirements={w.skill.id: "3"}, user=w.hr.id)
    w.second_vacancy = rules.save_vacancy(None, client=w.client, title="Groen", hours_per_week=20,
                                          place="", status="open", requirements={}, user=w.hr.id)
    w.placement = rules.propose(w.vacancy, w.trajectory, w.jobcoach.id)
    ended = build.trajectory(make, employee=make.employee(work_group=w.group), kind_=kind,
                             coach=w.jobcoach, start=date(2025, 1, 6))
    w.follow_up = rules.end_trajectory(ended, outcome="regular_job", day=date(2025, 6, 2),
                                       employer="Bakkerij", hours=24, contract="permanent",
                                       user=w.hr.id)[0]
    w.kind = kind


access.WORLD_HOOKS.append(_world)


def _mine(w):
    return {"trajectory_id": w.trajectory.id}


def _theirs(w):
    return {"trajectory_id": w.other_trajectory.id}


def _vacancy(w):
    return {"vacancy_id": w.vacancy.id}


CASES = [
    Case("trajectories.caseload", "GET", only(SEEING)),
    Case("trajectories.new_trajectory", "GET", only(("hr",))),
    Case("trajectories.create_trajectory", "POST", only(("hr",), 422)),
    Case("trajectories.show_trajectory", "GET", only(SEEING), args=_mine),
    Case("trajectories.show_trajectory", "GET", only(SEEING, jobcoach=404, supervisor=404),
         args=_theirs),
    Case("trajectories.show_trajectory", "GET", only(SEEING, 404),
         args=lambda w: {"trajectory_id": 2**31 - 1}),
    Case("trajectories.chart", "GET", only(SEEING), args=_mine),
    Case("trajectories.chart", "GET", only(SEEING, jobcoach=404, supervisor=404), args=_theirs),
    Case("trajectories.development_plan", "GET", only(SEEING, supervisor=404), args=_mine),
    Case("trajectories.development_plan", "GET", only(SEEING, jobcoach=404, supervisor=404),
         args=_theirs),
    Case("trajectories.assign_coach", "POST", only(("hr",), 303), args=_mine),
    Case("trajectories.next_phase", "POST", only(SEEING, 422, supervisor=404), args=_mine),
    Case("trajectories.next_phase", "POST", only(SEEING, 422, jobcoach=404, supervisor=404),
         args=_theirs),
    Case("trajectories.add_goal", "POST", only(SEEING, 422, supervisor=404), args=_mine),
    Case("trajectories.update_goal", "POST", only(SEEING, 422, supervisor=404),
         args=lambda w: {"trajectory_id": w.trajectory.id, "goal_id": w.goal.id}),
    Case("trajectories.update_goal", "POST", only(SEEING, 404),
         args=lambda w: {"trajectory_id": w.other_trajectory.id, "goal_id": w.goal.id}),
    Case("trajectories.add_note", "POST", only(SEEING, 422, supervisor=404), args=_mine),
    Case("trajectories.new_evaluation", "GET", only(SEEING), args=_mine),
    Case("trajectories.new_evaluation", "GET", only(SEEING, jobcoach=404, supervisor=404),
         args=_theirs),
    Case("trajectories.create_evaluation", "POST", only(SEEING, 422), args=_mine),
    Case("trajectories.create_evaluation", "POST", only(SEEING, 422, jobcoach=404,
                                                        supervisor=404), args=_theirs),
    Case("trajectories.end_form", "GET", only(SEEING, supervisor=404), args=_mine),
    Case("trajectories.end_trajectory", "POST", only(SEEING, 422, supervisor=404), args=_mine),
    Case("trajectories.answer_follow_up", "POST", only(SEEING, 422, supervisor=404),
         args=lambda w: {"follow_up_id": w.follow_up.id}),
    Case("trajectories.candidate_vacancies", "GET", only(SEEING, supervisor=404), args=_mine),
    Case("trajectories.candidate_vacancies", "GET", only(SEEING, jobcoach=404, supervisor=404),
         args=_theirs),
    Case("trajectories.start_trial", "POST", only(SEEING, 422, supervisor=404),
         args=lambda w: {"placement_id": w.placement.id}),
    Case("trajectories.decide_placement", "POST", only(SEEING, 422, supervisor=404),
         args=lambda w: {"placement_id": w.placement.id}),
    Case("trajectories.list_vacancies", "GET", only(VACANCIES)),
    Case("trajectories.new_vacancy", "GET", only(VACANCY_MANAGERS)),
    Case("trajectories.create_vacancy", "POST", only(VACANCY_MANAGERS, 422)),
    Case("trajectories.show_vacancy", "GET", only(VACANCIES), args=_vacancy),
    Case("trajectories.show_vacancy", "GET", only(VACANCIES, 404),
         args=lambda w: {"vacancy_id": 2**31 - 1}),
    Case("trajectories.edit_vacancy", "GET", only(VACANCY_MANAGERS), args=_vacancy),
    Case("trajectories.update_vacancy", "POST", only(VACANCY_MANAGERS, 422), args=_vacancy),
    Case("trajectories.propose", "POST", only(COACHING, 303),
         args=lambda w: {"vacancy_id": w.second_vacancy.id},
         data=lambda w: {"trajectory": w.trajectory.id}),
    Case("trajectories.propose", "POST", only(COACHING, 303, jobcoach=404),
         args=lambda w: {"vacancy_id": w.second_vacancy.id},
         data=lambda w: {"trajectory": w.other_trajectory.id}),
    Case("trajectories.figures_page", "GET", only(("hr",))),
    Case("trajectories.figures_xlsx", "GET", only(("hr",))),
    Case("trajectories.settings", "GET", only(("admin",))),
    Case("trajectories.install_defaults", "POST", only(("admin",), 303)),
    Case("trajectories.add_skill", "POST", only(("admin",), 422)),
    Case("trajectories.update_skill", "POST", only(("admin",), 422),
         args=lambda w: {"skill_id": w.skill.id}),
    Case("trajectories.add_kind", "POST", only(("admin",), 422)),
    Case("trajectories.update_kind", "POST", only(("admin",), 422),
         args=lambda w: {"kind_id": w.kind.id}),
    Case("trajectories.add_phase_rule", "POST", only(("admin",), 422),
         args=lambda w: {"kind_id": w.kind.id}),
    Case("trajectories.workfloor_profile", "GET", only(("admin",)),
         args=lambda w: {"workfloor_id": w.workfloor.id}),
    Case("trajectories.workfloor_profile", "GET", only(("admin",), 404, planner=403, hr=403,
                                                       supervisor=403, jobcoach=403),
         args=lambda w: {"workfloor_id": 2**31 - 1}),
    Case("trajectories.save_workfloor_profile", "POST", only(("admin",), 303),
         args=lambda w: {"workfloor_id": w.workfloor.id}),
]
