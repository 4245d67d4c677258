"""The detachments blueprint: detachments, members, rates, jobcoach hours and statements.

The client's link pages are public and live in their own blueprint (client_link.py).
"""

from datetime import date, timedelta

from flask import (Blueprint, abort, current_app, flash, make_response, redirect,
                   render_template, request, url_for)
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import (coaches, manages_detachments, require_detachment, sees_own_groups_only,
                                require_hours_access, roles_required)
from portal.auth.models import ADMIN, HR, JOBCOACH, PLANNER, SUPERVISOR
from portal.detachments import (exports, hours as hour_rules, locks, members as member_rules,
                                sources,
                                overview as overview_rules, periods, rates as rate_rules,
                                statements as statement_rules)
from portal.detachments.forms import (ActionForm, CorrectionForm, DetachmentEditForm,
                                      DetachmentForm, HoursForm, MemberForm, MemberPeriodForm,
                                      RateAmountForm, RateForm)
from portal.detachments.labels import template_labels
from portal.detachments.models import (APPROVED, DRAFT, WEEKDAY_FIELDS, Detachment,
                                       DetachmentMember, HoursEntry, Rate, Statement,
                                       StatementDispute, StatementLink)
from portal.forms import choices
from portal.people.models import Client, Employee, Location, WorkGroup
from portal.refusal import Refused
from portal.timeutil import today, utcnow
from portal.views import CSV, XLSX, download, put_refusal, render_form_errors

bp = Blueprint("detachments", __name__, url_prefix="/detachments")

MANAGERS = (ADMIN, PLANNER)
READERS = (ADMIN, PLANNER, HR)
EVERYONE = (ADMIN, PLANNER, HR, SUPERVISOR)
# Weekly hours of individuals: the planners, and the jobcoach for the detachments he coaches.
HOURS_ENTERERS = (ADMIN, PLANNER, JOBCOACH)


@bp.app_template_filter("isoday")
def _isoday(text: str, fmt: str = "EEE d MMM") -> str:
    return format_date(date.fromisoformat(text), fmt)


bp.context_processor(template_labels)


def _load_detachment(detachment_id: int) -> Detachment:
    """:raise 404: when there is no such detachment."""
    detachment = (Detachment.select(Detachment, Client, Location)
                  .join(Client, on=(Detachment.client == Client.id))
                  .switch(Detachment).join(Location, on=(Detachment.location == Location.id))
                  .where(Detachment.id == detachment_id).first())
    if detachment is None:
        abort(404)
    return detachment


def _get_detachment(detachment_id: int) -> Detachment:
    """:raise 404: when there is no such detachment or the user may not see it."""
    detachment = _load_detachment(detachment_id)
    require_detachment(current_user, detachment)
    return detachment


def _get_hours_detachment(detachment_id: int) -> Detachment:
    """:raise 404: when there is no such detachment or the user may not enter its hours."""
    detachment = _load_detachment(detachment_id)
    require_hours_access(current_user, detachment)
    return detachment


def _month(text: str) -> date:
    """:raise 404: for anything that is not a month written as YYYY-MM."""
    month = periods.parse_month(text)
    if month is None or not (2000 <= month.year <= 2100):
        abort(404)
    return month


# -- the overview and the list ----------------------------------------------------------------

@bp.get("/")
@roles_required(*READERS)
def overview():
    """Show running detachments, who is detached today, what ends soon and open months."""
    day = today()
    running = list(overview_rules.running_detachments(day))
    return render_template(
        "detachments/overview.html", day=day, running=running,
        people=list(overview_rules.people_detached_on(day)),
        ending=overview_rules.ending_within(day), open_months=overview_rules.open_months(day), month_key=periods.month_key)


