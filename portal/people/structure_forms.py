"""Forms of the company structure: municipalities, clients, product groups, locations,
workfloors, groups.

The forms check what needs no database (lengths, formats, ranges); whether a chosen client,
location, workfloor or supervisor exists and is active is a rule (structure_rules), so that a
forged select value gets the same clear message as a stale one.
"""

import re

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, ValidationError
from wtforms.validators import (DataRequired, InputRequired, Length, Optional, Regexp,
                                StopValidation)

from portal.forms import Form, choices, optional_id
from portal.people.labels import location_kind_labels
from portal.people.models import LOCATION_KINDS

MAX_WORKPLACES = 500
POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")


def _name(label, max_length: int):
    return StringField(label, validators=[DataRequired(), Length(max=max_length)])


class Chosen:
    """A select must have a value; marks the field as required on the page."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is None:
            raise StopValidation(self.message)


def _reference(label, *validators):
    # validate_choice=False: the rules tell "does not exist or is inactive" in plain words.
    return SelectField(label, coerce=optional_id, validate_choice=False,
                       validators=list(validators))


def _digits_only(value):
    return re.sub(r"[\s.]", "", value) if isinstance(value, str) else value


def _postcode(value):
    """Write a Dutch postcode the one way: 1234 AB."""
    match = POSTCODE.match(value or "")
    return f"{match[1]} {match[2].upper()}" if match else value


class MunicipalityForm(Form):
    name = _name(_l("Name"), 100)


class ClientForm(Form):
    name = _name(_l("Name"), 150)
    kvk_number = StringField(
        _l("KvK number"), filters=[_digits_only, lambda value: value or None],
        validators=[Optional(), Regexp(r"^[0-9]{8}$",
                                       message=_l("A KvK number has exactly 8 digits."))])
    contact_name = StringField(_l("Contact person"), default="", validators=[Length(max=120)])
    email = StringField(
        _l("Email"), default="",
        validators=[Optional(), Length(max=254),
                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$",
                           message=_l("Enter an email address like naam@bedrijf.nl."))])
    phone = StringField(
        _l("Phone"), default="",
        validators=[Optional(), Length(max=30),
                    Regexp(r"^\+?[0-9][0-9 ()-]{5,28}$",
                           message=_l("Enter a phone number: digits, spaces, + and - only."))])


class ProductGroupForm(Form):
    name = _name(_l("Name"), 100)


class LocationForm(Form):
    name = _name(_l("Name"), 150)
    kind = SelectField(_l("Kind"), validators=[Chosen(_l("Choose the kind of location."))],
                       choices=lambda: choices(
                           (kind, location_kind_labels()[kind]) for kind in LOCATION_KINDS))
    client = _reference(_l("Client"))
    street = StringField(_l("Street and number"), default="", validators=[Length(max=150)])
    postcode = StringField(
        _l("Postcode"), default="", filters=[_postcode],
        validators=[Optional(), Regexp(POSTCODE.pattern,
                                       message=_l("Enter a Dutch postcode like 1234 AB."))])
    city = _name(_l("City"), 100)

    def validate_client(self, field):
        if self.kind.data == "client" and field.data is None:
            raise ValidationError(_l("Choose the client of this client site."))
        if self.kind.data == "own" and field.data is not None:
            raise ValidationError(_l("An own site has no client: leave this empty."))


class WorkfloorForm(Form):
    name = _name(_l("Name"), 100)
    location = _reference(_l("Location"), Chosen(_l("Choose a location.")))
    workplaces = IntegerField(_l("Workplaces"), validators=[InputRequired()],
                              render_kw={"min": 1, "max": MAX_WORKPLACES})

    def validate_workplaces(self, field):
        # Not NumberRange: it turns the number into a float, which a 400-digit number breaks.
        if field.data is not None and not 1 <= field.data <= MAX_WORKPLACES:
            raise ValidationError(_l("Enter a number from 1 to %(max)d.", max=MAX_WORKPLACES))


class GroupForm(Form):
    name = _name(_l("Name"), 100)
    supervisor = _reference(_l("Supervisor"), Chosen(_l("Choose a supervisor.")))
    workfloor = _reference(_l("Base workfloor"), Chosen(_l("Choose a workfloor.")))
