"""The rules of trajectories as plain functions: phases and their limits, goals, evaluations,
work rhythm from attendance, matching, placements, outcomes and follow-ups.

Every refusal is a `Refused` with a Dutch message; nothing is stored when one is raised.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

import peewee
from flask_babel import lazy_gettext as _l

from portal import audit
from portal.auth.access import is_jobcoach
from portal.auth.models import User
from portal.db import database
from portal.people.models import Employee
from portal.refusal import Refused
from portal.timeutil import today as local_today
from portal.timeutil import utcnow
from portal.trajectories.models import (
    ENDED, FOLLOW_UP_ANSWERS, FOLLOW_UP_MONTHS, GOAL_STATUSES, HIGHEST, LOWEST, NOT_PLACED,
    NOT_PLACED_REASONS, OPEN, OUTCOMES, PLACED, PROPOSED, REGULAR_JOB, GARANTIEBAAN,
    CONTRACT_KINDS, SKILL_GROUPS, STOP_REASONS, STOPPED, TRIAL, VACANCY_OPEN, WORK_OUTCOMES,
    CoachNote, Evaluation, FollowUp, Goal, GoalSkill, Phase, PhaseRule, Placement, Requirement,
    Score, Skill, Trajectory, TrajectoryKind, Vacancy)

# A phase is flagged from this many days before its limit.
WARN_DAYS = 14
NEAR, OVERDUE = "near", "overdue"


# -- phases and their limits --------------------------------------------------------------------

def phase_last_day(phase) -> date | None:
    """The last day a phase with a maximum length may run, or None without a limit.

    A limit of 91 days from 1 January means 1 January up to and including 1 April.
    """
    if not phase.max_days:
        return None
    return phase.start_date + timedelta(days=phase.max_days - 1)


def phase_signal(phase, day: date) -> str | None:
    """NEAR from two weeks before the phase's last day, OVERDUE after it; None otherwise.

    A phase that has ended carries no signal: the next phase, or the outcome, took over.
    """
    last = phase_last_day(phase)
    if last is None or phase.end_date is not None:
        return None
    if day > last:
        return OVERDUE
    if day >= last - timedelta(days=WARN_DAYS):
        return NEAR
    return None


def flagged_phase(day: date):
    """`phase_signal` as a SQL condition on Phase: NEAR or OVERDUE on `day`, for counting.

    Flagged from the last day minus WARN_DAYS: start + max_days - 1 - WARN_DAYS <= day, that is
    max_days <= (day - start) + 1 + WARN_DAYS; an ended phase or one without a limit never is.
    """
    return (Phase.end_date.is_null() & Phase.max_days.is_null(False)
            & (Phase.max_days <= _days_since(Phase.start_date, day) + (1 + WARN_DAYS)))


def _days_since(column, day: date):
    """Whole days from a date column to `day` (SQLite and PostgreSQL subtract dates apart)."""
    from portal import db

    if db.is_sqlite():
        return peewee.fn.julianday(day.isoformat()) - peewee.fn.julianday(column)
    return peewee.NodeList((peewee.Cast(peewee.Value(day.isoformat()), "DATE"),
                            peewee.SQL("-"), column), parens=True)


def days_left(phase, day: date) -> int | None:
    """Days until the phase's last day (negative once overdue), or None without a limit."""
    last = phase_last_day(phase)
    return None if last is None else (last - day).days


def current_phase(phases):
    """The phase still running (no end date) of a trajectory's phases, or None."""
    running = [p for p in phases if p.end_date is None]
    return max(running, key=lambda p: p.position) if running else None


def _phase_from_rule(trajectory, rule, start: date) -> Phase:
    return Phase.create(trajectory=trajectory, position=rule.position, name=rule.name,
                        start_date=start, max_days=rule.max_days)


def start_trajectory(*, employee, kind, coach, start: date | None, planned_end: date | None,
                     user) -> Trajectory:
    """Begin a trajectory of a kind for a candidate, in the kind's first phase.

    A candidate can come back for a second trajectory; only one open trajectory per kind.
    """
    if employee is None:
        raise Refused(_l("Choose a candidate."), "employee")
    if kind is None or not kind.is_active:
        raise Refused(_l("Choose a kind of trajectory."), "kind")
    if start is None:
        raise Refused(_l("Enter the start date."), "start_date")
    if planned_end is not None and planned_end < start:
        raise Refused(_l("The planned end lies before the start."), "planned_end")
    if coach is not None and (not is_jobcoach(coach) or not coach.is_active_account):
        raise Refused(_l("Choose a jobcoach from the list."), "coach")
    rules = list(PhaseRule.select().where(PhaseRule.kind == kind.id).order_by(PhaseRule.position))
    if not rules:
        raise Refused(_l("This kind of trajectory has no phases yet; ask the administrator."),
                      "kind")
    if Trajectory.select().where((Trajectory.employee == employee.id)
                                 & (Trajectory.kind == kind.id)
                                 & (Trajectory.status == OPEN)).exists():
        raise Refused(_l("%(name)s already has an open trajectory of this kind.",
                         name=employee.full_name), "kind")
    try:
        with database.atomic():
            made = Trajectory.create(employee=employee, kind=kind, coach=coach, start_date=start,
                                     planned_end=planned_end, created_by=user)
            _phase_from_rule(made, rules[0], start)
            audit.record("trajectory.start", made, user=user,
                         after={"employee": employee.id, "kind": kind.id,
                                "coach": getattr(coach, "id", None), "start": start})
    except peewee.IntegrityError:
        # Two people starting the same trajectory at once: the unique index decides.
        raise Refused(_l("%(name)s already has an open trajectory of this kind.",
                         name=employee.full_name), "kind") from None
    return made


