"""The client's link: what a token opens, its form token, approval and dispute."""

from flask_babel import lazy_gettext as _l
from itsdangerous import Signer

from portal import audit
from portal.db import write_transaction
from portal.detachments.models import (APPROVED, DISPUTED, SENT, Statement, StatementDispute,
                                       StatementLink)
from portal.detachments.periods import MAX_COMMENT
from portal.detachments.statements import _require_newest, line_keys
from portal.refusal import Refused
from portal.timeutil import utcnow
from portal.tokens import sha256

MAX_TOKEN_LENGTH = 100
# Statement.approved_by_name holds up to this many characters.
MAX_NAME = 120
INVALID, REVOKED, EXPIRED = "invalid", "revoked", "expired"


def resolve_link(raw: str | None, *, now=None) -> tuple[StatementLink | None, str | None]:
    """The link a raw token opens, or the reason it does not: invalid, revoked or expired."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None, INVALID
    link = (StatementLink.select(StatementLink, Statement)
            .join(Statement)
            .where(StatementLink.token_hash == sha256(raw)).first())
    if link is None:
        return None, INVALID
    if link.revoked_at is not None:
        return None, REVOKED
    if link.expires_at <= (now or utcnow()):
        return None, EXPIRED
    return link, None


def _form_signer(secret_key: str) -> Signer:
    return Signer(secret_key, salt="statement-link-form")


def link_form_token(secret_key: str, link: StatementLink) -> str:
    """The CSRF token of a link's forms: tied to the link, kept in no session."""
    return _form_signer(secret_key).get_signature(link.token_hash).decode("ascii")


def check_link_form_token(secret_key: str, link: StatementLink, given: str | None) -> bool:
    return bool(given) and _form_signer(secret_key).verify_signature(link.token_hash, given)


def check_approver_name(name: str | None) -> str:
    """The name of the client's person who approves, tidied.

    :raise Refused: without a name, or a name longer than a name is.
    """
    name = " ".join((name or "").split())
    if not name:
        raise Refused(_l("Give your name: it is kept with the approval."), "approver_name")
    if len(name) > MAX_NAME:
        raise Refused(_l("Keep the name under %(n)d characters.", n=MAX_NAME), "approver_name")
    return name


def approve(statement: Statement, *, name: str, now=None) -> None:
    """The client approves, giving the name of the person who does: the month is locked for
    this detachment, and the name is kept with the approval.

    :raise Refused: without a name, when the statement is not the newest or no longer waits
        for an answer.
    """
    name = check_approver_name(name)
    now = now or utcnow()
    with write_transaction():
        statement = Statement.get_by_id(statement.id)
        _require_newest(statement)
        if statement.status != SENT:
            raise Refused(_l("This statement no longer waits for approval."), "statement")
        statement.status, statement.decided_at = APPROVED, now
        statement.approved_by_name = name
        statement.save(only=[Statement.status, Statement.decided_at,
                             Statement.approved_by_name])
        audit.record("statement.approve", statement,
                     after={"version": statement.version, "by": name})


def dispute(statement: Statement, line_key: str, comment: str, *, now=None) -> StatementDispute:
    """The client disputes one line, with a comment.

    :raise Refused: without a comment, for a line not on the statement, or when it was
        already approved or replaced.
    """
    comment = (comment or "").strip()
    if not comment:
        raise Refused(_l("Say what is wrong with this line."), "comment")
    if len(comment) > MAX_COMMENT:
        raise Refused(_l("Keep the comment under %(n)d characters.", n=MAX_COMMENT), "comment")
    now = now or utcnow()
    with write_transaction():
        statement = Statement.get_by_id(statement.id)
        _require_newest(statement)
        if statement.status not in (SENT, DISPUTED):
            raise Refused(_l("This statement can no longer be disputed."), "statement")
        if line_key not in line_keys(statement.content):
            raise Refused(_l("Choose a line of this statement."), "line_key")
        made = StatementDispute.create(statement=statement, line_key=line_key, comment=comment,
                                       at=now)
        statement.status, statement.decided_at = DISPUTED, now
        statement.save(only=[Statement.status, Statement.decided_at])
        audit.record("statement.dispute", statement, after={"line": line_key}, reason=comment)
    return made
