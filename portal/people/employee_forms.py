"""The employee form: details, the weekly schedule, and the photo."""

from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, FormField, IntegerField, SelectField, StringField
from wtforms import TimeField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from portal.forms import DutchDecimalField, Form, IdSelectField, choices
from portal.people import employee_rules as rules
from portal.people.labels import employment_labels
from portal.people.models import EMPLOYMENT_TYPES, Municipality, WorkGroup

MAX_CONTRACT_HOURS = Decimal("40")
# Dates outside this range are typing errors (a year 0202 or 20224), not real employment.
EARLIEST_DATE = date(1950, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def weekday_labels():
    return [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday")]


def employment_choices():
    labels = employment_labels()
    return choices((code, labels[code]) for code in EMPLOYMENT_TYPES)


DAY_MESSAGES = {
    "end_missing": ("ends_at", _l("Fill in an end time too, or leave both times empty.")),
    "start_missing": ("starts_at", _l("Fill in a start time too, or leave both times empty.")),
    "end_not_after_start": ("ends_at", _l("The end time must be after the start time.")),
    "break_negative": ("break_minutes", _l("The break cannot be negative.")),
    "break_too_long": ("break_minutes", _l("The break must be shorter than the working day.")),
    "break_without_times": ("break_minutes", _l("Leave the break empty on a day off.")),
}

PHOTO_MESSAGES = {
    "not_image": _l("This file is not a photo. Choose a JPEG, PNG, WebP or GIF file."),
    "too_large": _l("The photo is too large. Choose a file of at most %(mb)s MB."),
}


def photo_limit_mb() -> str:
    """The configured largest photo upload in megabytes, written the user's way (2,5)."""
    return format_decimal(current_app.config["PHOTO_MAX_BYTES"] / (1024 * 1024), "#,##0.#")


def _hours_in_range(form, field):
    if field.data is None:
        return
    if not (0 < field.data <= MAX_CONTRACT_HOURS):
        raise ValidationError(_l("Enter more than 0 and at most %(max)s hours.",
                                 max=format_decimal(MAX_CONTRACT_HOURS)))
    if field.data != field.data.quantize(Decimal("0.01")):
        raise ValidationError(_l("Use at most two decimals."))


def _date_in_range(form, field):
    if field.data is not None and not (EARLIEST_DATE <= field.data <= LATEST_DATE):
        raise ValidationError(_l("Enter a date between 1950 and 2100."))


class DayForm(Form):
    """One weekday of the schedule; both times empty means a day off."""

    class Meta:
        csrf = False  # a part of the employee form, which carries the token

    starts_at = TimeField(_l("Start"), format=["%H:%M", "%H:%M:%S"], validators=[Optional()])
    ends_at = TimeField(_l("End"), format=["%H:%M", "%H:%M:%S"], validators=[Optional()])
    break_minutes = IntegerField(_l("Break (minutes)"), validators=[Optional()])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        problem = rules.day_problem(self.starts_at.data, self.ends_at.data, self.break_minutes.data)
        if problem:
            name, message = DAY_MESSAGES[problem]
            self[name].errors = [*self[name].errors, message]
            return False
        return True

    def work_day(self):
        """The entered day as a WorkDay, or None for a day off."""
        if self.starts_at.data is None:
            return None
        return rules.WorkDay(self.starts_at.data, self.ends_at.data, self.break_minutes.data or 0)


class EmployeeForm(Form):
    employee_number = StringField(
        _l("Employee number"),
        validators=[DataRequired(), Length(max=20, message=_l("Use at most %(max)d characters.")),
                    Regexp(r"^[A-Za-z0-9-]+$",
                           message=_l("Use letters, digits and hyphens only."))],
    )
    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(), Length(max=80, message=_l("Use at most %(max)d characters."))],
    )
    last_name = StringField(
        _l("Last name"),
        validators=[DataRequired(),
                    Length(max=120, message=_l("Use at most %(max)d characters."))],
    )
    employment = SelectField(_l("Employment"), choices=employment_choices,
                             validators=[DataRequired()])
    contract_hours = DutchDecimalField(_l("Contract hours per week"), places=None,
                                       message=_l("Enter a number of hours, like 32 or 30,5."),
                                validators=[InputRequired(), _hours_in_range])
    municipality = IdSelectField(_l("Municipality"), validators=[InputRequired()],
                                 invalid_message=_l("Choose a municipality from the list."))
    work_group = IdSelectField(_l("Group"), validators=[Optional()],
                               invalid_message=_l("Choose a group from the list."))
    start_date = DateField(_l("Start date"), validators=[InputRequired(), _date_in_range])
    end_date = DateField(_l("End date"), validators=[Optional(), _date_in_range])
    day0 = FormField(DayForm)
    day1 = FormField(DayForm)
    day2 = FormField(DayForm)
    day3 = FormField(DayForm)
    day4 = FormField(DayForm)
    day5 = FormField(DayForm)
    day6 = FormField(DayForm)
    photo = FileField(_l("Photo"))

    def __init__(self, *args, employee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.prepared_photo = None
        self.municipality.choices = self._municipality_choices()
        self.work_group.choices = self._group_choices()

    @property
    def days(self) -> list:
        return [self[f"day{weekday}"] for weekday in rules.WEEKDAYS]

    def _municipality_choices(self):
        current = self.employee.municipality_id if self.employee else None
        active = Municipality.is_active == True  # noqa: E712
        rows = (Municipality.select(Municipality.id, Municipality.name, Municipality.is_active)
                .where(active | (Municipality.id == current)).order_by(Municipality.name))
        return choices([("", _l("Choose…"))] + [(m.id, _inactive_label(m)) for m in rows])

    def _group_choices(self):
        current = self.employee.work_group_id if self.employee else None
        rows = (WorkGroup.select(WorkGroup.id, WorkGroup.name, WorkGroup.is_active)
                .where((WorkGroup.is_active == True) | (WorkGroup.id == current))  # noqa: E712
                .order_by(WorkGroup.name))
        return choices([("", _l("No group"))] + [(g.id, _inactive_label(g)) for g in rows])

    def validate_employee_number(self, field):
        if field.data and rules.employee_number_taken(
                field.data, self.employee.id if self.employee else None):
            raise ValidationError(_l("Another employee already has number %(number)s.",
                                     number=field.data.upper()))

    def validate_municipality(self, field):
        active = Municipality.is_active == True  # noqa: E712
        if field.data is not None and not Municipality.select().where(
                (Municipality.id == field.data) & active).exists():
            raise ValidationError(_l("This municipality is no longer active. Choose another."))

    def validate_work_group(self, field):
        active = WorkGroup.is_active == True  # noqa: E712
        if field.data is not None and not WorkGroup.select().where(
                (WorkGroup.id == field.data) & active).exists():
            raise ValidationError(_l("This group is no longer active. Choose another."))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def validate_photo(self, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", None):
            return
        max_bytes = current_app.config["PHOTO_MAX_BYTES"]
        try:
            self.prepared_photo = rules.prepare_photo(rules.read_limited(upload.stream, max_bytes))
        except rules.PhotoRefused as refused:
            raise ValidationError(PHOTO_MESSAGES[refused.reason] % {"mb": photo_limit_mb()}) from None

    def week(self) -> rules.Week:
        """The entered schedule (only call after validation)."""
        week = {}
        for weekday, day in enumerate(self.days):
            work_day = day.form.work_day()
            if work_day is not None:
                week[weekday] = work_day
        return week

    def entered_week(self) -> rules.Week:
        """The days that are complete and valid so far, for a live weekly total."""
        week = {}
        for weekday, day in enumerate(self.days):
            sub = day.form
            if sub.starts_at.data and sub.ends_at.data and not rules.day_problem(
                    sub.starts_at.data, sub.ends_at.data, sub.break_minutes.data):
                week[weekday] = sub.work_day()
        return week

    def values(self) -> dict:
        """The employee's fields as the model stores them."""
        return {
            "employee_number": self.employee_number.data.upper(),
            "first_name": self.first_name.data,
            "last_name": self.last_name.data,
            "employment": self.employment.data,
            "contract_hours": self.contract_hours.data,
            "municipality": self.municipality.data,
            "work_group": self.work_group.data,
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
        }

    def fill_week(self, week: rules.Week) -> None:
        """Show a stored schedule in the day fields."""
        for weekday, day in enumerate(self.days):
            work_day = week.get(weekday)
            if work_day is not None:
                day.form.starts_at.data = work_day.starts_at
                day.form.ends_at.data = work_day.ends_at
                day.form.break_minutes.data = work_day.break_minutes


class EditEmployeeForm(EmployeeForm):
    schedule_valid_from = DateField(_l("Schedule changes apply from"),
                                    validators=[InputRequired(), _date_in_range])
    remove_photo = BooleanField(_l("Remove the photo"))


def _inactive_label(row) -> str:
    return row.name if row.is_active else f"{row.name} ({_l('inactive')})"