def assign_coach(trajectory, coach, user) -> None:
    """Give a trajectory another coach (or none)."""
    if coach is not None and (not is_jobcoach(coach) or not coach.is_active_account):
        raise Refused(_l("Choose a jobcoach from the list."), "coach")
    before = trajectory.coach_id
    trajectory.coach = coach
    with database.atomic():
        trajectory.save(only=[Trajectory.coach])
        audit.record("trajectory.coach", trajectory, user=user, before={"coach": before},
                     after={"coach": getattr(coach, "id", None)})


def next_phase(trajectory, day: date | None, user) -> Phase:
    """Close the running phase the day before `day` and begin the kind's next phase on `day`."""
    _require_open(trajectory)
    phases = list(trajectory.phases.order_by(Phase.position))
    running = current_phase(phases)
    if day is None:
        raise Refused(_l("Enter the date the next phase starts."), "day")
    if running is None:
        raise Refused(_l("This trajectory has no running phase."), "day")
    if day <= running.start_date:
        raise Refused(_l("The phase would end before it started: choose a date after %(day)s.",
                         day=running.start_date.strftime("%d-%m-%Y")), "day")
    rule = (PhaseRule.select().where((PhaseRule.kind == trajectory.kind_id)
                                     & (PhaseRule.position > running.position))
            .order_by(PhaseRule.position).first())
    if rule is None:
        raise Refused(_l("This is the last phase: end the trajectory with its outcome."), "day")
    with database.atomic():
        running.end_date = day - timedelta(days=1)
        running.save(only=[Phase.end_date])
        made = _phase_from_rule(trajectory, rule, day)
        audit.record("trajectory.phase", trajectory, user=user,
                     before={"phase": running.name}, after={"phase": made.name, "start": day})
    return made


def _require_open(trajectory) -> None:
    if trajectory.status != OPEN:
        raise Refused(_l("This trajectory has ended; start a new one to continue."))


# -- goals --------------------------------------------------------------------------------------

def add_goal(trajectory, *, text: str, skill_ids, target_date: date | None, user) -> Goal:
    """A new open goal, linked to skills of the list."""
    _require_open(trajectory)
    if not (text or "").strip():
        raise Refused(_l("Describe the goal."), "text")
    if target_date is not None and target_date < trajectory.start_date:
        raise Refused(_l("The target date lies before the start of the trajectory."),
                      "target_date")
    skills = _active_skill_ids(skill_ids)
    with database.atomic():
        goal = Goal.create(trajectory=trajectory, text=text.strip(), target_date=target_date,
                           changed_by=user, changed_at=utcnow())
        for skill_id in sorted(skills):
            GoalSkill.create(goal=goal, skill=skill_id)
        audit.record("trajectory.goal", goal, user=user,
                     after={"trajectory": trajectory.id, "status": goal.status})
    return goal


def _active_skill_ids(skill_ids) -> set[int]:
    wanted = {int(s) for s in skill_ids or ()}
    known = {s.id for s in Skill.select(Skill.id).where(Skill.id.in_(list(wanted) or [0])
                                                        & Skill.is_active)}
    if wanted - known:
        raise Refused(_l("Choose skills from the list."), "skills")
    return known


def change_goal_status(goal, status: str, user) -> None:
    """Mark a goal reached, stopped, or open again; who and when are kept."""
    if status not in GOAL_STATUSES:
        raise Refused(_l("Choose one of the list."), "status")
    before = goal.status
    goal.status, goal.changed_by, goal.changed_at = status, user, utcnow()
    with database.atomic():
        goal.save(only=[Goal.status, Goal.changed_by, Goal.changed_at])
        audit.record("trajectory.goal", goal, user=user, before={"status": before},
                     after={"status": status})


# -- evaluations --------------------------------------------------------------------------------

def check_score(value) -> int | None:
    """A score of 1 to 5, or None for "not observed".

    :raise Refused: for anything else.
    """
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not LOWEST <= number <= HIGHEST:
        raise Refused(_l("A score is 1 to 5, or not observed."))
    return number


def record_evaluation(trajectory, *, day: date | None, scores: dict, comment: str,
                      user) -> Evaluation:
    """A new dated, signed set of scores; older evaluations stay as they were.

    `scores` maps skill id -> 1..5 or None (not observed); at least one must be observed.
    """
    _require_open(trajectory)
    if day is None:
        raise Refused(_l("Enter the date of the evaluation."), "day")
    if day > local_today():
        raise Refused(_l("An evaluation cannot be dated in the future."), "day")
    if day < trajectory.start_date:
        raise Refused(_l("The date lies before the start of the trajectory."), "day")
    checked = {}
    for skill_id, value in scores.items():
        try:
            checked[int(skill_id)] = check_score(value)
        except Refused as refused:
            raise Refused(refused.message, f"skill_{skill_id}") from None
    active = {s.id for s in Skill.select(Skill.id).where(Skill.is_active)}
    if set(checked) - active:
        raise Refused(_l("Choose skills from the list."))
    if not any(v is not None for v in checked.values()):
        raise Refused(_l("Score at least one skill."))
    with database.atomic():
        made = Evaluation.create(trajectory=trajectory, day=day, made_by=user,
                                 comment=(comment or "").strip())
        Score.insert_many([{"evaluation": made.id, "skill": skill_id, "value": value}
                           for skill_id, value in sorted(checked.items())]).execute()
        latest = Evaluation.get_or_none(Evaluation.id == trajectory.latest_evaluation_id)
        if latest is None or (day, made.id) >= (latest.day, latest.id):
            trajectory.latest_evaluation_id = made.id
            trajectory.save(only=[Trajectory.latest_evaluation_id])
        audit.record("trajectory.evaluation", made, user=user,
                     after={"trajectory": trajectory.id, "day": day, "scores": checked})
    return made


