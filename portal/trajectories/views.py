"""The trajectories blueprint: caseload, trajectory pages, evaluations, vacancies and matching,
placements, outcomes and follow-ups, the municipalities' figures, and the admin's lists."""

from datetime import date
from functools import partial

import peewee
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import active_users_with_role, roles_required
from portal.auth.models import JOBCOACH, User
from portal.forms import choices
from portal.people.models import (EMPLOYMENT_TYPES, Client, Employee, Municipality, Workfloor,
                                  WorkGroup)
from portal.refusal import Refused
from portal.timeutil import today
from portal.trajectories import access, charts, exports, figures, labels, rules
from portal.trajectories.forms import (NO_MEDICAL, ActionForm, CoachForm, DecisionForm,
                                       EvaluationForm, FollowUpForm, GoalForm, GoalStatusForm,
                                       KindForm, NoteForm, OutcomeForm, PhaseForm,
                                       PhaseRuleForm, ProposeForm, SkillForm, TrajectoryForm,
                                       TrialForm, VacancyForm)
from portal.trajectories.models import (CoachNote,
                                        Evaluation, FollowUp, Goal, GoalSkill, Placement,
                                        PhaseRule, Skill, Trajectory, TrajectoryKind, Vacancy)
from portal.views import put_refusal, refused_form, render_form_errors, respond

bp = Blueprint("trajectories", __name__, url_prefix="/trajectories")


@bp.context_processor
def _labels():
    return {"tr_labels": labels, "tr_access": access, "no_medical": NO_MEDICAL}


# -- loading with access ----------------------------------------------------------------------

def _load_trajectory(trajectory_id: int) -> Trajectory:
    """:raise 404: when there is no such trajectory or the user may not see it."""
    found = (Trajectory.select(Trajectory, Employee, TrajectoryKind, WorkGroup)
             .join(Employee).join(WorkGroup, peewee.JOIN.LEFT_OUTER)
             .switch(Trajectory).join(TrajectoryKind)
             .where(Trajectory.id == trajectory_id).first())
    access.require_trajectory(current_user, found)
    return found


def _coached_trajectory(trajectory_id: int) -> Trajectory:
    """:raise 404: when the user may not coach the trajectory."""
    found = _load_trajectory(trajectory_id)
    access.require_coaching(current_user, found)
    return found


def _load_vacancy(vacancy_id: int) -> Vacancy:
    """:raise 404: when there is no such vacancy."""
    found = (Vacancy.select(Vacancy, Client).join(Client)
             .where(Vacancy.id == vacancy_id).first())
    if found is None:
        abort(404)
    return found


def _coach_choices(empty=None):
    return choices([("", empty or _("No jobcoach yet"))] + [
        (u.id, u.display_name) for u in
        active_users_with_role(JOBCOACH)
        .order_by(User.display_name)])


def _coach(user_id):
    return User.get_or_none(User.id == user_id) if user_id else None


# -- posted forms -------------------------------------------------------------------------------

def _submit(form, change, saved, *, done, again, shown_as=None, incomplete=None):
    """One posted form: make the change and go on, or show the page again saying why not (422).

    `change` runs only for a valid form; when the rules accept it, `saved` is flashed and `done`
    (a redirect) answered. Otherwise `again(422, **forms)` renders the page. With `shown_as` the
    page shows this very form under that name: its field errors, and a refusal beside the field
    it names (or above the form). Without it the page shows a fresh copy (one of many small forms
    in a list), so `incomplete` (for an invalid form) and a refusal are said in a flash message.
    """
    if form.validate():
        try:
            change()
        except Refused as refused:
            if shown_as:
                put_refusal(form, refused)
            else:
                flash(str(refused.message), "error")
        else:
            flash(saved, "success")
            return done
    elif incomplete:
        flash(incomplete, "error")
    return again(422, **({shown_as: form} if shown_as else {}))


# -- the caseload -------------------------------------------------------------------------------

@bp.get("/")
@roles_required(*access.TRAJECTORY_ROLES)
def caseload():
    """The user's candidates with their phase and its signal, and follow-ups that are due."""
    day = today()
    coach_id = request.args.get("coach", type=int) if access.sees_every_trajectory(
        current_user) else None
    rows = rules.caseload(current_user, day, coach_id=coach_id)
    due = rules.due_follow_ups(current_user, day) if access.sees_follow_ups(current_user) else []
    return respond("trajectories/caseload.html", "trajectories/_partials/caseload_table.html",
                   rows=rows, due=due, day=day, coach_id=coach_id,
                   coaches=_coach_choices(_("All jobcoaches"))
                   if access.sees_every_trajectory(current_user) else None,
                   follow_up_forms={f.id: FollowUpForm(formdata=None, prefix=f"f{f.id}",
                                                       answered_on=day) for f in due})


