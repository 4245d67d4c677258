"""The agreed beschut-werk places per municipality and year, entered by hr or admin."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import timeutil
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, HR
from portal.people.models import Municipality
from portal.reports import access, bp, rules
from portal.reports.forms import TargetForm
from portal.views import render_form_errors


def _year() -> int:
    value = request.args.get("year", "")
    year = int(value) if value.isdigit() and len(value) == 4 else timeutil.today().year
    return year if 2000 <= year <= 2100 else timeutil.today().year


def _page(form, year: int):
    municipalities = list(Municipality.select(Municipality.id, Municipality.name)
                          .order_by(Municipality.name))
    return dict(form=form, year=year, municipalities=municipalities,
                targets=rules.targets_of(year))


@bp.get("/targets")
@roles_required(ADMIN, HR)
def targets():
    """The agreed places of a year, and the form to enter one."""
    if not access.can_set_targets(current_user):
        abort(403)
    year = _year()
    form = TargetForm(year=year)
    form.municipality.choices = rules.municipality_choices()
    return render_template("reports/targets.html", **_page(form, year))


@bp.post("/targets")
@roles_required(ADMIN, HR)
def save_target():
    """Store one municipality's agreed places for a year."""
    form = TargetForm()
    form.municipality.choices = rules.municipality_choices()
    if not form.validate():
        year = form.year.data if isinstance(form.year.data, int) and 2000 <= form.year.data <= 2100 \
            else timeutil.today().year
        return render_form_errors("reports/targets.html", **_page(form, year))
    rules.set_target(form.municipality.data, form.year.data, form.places.data, actor=current_user)
    flash(_("Saved: %(places)s places for %(year)s.", places=form.places.data,
            year=form.year.data), "success")
    return redirect(url_for("reports.targets", year=form.year.data), 303)