UP, SAME, DOWN = "up", "same", "down"


def trend(previous: int | None, latest: int | None) -> str | None:
    """Up, same or down since the previous evaluation; None when either was not observed."""
    if previous is None or latest is None:
        return None
    return UP if latest > previous else DOWN if latest < previous else SAME


@dataclass
class Development:
    """Scores over time: evaluations oldest first, and per skill its score in each."""

    evaluations: list
    skills: list
    scores: dict  # (evaluation id, skill id) -> value or None

    def score(self, evaluation, skill):
        return self.scores.get((evaluation.id, skill.id))

    def latest(self, skill):
        return self.score(self.evaluations[-1], skill) if self.evaluations else None

    def previous(self, skill):
        return self.score(self.evaluations[-2], skill) if len(self.evaluations) > 1 else None

    def trend(self, skill):
        return trend(self.previous(skill), self.latest(skill))

    def group_average(self, evaluation, group: str) -> float | None:
        """The mean of a skill group's observed scores in one evaluation (None if none)."""
        values = [self.score(evaluation, s) for s in self.skills if s.group == group]
        values = [v for v in values if v is not None]
        return round(sum(values) / len(values), 2) if values else None


def development(trajectory) -> Development:
    """Every evaluation of a trajectory with its scores, in three queries."""
    evaluations = list(Evaluation.select(Evaluation, User).join(User)
                       .where(Evaluation.trajectory == trajectory.id)
                       .order_by(Evaluation.day, Evaluation.id))
    scores = {(s.evaluation_id, s.skill_id): s.value for s in
              Score.select(Score.evaluation, Score.skill, Score.value)
              .where(Score.evaluation.in_([e.id for e in evaluations] or [0]))}
    used = {skill_id for _e, skill_id in scores}
    skills = list(Skill.select().where(Skill.is_active | Skill.id.in_(list(used) or [0]))
                  .order_by(Skill.position, Skill.id))
    skills.sort(key=lambda s: (SKILL_GROUPS.index(s.group) if s.group in SKILL_GROUPS else 99,
                               s.position, s.id))
    return Development(evaluations=evaluations, skills=skills, scores=scores)


# -- notes --------------------------------------------------------------------------------------

def add_note(trajectory, text: str, user) -> CoachNote:
    """A private note of the coach (no medical details: the form says so)."""
    if not (text or "").strip():
        raise Refused(_l("Write the note first."), "text")
    with database.atomic():
        note = CoachNote.create(trajectory=trajectory, text=text.strip(), written_by=user)
        audit.record("trajectory.note", note, user=user, after={"trajectory": trajectory.id})
    return note


# -- work rhythm from attendance -----------------------------------------------------------------

@dataclass
class Rhythm:
    """What attendance says about a period: presence share, late arrivals, unexcused days."""

    since: date
    until: date
    scheduled_minutes: int = 0
    present_minutes: int = 0
    late_arrivals: int = 0
    unexcused_days: int = 0

    @property
    def presence_percentage(self) -> int | None:
        if not self.scheduled_minutes:
            return None
        share = min(self.present_minutes, self.scheduled_minutes) / self.scheduled_minutes
        return round(100 * share)


def work_rhythm(employee, since: date, until: date) -> Rhythm:
    """Presence on scheduled days, late arrivals and unexcused absence, in four queries.

    Scheduled time leaves out public holidays, days outside the contract and planned leave;
    a day's presence counts at most its scheduled time. The absence code itself is never
    returned: only "ongeoorloofd" is counted, the one code that says something about rhythm.
    """
    from portal.attendance import rules as attendance
    from portal.attendance.models import Absence, AttendanceSegment, PlannedLeave

    rhythm = Rhythm(since=since, until=until)
    if until < since:
        return rhythm
    schedules = attendance.load_schedules([employee.id], until).get(employee.id, [])
    segments: dict = {}
    for segment in (AttendanceSegment.select()
                    .where((AttendanceSegment.employee == employee.id)
                           & AttendanceSegment.day.between(since, until)
                           & AttendanceSegment.superseded_by.is_null())
                    .order_by(AttendanceSegment.check_in)):
        segments.setdefault(segment.day, []).append(segment)
    leaves = list(PlannedLeave.select().where((PlannedLeave.employee == employee.id)
                                              & (PlannedLeave.starts_on <= until)
                                              & (PlannedLeave.ends_on >= since)))
    rhythm.unexcused_days = (Absence.select(Absence.day).distinct()
                             .where((Absence.employee == employee.id)
                                    & Absence.day.between(since, until)
                                    & (Absence.code == "ongeoorloofd")
                                    & Absence.superseded_by.is_null()).count())
    day = since
    while day <= until:
        shift = attendance.shift_on(schedules, day)
        if attendance.is_expected(employee, shift, day, attendance.leave_on(leaves, day)):
            rhythm.scheduled_minutes += shift.scheduled_minutes
            stretch = segments.get(day, [])
            if stretch:
                worked = attendance.worked_minutes(stretch, shift, utcnow())
                rhythm.present_minutes += min(worked, shift.scheduled_minutes)
                if attendance.late_minutes(stretch[0].check_in, day, shift):
                    rhythm.late_arrivals += 1
        day += timedelta(days=1)
    return rhythm


