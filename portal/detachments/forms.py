"""Forms of detachments, members, rates, jobcoach hours and statements."""

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, MonthField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.detachments.models import (FIXED_RESULT, GROUP, INDIVIDUAL, PER_HOUR,
                                       PER_PERSON_DAY, PER_PERSON_MONTH)
from portal.forms import DutchDecimalField, Form, choices, optional_id


def kind_labels():
    return {GROUP: _l("Group detachment"), INDIVIDUAL: _l("Individual detachment")}


def price_form_labels():
    return {PER_HOUR: _l("Per hour"), PER_PERSON_DAY: _l("Per person per day"),
            PER_PERSON_MONTH: _l("Per person per month"),
            FIXED_RESULT: _l("Fixed price for the result")}


class DetachmentForm(Form):
    client = SelectField(_l("Client"), coerce=optional_id, validators=[InputRequired()])
    location = SelectField(_l("Location at the client"), coerce=optional_id,
                           validators=[InputRequired()])
    kind = RadioField(_l("Kind"), choices=lambda: choices(kind_labels().items()),
                      default=GROUP, validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=150)])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    work_group = SelectField(_l("Group"), coerce=optional_id, validators=[Optional()])
    employee = SelectField(_l("Employee"), coerce=optional_id, validators=[Optional()])
    member_start = DateField(_l("Employee's own start date"), validators=[Optional()])
    member_end = DateField(_l("Employee's own end date"), validators=[Optional()])
    # Any id passes the select; the rule says beside the field why a user is not a jobcoach.
    jobcoach = SelectField(_l("Jobcoach"), coerce=optional_id, validate_choice=False,
                           validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    # Asked only when the group has planned work in the period (see views.create_detachment).
    move_planned = BooleanField(_l("Detach the group anyway; I will move its planned hours"))


class DetachmentEditForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=150)])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    is_active = BooleanField(_l("Active"))
    jobcoach = SelectField(_l("Jobcoach"), coerce=optional_id, validate_choice=False,
                           validators=[Optional()])


class MemberForm(Form):
    employee = SelectField(_l("Employee"), coerce=optional_id, validators=[InputRequired()])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])


class MemberPeriodForm(Form):
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])


class RateAmountForm(Form):
    price_form = SelectField(_l("Price form"),
                             choices=lambda: choices(price_form_labels().items()),
                             validators=[InputRequired()])
    amount = DutchDecimalField(_l("Rate in euros"), validators=[InputRequired()])
    includes_breaks = BooleanField(_l("The agreement bills the breaks too"))


class RateForm(RateAmountForm):
    valid_from = MonthField(_l("From month"), validators=[InputRequired()])
    valid_to = MonthField(_l("Until month (included)"), validators=[Optional()])


class HoursForm(Form):
    monday = DutchDecimalField(_l("Monday"), validators=[Optional()])
    tuesday = DutchDecimalField(_l("Tuesday"), validators=[Optional()])
    wednesday = DutchDecimalField(_l("Wednesday"), validators=[Optional()])
    thursday = DutchDecimalField(_l("Thursday"), validators=[Optional()])
    friday = DutchDecimalField(_l("Friday"), validators=[Optional()])
    saturday = DutchDecimalField(_l("Saturday"), validators=[Optional()])
    sunday = DutchDecimalField(_l("Sunday"), validators=[Optional()])


class CorrectionForm(Form):
    reason = TextAreaField(_l("Reason for the correction"),
                           validators=[DataRequired(), Length(max=2000)])


class ActionForm(Form):
    """A form that is only its CSRF token (send, new link, revoke)."""