@bp.get("/new")
@roles_required(*access.TRAJECTORY_ROLES)
def new_trajectory():
    """The form to start a trajectory (hr)."""
    _require_hr()
    form = TrajectoryForm(start_date=today())
    _fill_trajectory_choices(form)
    return render_template("trajectories/trajectory_form.html", form=form)


def _require_hr():
    if not access.can_assign_coach(current_user):
        abort(403)


def _fill_trajectory_choices(form):
    form.employee.choices = choices([("", "—")] + [
        (e.id, f"{e.last_name}, {e.first_name} ({e.employee_number})")
        for e in Employee.select(Employee.id, Employee.first_name, Employee.last_name,
                                 Employee.employee_number)
        .where(Employee.is_active & (Employee.employment != "staff"))
        .order_by(Employee.last_name, Employee.first_name)])
    form.kind.choices = choices([("", "—")] + [
        (k.id, k.name) for k in TrajectoryKind.select().where(TrajectoryKind.is_active)
        .order_by(TrajectoryKind.name)])
    form.coach.choices = _coach_choices()


@bp.post("/")
@roles_required(*access.TRAJECTORY_ROLES)
def create_trajectory():
    """Start a trajectory for a candidate, with its coach."""
    _require_hr()
    form = TrajectoryForm()
    _fill_trajectory_choices(form)
    if not form.validate():
        return render_form_errors("trajectories/trajectory_form.html", form=form)
    try:
        made = rules.start_trajectory(
            employee=Employee.get_or_none(Employee.id == form.employee.data),
            kind=TrajectoryKind.get_or_none(TrajectoryKind.id == form.kind.data),
            coach=_coach(form.coach.data), start=form.start_date.data,
            planned_end=form.planned_end.data, user=current_user.id)
    except Refused as refused:
        return refused_form("trajectories/trajectory_form.html", form, refused)
    flash(_("Trajectory started."), "success")
    return redirect(url_for("trajectories.show_trajectory", trajectory_id=made.id), 303)


# -- one trajectory -----------------------------------------------------------------------------

def open_sections(trajectory, dev, day: date, unfold: str | None = None) -> set[str]:
    """The sections of the trajectory page that are open when it is shown; the rest are folded.

    Folded to its summary line, the page fits a tablet's screen or two instead of five. A running
    trajectory opens where the coach works now: its phases and its goals; an ended one its outcome
    and follow-ups. The development opens on the day of an evaluation: the coach has just recorded
    it (and lands on its chart) or talks it through. `unfold` is the section of a form the page
    shows again with a message (422): a message must never be folded away.
    """
    opened = {"phases", "goals"} if trajectory.status == "open" else {"outcome"}
    if dev.evaluations and dev.evaluations[-1].day == day:
        opened.add("development")
    if unfold:
        opened.add(unfold)
    return opened


