"""The client's public link: one statement, approved or disputed without an account.

The link's URL is the key, so it stays under /detachments/link/ where sent links point; its own
blueprint keeps these routes apart from the logged-in detachment pages.
"""

from datetime import date
from decimal import Decimal

from flask import (Blueprint, abort, current_app, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from portal.auth.access import public
from portal.detachments import client_links as link_rules
from portal.detachments.labels import template_labels
from portal.detachments.models import Detachment, StatementDispute, StatementLink
from portal.detachments.periods import MAX_COMMENT
from portal.extensions import csrf
from portal.people.models import Client, Location
from portal.refusal import Refused

bp = Blueprint("client_link", __name__, url_prefix="/detachments")
bp.context_processor(template_labels)


def _public_page(template: str, status: int = 200, **context):
    response = make_response(render_template(template, **context), status)
    # The URL is the key: keep it out of caches and out of other sites' Referer headers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _open_link(token: str):
    """The link and its statement, or a finished page that says why the link does not work."""
    link, problem = link_rules.resolve_link(token)
    if problem is None:
        return link, None
    status = 404 if problem == link_rules.INVALID else 410
    return None, _public_page("detachments/public_problem.html", status, problem=problem)


def _public_context(link: StatementLink, **extra) -> dict:
    statement = link.statement
    detachment = (Detachment.select(Detachment, Client, Location)
                  .join(Client, on=(Detachment.client == Client.id))
                  .switch(Detachment).join(Location, on=(Detachment.location == Location.id))
                  .where(Detachment.id == statement.detachment_id).get())
    content = statement.content
    lines = [(line["key"], _("%(name)s — %(day)s — %(hours)s hours", name=person["name"],
                             day=format_date(date.fromisoformat(line["day"]), "EEE d-MM-yyyy"),
                             hours=format_decimal(Decimal(line["hours"]), "#,##0.00")))
             for person in content["people"] for line in person["lines"]]
    return dict(link=link, statement=statement, detachment=detachment, content=content,
                month_text=content["month"], lines=lines,
                disputes=list(statement.disputes.order_by(StatementDispute.at)),
                form_token=link_rules.link_form_token(current_app.config["SECRET_KEY"], link),
                **extra)


@bp.get("/link/<token>")
@public
def public_statement(token):
    """Show the client the one statement the link is for, with approve and dispute."""
    link, problem_page = _open_link(token)
    if problem_page is not None:
        return problem_page
    return _public_page("detachments/public_statement.html", token=token, errors={},
                        **_public_context(link))


def _check_public_form(link: StatementLink) -> None:
    """:raise 400: when the form's token is not the one this link's page rendered."""
    if not link_rules.check_link_form_token(current_app.config["SECRET_KEY"], link,
                                            request.form.get("csrf_token")):
        abort(400)


@bp.post("/link/<token>/approve")
@public
@csrf.exempt
def public_approve(token):
    """The client approves the statement; the month is locked for the detachment."""
    name = request.form.get("approver_name", "")
    # A refusal shows beside the name, or above the form (field "statement").
    return _decide(token, lambda statement: link_rules.approve(statement, name=name),
                   given={"approver_name": name[:link_rules.MAX_NAME]})


@bp.post("/link/<token>/dispute")
@public
@csrf.exempt
def public_dispute(token):
    """The client disputes one line of the statement with a comment."""
    line_key, comment = request.form.get("line_key", ""), request.form.get("comment", "")
    return _decide(token, lambda statement: link_rules.dispute(statement, line_key, comment),
                   given={"line_key": line_key, "comment": comment[:MAX_COMMENT]})


def _decide(token: str, decide, errors_at: str | None = None, given: dict | None = None):
    """Apply the client's answer to the link's statement; a refusal shows on the page (422)."""
    link, problem_page = _open_link(token)
    if problem_page is not None:
        return problem_page
    _check_public_form(link)
    try:
        decide(link.statement)
    except Refused as refused:
        return _public_page("detachments/public_statement.html", 422, token=token,
                            errors={errors_at or refused.field: refused.message}, given=given,
                            **_public_context(link))
    return redirect(url_for("client_link.public_statement", token=token), 303)