@bp.get("/list")
@roles_required(*EVERYONE)
def list_detachments():
    """List detachments: running ones, or all; a supervisor sees his groups' only."""
    day = today()
    show = request.args.get("show", "running")
    query = (Detachment.select(Detachment, Client, Location)
             .join(Client, on=(Detachment.client == Client.id))
             .switch(Detachment).join(Location, on=(Detachment.location == Location.id))
             .order_by(Client.name, Detachment.start_date.desc(), Detachment.name))
    if show != "all":
        show = "running"
        query = query.where((Detachment.is_active == True)  # noqa: E712
                            & (Detachment.end_date.is_null() | (Detachment.end_date >= day)))
    if sees_own_groups_only(current_user):
        query = query.where(Detachment.id.in_(
            list(overview_rules.supervisor_detachment_ids(current_user)) or [0]))
    return render_template("detachments/list.html", detachments=list(query), show=show,
                           day=day, soon=day + timedelta(weeks=overview_rules.ENDING_WEEKS))


# -- making and changing a detachment ---------------------------------------------------------

def _location_choices(client_id: int | None):
    """The client's active sites; every client's (by client) while none is chosen, so that
    the form also works without JavaScript."""
    query = (Location.select(Location, Client).join(Client)
             .where((Location.kind == "client") & (Location.is_active == True))  # noqa: E712
             .order_by(Client.name, Location.name))
    if client_id:
        return choices([("", _("Choose a site"))] + [
            (str(loc.id), loc.name) for loc in query.where(Location.client == client_id)])
    return choices([("", _("Choose the client first, or a site here"))] + [
        (str(loc.id), f"{loc.client.name} — {loc.name}") for loc in query])


def _fill_detachment_choices(form: DetachmentForm, client_id: int | None = None) -> None:
    form.client.choices = choices([("", "—")] + [
        (str(c.id), c.name) for c in Client.select().where(Client.is_active == True)  # noqa: E712
        .order_by(Client.name)])
    # Choosing a client asks this page again and swaps in the location field of that client.
    form.client.render_kw = {"hx-get": url_for("detachments.new_detachment"),
                             "hx-target": "#field-location", "hx-select": "#field-location",
                             "hx-swap": "outerHTML", "hx-trigger": "change"}
    form.location.choices = _location_choices(client_id)
    form.work_group.choices = choices([("", "—")] + [
        (str(g.id), g.name)
        for g in WorkGroup.select().where(WorkGroup.is_active == True)  # noqa: E712
        .order_by(WorkGroup.name)])
    form.employee.choices = _employee_choices()
    form.jobcoach.choices = _jobcoach_choices()


def _jobcoach_choices():
    return choices([("", _("No jobcoach"))] + [
        (str(u.id), u.display_name) for u in member_rules.active_jobcoaches()])


def _employee_choices():
    return choices([("", "—")] + [
        (str(e.id), f"{e.last_name}, {e.first_name} ({e.employee_number})")
        for e in Employee.select(Employee.id, Employee.first_name, Employee.last_name,
                                 Employee.employee_number)
        .where(Employee.is_active == True)  # noqa: E712
        .order_by(Employee.last_name, Employee.first_name)])


@bp.get("/new")
@roles_required(*MANAGERS)
def new_detachment():
    """Show the form for a new detachment (?client=: with only that client's sites)."""
    form = DetachmentForm(formdata=None)
    client_id = request.args.get("client", "")
    client_id = int(client_id) if client_id.isdigit() and len(client_id) < 10 else None
    form.client.data = client_id
    _fill_detachment_choices(form, client_id)
    return render_template("detachments/detachment_form.html", form=form)