def _trajectory_context(trajectory, unfold=None, **forms) -> dict:
    day = today()
    dev = rules.development(trajectory)
    phases = list(trajectory.phases.order_by(rules.Phase.position))
    goals = list(Goal.select(Goal, User).join(User, peewee.JOIN.LEFT_OUTER,
                                               on=(Goal.changed_by == User.id))
                 .where(Goal.trajectory == trajectory.id).order_by(Goal.id))
    goal_skills = {}
    for link in GoalSkill.select(GoalSkill, Skill).join(Skill).where(
            GoalSkill.goal.in_([g.id for g in goals] or [0])):
        goal_skills.setdefault(link.goal_id, []).append(link.skill.name)
    coaching = access.can_coach(current_user, trajectory)
    notes = list(CoachNote.select(CoachNote, User).join(User)
                 .where(CoachNote.trajectory == trajectory.id).order_by(CoachNote.id.desc())) \
        if access.sees_coach_notes(current_user, trajectory) else None
    placements = list(Placement.select(Placement, Vacancy, Client).join(Vacancy).join(Client)
                      .where(Placement.trajectory == trajectory.id).order_by(Placement.id)) \
        if coaching else []
    follow_ups = list(trajectory.follow_ups.order_by(FollowUp.months)) if coaching else []
    goal_form = forms.get("goal_form") or GoalForm(formdata=None, prefix="goal")
    goal_form.skills.choices = [(s.id, s.name) for s in dev.skills if s.is_active]
    coach_form = forms.get("coach_form") or CoachForm(formdata=None, prefix="coach",
                                                      coach=trajectory.coach_id)
    coach_form.coach.choices = _coach_choices()
    return dict(
        trajectory=trajectory, employee=trajectory.employee, phases=phases,
        running=rules.current_phase(phases), day=day, dev=dev, goals=goals,
        goal_skills=goal_skills, notes=notes, placements=placements, follow_ups=follow_ups,
        coaching=coaching, can_evaluate=access.can_evaluate(current_user, trajectory),
        can_assign=access.can_assign_coach(current_user), signal=rules.phase_signal,
        days_left=rules.days_left, phase_last_day=rules.phase_last_day,
        chart_title=charts.development_title(trajectory),
        chart_summary=charts.development_summary(dev),
        goal_form=goal_form, coach_form=coach_form,
        phase_form=forms.get("phase_form") or PhaseForm(formdata=None, prefix="phase", day=day),
        note_form=forms.get("note_form") or NoteForm(formdata=None, prefix="note"),
        status_forms={g.id: GoalStatusForm(formdata=None, prefix=f"g{g.id}", status=g.status)
                      for g in goals},
        trial_forms={p.id: TrialForm(formdata=None, prefix=f"t{p.id}") for p in placements},
        decision_forms={p.id: DecisionForm(formdata=None, prefix=f"d{p.id}", day=day)
                        for p in placements},
        follow_up_forms={f.id: FollowUpForm(formdata=None, prefix=f"f{f.id}", answered_on=day)
                         for f in follow_ups},
        coach_user=User.get_or_none(User.id == trajectory.coach_id),
        opened=open_sections(trajectory, dev, day, unfold),
        follow_ups_due=sum(rules.is_follow_up_due(f, day) for f in follow_ups),
    )


def _trajectory_page(trajectory, status=200, unfold=None, **forms):
    return render_template("trajectories/trajectory.html",
                           **_trajectory_context(trajectory, unfold, **forms)), status


def _on_trajectory(trajectory, form, change, saved, *, section=None, **how):
    """`_submit` for a form on the trajectory page; a 422 opens the form's folded `section`."""
    return _submit(form, change, saved, done=_back(trajectory),
                   again=partial(_trajectory_page, trajectory, unfold=section), **how)


def _back(trajectory):
    return redirect(url_for("trajectories.show_trajectory", trajectory_id=trajectory.id), 303)


@bp.get("/<int:trajectory_id>")
@roles_required(*access.TRAJECTORY_ROLES)
def show_trajectory(trajectory_id):
    """A trajectory: phases, goals, the development chart and table, placements, outcome."""
    return _trajectory_page(_load_trajectory(trajectory_id))


@bp.get("/<int:trajectory_id>/chart.svg")
@roles_required(*access.TRAJECTORY_ROLES)
def chart(trajectory_id):
    """The development chart as an SVG image (no script; its own styles only)."""
    trajectory = _load_trajectory(trajectory_id)
    return charts.svg_response(charts.development_chart(trajectory, rules.development(trajectory)))


@bp.get("/<int:trajectory_id>/plan")
@roles_required(*access.TRAJECTORY_ROLES)
def development_plan(trajectory_id):
    """The printable development plan (ontwikkelplan) the candidate keeps."""
    trajectory = _coached_trajectory(trajectory_id)
    context = _trajectory_context(trajectory)
    return render_template("trajectories/plan.html", **context)


@bp.post("/<int:trajectory_id>/coach")
@roles_required(*access.TRAJECTORY_ROLES)
def assign_coach(trajectory_id):
    """Give the trajectory another jobcoach (hr)."""
    trajectory = _load_trajectory(trajectory_id)
    _require_hr()
    form = CoachForm(prefix="coach")
    form.coach.choices = _coach_choices()

    def change():
        rules.assign_coach(trajectory, _coach(form.coach.data), current_user.id)

    return _on_trajectory(trajectory, form, change, _("Jobcoach saved."), shown_as="coach_form")


@bp.post("/<int:trajectory_id>/phase")
@roles_required(*access.TRAJECTORY_ROLES)
def next_phase(trajectory_id):
    """Close the running phase and begin the next."""
    trajectory = _coached_trajectory(trajectory_id)
    form = PhaseForm(prefix="phase")

    def change():
        rules.next_phase(trajectory, form.day.data, current_user.id)

    return _on_trajectory(trajectory, form, change, _("The next phase has begun."),
                          section="phases", shown_as="phase_form")


