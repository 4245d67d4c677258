"""Forms of order intake, planning and production."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.forms import DutchDecimalField, Form, IdSelectField, not_blank, optional_id
from portal.timeutil import today

MAX_QUANTITY = 10_000_000


class OrderForm(Form):
    client = SelectField(_l("Client"), coerce=optional_id, validators=[InputRequired()])
    # InputRequired marks the field required (label star); not_blank refuses mere spaces.
    product = StringField(_l("Product"), validators=[InputRequired(), not_blank, Length(max=150)])
    quantity = IntegerField(_l("Quantity"), validators=[
        InputRequired(message=_l("Enter the quantity.")),
        NumberRange(min=1, max=MAX_QUANTITY,
                    message=_l("The quantity must be between 1 and %(max)s.", max="10.000.000"))])
    unit = StringField(_l("Unit"), default="stuks",
                       validators=[InputRequired(), not_blank, Length(max=30)])
    norm_per_hour = DutchDecimalField(_l("Norm (units per hour)"), places=2, validators=[
        InputRequired(message=_l("Enter the norm.")),
        NumberRange(min=Decimal("0.01"), max=Decimal("99999999"),
                    message=_l("The norm must be more than 0."))])
    start_date = DateField(_l("Can start on"), default=today,
                           validators=[InputRequired(message=_l("Enter a valid date."))])
    due_date = DateField(_l("Due date"), validators=[
        InputRequired(message=_l("Enter a valid date."))])
    place = SelectField(_l("Workfloor or location"), validators=[Optional()])
    product_group = IdSelectField(_l("Product group"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])

    def validate_due_date(self, field):
        if field.data and field.data < today():
            raise ValidationError(_l("The due date cannot be in the past."))
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The due date cannot be before the start date."))


class ProductGroupForm(Form):
    """An order's product group, changed on its page (the intake form sets it first)."""

    product_group = IdSelectField(_l("Product group"), validators=[Optional()])


class StatusForm(Form):
    status = HiddenField(validators=[DataRequired()])


class PlanForm(Form):
    """Plan an order on a group and day (the form way; the board's drag-and-drop posts the same)."""

    order = SelectField(_l("Order"), coerce=optional_id, validators=[InputRequired()])
    group = SelectField(_l("Group"), coerce=optional_id, validators=[InputRequired()])
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Enter a valid date."))])
    hours = DutchDecimalField(_l("Hours"), places=2, validators=[Optional()])


class MoveForm(Form):
    group = SelectField(_l("Group"), coerce=optional_id, validators=[InputRequired()])
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Enter a valid date."))])
    hours = DutchDecimalField(_l("Hours"), places=2, validators=[Optional()])


class ProductionForm(Form):
    order = SelectField(_l("Order"), coerce=optional_id, validators=[InputRequired()])
    day = DateField(_l("Day"), default=today,
                    validators=[InputRequired(message=_l("Enter a valid date."))])
    quantity = IntegerField(_l("Quantity made"), validators=[
        InputRequired(message=_l("Enter the quantity made.")),
        NumberRange(min=0, max=MAX_QUANTITY, message=_l("Enter a quantity from 0 up."))])
    rejects = IntegerField(_l("Rejects"), default=0, validators=[
        Optional(), NumberRange(min=0, max=MAX_QUANTITY, message=_l("Rejects cannot be below 0."))])
    confirm = HiddenField()
