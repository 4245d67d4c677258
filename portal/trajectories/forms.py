"""Forms of the trajectories area. Scores come in as skill_<id> fields built per request."""

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, IntegerField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.forms import DutchDecimalField, Form, IdSelectField, choices
from portal.trajectories import labels

NO_MEDICAL = _l("Do not write down medical details or a diagnosis.")


class TrajectoryForm(Form):
    employee = IdSelectField(_l("Candidate"), validators=[InputRequired()])
    kind = IdSelectField(_l("Kind of trajectory"), validators=[InputRequired()])
    coach = IdSelectField(_l("Jobcoach"), validators=[Optional()])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    planned_end = DateField(_l("Planned end"), validators=[Optional()])


class CoachForm(Form):
    coach = IdSelectField(_l("Jobcoach"), validators=[Optional()])


class PhaseForm(Form):
    day = DateField(_l("Next phase starts on"), validators=[InputRequired()])


class GoalForm(Form):
    text = TextAreaField(_l("Goal"), validators=[InputRequired(), Length(max=1000)])
    skills = SelectMultipleField(_l("Skills it works on"), coerce=int, validate_choice=False)
    target_date = DateField(_l("Target date"), validators=[Optional()])


class GoalStatusForm(Form):
    status = SelectField(_l("Status"), choices=lambda: choices(labels.goal_statuses().items()))


class EvaluationForm(Form):
    day = DateField(_l("Date of the evaluation"), validators=[InputRequired()])
    comment = TextAreaField(_l("Short comment"), validators=[Optional(), Length(max=2000)])


class NoteForm(Form):
    text = TextAreaField(_l("Note"), validators=[InputRequired(), Length(max=2000)])


class VacancyForm(Form):
    # No InputRequired: the rule says why a vacancy needs its client (beside the field).
    client = IdSelectField(_l("Client (employer)"), validators=[Optional()],
                           invalid_message=_l("A vacancy belongs to a client: choose one."))
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=150)])
    hours_per_week = DutchDecimalField(_l("Hours per week"), validators=[InputRequired()])
    place = StringField(_l("Town"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), choices=lambda: choices(labels.vacancy_statuses().items()))


class ProposeForm(Form):
    trajectory = IdSelectField(_l("Candidate"), validators=[InputRequired()])


class TrialForm(Form):
    trial_start = DateField(_l("First day"), validators=[InputRequired()])
    trial_end = DateField(_l("Last day"), validators=[InputRequired()])


class DecisionForm(Form):
    decision = SelectField(_l("Decision"), choices=lambda: choices(
        [("placed", _l("Placed")), ("not_placed", _l("Not placed"))]))
    day = DateField(_l("Date"), validators=[InputRequired()])
    reason = SelectField(_l("Reason when not placed"), validators=[Optional()],
                         choices=lambda: choices([("", "—"), *labels.not_placed_reasons().items()]))


class OutcomeForm(Form):
    outcome = SelectField(_l("Outcome"), choices=lambda: choices(
        [("", "—"), *labels.outcomes().items()]), validators=[InputRequired()])
    day = DateField(_l("End date"), validators=[InputRequired()])
    employer = StringField(_l("Employer"), validators=[Optional(), Length(max=150)])
    hours = DutchDecimalField(_l("Hours per week"), validators=[Optional()])
    contract = SelectField(_l("Kind of contract"), validators=[Optional()], choices=lambda: choices(
        [("", "—"), *labels.contract_kinds().items()]))
    reason = SelectField(_l("Reason when stopped"), validators=[Optional()], choices=lambda: choices(
        [("", "—"), *labels.stop_reasons().items()]))


class FollowUpForm(Form):
    answer = SelectField(_l("Result"), choices=lambda: choices(
        [("", "—"), *labels.follow_up_answers().items()]), validators=[InputRequired()])
    answered_on = DateField(_l("Date of the follow-up"), validators=[InputRequired()])


class SkillForm(Form):
    name = StringField(_l("Skill"), validators=[InputRequired(), Length(max=120)])
    group = SelectField(_l("Skill group"), choices=lambda: choices(labels.skill_groups().items()))
    is_active = BooleanField(_l("In use"), default=True)


class KindForm(Form):
    name = StringField(_l("Kind of trajectory"), validators=[InputRequired(), Length(max=120)])
    is_active = BooleanField(_l("In use"), default=True)


class PhaseRuleForm(Form):
    name = StringField(_l("Phase"), validators=[InputRequired(), Length(max=120)])
    max_days = IntegerField(_l("Maximum length in days"),
                            validators=[Optional(), NumberRange(min=1, max=3650)])


class ActionForm(Form):
    """Only the CSRF token."""