@bp.post("/<int:trajectory_id>/goals")
@roles_required(*access.TRAJECTORY_ROLES)
def add_goal(trajectory_id):
    """Add a goal with the skills it works on."""
    trajectory = _coached_trajectory(trajectory_id)
    form = GoalForm(prefix="goal")
    form.skills.choices = [(s.id, s.name) for s in Skill.select().where(Skill.is_active)]

    def change():
        rules.add_goal(trajectory, text=form.text.data, skill_ids=form.skills.data,
                       target_date=form.target_date.data, user=current_user.id)

    return _on_trajectory(trajectory, form, change, _("Goal added."), section="goals",
                          shown_as="goal_form")


@bp.post("/<int:trajectory_id>/goals/<int:goal_id>")
@roles_required(*access.TRAJECTORY_ROLES)
def update_goal(trajectory_id, goal_id):
    """Mark a goal reached, stopped or open."""
    trajectory = _coached_trajectory(trajectory_id)
    goal = Goal.get_or_none((Goal.id == goal_id) & (Goal.trajectory == trajectory.id))
    if goal is None:
        abort(404)
    form = GoalStatusForm(prefix=f"g{goal.id}")

    def change():
        rules.change_goal_status(goal, form.status.data, current_user.id)

    return _on_trajectory(trajectory, form, change, _("Goal saved."), section="goals")


@bp.post("/<int:trajectory_id>/notes")
@roles_required(*access.TRAJECTORY_ROLES)
def add_note(trajectory_id):
    """A private note of the coach."""
    trajectory = _coached_trajectory(trajectory_id)
    form = NoteForm(prefix="note")

    def change():
        rules.add_note(trajectory, form.text.data, current_user.id)

    return _on_trajectory(trajectory, form, change, _("Note saved."), section="notes",
                          shown_as="note_form")


# -- evaluations --------------------------------------------------------------------------------

def _evaluation_context(trajectory, form, values=None, errors=None):
    day = today()
    return dict(trajectory=trajectory, employee=trajectory.employee, form=form,
                skills=list(Skill.select().where(Skill.is_active)),
                groups=labels.skill_groups(), values=values or {}, errors=errors or {},
                rhythm=rules.rhythm_since_last_evaluation(trajectory, day)
                if access.sees_attendance_rhythm(current_user, trajectory) else None)


def _require_evaluating(trajectory):
    if not access.can_evaluate(current_user, trajectory):
        abort(404)


@bp.get("/<int:trajectory_id>/evaluation")
@roles_required(*access.TRAJECTORY_ROLES)
def new_evaluation(trajectory_id):
    """The evaluation form, with the work rhythm attendance shows since the last one."""
    trajectory = _load_trajectory(trajectory_id)
    _require_evaluating(trajectory)
    form = EvaluationForm(day=today())
    return render_template("trajectories/evaluation_form.html",
                           **_evaluation_context(trajectory, form))


@bp.post("/<int:trajectory_id>/evaluation")
@roles_required(*access.TRAJECTORY_ROLES)
def create_evaluation(trajectory_id):
    """Store a new evaluation; the old ones stay as they were."""
    trajectory = _load_trajectory(trajectory_id)
    _require_evaluating(trajectory)
    form = EvaluationForm()
    skills = list(Skill.select().where(Skill.is_active))
    values = {s.id: request.form.get(f"skill_{s.id}", "") for s in skills}
    if form.validate():
        try:
            rules.record_evaluation(trajectory, day=form.day.data, scores=values,
                                    comment=form.comment.data, user=current_user.id)
        except Refused as refused:
            errors = {}
            if refused.field and refused.field.startswith("skill_"):
                errors[refused.field] = refused.message
                form.form_errors.append(refused.message)
            else:
                put_refusal(form, refused)
            return render_form_errors("trajectories/evaluation_form.html",
                                      **_evaluation_context(trajectory, form, values, errors))
        flash(_("Evaluation saved."), "success")
        return redirect(url_for("trajectories.show_trajectory", trajectory_id=trajectory.id,
                                _anchor="h-development"), 303)
    return render_form_errors("trajectories/evaluation_form.html",
                              **_evaluation_context(trajectory, form, values))


# -- outcome and follow-ups ---------------------------------------------------------------------

@bp.get("/<int:trajectory_id>/end")
@roles_required(*access.TRAJECTORY_ROLES)
def end_form(trajectory_id):
    """The form to end a trajectory with its outcome."""
    trajectory = _coached_trajectory(trajectory_id)
    return render_template("trajectories/end_form.html", trajectory=trajectory,
                           form=OutcomeForm(day=today()))


