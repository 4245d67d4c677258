"""Trajectories toward regular work: skills, kinds with phase rules, trajectories, phases,
goals, evaluations with scores, coach notes, vacancies with requirements, placements, follow-ups.

A frozen copy of the models; never imports portal.*.
"""

import datetime

from peewee import (BooleanField, Check, CharField, DateField, DateTimeField, DecimalField,
                    ForeignKeyField, IntegerField, Model, SmallIntegerField, TextField)


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Client(Base):
        pass

    class Employee(Base):
        pass

    class Workfloor(Base):
        pass

    class Skill(Base):
        name = CharField(max_length=120)
        group = CharField(max_length=20)
        position = IntegerField(default=0)
        is_active = BooleanField(default=True)

    class TrajectoryKind(Base):
        name = CharField(max_length=120, unique=True)
        is_active = BooleanField(default=True)

    class PhaseRule(Base):
        kind = ForeignKeyField(TrajectoryKind, backref="phase_rules")
        position = IntegerField()
        name = CharField(max_length=120)
        max_days = IntegerField(null=True)

        class Meta:
            indexes = ((("kind", "position"), True),)

    class Trajectory(Base):
        employee = ForeignKeyField(Employee, backref="trajectories")
        kind = ForeignKeyField(TrajectoryKind, backref="trajectories")
        coach = ForeignKeyField(User, null=True, backref="coached_trajectories")
        start_date = DateField()
        planned_end = DateField(null=True)
        status = CharField(max_length=10, default="open")
        ended_on = DateField(null=True)
        outcome = CharField(max_length=20, null=True)
        outcome_employer = CharField(max_length=150, default="")
        outcome_hours = DecimalField(max_digits=4, decimal_places=1, null=True)
        outcome_contract = CharField(max_length=20, null=True)
        outcome_reason = CharField(max_length=30, null=True)
        latest_evaluation_id = IntegerField(null=True)
        created_by = ForeignKeyField(User, null=True, backref="trajectories_created")
        created_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("coach", "status"), False), (("status", "start_date"), False))

    Trajectory.add_index(
        Trajectory.index(Trajectory.employee, Trajectory.kind, unique=True,
                         name="trajectory_one_open_per_kind")
        .where(Trajectory.status == "open"))

    class Phase(Base):
        trajectory = ForeignKeyField(Trajectory, backref="phases")
        position = IntegerField()
        name = CharField(max_length=120)
        start_date = DateField()
        end_date = DateField(null=True)
        max_days = IntegerField(null=True)

        class Meta:
            indexes = ((("trajectory", "position"), True),)

    class Goal(Base):
        trajectory = ForeignKeyField(Trajectory, backref="goals")
        text = TextField()
        target_date = DateField(null=True)
        status = CharField(max_length=10, default="open")
        changed_by = ForeignKeyField(User, null=True, backref="goals_changed")
        changed_at = DateTimeField(default=_utcnow)

    class GoalSkill(Base):
        goal = ForeignKeyField(Goal, backref="goal_skills")
        skill = ForeignKeyField(Skill, backref="goal_skills")

        class Meta:
            indexes = ((("goal", "skill"), True),)

    class Evaluation(Base):
        trajectory = ForeignKeyField(Trajectory, backref="evaluations")
        day = DateField()
        made_by = ForeignKeyField(User, backref="evaluations_made")
        comment = TextField(default="")
        created_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("trajectory", "day"), False),)

    class Score(Base):
        evaluation = ForeignKeyField(Evaluation, backref="scores")
        skill = ForeignKeyField(Skill, backref="scores")
        value = SmallIntegerField(null=True)

        class Meta:
            indexes = ((("evaluation", "skill"), True),)

    class CoachNote(Base):
        trajectory = ForeignKeyField(Trajectory, backref="notes")
        text = TextField()
        written_by = ForeignKeyField(User, backref="coach_notes")
        written_at = DateTimeField(default=_utcnow)

    class Vacancy(Base):
        client = ForeignKeyField(Client, backref="vacancies")
        title = CharField(max_length=150)
        hours_per_week = DecimalField(max_digits=4, decimal_places=1)
        place = CharField(max_length=100, default="")
        status = CharField(max_length=10, default="open", index=True)
        created_by = ForeignKeyField(User, null=True, backref="vacancies_created")
        created_at = DateTimeField(default=_utcnow)

    class Requirement(Base):
        vacancy = ForeignKeyField(Vacancy, null=True, backref="requirements")
        workfloor = ForeignKeyField(Workfloor, null=True, backref="requirements")
        skill = ForeignKeyField(Skill, backref="requirements")
        level = SmallIntegerField()

        class Meta:
            indexes = ((("vacancy", "skill"), True), (("workfloor", "skill"), True))
            constraints = [Check("(vacancy_id IS NULL) <> (workfloor_id IS NULL)")]

    class Placement(Base):
        vacancy = ForeignKeyField(Vacancy, backref="placements")
        trajectory = ForeignKeyField(Trajectory, backref="placements")
        status = CharField(max_length=12, default="proposed")
        trial_start = DateField(null=True)
        trial_end = DateField(null=True)
        placed_on = DateField(null=True)
        reason = CharField(max_length=30, null=True)
        proposed_by = ForeignKeyField(User, backref="placements_proposed")
        proposed_at = DateTimeField(default=_utcnow)
        changed_at = DateTimeField(default=_utcnow)

        class Meta:
            indexes = ((("vacancy", "trajectory"), True),)

    class FollowUp(Base):
        trajectory = ForeignKeyField(Trajectory, backref="follow_ups")
        months = SmallIntegerField()
        due_on = DateField(index=True)
        answer = CharField(max_length=20, null=True)
        answered_on = DateField(null=True)
        answered_by = ForeignKeyField(User, null=True, backref="follow_ups_answered")

        class Meta:
            indexes = ((("trajectory", "months"), True),)

    db.create_tables([Skill, TrajectoryKind, PhaseRule, Trajectory, Phase, Goal, GoalSkill,
                      Evaluation, Score, CoachNote, Vacancy, Requirement, Placement, FollowUp])
