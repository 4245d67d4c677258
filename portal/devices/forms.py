"""The form to register a kiosk device."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from portal.forms import Form, choices, not_blank
from portal.people.models import Location, Workfloor


class DeviceForm(Form):
    name = StringField(_l("Name"), validators=[not_blank, Length(max=100)],
                       description=_l("For example: Werkvloer Inpak, ingang links"))
    place = SelectField(_l("Place"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        floors = (Workfloor.select(Workfloor, Location).join(Location)
                  .where(Workfloor.is_active & Location.is_active)
                  .order_by(Location.name, Workfloor.name))
        sites = (Location.select().where((Location.kind == "client") & Location.is_active)
                 .order_by(Location.name))
        self.place.choices = choices(
            [(f"floor:{f.id}", f"{f.location.name} — {f.name}") for f in floors]
            + [(f"site:{s.id}", f"{s.name} ({_l('client')})") for s in sites])

    def chosen_place(self):
        """(workfloor, location) of the chosen place; one of them is None for a client site."""
        kind, _sep, ident = (self.place.data or "").partition(":")
        if not ident.isdigit():
            return None, None
        if kind == "floor":
            floor = Workfloor.get_or_none(Workfloor.id == int(ident))
            return floor, floor.location if floor else None
        site = Location.get_or_none((Location.id == int(ident)) & (Location.kind == "client"))
        return None, site