@bp.post("/<int:trajectory_id>/end")
@roles_required(*access.TRAJECTORY_ROLES)
def end_trajectory(trajectory_id):
    """End a trajectory; work at a regular employer schedules follow-ups at 6 and 12 months."""
    trajectory = _coached_trajectory(trajectory_id)
    form = OutcomeForm()

    def change():
        rules.end_trajectory(trajectory, outcome=form.outcome.data, day=form.day.data,
                             employer=form.employer.data or "", hours=form.hours.data,
                             contract=form.contract.data or None,
                             reason=form.reason.data or None, user=current_user.id)

    def again(status, form):
        return render_template("trajectories/end_form.html", form=form,
                               trajectory=trajectory), status

    return _submit(form, change, _("Trajectory ended."), done=_back(trajectory), again=again,
                   shown_as="form")


@bp.post("/follow-ups/<int:follow_up_id>")
@roles_required(*access.TRAJECTORY_ROLES)
def answer_follow_up(follow_up_id):
    """Record what a follow-up at 6 or 12 months found."""
    follow_up = FollowUp.get_or_none(FollowUp.id == follow_up_id)
    if follow_up is None:
        abort(404)
    trajectory = _coached_trajectory(follow_up.trajectory_id)
    form = FollowUpForm(prefix=f"f{follow_up.id}")

    def change():
        rules.answer_follow_up(follow_up, form.answer.data, form.answered_on.data,
                               current_user.id)

    return _on_trajectory(trajectory, form, change, _("Follow-up saved."), section="outcome",
                          incomplete=_("Choose the result and the date of the follow-up."))


# -- vacancies and matching ---------------------------------------------------------------------

@bp.get("/vacancies")
@roles_required(*access.VACANCY_READERS)
def list_vacancies():
    """Vacancies at clients, open ones first."""
    show = request.args.get("show", "open")
    query = (Vacancy.select(Vacancy, Client).join(Client)
             .order_by(Vacancy.status != "open", Client.name, Vacancy.title, Vacancy.id))
    if show != "all":
        show = "open"
        query = query.where(Vacancy.status == "open")
    return render_template("trajectories/vacancies.html", vacancies=list(query), show=show,
                           can_manage=access.can_manage_vacancies(current_user))


def _require_vacancy_manager():
    if not access.can_manage_vacancies(current_user):
        abort(403)


def _vacancy_form_context(form, vacancy=None, levels=None, errors=None):
    form.client.choices = choices([("", "—")] + [
        (c.id, c.name) for c in Client.select().where(Client.is_active)
        .order_by(Client.name)])
    return dict(form=form, vacancy=vacancy, skills=list(Skill.select().where(Skill.is_active)
                                                        .order_by(Skill.position)),
                groups=labels.skill_groups(), levels=levels or {}, errors=errors or {})


@bp.get("/vacancies/new")
@roles_required(*access.VACANCY_READERS)
def new_vacancy():
    """The form for a new vacancy with its requirement profile."""
    _require_vacancy_manager()
    return render_template("trajectories/vacancy_form.html",
                           **_vacancy_form_context(VacancyForm()))


@bp.post("/vacancies")
@roles_required(*access.VACANCY_READERS)
def create_vacancy():
    """Store a new vacancy."""
    _require_vacancy_manager()
    return _save_vacancy(None)


def _save_vacancy(vacancy):
    form = VacancyForm()
    context = _vacancy_form_context(form, vacancy)
    levels = {s.id: request.form.get(f"skill_{s.id}", "") for s in context["skills"]}
    context["levels"] = levels
    if not form.validate():
        return render_form_errors("trajectories/vacancy_form.html", **context)
    try:
        saved = rules.save_vacancy(vacancy, client=Client.get_or_none(Client.id == form.client.data),
                                   title=form.title.data, hours_per_week=form.hours_per_week.data,
                                   place=form.place.data, status=form.status.data,
                                   requirements=levels, user=current_user.id)
    except Refused as refused:
        if refused.field and refused.field.startswith("skill_"):
            context["errors"] = {refused.field: refused.message}
            form.form_errors.append(refused.message)
        else:
            put_refusal(form, refused)
        return render_form_errors("trajectories/vacancy_form.html", **context)
    flash(_("Vacancy saved."), "success")
    return redirect(url_for("trajectories.show_vacancy", vacancy_id=saved.id), 303)