def rhythm_since_last_evaluation(trajectory, day: date) -> Rhythm:
    """The work rhythm from the day after the latest evaluation (or the start) up to `day`."""
    latest = Evaluation.get_or_none(Evaluation.id == trajectory.latest_evaluation_id)
    since = latest.day + timedelta(days=1) if latest else trajectory.start_date
    return work_rhythm(trajectory.employee, since, day)


# -- matching -----------------------------------------------------------------------------------

@dataclass
class Fit:
    """How well someone's latest scores meet a requirement profile.

    `percent`: the required levels met, added up over the required skills, as a share of the
    required levels added up (a score above the requirement counts only up to it; a skill not
    observed counts 0). `gaps`: (skill id, required, score) for each skill below the requirement.
    """

    percent: int
    gaps: list = field(default_factory=list)


def fit(requirements: dict, scores: dict) -> Fit:
    """The fit of scores (skill id -> value or None) against requirements (skill id -> level)."""
    required = sum(requirements.values())
    if not required:
        return Fit(percent=100)
    met = 0
    gaps = []
    for skill_id, level in sorted(requirements.items()):
        score = scores.get(skill_id)
        met += min(score or 0, level)
        if score is None or score < level:
            gaps.append((skill_id, level, score))
    return Fit(percent=int(100 * met / required + 0.5), gaps=gaps)


def ranking_key(percent: int, gap_count: int, last_name: str, first_name: str,
                ident: int) -> tuple:
    """Best fit first; then fewer skills below the requirement; then by name; then by id."""
    return (-percent, gap_count, last_name.lower(), first_name.lower(), ident)


@dataclass
class Candidate:
    trajectory_id: int
    employee_id: int
    first_name: str
    last_name: str
    municipality: str
    employment: str
    kind: str
    fit: Fit
    available: bool
    gap_count: int = 0

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def requirements_of(vacancy_id: int) -> dict:
    return {r.skill_id: r.level for r in
            Requirement.select(Requirement.skill, Requirement.level)
            .where(Requirement.vacancy == vacancy_id)}


def visible_trajectories(user, query):
    """Narrow a trajectory query to what the user may see (hr: all; a coach: his own)."""
    from portal.trajectories.access import sees_every_trajectory

    if sees_every_trajectory(user):
        return query
    if is_jobcoach(user):
        return query.where(Trajectory.coach == user.id)
    from portal.people.models import WorkGroup

    return query.where(Employee.work_group.in_(
        WorkGroup.select(WorkGroup.id).where(WorkGroup.supervisor == user.id)))


def rank_candidates(vacancy, user, *, municipality_id=None, employment=None, kind_id=None,
                    available_only=False, detailed: int = 50) -> list[Candidate]:
    """The open trajectories the user may see, ranked by fit for the vacancy; seven queries.

    Deterministic (see `ranking_key`), and built only from what the viewer may see. The
    database adds up each candidate's fit (the rule of `fit`, in SQL); the skills below the
    requirement are listed for the first `detailed` candidates, the ones a page shows.
    """
    from portal.people.models import Municipality

    requirements = requirements_of(vacancy.id)
    required = sum(requirements.values())
    # Names of the few municipalities and kinds apart: joining them to thousands of rows
    # cost more than two small queries.
    places = dict(Municipality.select(Municipality.id, Municipality.name).tuples())
    kinds = dict(TrajectoryKind.select(TrajectoryKind.id, TrajectoryKind.name).tuples())
    query = (Trajectory.select(Trajectory.id, Trajectory.latest_evaluation_id, Employee.id,
                               Employee.first_name, Employee.last_name, Employee.employment,
                               Employee.municipality, Trajectory.kind)
             .join(Employee).where(Trajectory.status == OPEN))
    query = visible_trajectories(user, query)
    if municipality_id:
        query = query.where(Employee.municipality == municipality_id)
    if employment:
        query = query.where(Employee.employment == employment)
    if kind_id:
        query = query.where(Trajectory.kind == kind_id)
    # Raw rows: thousands of candidates, and peewee's per-value conversion cost more than the
    # database (bench/trajectories.py); every column here is a plain id, name or code.
    rows = list(database.execute(query))
    sums = _fit_sums(vacancy.id, [row[1] for row in rows if row[1]])
    busy = _busy_trajectory_ids([row[0] for row in rows]) if rows else set()
    candidates = []
    for (trajectory_id, evaluation_id, employee_id, first, last, employment_type, place_id,
         kind) in rows:
        met, hits = sums.get(evaluation_id, (0, 0))
        available = trajectory_id not in busy
        if available_only and not available:
            continue
        percent = int(100 * int(met or 0) / required + 0.5) if required else 100
        candidates.append(Candidate(trajectory_id, employee_id, first, last, places[place_id],
                                    employment_type, kinds[kind], Fit(percent=percent),
                                    available, gap_count=len(requirements) - int(hits or 0)))
    candidates.sort(key=lambda c: ranking_key(c.fit.percent, c.gap_count, c.last_name,
                                              c.first_name, c.trajectory_id))
    _add_gaps(candidates[:detailed], requirements, dict((r[0], r[1]) for r in rows))
    return candidates


ID_CHUNK = 10_000


