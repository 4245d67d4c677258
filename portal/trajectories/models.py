"""Trajectories of candidates toward regular work, and what hangs on them.

Nothing here is ever overwritten: an evaluation is a new row, a phase is closed and a new one
begun, a second trajectory of a returning candidate is a new trajectory.
"""

import peewee

from portal.auth.models import User
from portal.db import BaseModel
from portal.people.models import Client, Employee, Workfloor
from portal.timeutil import utcnow

# Groups of the skill list (werknemersvaardigheden).
SKILL_GROUPS = ("social", "cognitive", "execution", "physical", "school")
LOWEST, AVERAGE_JOB, HIGHEST = 1, 3, 5

OPEN, ENDED = "open", "ended"

# Goals.
GOAL_OPEN, GOAL_REACHED, GOAL_STOPPED = "open", "reached", "stopped"
GOAL_STATUSES = (GOAL_OPEN, GOAL_REACHED, GOAL_STOPPED)

# How a trajectory ended.
REGULAR_JOB, GARANTIEBAAN, EDUCATION, TRANSFER, STOPPED = (
    "regular_job", "garantiebaan", "education", "transfer", "stopped")
OUTCOMES = (REGULAR_JOB, GARANTIEBAAN, EDUCATION, TRANSFER, STOPPED)
# Outcomes at a regular employer: they count as outflow and are followed up.
WORK_OUTCOMES = (REGULAR_JOB, GARANTIEBAAN)
CONTRACT_KINDS = ("fixed_term", "permanent", "on_call", "temporary_agency")
# Why a trajectory stopped, or a placement did not go through. Never a medical reason.
STOP_REASONS = ("own_choice", "moved", "no_show", "other_programme_ended", "other")
NOT_PLACED_REASONS = ("employer_chose_other", "skills_gap", "travel", "hours_did_not_fit",
                      "candidate_declined", "vacancy_withdrawn")

# Placements.
PROPOSED, TRIAL, PLACED, NOT_PLACED = "proposed", "trial", "placed", "not_placed"
PLACEMENT_STATUSES = (PROPOSED, TRIAL, PLACED, NOT_PLACED)

# Vacancies.
VACANCY_OPEN, VACANCY_FILLED, VACANCY_CLOSED = "open", "filled", "closed"
VACANCY_STATUSES = (VACANCY_OPEN, VACANCY_FILLED, VACANCY_CLOSED)

# Follow-ups.
FOLLOW_UP_MONTHS = (6, 12)
SAME_EMPLOYER, OTHER_EMPLOYER, NOT_WORKING = "same_employer", "other_employer", "not_working"
FOLLOW_UP_ANSWERS = (SAME_EMPLOYER, OTHER_EMPLOYER, NOT_WORKING)


class Skill(BaseModel):
    """One item of the company's skill list; retired, never deleted (old scores point at it)."""

    name = peewee.CharField(max_length=120)
    group = peewee.CharField(max_length=20)
    position = peewee.IntegerField(default=0)
    is_active = peewee.BooleanField(default=True)


class TrajectoryKind(BaseModel):
    """A kind of trajectory (leerwerktraject, proefplaatsing, ...), the admin's list."""

    name = peewee.CharField(max_length=120, unique=True)
    is_active = peewee.BooleanField(default=True)


class PhaseRule(BaseModel):
    """A phase a kind of trajectory goes through, in order, with an optional maximum length."""

    kind = peewee.ForeignKeyField(TrajectoryKind, backref="phase_rules")
    position = peewee.IntegerField()
    name = peewee.CharField(max_length=120)
    max_days = peewee.IntegerField(null=True)

    class Meta:
        indexes = ((("kind", "position"), True),)


class Trajectory(BaseModel):
    """A candidate's path toward regular work; the outcome is written when it ends."""

    employee = peewee.ForeignKeyField(Employee, backref="trajectories")
    kind = peewee.ForeignKeyField(TrajectoryKind, backref="trajectories")
    coach = peewee.ForeignKeyField(User, null=True, backref="coached_trajectories")
    start_date = peewee.DateField()
    planned_end = peewee.DateField(null=True)
    status = peewee.CharField(max_length=10, default=OPEN)
    ended_on = peewee.DateField(null=True)
    outcome = peewee.CharField(max_length=20, null=True)
    outcome_employer = peewee.CharField(max_length=150, default="")
    outcome_hours = peewee.DecimalField(max_digits=4, decimal_places=1, null=True)
    outcome_contract = peewee.CharField(max_length=20, null=True)
    outcome_reason = peewee.CharField(max_length=30, null=True)
    # The evaluation with the latest day, kept here so a ranking of thousands of candidates
    # joins their current scores in one query. An id, not a key: evaluations point here.
    latest_evaluation_id = peewee.IntegerField(null=True)
    created_by = peewee.ForeignKeyField(User, null=True, backref="trajectories_created")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("coach", "status"), False), (("status", "start_date"), False))


# One open trajectory per candidate and kind, held by the database itself.
Trajectory.add_index(
    Trajectory.index(Trajectory.employee, Trajectory.kind, unique=True,
                     name="trajectory_one_open_per_kind")
    .where(Trajectory.status == OPEN))