@bp.post("/")
@roles_required(*MANAGERS)
def create_detachment():
    """Make a detachment with its group or its employee."""
    form = DetachmentForm()
    _fill_detachment_choices(form, form.client.data if isinstance(form.client.data, int)
                             else None)
    planned = []
    if form.validate():
        client = Client.get_or_none(Client.id == form.client.data)
        location = Location.get_or_none(Location.id == form.location.data)
        work_group = WorkGroup.get_or_none(WorkGroup.id == form.work_group.data) \
            if form.work_group.data else None
        employee = Employee.get_or_none(Employee.id == form.employee.data) \
            if form.employee.data else None
        planned = _planned_work(form.kind.data, work_group, form.start_date.data,
                                form.end_date.data)
        if planned and not form.move_planned.data:
            # Nothing stored yet: the planner sees what has to move, and confirms.
            form.move_planned.errors = [_("This group has work planned in the period: the "
                                          "hours below have to move to another group.")]
            return render_form_errors("detachments/detachment_form.html", form=form,
                                      planned=planned)
        try:
            detachment = member_rules.create_detachment(
                client=client, location=location, kind=form.kind.data, name=form.name.data,
                start=form.start_date.data, end=form.end_date.data, work_group=work_group,
                employee=employee, member_start=form.member_start.data,
                member_end=form.member_end.data, notes=form.notes.data,
                jobcoach=member_rules.find_jobcoach(form.jobcoach.data), user=current_user.id)
        except Refused as error:
            put_refusal(form, error)
        else:
            flash(_("Detachment %(name)s made.", name=detachment.name), "success")
            if planned:
                flash(_("%(group)s still has %(hours)s planned hours in the period: move them "
                        "on the planning board.", group=work_group.name,
                        hours=format_decimal(sum(p.hours for p in planned))), "warning")
            return redirect(url_for("detachments.show_detachment",
                                    detachment_id=detachment.id), 303)
    return render_form_errors("detachments/detachment_form.html", form=form, planned=planned)


def _planned_work(kind: str, work_group, start: date | None, end: date | None) -> list:
    """The orders planned on a group that is about to be detached, from today or its start."""
    from portal.detachments.models import GROUP
    from portal.orders.queries import planned_work

    if kind != GROUP or work_group is None or start is None:
        return []
    return planned_work(work_group.id, max(start, today()), end)


def _detail_context(detachment: Detachment, **forms) -> dict:
    members = list(DetachmentMember.select(DetachmentMember, Employee).join(Employee)
                   .where(DetachmentMember.detachment == detachment.id)
                   .order_by(Employee.last_name, Employee.first_name,
                             DetachmentMember.start_date))
    rates = list(detachment.rates.order_by(Rate.valid_from))
    last = min(d for d in (detachment.end_date, today()) if d)
    months = list(reversed(periods.months_between(detachment.start_date, last))) \
        if detachment.start_date <= last else []
    latest = locks.latest_statements([detachment.id], months)
    member_form = forms.get("member_form") or MemberForm(formdata=None, prefix="member",
                                                         start_date=detachment.start_date)
    member_form.employee.choices = _employee_choices()
    period_forms = forms.get("period_forms") or {}
    for member in members:
        if member.id not in period_forms:
            period_forms[member.id] = MemberPeriodForm(formdata=None, prefix=f"m{member.id}",
                                                       obj=member)
    rate_forms = forms.get("rate_forms") or {}
    for rate in rates:
        if rate.id not in rate_forms:
            rate_forms[rate.id] = RateAmountForm(formdata=None, prefix=f"r{rate.id}", obj=rate)
    return dict(detachment=detachment, members=members, rates=rates, rate_forms=rate_forms,
                sources=_hours_sources(detachment, members),
                tablets=sources.site_tablets(detachment.location_id),
                months=[(m, latest.get((detachment.id, m))) for m in months],
                member_form=member_form, period_forms=period_forms,
                rate_form=forms.get("rate_form") or RateForm(formdata=None, prefix="rate"),
                can_manage=manages_detachments(current_user), month_key=periods.month_key,
                left_out=member_rules.group_members_left_out(detachment, members, today()))


def _hours_sources(detachment: Detachment, members) -> list:
    """Last month's and this month's registered hours per member and place (within the period)."""
    this_month = periods.month_start(today())
    months = [periods.month_start(this_month - timedelta(days=1)), this_month]
    return [sources.month_sources(detachment, members, month, periods.month_end(month))
            for month in months
            if periods.overlaps(month, periods.month_end(month), detachment.start_date,
                                detachment.end_date)]


@bp.get("/<int:detachment_id>")
@roles_required(*EVERYONE)
def show_detachment(detachment_id):
    """Show a detachment: its people, rates and months."""
    detachment = _get_detachment(detachment_id)
    return render_template("detachments/detachment.html", **_detail_context(detachment))


