"""The demo's trajectories: a living caseload for the demo jobcoach."""

from collections import Counter
from datetime import date, datetime

from portal import demo
from portal.auth.models import User
from portal.trajectories import rules
from portal.trajectories.models import (Evaluation, FollowUp, Phase, Placement, Score,
                                        Trajectory, Vacancy)

TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 16, 10, 30)


def test_the_demo_fills_trajectories_in_every_phase_with_growth_and_outflow(app):
    with app.app_context():
        demo.fill(seed=7, today=TODAY, now=NOW)
        assert Trajectory.select().where(Trajectory.status == "open").count() == 100
        assert Trajectory.select().where(Trajectory.status == "ended").count() == 60
        coach = User.get(User.username == "jobcoach")
        rows = rules.caseload(coach, TODAY)
        signals = Counter(row.signal for row in rows)
        assert len(rows) == 60 and signals[rules.NEAR] >= 2 and signals[rules.OVERDUE] >= 1
        positions = {row.phase.position for row in rows}
        assert positions >= {1, 2}
        # No phase ends before it starts, and phases follow each other without a gap.
        for phase in Phase.select().where(Phase.end_date.is_null(False)):
            assert phase.end_date >= phase.start_date
        # Growth: the latest evaluation scores higher on average than the first, mostly.
        grew = 0
        measured = 0
        for trajectory in Trajectory.select().where(Trajectory.status == "open"):
            evaluations = list(trajectory.evaluations.order_by(Evaluation.day))
            if len(evaluations) < 3:
                continue
            measured += 1

            def mean(evaluation):
                values = [s.value for s in Score.select().where(
                    (Score.evaluation == evaluation.id) & Score.value.is_null(False))]
                return sum(values) / len(values)

            grew += mean(evaluations[-1]) > mean(evaluations[0])
        assert measured >= 10 and grew >= 0.7 * measured
        assert Vacancy.select().count() == 8
        assert {p.status for p in Placement.select()} >= {"proposed", "trial"}
        assert FollowUp.select().where(FollowUp.answer.is_null(False)).count() > 0
        assert rules.due_follow_ups(User.get(User.username == "hr"), TODAY) is not None
