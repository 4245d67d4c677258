"""Who may see and do what in the trajectories area.

Trajectory data is personal data of vulnerable people: only those who work with a candidate see
it. hr sees everything and assigns coaches; a jobcoach only the trajectories he coaches; a
supervisor only those of the members of the groups he leads, and then goals, profiles and
observations, never the coach's notes. A planner sees no trajectory at all, only vacancies. An
admin keeps the skill list and the kinds of trajectory with their phase rules.
"""

from flask import abort

from portal.auth.models import ADMIN, HR, JOBCOACH, PLANNER, SUPERVISOR, User

# Roles that reach any trajectory page (each then sees only his own candidates).
TRAJECTORY_ROLES = (HR, JOBCOACH, SUPERVISOR)
VACANCY_READERS = (HR, JOBCOACH, PLANNER)
VACANCY_MANAGERS = (HR, PLANNER)
SETTINGS_ROLES = (ADMIN,)
FIGURE_ROLES = (HR,)


def sees_every_trajectory(user: User) -> bool:
    """hr sees every trajectory; everybody else at most his own candidates'."""
    return user.role == HR


def coaches_trajectory(user: User, trajectory) -> bool:
    """Tell whether the user is the coach assigned to the trajectory."""
    return user.role == JOBCOACH and trajectory.coach_id == user.id


def supervises_candidate(user: User, employee) -> bool:
    """Tell whether the user leads the group the candidate works in."""
    group = employee.work_group
    return (user.role == SUPERVISOR and employee.work_group_id is not None
            and group.supervisor_id == user.id)


def can_see_trajectory(user: User, trajectory) -> bool:
    """hr; the trajectory's own coach; the supervisor of the candidate's group."""
    return (sees_every_trajectory(user) or coaches_trajectory(user, trajectory)
            or supervises_candidate(user, trajectory.employee))


def require_trajectory(user: User, trajectory) -> None:
    """:raise 404: when the user may not see the trajectory (forged ids tell nothing)."""
    if trajectory is None or not can_see_trajectory(user, trajectory):
        abort(404)


def can_coach(user: User, trajectory) -> bool:
    """Goals, phases, placements, outcome and follow-ups: the coach and hr."""
    return sees_every_trajectory(user) or coaches_trajectory(user, trajectory)


def require_coaching(user: User, trajectory) -> None:
    """:raise 404: when the user may not coach the trajectory."""
    if trajectory is None or not can_coach(user, trajectory):
        abort(404)


def can_evaluate(user: User, trajectory) -> bool:
    """An evaluation: the coach, hr, or the supervisor of the candidate's group."""
    return trajectory.status == "open" and can_see_trajectory(user, trajectory)


def sees_coach_notes(user: User, trajectory) -> bool:
    """The coach's private notes: the coach and hr, never the supervisor."""
    return can_coach(user, trajectory)


def can_assign_coach(user: User) -> bool:
    """hr starts trajectories and assigns their coaches."""
    return user.role == HR


def sees_attendance_rhythm(user: User, trajectory) -> bool:
    """Presence share, late arrivals and unexcused days: whoever may evaluate.

    Never an absence reason: "ziek" stays with the own supervisor and hr in the attendance area.
    """
    return can_see_trajectory(user, trajectory)


def sees_follow_ups(user: User) -> bool:
    """Follow-ups are the coach's work (and hr's); a supervisor does not see outcomes."""
    return user.role in (HR, JOBCOACH)


def can_manage_vacancies(user: User) -> bool:
    """Vacancies at clients: hr and the planners (the employer services) make and change them."""
    return user.role in VACANCY_MANAGERS


def can_match(user: User) -> bool:
    """Ranking candidates for a vacancy shows trajectory data: hr and coaches, not planners."""
    return user.role in (HR, JOBCOACH)


def can_manage_settings(user: User) -> bool:
    """The skill list and the kinds of trajectory: the admin."""
    return user.role == ADMIN