@bp.get("/<int:detachment_id>/edit")
@roles_required(*MANAGERS)
def edit_detachment(detachment_id):
    """Show the form to change a detachment's name, period and notes."""
    detachment = _get_detachment(detachment_id)
    form = DetachmentEditForm(obj=detachment)
    form.jobcoach.data = detachment.jobcoach_id  # the select holds an id, not the user
    form.jobcoach.choices = _jobcoach_choices()
    return render_template("detachments/detachment_edit.html", detachment=detachment, form=form)


@bp.post("/<int:detachment_id>")
@roles_required(*MANAGERS)
def update_detachment(detachment_id):
    """Change a detachment's name, period, notes, activity or jobcoach."""
    detachment = _get_detachment(detachment_id)
    form = DetachmentEditForm()
    form.jobcoach.choices = _jobcoach_choices()
    if form.validate():
        try:
            member_rules.update_detachment(detachment, name=form.name.data,
                                           start=form.start_date.data, end=form.end_date.data, notes=form.notes.data,
                                           is_active=form.is_active.data,
                                           jobcoach=member_rules.find_jobcoach(form.jobcoach.data),
                                           user=current_user.id)
        except Refused as error:
            put_refusal(form, error)
        else:
            flash(_("Detachment %(name)s saved.", name=detachment.name), "success")
            return redirect(url_for("detachments.show_detachment",
                                    detachment_id=detachment.id), 303)
    return render_form_errors("detachments/detachment_edit.html", detachment=detachment,
                              form=form)


@bp.post("/<int:detachment_id>/members")
@roles_required(*MANAGERS)
def add_member(detachment_id):
    """Put an employee in the detachment for a stretch inside its period."""
    detachment = _get_detachment(detachment_id)
    form = MemberForm(prefix="member")
    form.employee.choices = _employee_choices()
    if form.validate():
        employee = Employee.get_or_none(Employee.id == form.employee.data)
        try:
            member_rules.add_member(detachment, employee, form.start_date.data, form.end_date.data,
                                    user=current_user.id)
        except Refused as error:
            put_refusal(form, error)
        else:
            flash(_("%(name)s added.", name=employee.full_name), "success")
            return redirect(url_for("detachments.show_detachment",
                                    detachment_id=detachment.id), 303)
    return render_form_errors("detachments/detachment.html",
                              **_detail_context(detachment, member_form=form))


def _get_member(detachment: Detachment, member_id: int) -> DetachmentMember:
    """A membership of this detachment (404 for another detachment's id), with its employee."""
    member = (DetachmentMember.select(DetachmentMember, Employee).join(Employee)
              .where((DetachmentMember.id == member_id)
                     & (DetachmentMember.detachment == detachment.id)).first()) or abort(404)
    member.detachment = detachment
    return member


@bp.post("/<int:detachment_id>/members/<int:member_id>")
@roles_required(*MANAGERS)
def update_member(detachment_id, member_id):
    """Change a member's own start or end date."""
    detachment = _get_detachment(detachment_id)
    member = _get_member(detachment, member_id)
    form = MemberPeriodForm(prefix=f"m{member.id}")
    if form.validate():
        try:
            member_rules.update_member(member, form.start_date.data, form.end_date.data,
                                       user=current_user.id)
        except Refused as error:
            put_refusal(form, error)
        else:
            flash(_("Period of %(name)s saved.", name=member.employee.full_name), "success")
            return redirect(url_for("detachments.show_detachment",
                                    detachment_id=detachment.id), 303)
    return render_form_errors("detachments/detachment.html",
                              **_detail_context(detachment, period_forms={member.id: form}))


@bp.post("/<int:detachment_id>/members/<int:member_id>/remove")
@roles_required(*MANAGERS)
def remove_member(detachment_id, member_id):
    """Take a member out of the detachment, unless an approved month holds his days."""
    detachment = _get_detachment(detachment_id)
    member = _get_member(detachment, member_id)
    try:
        member_rules.remove_member(member, user=current_user.id)
    except Refused as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s taken out of the detachment.", name=member.employee.full_name),
              "success")
    return redirect(url_for("detachments.show_detachment", detachment_id=detachment.id), 303)