def _fit_sums(vacancy_id: int, evaluation_ids: list) -> dict:
    """evaluation id -> (levels met, required skills met) against a vacancy's requirements.

    The rule of `fit`, added up by the database: each score counts up to the level asked, a
    skill not observed counts 0. The evaluations are named by id (in chunks): driven from
    them, both databases look the scores up by their (evaluation, skill) index, where a join
    on the trajectories let PostgreSQL scan every score ever given.
    """
    value, level = Score.value, Requirement.level
    met = peewee.Case(None, [(value.is_null(), 0), (value < level, value)], level)
    hit = peewee.Case(None, [(value >= level, 1)], 0)
    sums = {}
    for start in range(0, len(evaluation_ids), ID_CHUNK):
        query = (Score.select(Score.evaluation, peewee.fn.SUM(met), peewee.fn.SUM(hit))
                 .join(Requirement, on=((Requirement.skill == Score.skill)
                                        & (Requirement.vacancy == vacancy_id)))
                 .where(Score.evaluation.in_(evaluation_ids[start:start + ID_CHUNK]))
                 .group_by(Score.evaluation))
        for evaluation_id, met_sum, hit_sum in database.execute(query):
            sums[evaluation_id] = (int(met_sum or 0), int(hit_sum or 0))
    return sums


def _add_gaps(candidates, requirements: dict, evaluation_of: dict) -> None:
    """Fill in the skills below the requirement of a page's candidates, from their scores."""
    ids = [evaluation_of[c.trajectory_id] for c in candidates if evaluation_of[c.trajectory_id]]
    scores = _latest_scores(ids, list(requirements))
    for candidate in candidates:
        full = fit(requirements, scores.get(evaluation_of[candidate.trajectory_id], {}))
        candidate.fit = full


def _busy_trajectory_ids(trajectory_ids) -> set[int]:
    """Trajectories in a trial placement or placed: not available for another vacancy."""
    query = Placement.select(Placement.trajectory).where(Placement.status.in_([TRIAL, PLACED]))
    if len(trajectory_ids) < 500:
        query = query.where(Placement.trajectory.in_(trajectory_ids))
    return {row[0] for row in query.tuples()}


def _latest_scores(evaluation_ids, skill_ids) -> dict:
    """evaluation id -> {skill id: value}, for the skills asked only."""
    if not evaluation_ids or not skill_ids:
        return {}
    query = Score.select(Score.evaluation, Score.skill, Score.value).where(
        Score.skill.in_(skill_ids))
    if len(evaluation_ids) < 500:
        query = query.where(Score.evaluation.in_(evaluation_ids))
    else:
        # Thousands of ids: join on the trajectories instead of sending a long IN list.
        query = query.where(Score.evaluation.in_(
            Trajectory.select(Trajectory.latest_evaluation_id)
            .where(Trajectory.status == OPEN)))
    result: dict = {}
    for evaluation_id, skill_id, value in database.execute(query):
        result.setdefault(evaluation_id, {})[skill_id] = value
    return result


def rank_vacancies(trajectory) -> list[tuple]:
    """The open vacancies ranked by fit for a candidate: [(vacancy, Fit)], in three queries."""
    from portal.people.models import Client

    vacancies = list(Vacancy.select(Vacancy, Client).join(Client)
                     .where(Vacancy.status == VACANCY_OPEN))
    wanted: dict = {}
    for row in Requirement.select(Requirement.vacancy, Requirement.skill, Requirement.level).where(
            Requirement.vacancy.in_([v.id for v in vacancies] or [0])):
        wanted.setdefault(row.vacancy_id, {})[row.skill_id] = row.level
    scores = {s.skill_id: s.value for s in
              Score.select(Score.skill, Score.value)
              .where(Score.evaluation == (trajectory.latest_evaluation_id or 0))}
    ranked = [(v, fit(wanted.get(v.id, {}), scores)) for v in vacancies]
    ranked.sort(key=lambda pair: (-pair[1].percent, len(pair[1].gaps), pair[0].title.lower(),
                                  pair[0].id))
    return ranked


# -- vacancies ----------------------------------------------------------------------------------

def check_level(value) -> int:
    """A required level of 1 to 5."""
    level = check_score(value)
    if level is None:
        raise Refused(_l("A score is 1 to 5, or not observed."))
    return level


def save_vacancy(vacancy, *, client, title: str, hours_per_week, place: str, status: str,
                 requirements: dict, user) -> Vacancy:
    """Make or change a vacancy and its requirement profile (skill id -> level, or None)."""
    from portal.trajectories.models import VACANCY_STATUSES

    if client is None:
        raise Refused(_l("A vacancy belongs to a client: choose one."), "client")
    if not (title or "").strip():
        raise Refused(_l("Give the vacancy a title."), "title")
    if hours_per_week is None or not 0 < hours_per_week <= 60:
        raise Refused(_l("Hours per week are more than 0 and at most 60."), "hours_per_week")
    if status not in VACANCY_STATUSES:
        raise Refused(_l("Choose one of the list."), "status")
    levels = _levels(requirements)
    with database.atomic():
        if vacancy is None:
            vacancy = Vacancy(created_by=user)
        vacancy.client, vacancy.title, vacancy.hours_per_week = client, title.strip(), hours_per_week
        vacancy.place, vacancy.status = (place or "").strip(), status
        vacancy.save()
        Requirement.delete().where(Requirement.vacancy == vacancy.id).execute()
        if levels:
            Requirement.insert_many([{"vacancy": vacancy.id, "skill": s, "level": v}
                                     for s, v in sorted(levels.items())]).execute()
        audit.record("trajectory.vacancy", vacancy, user=user,
                     after={"title": vacancy.title, "status": status, "requirements": levels})
    return vacancy


