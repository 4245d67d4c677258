"""The first screen after log-in: what needs attention now, per role."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.access import STAFF_ROLES, is_jobcoach, public, roles_required
from portal.auth.models import JOBCOACH
from portal.home import attention

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def root():
    """Send visitors to the log-in page and users to their first screen."""
    return redirect(url_for("home.index" if current_user.is_authenticated else "auth.login"))


@bp.get("/overview")
@roles_required(*STAFF_ROLES, JOBCOACH)
def index():
    """What needs doing now for this role; a jobcoach lands on his placements."""
    if is_jobcoach(current_user):
        return redirect(url_for("detachments.my_placements"))
    return render_template("home/index.html", lines=attention.lines_for(current_user))