@bp.post("/<int:detachment_id>/rates")
@roles_required(*MANAGERS)
def add_rate(detachment_id):
    """Add a rate from a month on; an open rate before it ends the month before."""
    detachment = _get_detachment(detachment_id)
    form = RateForm(prefix="rate")
    if form.validate():
        valid_to = periods.month_end(form.valid_to.data) if form.valid_to.data else None
        try:
            rate_rules.add_rate(detachment, price_form=form.price_form.data,
                                amount=form.amount.data, valid_from=form.valid_from.data,
                                valid_to=valid_to, includes_breaks=form.includes_breaks.data,
                                user=current_user.id)
        except Refused as error:
            put_refusal(form, error)
        else:
            flash(_("Rate saved."), "success")
            return redirect(url_for("detachments.show_detachment",
                                    detachment_id=detachment.id), 303)
    return render_form_errors("detachments/detachment.html",
                              **_detail_context(detachment, rate_form=form))


@bp.post("/<int:detachment_id>/rates/<int:rate_id>")
@roles_required(*MANAGERS)
def update_rate(detachment_id, rate_id):
    """Correct a rate's price form or amount while none of its months is approved."""
    detachment = _get_detachment(detachment_id)
    rate = Rate.get_or_none((Rate.id == rate_id)
                            & (Rate.detachment == detachment.id)) or abort(404)
    form = RateAmountForm(prefix=f"r{rate.id}")
    if form.validate():
        try:
            rate_rules.update_rate(rate, price_form=form.price_form.data, amount=form.amount.data,
                                   includes_breaks=form.includes_breaks.data,
                                   user=current_user.id)
        except Refused as error:
            put_refusal(form, error)
        else:
            flash(_("Rate saved."), "success")
            return redirect(url_for("detachments.show_detachment",
                                    detachment_id=detachment.id), 303)
    return render_form_errors("detachments/detachment.html",
                              **_detail_context(detachment, rate_forms={rate.id: form}))


# -- jobcoach hours ---------------------------------------------------------------------------

def _week(text: str | None) -> date:
    try:
        return hour_rules.week_start(date.fromisoformat(text or ""))
    except ValueError:
        return hour_rules.week_start(today())


def _hours_context(detachment: Detachment, monday: date, forms=None) -> dict:
    members = list(DetachmentMember.select(DetachmentMember, Employee).join(Employee)
                   .where(DetachmentMember.detachment == detachment.id)
                   .order_by(Employee.last_name, Employee.first_name))
    people = {m.employee_id: m.employee
              for m in overview_rules.members_in_week(detachment, members, monday)}
    entries = {e.employee_id: e for e in HoursEntry.select().where(
        (HoursEntry.detachment == detachment.id) & (HoursEntry.week_start == monday))}
    forms = dict(forms or {})
    for employee_id in people:
        if employee_id not in forms:
            entry = entries.get(employee_id)
            values = {f: getattr(entry, f) for f in WEEKDAY_FIELDS} if entry else {}
            forms[employee_id] = HoursForm(formdata=None, prefix=f"e{employee_id}", **values)
    locked = locks.locked_months(detachment.id)
    return dict(detachment=detachment, monday=monday, people=people, forms=forms,
                days=[monday + timedelta(days=n) for n in range(7)],
                previous=monday - timedelta(days=7), next=monday + timedelta(days=7),
                locked={m for m in locked
                        if periods.overlaps(monday, monday + timedelta(days=6), m,
                                            periods.month_end(m))},
                month_key=periods.month_key, coaching=coaches(current_user, detachment))


@bp.get("/mine")
@roles_required(JOBCOACH)
def my_placements():
    """Show a jobcoach the individuals he coaches and this week's hours entered for them."""
    day = today()
    monday = hour_rules.week_start(day)
    return render_template("detachments/my_placements.html", monday=monday,
                           sunday=monday + timedelta(days=6),
                           placements=overview_rules.coached_placements(current_user, day))


@bp.get("/<int:detachment_id>/hours")
@roles_required(*HOURS_ENTERERS)
def hours_week(detachment_id):
    """Show a week of jobcoach hours for an individual detachment."""
    detachment = _get_hours_detachment(detachment_id)
    return render_template("detachments/hours.html",
                           **_hours_context(detachment, _week(request.args.get("week"))))