@bp.get("/vacancies/<int:vacancy_id>/edit")
@roles_required(*access.VACANCY_READERS)
def edit_vacancy(vacancy_id):
    """Change a vacancy and its requirement profile."""
    vacancy = _load_vacancy(vacancy_id)
    _require_vacancy_manager()
    form = VacancyForm(obj=vacancy, client=vacancy.client_id)
    return render_template("trajectories/vacancy_form.html", **_vacancy_form_context(
        form, vacancy, rules.requirements_of(vacancy.id)))


@bp.post("/vacancies/<int:vacancy_id>")
@roles_required(*access.VACANCY_READERS)
def update_vacancy(vacancy_id):
    """Store the changes of a vacancy."""
    vacancy = _load_vacancy(vacancy_id)
    _require_vacancy_manager()
    return _save_vacancy(vacancy)


def _filters():
    args = request.args
    return dict(municipality_id=args.get("municipality", type=int),
                employment=args.get("employment") or None, kind_id=args.get("kind", type=int),
                available_only=args.get("available") == "1")


@bp.get("/vacancies/<int:vacancy_id>")
@roles_required(*access.VACANCY_READERS)
def show_vacancy(vacancy_id):
    """A vacancy with its profile; for hr and coaches the candidates ranked by fit."""
    vacancy = _load_vacancy(vacancy_id)
    return respond("trajectories/vacancy.html", "trajectories/_partials/ranking.html",
                   **_vacancy_context(vacancy))


def _vacancy_context(vacancy, propose_error=None):
    requirements = rules.requirements_of(vacancy.id)
    skills = {s.id: s for s in Skill.select()}
    matching = access.can_match(current_user)
    filters = _filters()
    ranked = rules.rank_candidates(vacancy, current_user, **filters) if matching else []
    proposals = []
    if matching:
        proposals = list(rules.visible_trajectories(current_user, (
            Placement.select(Placement, Trajectory, Employee).join(Trajectory).join(Employee)
            .where(Placement.vacancy == vacancy.id).order_by(Placement.id))))
    proposed_ids = {p.trajectory_id for p in proposals}
    return dict(vacancy=vacancy, requirements=sorted(requirements.items(),
                                                     key=lambda r: skills[r[0]].position),
                skills=skills, matching=matching, ranked=ranked, proposals=proposals,
                proposed_ids=proposed_ids, filters=filters, propose_error=propose_error,
                can_manage=access.can_manage_vacancies(current_user),
                municipalities=list(Municipality.select().order_by(Municipality.name)),
                kinds=list(TrajectoryKind.select().order_by(TrajectoryKind.name)),
                employment_types=[e for e in EMPLOYMENT_TYPES if e != "staff"],
                csrf_form=ActionForm())


@bp.post("/vacancies/<int:vacancy_id>/proposals")
@roles_required(*access.VACANCY_READERS)
def propose(vacancy_id):
    """Propose a candidate (one of the user's own) for the vacancy."""
    vacancy = _load_vacancy(vacancy_id)
    if not access.can_match(current_user):
        abort(403)
    form = ProposeForm()
    trajectory_id = request.form.get("trajectory", type=int)
    found = (Trajectory.select(Trajectory, Employee, WorkGroup).join(Employee)
             .join(WorkGroup, peewee.JOIN.LEFT_OUTER)
             .where(Trajectory.id == (trajectory_id or 0)).first())
    if found is None or not access.can_coach(current_user, found):
        abort(404)
    try:
        rules.propose(vacancy, found, current_user.id)
    except Refused as refused:
        return render_template("trajectories/vacancy.html", form=form,
                               **_vacancy_context(vacancy, refused.message)), 422
    flash(_("%(name)s is proposed for %(title)s.", name=found.employee.full_name,
            title=vacancy.title), "success")
    return redirect(url_for("trajectories.show_vacancy", vacancy_id=vacancy.id), 303)


@bp.get("/<int:trajectory_id>/vacancies")
@roles_required(*access.TRAJECTORY_ROLES)
def candidate_vacancies(trajectory_id):
    """The open vacancies ranked for one candidate."""
    trajectory = _coached_trajectory(trajectory_id)
    return render_template("trajectories/candidate_vacancies.html", trajectory=trajectory,
                           ranked=rules.rank_vacancies(trajectory),
                           floors=rules.rank_workfloors(trajectory),
                           skills={s.id: s for s in Skill.select()},
                           proposed={p.vacancy_id for p in trajectory.placements},
                           csrf_form=ActionForm())


