"""Forms of the day view: absences, hand check-ins, corrections, leave."""

import re
from datetime import time
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from portal.attendance.labels import code_label
from portal.attendance.models import LEAVE_CODES
from portal.forms import Form, choices, not_blank

CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
MAX_ID = 2**31 - 1  # a larger id is no row, and PostgreSQL refuses to compare it
NUMBER = re.compile(r"^\d{1,3}([.,]\d{1,2})?$")


def parse_clock(text: str | None) -> time | None:
    """A wall-clock time typed as 8:05, 08:05 or 08.05; None when empty.

    :raise ValidationError: for anything else.
    """
    if not text:
        return None
    match = CLOCK.match(text.strip())
    if not match:
        raise ValidationError(_l("Enter a time such as 08:30."))
    return time(int(match.group(1)), int(match.group(2)))


def parse_hours(text: str | None) -> Decimal | None:
    """Hours typed the Dutch way (4,5) or with a dot; None when empty (the whole day).

    :raise ValidationError: for anything that is not a number.
    """
    if not text:
        return None
    if not NUMBER.match(text.strip()):
        raise ValidationError(_l("Enter a number of hours such as 4,5."))
    try:
        return Decimal(text.strip().replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern already guards this
        raise ValidationError(_l("Enter a number of hours such as 4,5."))


def _clock_field(form, field):
    field.clock = parse_clock(field.data)


def _hours_field(form, field):
    field.hours = parse_hours(field.data)


class AbsenceForm(Form):
    employee_id = IntegerField(_l("Employee"), validators=[InputRequired(), NumberRange(1, MAX_ID)])
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=20)])
    hours = StringField(_l("Hours"), validators=[Length(max=6), _hours_field])
    reason = StringField(_l("Reason for the change"), validators=[Length(max=500)])


class ClockForm(Form):
    employee_id = IntegerField(_l("Employee"), validators=[InputRequired(), NumberRange(1, MAX_ID)])
    at = StringField(_l("Time"), validators=[DataRequired(), Length(max=5), _clock_field])
    reason = StringField(_l("Reason"), validators=[Length(max=500)])
    other_reason = StringField(_l("Other reason"), validators=[Length(max=500)])

    @property
    def given_reason(self) -> str:
        return (self.reason.data or self.other_reason.data or "").strip()


class SegmentCorrectionForm(Form):
    check_in = StringField(_l("Check-in"), validators=[Length(max=5), _clock_field])
    check_out = StringField(_l("Check-out"), validators=[Length(max=5), _clock_field])
    reason = StringField(_l("Reason"), validators=[DataRequired(), not_blank, Length(max=500)])
    withdraw = HiddenField()


class AbsenceCorrectionForm(Form):
    code = StringField(_l("Code"), validators=[Length(max=20)])
    hours = StringField(_l("Hours"), validators=[Length(max=6), _hours_field])
    reason = StringField(_l("Reason"), validators=[DataRequired(), not_blank, Length(max=500)])
    withdraw = HiddenField()


def leave_code_choices():
    return choices((code, code_label(code)) for code in LEAVE_CODES)


class LeaveForm(Form):
    employee_id = SelectField(_l("Employee"), coerce=int,
                              validators=[InputRequired(), NumberRange(1, MAX_ID)],
                              validate_choice=False)
    code = SelectField(_l("Kind of leave"), choices=leave_code_choices, validators=[InputRequired()])
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])