@bp.post("/<int:detachment_id>/hours")
@roles_required(*HOURS_ENTERERS)
def save_hours(detachment_id):
    """Store a week of hours for one person of an individual detachment."""
    detachment = _get_hours_detachment(detachment_id)
    employee_id = request.form.get("employee", "")
    employee = Employee.get_or_none(Employee.id == int(employee_id)) \
        if employee_id.isdigit() else None
    form = HoursForm(prefix=f"e{employee.id}" if employee else "")
    monday = _week(request.form.get("week"))
    if employee is not None and form.validate():
        try:
            hour_rules.save_week(detachment, employee, monday,
                                 [getattr(form, f).data for f in WEEKDAY_FIELDS],
                                 user=current_user.id)
        except Refused as error:
            put_refusal(form, error)
        else:
            flash(_("Hours of %(name)s saved.", name=employee.full_name), "success")
            return redirect(url_for("detachments.hours_week", detachment_id=detachment.id,
                                    week=monday.isoformat()), 303)
    elif employee is None:
        form.form_errors.append(_("Choose the employee."))
    context = _hours_context(detachment, monday, {employee.id: form} if employee else None)
    if employee is None:
        context["error"] = _("Choose the employee.")
    return render_form_errors("detachments/hours.html", **context)


# -- the statement of one detachment ----------------------------------------------------------

def _statement_context(detachment: Detachment, month: date, **extra) -> dict:
    versions = list(Statement.select().where((Statement.detachment == detachment.id)
                                             & (Statement.month == month))
                    .order_by(Statement.version))
    latest = versions[-1] if versions else None
    wanted = request.args.get("version", "")
    shown = next((v for v in versions if str(v.version) == wanted), latest)
    if shown is not None and shown.status != DRAFT:
        content, live = shown.content, False
    else:
        content = statement_rules.compute_statements([detachment], month)[detachment.id]
        live = True
    changed = False
    if latest is not None and latest.status == APPROVED and shown is latest:
        fresh = statement_rules.compute_statements([detachment], month)[detachment.id]
        changed = statement_rules.freeze(fresh) != latest.frozen
    links = list(StatementLink.select().where(
        StatementLink.statement.in_([v.id for v in versions] or [0])
        & StatementLink.revoked_at.is_null() & (StatementLink.expires_at > utcnow()))
        .order_by(StatementLink.created_at)) if latest else []
    disputes = list(shown.disputes.order_by(StatementDispute.at)) if shown else []
    return dict(detachment=detachment, month=month, month_text=periods.month_key(month),
                versions=versions, latest=latest, shown=shown, content=content, live=live,
                changed=changed, links=links, disputes=disputes,
                can_manage=manages_detachments(current_user),
                action_form=ActionForm(), correction_form=extra.pop("correction_form", None)
                or CorrectionForm(formdata=None), **extra)


@bp.get("/<int:detachment_id>/statements/<month>")
@roles_required(*EVERYONE)
def show_statement(detachment_id, month):
    """Show a detachment's statement of a month: the newest version, or the one asked for."""
    detachment = _get_detachment(detachment_id)
    return render_template("detachments/statement.html",
                           **_statement_context(detachment, _month(month)))


def _link_days() -> int:
    return current_app.config["DETACHMENT_LINK_DAYS"]


def _link_url(raw: str) -> str:
    return url_for("client_link.public_statement", token=raw, _external=True)


@bp.post("/<int:detachment_id>/statements/<month>/send")
@roles_required(*MANAGERS)
def send_statement(detachment_id, month):
    """Freeze the statement as a version and show its client link once.

    The page answers the POST directly (no redirect): the raw token is shown once and kept
    nowhere, not even in the session.
    """
    detachment = _get_detachment(detachment_id)
    month = _month(month)
    try:
        statement, raw = statement_rules.send_statement(
            detachment, month, user=current_user.id, days=_link_days(),
            send_empty=request.form.get("send_empty") == "1")
    except Refused as error:
        flash(str(error.message), "error")
        return redirect(url_for("detachments.show_statement", detachment_id=detachment.id,
                                month=periods.month_key(month)), 303)
    response = make_response(render_template(
        "detachments/link_made.html", detachment=detachment, statement=statement,
        month_text=periods.month_key(month), url=_link_url(raw),
        expires_at=statement.links.order_by(StatementLink.id.desc()).first().expires_at))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:detachment_id>/statements/<month>/link")
