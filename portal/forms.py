"""Shared form pieces: the base form and checks that many forms use."""

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectChoice, SelectField, ValidationError
from wtforms.widgets import TextInput


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


def label_of(labels: dict, code) -> str:
    """The word for a stored code from an area's labels; an unknown code shows as itself."""
    return str(labels.get(code, code))


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


# -- numbers and ids -----------------------------------------------------------------------

_DUTCH_GROUPED = re.compile(r"[1-9]\d{0,2}(\.\d{3})+")
MAX_DECIMAL = Decimal("1e9")


def parse_dutch_decimal(text: str) -> Decimal | None:
    """Read a number the way a Dutch user writes it; None when it is not a number.

    "12,5" and "1.234,5" are Dutch (a comma for the decimals, dots between thousands); without
    a comma, "1.234" is one thousand two hundred and thirty-four, and "7.5" is seven and a half,
    since nobody writes a thousands dot before fewer than three digits.
    """
    text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text or len(text) > 20:
        return None
    sign = ""
    if text[0] in "+-":
        sign, text = text[0], text[1:]
    if "," in text:
        whole, _, decimals = text.rpartition(",")
        if "," in whole or "." in decimals or ("." in whole and not _DUTCH_GROUPED.fullmatch(whole)):
            return None
        text = whole.replace(".", "") + "." + decimals
    elif _DUTCH_GROUPED.fullmatch(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"\d*\.?\d*", text) or text in ("", "."):
        return None
    try:
        value = Decimal(sign + text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < MAX_DECIMAL else None


def format_dutch_decimal(value, places: int | None = 2) -> str:
    """A decimal as a form shows it back: "7,50", "32" (a comma; no thousands dots, to edit).

    `places` None shows the decimals the value has and no trailing zeros: "30,5".
    """
    if value is None:
        return ""
    if places is None:
        return format(Decimal(value).normalize(), "f").replace(".", ",")
    quantized = Decimal(value).quantize(Decimal(1).scaleb(-places))
    if quantized == quantized.to_integral_value():
        quantized = quantized.quantize(Decimal(1))
    return format(quantized, "f").replace(".", ",")


class DutchDecimalField(DecimalField):
    """A decimal typed as text, so the Dutch comma works in every browser: "7,5", "1.234,5".

    The one decimal field of the portal: hours, rates, norms and money all take it.
    """

    widget = TextInput()

    def __init__(self, *args, message=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(*args, **kwargs)
        self.message = message or _l("Enter a number, like 7,5.")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_dutch_decimal(self.data, self.places)

    def process_formdata(self, valuelist):
        if not valuelist or not (valuelist[0] or "").strip():
            self.data = None
            return
        self.data = parse_dutch_decimal(valuelist[0])
        if self.data is None:
            raise ValueError(self.message)


def optional_id(value):
    """Coerce a submitted id: the empty choice is None; anything else not an id is refused."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    raise ValueError("not an id")


def id_or_none(value) -> int | None:
    """An id from a request value outside a form; anything that is not one is None (say 404)."""
    try:
        return optional_id(value)
    except ValueError:
        return None


class IdSelectField(SelectField):
    """A choice of a row by id; a forged or unknown id gets a plain message, never an error."""

    def __init__(self, label=None, validators=None, *, invalid_message=None, **kwargs):
        super().__init__(label, validators, coerce=optional_id, **kwargs)
        self.invalid_message = invalid_message or _l("Choose one of the list.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None

    def pre_validate(self, form):
        if self.data is None and not self.flags.required:
            return
        if self.data not in {c.value for c in self.choices if c.value is not None}:
            raise ValidationError(self.invalid_message)