def _levels(requirements: dict) -> dict:
    """Required levels (skill id -> 1..5) from a form's values; empty ones are not asked."""
    levels = {}
    for skill_id, value in requirements.items():
        try:
            level = check_score(value)
        except Refused as refused:
            raise Refused(refused.message, f"skill_{skill_id}") from None
        if level is not None:
            levels[int(skill_id)] = level
    _active_skill_ids(levels)
    return levels


def workfloor_requirements(workfloor_id: int) -> dict:
    return {r.skill_id: r.level for r in
            Requirement.select(Requirement.skill, Requirement.level)
            .where(Requirement.workfloor == workfloor_id)}


def save_workfloor_profile(workfloor, requirements: dict, user) -> dict:
    """The requirement profile of the work on a workfloor (skill id -> level, or empty)."""
    levels = _levels(requirements)
    with database.atomic():
        Requirement.delete().where(Requirement.workfloor == workfloor.id).execute()
        if levels:
            Requirement.insert_many([{"workfloor": workfloor.id, "skill": s, "level": v}
                                     for s, v in sorted(levels.items())]).execute()
        audit.record("trajectory.workfloor_profile", workfloor, user=user,
                     after={"requirements": levels})
    return levels


def rank_workfloors(trajectory) -> list[tuple]:
    """The workfloors with a requirement profile ranked by fit for a candidate: [(floor, Fit)]."""
    from portal.people.models import Workfloor

    wanted: dict = {}
    for row in Requirement.select(Requirement.workfloor, Requirement.skill, Requirement.level) \
            .where(Requirement.workfloor.is_null(False)):
        wanted.setdefault(row.workfloor_id, {})[row.skill_id] = row.level
    floors = list(Workfloor.select().where(Workfloor.id.in_(list(wanted) or [0])
                                           & Workfloor.is_active))
    scores = {s.skill_id: s.value for s in
              Score.select(Score.skill, Score.value)
              .where(Score.evaluation == (trajectory.latest_evaluation_id or 0))}
    ranked = [(f, fit(wanted[f.id], scores)) for f in floors]
    ranked.sort(key=lambda pair: (-pair[1].percent, len(pair[1].gaps), pair[0].name.lower(),
                                  pair[0].id))
    return ranked


# -- placements ---------------------------------------------------------------------------------

def propose(vacancy, trajectory, user) -> Placement:
    """Propose a candidate for an open vacancy (once per vacancy)."""
    _require_open(trajectory)
    if vacancy.status != VACANCY_OPEN:
        raise Refused(_l("This vacancy is no longer open."))
    if Placement.select().where((Placement.vacancy == vacancy.id)
                                & (Placement.trajectory == trajectory.id)).exists():
        raise Refused(_l("%(name)s is already proposed for this vacancy.",
                         name=trajectory.employee.full_name))
    with database.atomic():
        made = Placement.create(vacancy=vacancy, trajectory=trajectory, proposed_by=user)
        audit.record("trajectory.placement", made, user=user,
                     after={"status": PROPOSED, "vacancy": vacancy.id,
                            "trajectory": trajectory.id})
    return made


def start_trial(placement, start: date | None, end: date | None, user) -> None:
    """A proposed candidate begins a trial placement (proefplaatsing) with its dates."""
    if placement.status != PROPOSED:
        raise Refused(_l("Only a proposed candidate can start a trial placement."))
    if start is None or end is None:
        raise Refused(_l("Enter the first and last day of the trial placement."), "trial_start")
    if end < start:
        raise Refused(_l("The trial placement ends before it starts."), "trial_end")
    _change_placement(placement, user, status=TRIAL, trial_start=start, trial_end=end)


def decide_placement(placement, placed: bool, day: date | None, reason: str | None,
                     user) -> None:
    """Placed (from the day given) or not placed (with a reason from the list)."""
    if placement.status not in (PROPOSED, TRIAL):
        raise Refused(_l("This proposal has already been decided."))
    if day is None:
        raise Refused(_l("Enter the date."), "day")
    if placement.trial_start and day < placement.trial_start:
        raise Refused(_l("The date lies before the trial placement began."), "day")
    if placed:
        _change_placement(placement, user, status=PLACED, placed_on=day, reason=None)
        return
    if reason not in NOT_PLACED_REASONS:
        raise Refused(_l("Choose a reason from the list."), "reason")
    _change_placement(placement, user, status=NOT_PLACED, placed_on=None, reason=reason)


def _change_placement(placement, user, **changes) -> None:
    before = {"status": placement.status}
    for name, value in changes.items():
        setattr(placement, name, value)
    placement.changed_at = utcnow()
    with database.atomic():
        placement.save()
        audit.record("trajectory.placement", placement, user=user, before=before,
                     after={k: v for k, v in changes.items()})


