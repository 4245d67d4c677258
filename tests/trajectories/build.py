"""Builders of trajectory rows for the tests of this area (and the access matrix)."""

from datetime import date

from portal.trajectories import rules
from portal.trajectories.models import PhaseRule, Skill, TrajectoryKind


def kind(name="Re-integratie met behoud van uitkering", phases=(("Werken met uitkering", 91),
                                                               ("Betaald werk", None))):
    made = TrajectoryKind.create(name=name)
    for position, (phase, max_days) in enumerate(phases, start=1):
        PhaseRule.create(kind=made, position=position, name=phase, max_days=max_days)
    return made


def skills(*names, group="execution"):
    return [Skill.create(name=n, group=group, position=i) for i, n in enumerate(names, start=1)]


def trajectory(make, *, employee=None, kind_=None, coach=None, start=date(2026, 1, 5),
               user=None, **employee_fields):
    return rules.start_trajectory(employee=employee or make.employee(**employee_fields),
                                  kind=kind_ or kind(name=f"Soort {make._n()}"), coach=coach,
                                  start=start, planned_end=None, user=user)


def evaluate(trajectory, day, scores: dict, user):
    """scores: Skill -> value."""
    return rules.record_evaluation(trajectory, day=day,
                                   scores={s.id: v for s, v in scores.items()}, comment="",
                                   user=user.id if hasattr(user, "id") else user)
