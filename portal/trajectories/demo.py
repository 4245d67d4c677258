"""The demo's trajectories: about a hundred candidates in every phase, a living caseload.

Self-contained: it takes what it needs (accounts, employees, groups, clients) from the database
the earlier sections filled, and draws from its own random stream seeded by the day, so it does
not change what the other sections make. `fill(demo)` is the section's function.
"""

import random
from datetime import date, timedelta

from portal.auth.models import HR, JOBCOACH, User
from portal.demo_kit import section
from portal.people.models import Client, Employee, WorkGroup
from portal.trajectories import rules
from portal.trajectories.models import (GARANTIEBAAN, PLACED, REGULAR_JOB, STOPPED, CoachNote,
                                        Evaluation, Phase, PhaseRule, Placement, Score, Skill,
                                        Trajectory, TrajectoryKind)

RUNNING = 100
ENDED = 60
EVALUATION_WEEKS = (5, 8)

# employment -> the kind a candidate of it most likely follows
KIND_OF = {"leerwerk": "Re-integratie met behoud van uitkering", "proefplaatsing": "Proefplaatsing",
           "garantiebaan": "Garantiebaan-voorbereiding",
           "beschut": "Ontwikkeling binnen SW / beschut werk",
           "sw": "Ontwikkeling binnen SW / beschut werk"}

GOALS = (
    "Elke werkdag om 8 uur beginnen, zonder te laat te komen.",
    "Een order van begin tot eind zelf uitvoeren volgens de werkinstructie.",
    "Om hulp vragen als iets niet lukt, in plaats van te stoppen.",
    "Twee uur achter elkaar werken in het tempo van de ploeg.",
    "Met de heftruckcursus beginnen en het certificaat halen.",
    "Zelf met het openbaar vervoer naar de werkplek reizen.",
    "Een gesprek met een klant netjes afronden.",
    "Fouten in het eigen werk zien en zelf herstellen.",
)
NOTES = ("Gesprek gehad over de reis naar de werkgever; zoekt een fietsroute.",
         "Wil graag buiten werken; proefplaatsing bij de hovenier bespreken.",
         "Afspraak gemaakt met de werkleider over vaste pauzetijden.")
VACANCIES = (  # client index, title, hours, place, requirements by skill position
    (0, "Productiemedewerker metaal", 32, "Lindendal", {7: 3, 8: 3, 9: 4, 12: 3}),
    (10, "Orderpicker", 24, "Havervoort", {7: 4, 10: 3, 11: 3, 15: 2}),
    (25, "Medewerker facilitair", 20, "Lindendal", {1: 3, 3: 3, 10: 3}),
    (12, "Hulp hovenier", 28, "Brugveen", {1: 2, 11: 4, 12: 3, 9: 3}),
    (11, "Inpakker bakkerij", 24, "Lindendal", {7: 3, 8: 3, 13: 3}),
    (21, "Medewerker wasserij", 30, "Havervoort", {7: 3, 11: 3, 9: 3}),
    (5, "Assemblagemedewerker kozijnen", 32, "Brugveen", {4: 3, 8: 4, 13: 3}),
    (28, "Magazijnmedewerker webwinkel", 16, "Lindendal", {6: 3, 14: 3, 15: 3}),
)