# -- outcome and follow-ups ---------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The same day some months later; the month's last day when it is shorter (31 Aug + 6)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_trajectory(trajectory, *, outcome: str, day: date | None, employer: str = "",
                   hours=None, contract: str | None = None, reason: str | None = None,
                   user) -> list[FollowUp]:
    """End a trajectory with its outcome; work at a regular employer gets its follow-ups."""
    _require_open(trajectory)
    if outcome not in OUTCOMES:
        raise Refused(_l("Choose how the trajectory ended."), "outcome")
    if day is None:
        raise Refused(_l("Enter the end date."), "day")
    if day < trajectory.start_date:
        raise Refused(_l("The end date lies before the start of the trajectory."), "day")
    if day > local_today() + timedelta(days=31):
        raise Refused(_l("The end date lies more than a month ahead."), "day")
    running = current_phase(list(trajectory.phases))
    if running is not None and day < running.start_date:
        raise Refused(_l("The end date lies before the start of the current phase."), "day")
    if outcome in WORK_OUTCOMES:
        if not (employer or "").strip():
            raise Refused(_l("Name the employer."), "employer")
        if hours is None or not 0 < hours <= 60:
            raise Refused(_l("Hours per week are more than 0 and at most 60."), "hours")
        if outcome == REGULAR_JOB and contract not in CONTRACT_KINDS:
            raise Refused(_l("Choose the kind of contract."), "contract")
    if outcome == STOPPED and reason not in STOP_REASONS:
        raise Refused(_l("Choose a reason from the list."), "reason")
    with database.atomic():
        if running is not None:
            running.end_date = day
            running.save(only=[Phase.end_date])
        trajectory.status, trajectory.ended_on, trajectory.outcome = ENDED, day, outcome
        at_work = outcome in WORK_OUTCOMES
        trajectory.outcome_employer = employer.strip() if at_work else ""
        trajectory.outcome_hours = hours if at_work else None
        trajectory.outcome_contract = contract if outcome == REGULAR_JOB else None
        trajectory.outcome_reason = reason if outcome == STOPPED else None
        trajectory.save()
        follow_ups = [FollowUp.create(trajectory=trajectory, months=m, due_on=add_months(day, m))
                      for m in FOLLOW_UP_MONTHS] if at_work else []
        audit.record("trajectory.end", trajectory, user=user,
                     after={"outcome": outcome, "day": day})
    return follow_ups


def answer_follow_up(follow_up, answer: str, day: date | None, user) -> None:
    """Record what a follow-up found: still at the employer, at another, or not working."""
    if answer not in FOLLOW_UP_ANSWERS:
        raise Refused(_l("Choose one of the list."), "answer")
    if day is None:
        raise Refused(_l("Enter the date."), "answered_on")
    ended = follow_up.trajectory.ended_on
    if ended is not None and day < ended:
        raise Refused(_l("The follow-up lies before the placement (%(day)s).",
                         day=ended.strftime("%d-%m-%Y")), "answered_on")
    if day > local_today():
        raise Refused(_l("A follow-up cannot be dated in the future."), "answered_on")
    before = follow_up.answer
    follow_up.answer, follow_up.answered_on, follow_up.answered_by = answer, day, user
    with database.atomic():
        follow_up.save(only=[FollowUp.answer, FollowUp.answered_on, FollowUp.answered_by])
        audit.record("trajectory.follow_up", follow_up, user=user, before={"answer": before},
                     after={"answer": answer, "day": day})


def is_follow_up_due(follow_up, day: date) -> bool:
    """A follow-up shows on the coach's list from its due day until it is answered."""
    return follow_up.answer is None and follow_up.due_on <= day


# -- the caseload --------------------------------------------------------------------------------

@dataclass
class CaseRow:
    trajectory: Trajectory
    phase: Phase | None
    signal: str | None
    days_left: int | None
    latest_day: date | None
    open_goals: int = 0


def caseload(user, day: date, *, coach_id=None, include_ended=False) -> list[CaseRow]:
    """The trajectories the user may see with their running phase and its signal: 4 queries.

    Overdue phases first, then those near their limit, then by name.
    """
    from portal.people.models import WorkGroup

    query = (Trajectory.select(Trajectory, Employee, TrajectoryKind, WorkGroup, User)
             .join(Employee).join(WorkGroup, peewee.JOIN.LEFT_OUTER)
             .switch(Trajectory).join(TrajectoryKind)
             .switch(Trajectory).join(User, peewee.JOIN.LEFT_OUTER,
                                      on=(Trajectory.coach == User.id)))
    if not include_ended:
        query = query.where(Trajectory.status == OPEN)
    if coach_id:
        query = query.where(Trajectory.coach == coach_id)
    trajectories = list(visible_trajectories(user, query))
    ids = [t.id for t in trajectories] or [0]
    running = {p.trajectory_id: p for p in
               Phase.select().where(Phase.trajectory.in_(ids) & Phase.end_date.is_null())}
    latest = dict(Evaluation.select(Evaluation.trajectory, peewee.fn.MAX(Evaluation.day))
                  .where(Evaluation.trajectory.in_(ids)).group_by(Evaluation.trajectory).tuples())
    goals = dict(Goal.select(Goal.trajectory, peewee.fn.COUNT(Goal.id))
                 .where(Goal.trajectory.in_(ids) & (Goal.status == "open"))
                 .group_by(Goal.trajectory).tuples())
    rows = []
    for trajectory in trajectories:
        phase = running.get(trajectory.id)
        rows.append(CaseRow(trajectory=trajectory, phase=phase,
                            signal=phase_signal(phase, day) if phase else None,
                            days_left=days_left(phase, day) if phase else None,
                            latest_day=_as_date(latest.get(trajectory.id)),
                            open_goals=goals.get(trajectory.id, 0)))
    order = {OVERDUE: 0, NEAR: 1, None: 2}
    rows.sort(key=lambda r: (order[r.signal], r.trajectory.employee.last_name.lower(),
                             r.trajectory.employee.first_name.lower(), r.trajectory.id))
    return rows


