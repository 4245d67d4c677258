"""Forms of log-in and account management."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from portal.auth.models import LOCALES, ROLES
from portal.auth.rules import MIN_PASSWORD_LENGTH
from portal.forms import Form, choices, label_of


def _role_labels():
    return {"admin": _l("Administrator"), "planner": _l("Planner"),
            "supervisor": _l("Supervisor"), "hr": _l("HR"), "jobcoach": _l("Jobcoach")}


def role_label(role: str) -> str:
    return label_of(_role_labels(), role)


def role_choices():
    labels = _role_labels()
    return choices((role, labels[role]) for role in ROLES)


def locale_choices():
    return choices([("nl", "Nederlands"), ("en", "English")])


class LoginForm(Form):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordFields:
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                    message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH))],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class UserForm(Form):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired()])
    locale = SelectField(_l("Language"), choices=locale_choices, default="nl")


class NewUserForm(UserForm, PasswordFields):
    username = StringField(
        _l("User name"),
        validators=[
            DataRequired(),
            Length(min=2, max=64),
            Regexp(r"^[a-zA-Z0-9._-]+$",
                   message=_l("Use letters, digits, dots, hyphens or underscores only.")),
        ],
    )


class PasswordResetForm(Form, PasswordFields):
    pass


class LanguageForm(Form):
    locale = SelectField(_l("Language"), choices=choices((code, code) for code in LOCALES))