@section(80)
def fill(demo) -> None:
    """The trajectories section of the demo company."""
    rng = random.Random(f"trajectories-{demo.today.isoformat()}")
    today = demo.today
    rules.install_defaults()
    coach = User.get(User.role == JOBCOACH, User.username == "jobcoach")
    hr = User.get(User.role == HR)
    kinds = {k.name: k for k in TrajectoryKind.select()}
    phase_rules = {}
    for rule in PhaseRule.select().order_by(PhaseRule.position):
        phase_rules.setdefault(rule.kind_id, []).append(rule)
    skills = list(Skill.select().order_by(Skill.position))
    supervisors = dict(WorkGroup.select(WorkGroup.id, WorkGroup.supervisor).tuples())
    people = _candidates(rng)
    running, ended = people[:RUNNING], people[RUNNING:RUNNING + ENDED]
    special = {n: "overdue" if n % 3 == 0 else "near" for n in rng.sample(range(60), 7)}
    made = []
    for n, person in enumerate(running):
        kind = kinds[KIND_OF.get(person.employment, "Leerwerktraject")]
        if person.employment == "leerwerk" and n % 3 == 0:
            kind = kinds["Leerwerktraject"]
        owner = coach if n < 60 else None
        trajectory = _running_trajectory(rng, person, kind, phase_rules[kind.id], owner, hr,
                                         today, special.get(n))
        evaluator = owner or hr
        _evaluations(rng, trajectory, skills, evaluator,
                     supervisors.get(person.work_group_id), today)
        _goals(rng, trajectory, skills, evaluator)
        made.append(trajectory)
    for trajectory in made[:3]:
        CoachNote.create(trajectory=trajectory, text=NOTES[made.index(trajectory)],
                         written_by=coach)
    for n, person in enumerate(ended):
        _ended_trajectory(rng, person, kinds, phase_rules, coach if n % 2 else None, hr, today,
                          skills)
    _vacancies(rng, made[:60], skills, coach, hr, today)
    _workfloor_profiles(skills)


def _workfloor_profiles(skills) -> None:
    """What the work on the first few workfloors asks, by skill position."""
    from portal.people.models import Workfloor

    by_position = {s.position: s.id for s in skills}
    wanted = ({7: 3, 8: 3, 13: 3}, {9: 4, 11: 3, 12: 3}, {1: 3, 7: 2, 14: 2})
    for floor, levels in zip(Workfloor.select().order_by(Workfloor.id), wanted):
        rules.save_workfloor_profile(floor, {by_position[p]: str(v) for p, v in levels.items()},
                                     None)


def _candidates(rng) -> list:
    """Current employees outside staff, the programmes that aim at work first."""
    order = {"leerwerk": 0, "proefplaatsing": 0, "garantiebaan": 1, "beschut": 2, "sw": 3}
    people = list(Employee.select().where(Employee.is_active & (Employee.employment != "staff")
                                          & Employee.work_group.is_null(False))
                  .order_by(Employee.id))
    rng.shuffle(people)
    people.sort(key=lambda p: order.get(p.employment, 9))
    return people


def _running_trajectory(rng, person, kind, phase_rules, coach, hr, today, special):
    """A trajectory whose current phase is somewhere along its way (near or over its limit when
    `special` says so); earlier phases lasted most of their limit."""
    limited = [n for n, r in enumerate(phase_rules) if r.max_days]
    current = rng.choice(limited) if special and limited else rng.randrange(len(phase_rules))
    rule = phase_rules[current]
    limit = rule.max_days or 240
    if special == "near":
        elapsed = limit - rng.randint(2, 12)
    elif special == "overdue":
        elapsed = limit + rng.randint(1, 9)
    else:
        elapsed = rng.randint(10, max(11, int(limit * 0.75)))
    if not rule.max_days:
        elapsed = rng.randint(20, 300)
    starts = [today - timedelta(days=elapsed)]
    for earlier in reversed(phase_rules[:current]):
        length = int((earlier.max_days or 200) * rng.uniform(0.6, 0.95))
        starts.insert(0, starts[0] - timedelta(days=length))
    # A trajectory may begin before the contract: a candidate often starts from benefit.
    start = starts[0]
    trajectory = Trajectory.create(employee=person, kind=kind, coach=coach, start_date=start,
                                   planned_end=start + timedelta(days=rng.choice((365, 540, 730))),
                                   created_by=hr)
    for position, (phase_rule, begins) in enumerate(zip(phase_rules, starts)):
        following = starts[position + 1] if position + 1 < len(starts) else None
        Phase.create(trajectory=trajectory, position=phase_rule.position, name=phase_rule.name,
                     start_date=begins, max_days=phase_rule.max_days,
                     end_date=following - timedelta(days=1) if following else None)
    return trajectory


