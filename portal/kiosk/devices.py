"""Kiosk tablets: registration, one-time enrolment codes, credentials and revocation."""

import re
import secrets
from datetime import timedelta

from portal import audit
from portal.db import write_transaction
from portal.kiosk.models import Device, EnrolmentCode
from portal.kiosk.prepared import Prepared
from portal.timeutil import utcnow
from portal.tokens import sha256

DEVICE_CREDENTIAL_BYTES = 32
# Enrolment codes are typed by hand now and then: no 0/O or 1/I/L to confuse.
ENROLMENT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ENROLMENT_LENGTH = 12


def new_enrolment_code() -> str:
    return "".join(secrets.choice(ENROLMENT_ALPHABET) for _ in range(ENROLMENT_LENGTH))


def normalise_enrolment_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").upper()[:40]


def create_device(name: str, location, workfloor=None, created_by=None) -> Device:
    """Register a tablet for a place; it can do nothing until a tablet enrols with a code."""
    if workfloor is not None:
        location = workfloor.location
    with write_transaction():
        device = Device.create(name=name, location=location, workfloor=workfloor,
                               created_by=created_by)
        audit.record("device.create", device, user=created_by,
                     after={"name": name, "location_id": device.location_id,
                            "workfloor_id": device.workfloor_id})
    return device


def start_enrolment(device: Device, by=None, minutes: int = 10, now=None) -> tuple[EnrolmentCode, str]:
    """Make a fresh one-time code for the device; earlier unused codes stop working."""
    now = now or utcnow()
    code = new_enrolment_code()
    with write_transaction():
        EnrolmentCode.update(expires_at=now).where(
            (EnrolmentCode.device == device) & EnrolmentCode.used_at.is_null()
            & (EnrolmentCode.expires_at > now)).execute()
        row = EnrolmentCode.create(device=device, code_hash=sha256(code), created_at=now,
                                   expires_at=now + timedelta(minutes=minutes))
        audit.record("device.enrolment_code", device, user=by,
                     after={"expires_at": row.expires_at})
    return row, code


def enrol(code: str, now=None) -> tuple[Device | None, str | None]:
    """Trade a valid one-time code for a new device credential; (None, None) when refused.

    A tablet that enrols again replaces the credential: the old browser stops working.
    """
    now = now or utcnow()
    code = normalise_enrolment_code(code)
    if len(code) != ENROLMENT_LENGTH:
        return None, None
    credential = secrets.token_urlsafe(DEVICE_CREDENTIAL_BYTES)
    with write_transaction():
        row = (EnrolmentCode.select(EnrolmentCode, Device).join(Device)
               .where(EnrolmentCode.code_hash == sha256(code)).first())
        if row is None or row.used_at is not None or row.expires_at <= now \
                or row.device.revoked_at is not None:
            audit.record("device.enrol_refused", user=None, object_type="Device",
                         object_id=row.device_id if row else None,
                         reason="used" if row and row.used_at else "expired or unknown")
            return None, None
        used = EnrolmentCode.update(used_at=now).where(
            (EnrolmentCode.id == row.id) & EnrolmentCode.used_at.is_null()).execute()
        if not used:
            return None, None
        device = row.device
        device.credential_hash = sha256(credential)
        device.enrolled_at = now
        device.last_seen_at = now
        device.save()
        audit.record("device.enrol", device, device_id=device.id, after={"enrolled_at": now})
    return device, credential


def device_for_credential(credential: str | None) -> Device | None:
    """The active device a credential belongs to, or None."""
    if not credential or len(credential) > 200:
        return None
    return _device_by_hash.first(sha256(credential))


# Every scan asks for its device: only what the kiosk uses, prepared once.
_device_by_hash = Prepared(
    [Device.credential_hash],
    lambda digest: Device.select(Device.id, Device.name, Device.workfloor, Device.location,
                                 Device.last_seen_at)
    .where((Device.credential_hash == digest) & Device.revoked_at.is_null()).limit(1))


def revoke_device(device: Device, by=None, now=None) -> None:
    """Stop a device at once: its credential and any open enrolment code are refused."""
    now = now or utcnow()
    with write_transaction():
        Device.update(revoked_at=now).where(
            (Device.id == device.id) & Device.revoked_at.is_null()).execute()
        EnrolmentCode.update(expires_at=now).where(
            (EnrolmentCode.device == device) & EnrolmentCode.used_at.is_null()).execute()
        audit.record("device.revoke", device, user=by, device_id=device.id)


def touch_device(device: Device, now=None) -> None:
    """Note that the device was seen; at most one write a minute per device."""
    now = now or utcnow()
    if device.last_seen_at is None or now - device.last_seen_at > timedelta(seconds=60):
        Device.update(last_seen_at=now).where(Device.id == device.id).execute()
        device.last_seen_at = now