class Phase(BaseModel):
    """A stretch of a trajectory; its limit is copied from the kind's rule when it begins."""

    trajectory = peewee.ForeignKeyField(Trajectory, backref="phases")
    position = peewee.IntegerField()
    name = peewee.CharField(max_length=120)
    start_date = peewee.DateField()
    end_date = peewee.DateField(null=True)
    max_days = peewee.IntegerField(null=True)

    class Meta:
        indexes = ((("trajectory", "position"), True),)


class Goal(BaseModel):
    """What the candidate works on, with the skills it touches and who last changed it."""

    trajectory = peewee.ForeignKeyField(Trajectory, backref="goals")
    text = peewee.TextField()
    target_date = peewee.DateField(null=True)
    status = peewee.CharField(max_length=10, default=GOAL_OPEN)
    changed_by = peewee.ForeignKeyField(User, null=True, backref="goals_changed")
    changed_at = peewee.DateTimeField(default=utcnow)


class GoalSkill(BaseModel):
    goal = peewee.ForeignKeyField(Goal, backref="goal_skills")
    skill = peewee.ForeignKeyField(Skill, backref="goal_skills")

    class Meta:
        indexes = ((("goal", "skill"), True),)


class Evaluation(BaseModel):
    """A dated, signed set of scores; never changed afterwards."""

    trajectory = peewee.ForeignKeyField(Trajectory, backref="evaluations")
    day = peewee.DateField()
    made_by = peewee.ForeignKeyField(User, backref="evaluations_made")
    comment = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("trajectory", "day"), False),)


class Score(BaseModel):
    """One skill's score in an evaluation: 1-5, or None for "not observed"."""

    evaluation = peewee.ForeignKeyField(Evaluation, backref="scores")
    skill = peewee.ForeignKeyField(Skill, backref="scores")
    value = peewee.SmallIntegerField(null=True)

    class Meta:
        indexes = ((("evaluation", "skill"), True),)


class CoachNote(BaseModel):
    """The coach's own notes: only the coach and hr read them, never the supervisor."""

    trajectory = peewee.ForeignKeyField(Trajectory, backref="notes")
    text = peewee.TextField()
    written_by = peewee.ForeignKeyField(User, backref="coach_notes")
    written_at = peewee.DateTimeField(default=utcnow)


class Vacancy(BaseModel):
    """A job at a client employer, with a requirement profile on the skill list."""

    client = peewee.ForeignKeyField(Client, backref="vacancies")
    title = peewee.CharField(max_length=150)
    hours_per_week = peewee.DecimalField(max_digits=4, decimal_places=1)
    place = peewee.CharField(max_length=100, default="")
    status = peewee.CharField(max_length=10, default=VACANCY_OPEN, index=True)
    created_by = peewee.ForeignKeyField(User, null=True, backref="vacancies_created")
    created_at = peewee.DateTimeField(default=utcnow)


class Requirement(BaseModel):
    """The level a vacancy, or the work on a workfloor, asks of one skill (one of the two)."""

    vacancy = peewee.ForeignKeyField(Vacancy, null=True, backref="requirements")
    workfloor = peewee.ForeignKeyField(Workfloor, null=True, backref="requirements")
    skill = peewee.ForeignKeyField(Skill, backref="requirements")
    level = peewee.SmallIntegerField()

    class Meta:
        indexes = ((("vacancy", "skill"), True), (("workfloor", "skill"), True))
        constraints = [peewee.Check("(vacancy_id IS NULL) <> (workfloor_id IS NULL)")]


class Placement(BaseModel):
    """A candidate proposed for a vacancy, tried out, and placed or not."""

    vacancy = peewee.ForeignKeyField(Vacancy, backref="placements")
    trajectory = peewee.ForeignKeyField(Trajectory, backref="placements")
    status = peewee.CharField(max_length=12, default=PROPOSED)
    trial_start = peewee.DateField(null=True)
    trial_end = peewee.DateField(null=True)
    placed_on = peewee.DateField(null=True)
    reason = peewee.CharField(max_length=30, null=True)
    proposed_by = peewee.ForeignKeyField(User, backref="placements_proposed")
    proposed_at = peewee.DateTimeField(default=utcnow)
    changed_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("vacancy", "trajectory"), True),)


class FollowUp(BaseModel):
    """A measurement 6 or 12 months after outflow to work: still working, elsewhere, or not."""

    trajectory = peewee.ForeignKeyField(Trajectory, backref="follow_ups")
    months = peewee.SmallIntegerField()
    due_on = peewee.DateField(index=True)
    answer = peewee.CharField(max_length=20, null=True)
    answered_on = peewee.DateField(null=True)
    answered_by = peewee.ForeignKeyField(User, null=True, backref="follow_ups_answered")

    class Meta:
        indexes = ((("trajectory", "months"), True),)


MODELS = [Skill, TrajectoryKind, PhaseRule, Trajectory, Phase, Goal, GoalSkill, Evaluation, Score,
          CoachNote, Vacancy, Requirement, Placement, FollowUp]