def _evaluations(rng, trajectory, skills, evaluator, supervisor_id, today):
    """Every five to eight weeks since the start, scores that mostly grow."""
    level = {s.id: rng.choice((1, 2, 2, 3, 3)) for s in skills}
    day = trajectory.start_date + timedelta(weeks=rng.randint(2, 4))
    latest = None
    count = 0
    while day <= today:
        signer = supervisor_id if supervisor_id and count % 3 == 2 else evaluator.id
        evaluation = Evaluation.create(trajectory=trajectory, day=day, made_by=signer,
                                       comment=rng.choice(("", "Goede vooruitgang.",
                                                           "Werkt rustiger dan vorige keer.",
                                                           "Let op het tempo.")))
        rows = []
        for skill in skills:
            if count and rng.random() < 0.35:
                level[skill.id] = max(1, min(5, level[skill.id] + rng.choice((1, 1, 1, 0, -1))))
            value = None if rng.random() < 0.08 else level[skill.id]
            rows.append({"evaluation": evaluation.id, "skill": skill.id, "value": value})
        Score.insert_many(rows).execute()
        latest = evaluation
        count += 1
        day += timedelta(weeks=rng.randint(*EVALUATION_WEEKS))
    if latest is not None:
        trajectory.latest_evaluation_id = latest.id
        trajectory.save(only=[Trajectory.latest_evaluation_id])


def _goals(rng, trajectory, skills, user):
    for text in rng.sample(GOALS, rng.randint(1, 3)):
        goal = rules.add_goal(trajectory, text=text,
                              skill_ids=[s.id for s in rng.sample(skills, 2)],
                              target_date=trajectory.start_date + timedelta(days=rng.randint(60, 300)),
                              user=user.id)
        if rng.random() < 0.3:
            rules.change_goal_status(goal, "reached", user.id)


def _ended_trajectory(rng, person, kinds, phase_rules, coach, hr, today, skills):
    """A trajectory that ended in the past two years, with its outcome and follow-ups."""
    kind = kinds[rng.choice(("Leerwerktraject", "Proefplaatsing",
                             "Re-integratie met behoud van uitkering"))]
    end = today - timedelta(days=rng.randint(20, 700))
    start = end - timedelta(days=rng.randint(60, 400))
    trajectory = Trajectory.create(employee=person, kind=kind, coach=coach, start_date=start,
                                   created_by=hr)
    first = phase_rules[kind.id][0]
    Phase.create(trajectory=trajectory, position=first.position, name=first.name,
                 start_date=start, max_days=first.max_days)
    outcome = rng.choices((REGULAR_JOB, GARANTIEBAAN, "education", "transfer", STOPPED),
                          weights=(40, 20, 10, 10, 20))[0]
    follow_ups = rules.end_trajectory(
        trajectory, outcome=outcome, day=end, employer=rng.choice(("Fictief Metaal BV",
                                                                   "Voorbeeld Logistiek BV",
                                                                   "Demo Bakkerij BV")),
        hours=rng.choice((16, 24, 32)), contract=rng.choice(("fixed_term", "permanent")),
        reason=rng.choice(("own_choice", "moved", "no_show")), user=hr.id)
    for follow_up in follow_ups:
        if follow_up.due_on <= today - timedelta(days=7):
            answer = rng.choices(("same_employer", "other_employer", "not_working"),
                                 weights=(68, 12, 20))[0]
            rules.answer_follow_up(follow_up, answer, follow_up.due_on + timedelta(days=3), hr.id)


def _vacancies(rng, coached, skills, coach, hr, today):
    """Vacancies at demo clients with requirement profiles, and proposals in every status."""
    clients = list(Client.select().order_by(Client.id))
    by_position = {s.position: s.id for s in skills}
    vacancies = []
    for index, title, hours, place, wanted in VACANCIES:
        vacancies.append(rules.save_vacancy(
            None, client=clients[index % len(clients)], title=title, hours_per_week=hours,
            place=place, status="open",
            requirements={by_position[p]: str(v) for p, v in wanted.items() if p in by_position},
            user=hr.id))
    for n, trajectory in enumerate(coached[:10]):
        placement = rules.propose(vacancies[n % len(vacancies)], trajectory, coach.id)
        if n % 4 in (1, 2):
            first = today - timedelta(days=rng.randint(5, 30))
            rules.start_trial(placement, first, first + timedelta(days=28), coach.id)
        if n % 4 == 2 and placement.trial_start <= today:
            rules.decide_placement(placement, n % 8 == 2, today,
                                   None if n % 8 == 2 else "hours_did_not_fit", coach.id)
