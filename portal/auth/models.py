"""Accounts of the people who log in: admins, planners, supervisors, hr and jobcoaches."""

import peewee
from flask_login import UserMixin

from portal.db import BaseModel
from portal.timeutil import utcnow

ADMIN = "admin"
PLANNER = "planner"
SUPERVISOR = "supervisor"
HR = "hr"
# A jobcoach visits individuals at their employers and enters their hours; nothing else.
JOBCOACH = "jobcoach"
ROLES = (ADMIN, PLANNER, SUPERVISOR, HR, JOBCOACH)

LOCALES = ("nl", "en")


class User(UserMixin, BaseModel):
    """A person who logs in. Deactivated, never deleted: the log book points at users."""

    username = peewee.CharField(max_length=64, unique=True)
    display_name = peewee.CharField(max_length=120)
    password_hash = peewee.CharField(max_length=255)
    role = peewee.CharField(max_length=16, index=True)
    locale = peewee.CharField(max_length=5, default="nl")
    is_active_account = peewee.BooleanField(default=True, column_name="is_active")
    # Bumped on password reset and deactivation, so that existing sessions end at once.
    session_version = peewee.IntegerField(default=1)
    created_at = peewee.DateTimeField(default=utcnow)
    last_login_at = peewee.DateTimeField(null=True)

    @property
    def is_active(self) -> bool:  # flask-login asks this
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"
