"""Account rules: passwords, log-in throttling, creating and deactivating users."""

from datetime import timedelta

from werkzeug.security import check_password_hash, generate_password_hash

from portal import audit, throttle
from portal.auth.models import User
from portal.db import database
from portal.timeutil import utcnow

MIN_PASSWORD_LENGTH = 10

# A hash to compare against when the name is unknown, so that unknown and known names take
# the same time and the answer does not tell which names exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Hash with werkzeug's scrypt (memory-hard, the current default)."""
    return generate_password_hash(password, method="scrypt")


# One address may try many names (a shared office) but not endlessly.
FAILURES_PER_ADDRESS_FACTOR = 6


def login_keys(username: str, client_ip: str) -> tuple[str, str]:
    """The throttle keys of an attempt: the name from this address, and the address itself.

    Keyed by name and address together, so that somebody guessing elsewhere cannot lock the
    real user out of her account.
    """
    name = username.strip().lower()[:64]
    return f"login:{name}:{client_ip}", f"login-ip:{client_ip}"


def authenticate(username: str, password: str, *, client_ip: str, max_failures: int,
                 window: timedelta):
    """Return (user, None) on success or (None, reason) with reason 'locked' or 'invalid'."""
    name_key, address_key = login_keys(username, client_ip)
    # Claimed before the password is checked, each in one statement: of parallel attempts
    # (several workers) exactly the limit get to try, the rest are refused unchecked.
    name_ok = throttle.claim(name_key, max_failures, window)
    address_ok = throttle.claim(address_key, max_failures * FAILURES_PER_ADDRESS_FACTOR, window)
    if not (name_ok and address_ok):
        return None, "locked"
    user = User.get_or_none(User.username == username.strip().lower())
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if not (user and valid and user.is_active):
        return None, "invalid"
    throttle.forget(name_key)
    throttle.release(address_key)
    user.last_login_at = utcnow()
    user.save(only=[User.last_login_at])
    return user, None


def create_user(*, username, display_name, role, password, locale="nl", actor=None) -> User:
    """Create an account and log who made it."""
    with database.atomic():
        user = User.create(
            username=username.strip().lower(),
            display_name=display_name.strip(),
            role=role,
            locale=locale,
            password_hash=hash_password(password),
        )
        audit.record("user.create", user, user=actor, after={"username": user.username, "role": role})
    return user


def update_user(user: User, *, display_name, role, locale, actor) -> User:
    """Change an account's name, role or language, and log it."""
    before = {"display_name": user.display_name, "role": user.role, "locale": user.locale}
    with database.atomic():
        user.display_name, user.role, user.locale = display_name.strip(), role, locale
        if before["role"] != role:
            user.session_version += 1  # a changed role starts a new session
        user.save()
        audit.record("user.update", user, user=actor, before=before,
                     after={"display_name": user.display_name, "role": role, "locale": locale})
    return user


def set_active(user: User, active: bool, *, actor) -> None:
    """Deactivate or reactivate an account; deactivation ends its sessions at once."""
    with database.atomic():
        user.is_active_account = active
        user.session_version += 1
        user.save()
        audit.record("user.activate" if active else "user.deactivate", user, user=actor)


def end_sessions(user: User) -> None:
    """End every session of an account (on log-out): the version in their cookies is stale."""
    User.update(session_version=User.session_version + 1).where(User.id == user.id).execute()


def reset_password(user: User, password: str, *, actor) -> None:
    """Set a new password and end the account's existing sessions."""
    with database.atomic():
        user.password_hash = hash_password(password)
        user.session_version += 1
        user.save()
        throttle.forget_prefix(f"login:{user.username}:")
        audit.record("user.password_reset", user, user=actor)
