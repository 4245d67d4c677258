"""Shared form pieces: the base form and checks that many forms use."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, ValidationError


class Form(FlaskForm):
    """Base form: CSRF on, stripped text, and a first-error summary for screen readers."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class.__name__ in ("StringField", "TextAreaField", "EmailField",
                                                      "SearchField", "TelField"):
                filters = [_strip, *filters]
            return unbound_field.bind(form=form, filters=filters, **options)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def not_blank(form, field):
    """Refuse a value that is only white space."""
    if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
        raise ValidationError(_l("This field is required."))


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
