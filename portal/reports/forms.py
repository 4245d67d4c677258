"""The form of the reports area: one municipality's agreed beschut-werk places for a year."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from portal.forms import Form, IdSelectField


class TargetForm(Form):
    municipality = IdSelectField(_l("Municipality"), validators=[InputRequired()])
    year = IntegerField(_l("Year"), validators=[
        InputRequired(_l("Enter a year.")),
        NumberRange(2000, 2100, _l("Enter a year between 2000 and 2100."))])
    places = IntegerField(_l("Agreed places (beschut werk)"), validators=[
        InputRequired(_l("Enter the number of places.")),
        NumberRange(0, 100000, _l("Enter a number from 0 up to 100,000."))])