@roles_required(*MANAGERS)
def renew_link(detachment_id, month):
    """Make a fresh client link for the sent statement; older links stop working."""
    detachment = _get_detachment(detachment_id)
    month = _month(month)
    statement = locks.latest_statements([detachment.id], [month]).get((detachment.id, month))
    if statement is None:
        abort(404)
    try:
        link, raw = statement_rules.renew_link(statement, user=current_user.id, days=_link_days())
    except Refused as error:
        flash(str(error.message), "error")
        return redirect(url_for("detachments.show_statement", detachment_id=detachment.id,
                                month=periods.month_key(month)), 303)
    response = make_response(render_template(
        "detachments/link_made.html", detachment=detachment, statement=statement,
        month_text=periods.month_key(month), url=_link_url(raw), expires_at=link.expires_at))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:detachment_id>/links/<int:link_id>/revoke")
@roles_required(*MANAGERS)
def revoke_link(detachment_id, link_id):
    """Stop a client link from working."""
    detachment = _get_detachment(detachment_id)
    link = (StatementLink.select(StatementLink, Statement).join(Statement)
            .where((StatementLink.id == link_id)
                   & (Statement.detachment == detachment.id)).first()) or abort(404)
    statement_rules.revoke_link(link, user=current_user.id)
    flash(_("The link no longer works."), "success")
    return redirect(url_for("detachments.show_statement", detachment_id=detachment.id,
                            month=periods.month_key(link.statement.month)), 303)


@bp.post("/<int:detachment_id>/statements/<month>/correction")
@roles_required(*MANAGERS)
def start_correction(detachment_id, month):
    """Open an approved month again as a new draft version, with a reason."""
    detachment = _get_detachment(detachment_id)
    month = _month(month)
    form = CorrectionForm()
    if form.validate():
        try:
            statement = statement_rules.start_correction(detachment, month, form.reason.data,
                                                         user=current_user.id)
        except Refused as error:
            put_refusal(form, error)
        else:
            flash(_("Version %(n)d is open for corrections.", n=statement.version), "success")
            return redirect(url_for("detachments.show_statement", detachment_id=detachment.id,
                                    month=periods.month_key(month)), 303)
    return render_form_errors("detachments/statement.html",
                              **_statement_context(detachment, month, correction_form=form))


# -- the statement of a client: print, CSV, XLSX -----------------------------------------------

def _client_month(client_id: int, month_text: str):
    client = Client.get_or_none(Client.id == client_id) or abort(404)
    month = _month(month_text)
    return client, month, statement_rules.client_month(client, month)


@bp.get("/clients/<int:client_id>/<month>")
@roles_required(*READERS)
def client_statement(client_id, month):
    """Show a client's hours statement of a month, ready to print on A4."""
    client, month_date, parts = _client_month(client_id, month)
    return render_template("detachments/client_statement.html", client=client, month=month_date,
                           month_text=periods.month_key(month_date), parts=parts,
                           total=exports.grand_total(parts))


@bp.get("/clients/<int:client_id>/<month>.csv")
@roles_required(*READERS)
def client_statement_csv(client_id, month):
    """Download a client's statement of a month as CSV (semicolons, decimal comma)."""
    client, month_date, parts = _client_month(client_id, month)
    return download(exports.to_csv(client, month_date, parts),
                    f"{exports.filename(client, month_date, parts)}.csv", CSV)


@bp.get("/clients/<int:client_id>/<month>.xlsx")
@roles_required(*READERS)
def client_statement_xlsx(client_id, month):
    """Download a client's statement of a month as an Excel workbook."""
    client, month_date, parts = _client_month(client_id, month)
    return download(exports.to_xlsx(client, month_date, parts),
                    f"{exports.filename(client, month_date, parts)}.xlsx", XLSX)
