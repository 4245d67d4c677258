"""The shared field macro: every hint an input points at is on the page."""

from flask import render_template_string
from wtforms import BooleanField, StringField

from portal.forms import Form


class _Example(Form):
    agreed = BooleanField("Agreed")
    name = StringField("Name")


def test_a_checkbox_hint_is_rendered_where_its_input_points(app):
    with app.test_request_context():
        html = render_template_string(
            '{% from "_macros/forms.html" import field %}'
            '{{ field(form.agreed, hint="Tick it") }}{{ field(form.name, hint="Your name") }}',
            form=_Example(meta={"csrf": False}))
    for field_id in ("agreed", "name"):
        assert f'aria-describedby="{field_id}-hint"' in html
        assert f'id="{field_id}-hint"' in html