def _coached_placement(placement_id):
    placement = Placement.get_or_none(Placement.id == placement_id)
    if placement is None:
        abort(404)
    return placement, _coached_trajectory(placement.trajectory_id)


@bp.post("/placements/<int:placement_id>/trial")
@roles_required(*access.TRAJECTORY_ROLES)
def start_trial(placement_id):
    """A proposed candidate starts a trial placement."""
    placement, trajectory = _coached_placement(placement_id)
    form = TrialForm(prefix=f"t{placement.id}")

    def change():
        rules.start_trial(placement, form.trial_start.data, form.trial_end.data,
                          current_user.id)

    return _on_trajectory(trajectory, form, change, _("Trial placement saved."),
                          section="placements",
                          incomplete=_("Enter the first and last day of the trial placement."))


@bp.post("/placements/<int:placement_id>/decision")
@roles_required(*access.TRAJECTORY_ROLES)
def decide_placement(placement_id):
    """Placed, or not placed with a reason."""
    placement, trajectory = _coached_placement(placement_id)
    form = DecisionForm(prefix=f"d{placement.id}")

    def change():
        rules.decide_placement(placement, form.decision.data == "placed", form.day.data,
                               form.reason.data or None, current_user.id)

    return _on_trajectory(trajectory, form, change, _("Decision saved."), section="placements",
                          incomplete=_("Choose the decision and its date."))


# -- figures for the municipalities -------------------------------------------------------------

def _quarter():
    """:raise 404: for a quarter not written as YYYY-Qn."""
    text = request.args.get("quarter")
    if not text:
        return figures.quarter_of(today())
    try:
        year, quarter = text.split("-Q")
        year, quarter = int(year), int(quarter)
    except ValueError:
        abort(404)
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        abort(404)
    return year, quarter


@bp.get("/figures")
@roles_required(*access.FIGURE_ROLES)
def figures_page():
    """The quarter's figures per municipality, small numbers hidden."""
    year, quarter = _quarter()
    rows = figures.quarter_figures(year, quarter)
    return respond("trajectories/figures.html", "trajectories/_partials/figures_table.html",
                   rows=[(r, figures.shown(r)) for r in rows], year=year, quarter=quarter,
                   quarters=figures.recent_quarters(today()))


@bp.get("/figures.xlsx")
@roles_required(*access.FIGURE_ROLES)
def figures_xlsx():
    """The quarter's figures as a workbook for the municipalities."""
    year, quarter = _quarter()
    return exports.figures_workbook(year, quarter, figures.quarter_figures(year, quarter))


# -- the admin's lists --------------------------------------------------------------------------

def _settings_page(status=200, **forms):
    skills = list(Skill.select().order_by(Skill.group, Skill.position))
    kinds = list(TrajectoryKind.select().order_by(TrajectoryKind.name))
    phase_rules = {}
    for rule in PhaseRule.select().order_by(PhaseRule.position):
        phase_rules.setdefault(rule.kind_id, []).append(rule)
    profiled = {r.workfloor_id for r in rules.Requirement.select(rules.Requirement.workfloor)
                .where(rules.Requirement.workfloor.is_null(False))}
    return render_template(
        "trajectories/settings.html", skills=skills, kinds=kinds, phase_rules=phase_rules,
        workfloors=list(Workfloor.select().where(Workfloor.is_active).order_by(Workfloor.name)),
        profiled=profiled,
        skill_form=forms.get("skill_form") or SkillForm(formdata=None, prefix="skill"),
        kind_form=forms.get("kind_form") or KindForm(formdata=None, prefix="kind"),
        skill_forms={s.id: SkillForm(formdata=None, prefix=f"s{s.id}", obj=s) for s in skills},
        kind_forms={k.id: KindForm(formdata=None, prefix=f"k{k.id}", obj=k) for k in kinds},
        rule_forms={k.id: PhaseRuleForm(formdata=None, prefix=f"r{k.id}") for k in kinds},
        csrf_form=ActionForm(), **{k: v for k, v in forms.items()
                                   if k not in ("skill_form", "kind_form")}), status


def _on_settings(form, change, saved, **how):
    """`_submit` for a form on the settings page."""
    return _submit(form, change, saved, done=redirect(url_for("trajectories.settings"), 303),
                   again=_settings_page, **how)


@bp.get("/settings")
@roles_required(*access.SETTINGS_ROLES)
def settings():
    """The skill list and the kinds of trajectory with their phase rules."""
    return _settings_page()


