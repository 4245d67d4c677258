"""The shared form pieces: control characters refused everywhere, and the one decimal field."""

import importlib
import pkgutil
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField

import portal
from portal.forms import DutchDecimalField, Form, parse_dutch_decimal
from portal.people.models import Municipality

REFUSED = "Verwijder de onzichtbare stuurtekens uit dit veld."


def _every_form_class():
    for info in pkgutil.walk_packages(portal.__path__, "portal."):
        if info.name.endswith("forms") or ".forms" in info.name or info.name.endswith("_forms"):
            importlib.import_module(info.name)
    found, todo = set(), [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def _text_fields(form):
    return [f for f in form if isinstance(f, StringField) and f.name != "csrf_token"]


def test_every_forms_text_fields_refuse_control_characters(app):
    classes = _every_form_class()
    assert len(classes) >= 25  # the walk found the areas' forms
    checked = 0
    with app.test_request_context("/", method="POST"):
        for cls in classes:
            names = [f.name for f in _text_fields(cls(formdata=None, meta={"csrf": False}))]
            for name in names:
                form = cls(formdata=MultiDict({name: "Ölst\x00"}), meta={"csrf": False})
                for field in form:
                    if getattr(field, "choices", ()) is None:
                        field.choices = []  # views fill them in; not what is tested here
                form.validate()
                assert REFUSED in [str(e) for e in form[name].errors], f"{cls.__name__}.{name}"
                checked += 1
    assert checked >= 30, checked


@pytest.mark.parametrize("value", ["\x00", "a\x1bb", "tab\there", "del\x7f", "c1\x85c"])
def test_a_single_line_field_refuses_each_kind_of_control_character(app, value):
    class OneLine(Form):
        name = StringField()

    with app.test_request_context("/", method="POST"):
        form = OneLine(formdata=MultiDict({"name": value}), meta={"csrf": False})
        assert not form.validate() and REFUSED in [str(e) for e in form.name.errors]


def test_a_multi_line_field_keeps_its_line_breaks_and_refuses_the_rest(app):
    class Notes(Form):
        notes = TextAreaField()

    with app.test_request_context("/", method="POST"):
        form = Notes(formdata=MultiDict({"notes": "line one\r\nline two\n"}), meta={"csrf": False})
        assert form.validate() and form.notes.data == "line one\r\nline two"
        form = Notes(formdata=MultiDict({"notes": "line\n\x00"}), meta={"csrf": False})
        assert not form.validate()


def test_a_name_of_nul_bytes_is_refused_in_the_page_and_not_stored(client, login, make):
    login(make.user("admin"))
    response = client.post("/people/municipalities", data={"name": "\x00\x00"})
    assert response.status_code == 422
    assert REFUSED in response.get_data(as_text=True)
    assert "\x00" not in response.get_data(as_text=True)
    assert Municipality.select().count() == 0


@pytest.mark.parametrize("typed, value", [
    ("7,5", Decimal("7.5")),
    ("7.5", Decimal("7.5")),            # a dot before fewer than three digits is a decimal point
    ("1.234,5", Decimal("1234.5")),     # Dutch: dots between thousands, a comma for decimals
    ("1.234", Decimal("1234")),
    ("12.345.678", Decimal("12345678")),
    ("-2,25", Decimal("-2.25")),
    (" 32 ", Decimal("32")),
    ("1 234,5", Decimal("1234.5")),
    (",5", Decimal("0.5")),
])
def test_dutch_decimals_are_read_the_dutch_way(typed, value):
    assert parse_dutch_decimal(typed) == value


@pytest.mark.parametrize("typed", ["1,234,5", "1.23,5", "12.34.567", "1,2.5", "1e9", "NaN",
                                   "Infinity", "veel", ".", ",", "--1", "1" * 21, "1000000000"])
def test_what_is_not_a_dutch_number_is_refused(typed):
    assert parse_dutch_decimal(typed) is None


def test_the_decimal_field_shows_values_back_with_a_comma_and_keeps_what_was_typed(app):
    class Rate(Form):
        amount = DutchDecimalField(places=2)

    with app.test_request_context("/", method="POST"):
        shown = Rate(formdata=None, data={"amount": Decimal("1234.5")}, meta={"csrf": False})
        assert shown.amount._value() == "1234,50"
        typed = Rate(formdata=MultiDict({"amount": "1.234,5"}), meta={"csrf": False})
        assert typed.validate() and typed.amount.data == Decimal("1234.5")
        assert typed.amount._value() == "1.234,5"
        wrong = Rate(formdata=MultiDict({"amount": "1,234,5"}), meta={"csrf": False})
        assert not wrong.validate()
        assert [str(e) for e in wrong.amount.errors] == ["Vul een getal in, zoals 7,5."]
        assert wrong.amount._value() == "1,234,5"
        empty = Rate(formdata=MultiDict({"amount": ""}), meta={"csrf": False})
        assert empty.validate() and empty.amount.data is None
        assert 'inputmode="decimal"' in typed.amount()
