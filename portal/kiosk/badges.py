"""QR badges: a random token on the card, only its hash in the database; revoke and reissue."""

import re
import secrets

from portal import audit
from portal.db import write_transaction
from portal.kiosk.models import Badge
from portal.people.models import Employee
from portal.timeutil import utcnow
from portal.tokens import sha256

# 160 random bits as 40 hex digits: hand scanners type hex the same on every keyboard layout.
BADGE_TOKEN_BYTES = 20
BADGE_TOKEN = re.compile(r"^[0-9a-f]{40}$")


def new_badge_token() -> str:
    return secrets.token_hex(BADGE_TOKEN_BYTES)


def normalise_badge_payload(raw: str) -> str | None:
    """The token a scanner read, or None when it cannot be one (caps lock and spaces forgiven)."""
    text = raw.strip().lower()
    return text if BADGE_TOKEN.match(text) else None


def issue_badge(employee: Employee, issued_by=None, now=None) -> tuple[Badge, str]:
    """Issue a new badge, revoking any active one; return it and its token (shown once)."""
    now = now or utcnow()
    token = new_badge_token()
    with write_transaction():
        revoked = revoke_badges(employee, by=issued_by, now=now, reason="reissued")
        badge = Badge.create(employee=employee, token_hash=sha256(token), issued_at=now,
                             issued_by=issued_by)
        audit.record("badge.issue", badge, user=issued_by,
                     after={"employee_id": employee.id, "replaces": revoked})
    return badge, token


def revoke_badges(employee: Employee, by=None, now=None, reason=None) -> list[int]:
    """Revoke every active badge of an employee at once; return their ids."""
    now = now or utcnow()
    with write_transaction():
        ids = [b.id for b in Badge.select(Badge.id).where(
            (Badge.employee == employee) & Badge.revoked_at.is_null())]
        if ids:
            Badge.update(revoked_at=now).where(Badge.id.in_(ids)).execute()
            for badge_id in ids:
                audit.record("badge.revoke", user=by, object_type="Badge", object_id=badge_id,
                             after={"employee_id": employee.id}, reason=reason)
    return ids


def active_badge(employee: Employee) -> Badge | None:
    return (Badge.select().where((Badge.employee == employee) & Badge.revoked_at.is_null())
            .order_by(Badge.issued_at.desc()).first())