def _as_date(value):
    from portal.timeutil import as_date

    return as_date(value) if value is not None else None


def due_follow_ups(user, day: date) -> list[FollowUp]:
    """Follow-ups due and not yet answered, of trajectories the user coaches (hr: all)."""
    query = (FollowUp.select(FollowUp, Trajectory, Employee)
             .join(Trajectory).join(Employee)
             .where(FollowUp.answer.is_null() & (FollowUp.due_on <= day)))
    from portal.trajectories.access import sees_every_trajectory

    if not sees_every_trajectory(user):
        query = query.where(Trajectory.coach == user.id)
    return list(query.order_by(FollowUp.due_on, Employee.last_name, FollowUp.id))


# -- settings (admin) ---------------------------------------------------------------------------

def save_skill(skill, *, name: str, group: str, is_active: bool = True, user) -> Skill:
    """Add or rename a skill, or retire it; old evaluations keep pointing at it."""
    if not (name or "").strip():
        raise Refused(_l("Give the skill a name."), "name")
    if group not in SKILL_GROUPS:
        raise Refused(_l("Choose one of the list."), "group")
    with database.atomic():
        if skill is None:
            last = Skill.select(peewee.fn.MAX(Skill.position)).scalar() or 0
            skill = Skill(position=last + 1)
        before = {"name": skill.name, "group": skill.group, "active": skill.is_active}
        skill.name, skill.group, skill.is_active = name.strip(), group, is_active
        skill.save()
        audit.record("trajectory.skill", skill, user=user, before=before,
                     after={"name": skill.name, "group": group, "active": is_active})
    return skill


def save_kind(kind, *, name: str, is_active: bool = True, user) -> TrajectoryKind:
    """Add or rename a kind of trajectory, or retire it (running trajectories keep it)."""
    if not (name or "").strip():
        raise Refused(_l("Give the kind a name."), "name")
    clash = TrajectoryKind.select().where(peewee.fn.LOWER(TrajectoryKind.name)
                                          == name.strip().lower())
    if kind is not None:
        clash = clash.where(TrajectoryKind.id != kind.id)
    if clash.exists():
        raise Refused(_l("There is already a kind with this name."), "name")
    with database.atomic():
        kind = kind or TrajectoryKind()
        kind.name, kind.is_active = name.strip(), is_active
        kind.save()
        audit.record("trajectory.kind", kind, user=user, after={"name": kind.name,
                                                                 "active": is_active})
    return kind


def add_phase_rule(kind, *, name: str, max_days: int | None, user) -> PhaseRule:
    """Add a phase at the end of a kind's phases, with an optional maximum length in days."""
    if not (name or "").strip():
        raise Refused(_l("Give the phase a name."), "name")
    if max_days is not None and not 1 <= max_days <= 3650:
        raise Refused(_l("A maximum length is 1 to 3650 days, or empty for none."), "max_days")
    with database.atomic():
        last = (PhaseRule.select(peewee.fn.MAX(PhaseRule.position))
                .where(PhaseRule.kind == kind.id).scalar() or 0)
        rule = PhaseRule.create(kind=kind, position=last + 1, name=name.strip(),
                                max_days=max_days)
        audit.record("trajectory.phase_rule", rule, user=user,
                     after={"kind": kind.id, "name": rule.name, "max_days": max_days})
    return rule


DEFAULT_SKILLS = (
    ("social", _l("Working together with colleagues")),
    ("social", _l("Accepting instructions and feedback")),
    ("social", _l("Polite contact with customers")),
    ("cognitive", _l("Understanding a work instruction")),
    ("cognitive", _l("Solving a small problem alone")),
    ("cognitive", _l("Keeping attention on the task")),
    ("execution", _l("Working at the required pace")),
    ("execution", _l("Delivering work of the agreed quality")),
    ("execution", _l("Working safely and tidily")),
    ("execution", _l("Being on time and keeping to agreements")),
    ("physical", _l("Standing and walking for a long time")),
    ("physical", _l("Lifting and carrying")),
    ("physical", _l("Fine motor skills")),
    ("school", _l("Reading work texts")),
    ("school", _l("Counting and measuring")),
    ("school", _l("Speaking Dutch at work")),
)

DEFAULT_KINDS = (
    ("Leerwerktraject", ((_l("Orientation"), 42), (_l("Learning at work"), 182), (_l("Towards a job"), 91))),
    ("Proefplaatsing", ((_l("Trial placement"), 61),)),
    ("Re-integratie met behoud van uitkering", ((_l("Work with retained benefit"), 91),
                                                (_l("Paid job"), None))),
    ("Ontwikkeling binnen SW / beschut werk", ((_l("Development"), None),)),
    ("Garantiebaan-voorbereiding", ((_l("Preparation"), 182), (_l("Placement"), None))),
)


def install_defaults(user=None) -> None:
    """The default skill list and kinds with their phase rules, when there are none yet."""
    from flask_babel import force_locale

    with force_locale("nl"):
        if not Skill.select().exists():
            for position, (group, name) in enumerate(DEFAULT_SKILLS, start=1):
                Skill.create(name=str(name), group=group, position=position)
        if not TrajectoryKind.select().exists():
            for name, phases in DEFAULT_KINDS:
                kind = TrajectoryKind.create(name=name)
                for position, (phase, max_days) in enumerate(phases, start=1):
                    PhaseRule.create(kind=kind, position=position, name=str(phase),
                                     max_days=max_days)
