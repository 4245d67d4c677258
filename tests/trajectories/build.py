"""Builders of trajectory rows for the tests of this area (and the access matrix)."""

from datetime import date

from portal.people.models import GroupMove
from portal.trajectories import rules
from portal.trajectories.models import (REGULAR_JOB, STOPPED, PhaseRule, Skill,
                                        TrajectoryKind)


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


def five_placed_one_stopped(six: list) -> None:
    """End six trajectories as Lindendal's: five to a regular job on 5 March 2026, the sixth
    stopped on 3 February."""
    for made in six[:5]:
        rules.end_trajectory(made, outcome=REGULAR_JOB, day=date(2026, 3, 5), employer="X",
                             hours=20, contract="permanent", user=None)
    rules.end_trajectory(six[5], outcome=STOPPED, day=date(2026, 2, 3), reason="moved",
                         user=None)


def sited_company(make) -> dict:
    """Two sites: Noord with Inpak (group A) and Montage (group B), Zuid with Metaal (group C).

    Q1 2026, by the group each candidate was in on his trajectory's first day:
    A: 6 sw of Lindendal from 5 January (5 to a regular job on 5 March, 1 stopped on 3
       February: 5 x 60 + 30 = 330 days), and one who moved on to C on 1 March: 7 started.
    B: 5 beschut of Brugveen from 1 February, running; and 5 older placements of Brugveen whose
       6-month follow-up fell due on 1 February (4 still working).
    C: 3 sw from 1 February; one who came from B on 3 January and began on 10 January; one
       leerwerk who came from B on the very day he began (1 February): 5 started.
    One more sw candidate without any group began on 1 February: 18 started in all.
    """
    noord, zuid = make.location(name="Noord"), make.location(name="Zuid")
    inpak, montage = make.workfloor(location=noord), make.workfloor(location=noord)
    metaal = make.workfloor(location=zuid)
    a, b, c = make.group(workfloor=inpak), make.group(workfloor=montage), make.group(
        workfloor=metaal)
    lindendal, brugveen = make.municipality(name="Lindendal"), make.municipality(name="Brugveen")

    def started(group, day, place=lindendal, employment="sw", moved=None):
        person = make.employee(work_group=group, municipality=place, employment=employment)
        if moved:
            GroupMove.create(employee=person, moved_on=moved[0], from_group=moved[1])
        return trajectory(make, employee=person, start=day)

    five_placed_one_stopped([started(a, date(2026, 1, 5)) for _ in range(6)])
    started(c, date(2026, 1, 5), moved=(date(2026, 3, 1), a))
    for n in range(5):
        started(b, date(2026, 2, 1), place=brugveen, employment="beschut")
        placed = started(b, date(2025, 1, 6), place=brugveen)
        six, _twelve = rules.end_trajectory(placed, outcome=REGULAR_JOB, day=date(2025, 8, 1),
                                            employer="X", hours=20, contract="on_call", user=None)
        rules.answer_follow_up(six, "not_working" if n == 0 else "same_employer",
                               date(2026, 2, 2), None)
    for _ in range(3):
        started(c, date(2026, 2, 1))
    started(c, date(2026, 1, 10), moved=(date(2026, 1, 3), b))
    started(c, date(2026, 2, 1), employment="leerwerk", moved=(date(2026, 2, 1), b))
    started(None, date(2026, 2, 1))
    return dict(noord=noord, zuid=zuid, inpak=inpak, montage=montage, metaal=metaal, a=a, b=b,
                c=c, lindendal=lindendal, brugveen=brugveen)
