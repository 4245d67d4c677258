"""The log book: who changed which registration when, from what to what, and why."""

import json

import peewee

from portal.auth.models import User
from portal.db import BaseModel
from portal.timeutil import utcnow


class AuditEntry(BaseModel):
    """One logged change or refused attempt. Never holds a raw token or PIN."""

    at = peewee.DateTimeField(default=utcnow, index=True)
    # The acting account; None for the system or a kiosk device.
    user = peewee.ForeignKeyField(User, null=True, backref="audit_entries")
    device_id = peewee.IntegerField(null=True, index=True)
    action = peewee.CharField(max_length=64, index=True)
    object_type = peewee.CharField(max_length=64)
    object_id = peewee.IntegerField(null=True)
    before = peewee.TextField(null=True)
    after = peewee.TextField(null=True)
    reason = peewee.TextField(null=True)

    class Meta:
        indexes = ((("object_type", "object_id"), False),)


def _dump(value) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def record(action: str, obj=None, *, user=None, device_id=None, before=None, after=None,
           reason=None, object_type=None, object_id=None) -> AuditEntry:
    """Write one log entry; the caller passes plain dicts for before and after."""
    return AuditEntry.create(
        user=getattr(user, "id", user),
        device_id=device_id,
        action=action,
        object_type=object_type or (type(obj).__name__ if obj is not None else "-"),
        object_id=object_id if object_id is not None else getattr(obj, "id", None),
        before=_dump(before),
        after=_dump(after),
        reason=reason,
    )
