"""The overview page."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.access import STAFF_ROLES, is_jobcoach, public, roles_required
from portal.auth.models import JOBCOACH
from portal.home import rules

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def root():
    """Send visitors to the log-in page and users to their overview."""
    return redirect(url_for("home.index" if current_user.is_authenticated else "auth.login"))


@bp.get("/overview")
@roles_required(*STAFF_ROLES, JOBCOACH)
def index():
    """Show the company at a glance; a jobcoach, who may not see it, lands on his placements."""
    if is_jobcoach(current_user):
        return redirect(url_for("detachments.my_placements"))
    return render_template(
        "home/index.html",
        by_employment=rules.headcount_by_employment(),
        by_municipality=rules.headcount_by_municipality(),
        workfloors=rules.workfloor_occupancy(),
    )