def _load_workfloor(workfloor_id: int) -> Workfloor:
    """:raise 404: when there is no such workfloor."""
    found = Workfloor.get_or_none(Workfloor.id == workfloor_id)
    if found is None:
        abort(404)
    return found


def _workfloor_form(workfloor, levels, errors=None, status=200):
    return render_template("trajectories/workfloor_profile.html", workfloor=workfloor,
                           skills=list(Skill.select().where(Skill.is_active)
                                       .order_by(Skill.position)),
                           groups=labels.skill_groups(), levels=levels, errors=errors or {},
                           form=ActionForm()), status


@bp.get("/settings/workfloors/<int:workfloor_id>")
@roles_required(*access.SETTINGS_ROLES)
def workfloor_profile(workfloor_id):
    """The requirement profile of the work on a workfloor."""
    workfloor = _load_workfloor(workfloor_id)
    return _workfloor_form(workfloor, rules.workfloor_requirements(workfloor.id))


@bp.post("/settings/workfloors/<int:workfloor_id>")
@roles_required(*access.SETTINGS_ROLES)
def save_workfloor_profile(workfloor_id):
    """Store the requirement profile of a workfloor."""
    workfloor = _load_workfloor(workfloor_id)
    levels = {s.id: request.form.get(f"skill_{s.id}", "")
              for s in Skill.select().where(Skill.is_active)}
    try:
        rules.save_workfloor_profile(workfloor, levels, current_user.id)
    except Refused as refused:
        return _workfloor_form(workfloor, levels, {refused.field: refused.message}, 422)
    flash(_("Requirement profile saved."), "success")
    return redirect(url_for("trajectories.settings"), 303)


@bp.post("/settings/defaults")
@roles_required(*access.SETTINGS_ROLES)
def install_defaults():
    """Fill an empty skill list and kinds list with the portal's defaults."""
    rules.install_defaults(current_user.id)
    flash(_("The default lists are in place."), "success")
    return redirect(url_for("trajectories.settings"), 303)


@bp.post("/settings/skills")
@roles_required(*access.SETTINGS_ROLES)
def add_skill():
    """Add a skill to the list."""
    form = SkillForm(prefix="skill")

    def change():
        rules.save_skill(None, name=form.name.data, group=form.group.data, user=current_user.id)

    return _on_settings(form, change, _("Skill added."), shown_as="skill_form")


@bp.post("/settings/skills/<int:skill_id>")
@roles_required(*access.SETTINGS_ROLES)
def update_skill(skill_id):
    """Rename or retire a skill; old evaluations keep it."""
    skill = Skill.get_or_none(Skill.id == skill_id) or abort(404)
    form = SkillForm(prefix=f"s{skill.id}")

    def change():
        rules.save_skill(skill, name=form.name.data, group=form.group.data,
                         is_active=form.is_active.data, user=current_user.id)

    return _on_settings(form, change, _("Skill saved."), incomplete=_("Give the skill a name."))


@bp.post("/settings/kinds")
@roles_required(*access.SETTINGS_ROLES)
def add_kind():
    """Add a kind of trajectory."""
    form = KindForm(prefix="kind")

    def change():
        rules.save_kind(None, name=form.name.data, user=current_user.id)

    return _on_settings(form, change, _("Kind of trajectory added."), shown_as="kind_form")


@bp.post("/settings/kinds/<int:kind_id>")
@roles_required(*access.SETTINGS_ROLES)
def update_kind(kind_id):
    """Rename or retire a kind of trajectory."""
    kind = TrajectoryKind.get_or_none(TrajectoryKind.id == kind_id) or abort(404)
    form = KindForm(prefix=f"k{kind.id}")

    def change():
        rules.save_kind(kind, name=form.name.data, is_active=form.is_active.data,
                        user=current_user.id)

    return _on_settings(form, change, _("Kind of trajectory saved."),
                        incomplete=_("Give the kind a name."))


@bp.post("/settings/kinds/<int:kind_id>/phases")
@roles_required(*access.SETTINGS_ROLES)
def add_phase_rule(kind_id):
    """Add a phase, with an optional maximum length, at the end of a kind's phases."""
    kind = TrajectoryKind.get_or_none(TrajectoryKind.id == kind_id) or abort(404)
    form = PhaseRuleForm(prefix=f"r{kind.id}")

    def change():
        rules.add_phase_rule(kind, name=form.name.data, max_days=form.max_days.data,
                             user=current_user.id)

    return _on_settings(form, change, _("Phase added."),
                        incomplete=_("Give the phase a name; a maximum length is 1 to 3650 days."))
