"""The orders blueprint: order intake and list, the planning board, production registration.

Access (see tests/access/orders.py): planners and admins take orders and plan; a supervisor
sees the board rows and the orders of the groups he leads, and registers their production; an
admin may register production for any group. HR has no business with client orders and gets
403 on every route here (data minimisation: orders are commercial, not personnel, data).
"""

from datetime import date, timedelta
from decimal import Decimal

from flask import (Blueprint, abort, current_app, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from portal.auth.access import (can_plan, can_register_production, roles_required, sees_all_work,
                                sees_own_groups_only)
from portal.auth.models import ADMIN, PLANNER, SUPERVISOR, User
from portal.forms import choices, id_or_none
from portal.listing import paginate
from portal.orders import export, queries, rules
from portal.orders.formatting import hours_text
from portal.orders.forms import (MoveForm, OrderForm, PlanForm, ProductGroupForm, ProductionForm,
                                 StatusForm)
from portal.orders.labels import status_label, status_pairs
from portal.orders.models import Assignment, Order, OrderStatusChange, Production
from portal.people.models import Client, Location, Workfloor, WorkGroup
from portal.people.structure_rules import product_group_options
from portal.refusal import Refused
from portal.timeutil import today
from portal.views import (CSV, XLSX, download, is_fragment_request, put_refusal, render_form_errors,
                          respond)

bp = Blueprint("orders", __name__, url_prefix="/orders")
bp.add_app_template_global(status_label, "status_label")
bp.add_app_template_filter(hours_text, "hours")

PLANNERS = (ADMIN, PLANNER)
EXPORT_LIMIT = 50_000


# ---------------------------------------------------------------- order list and intake

def _filter_choices():
    clients = list(Client.select(Client.id, Client.name).order_by(Client.name).tuples())
    workfloors = list(Workfloor.select(Workfloor.id, Workfloor.name)
                      .where(Workfloor.is_active == True)  # noqa: E712
                      .order_by(Workfloor.name).tuples())
    statuses = [("open", _("Open (not ready)"))] + status_pairs()
    product_groups = [(str(gid), name if active else _("%(name)s (inactive)", name=name))
                      for gid, name, active in queries.product_group_filter_choices()]
    product_groups.append((queries.WITHOUT_PRODUCT_GROUP, _("Without product group")))
    return clients, workfloors, statuses, product_groups


@bp.get("/")
@roles_required(*PLANNERS)
def list_orders():
    """List orders, late ones first, filtered by client, status, workfloor, product group and
    text."""
    day = today()
    query = queries.order_list_query(day, request.args)
    page = paginate(query, request.args, current_app.config.get("PAGE_SIZE", 25))
    page.items = rules.with_figures(page.items, day)
    clients, workfloors, statuses, product_groups = _filter_choices()
    return respond("orders/orders.html", "orders/_partials/order_rows.html", page=page,
                   clients=clients, workfloors=workfloors, statuses=statuses,
                   product_groups=product_groups, today=day)


@bp.get("/export.<any(csv, xlsx):fmt>")
@roles_required(*PLANNERS)
def export_orders(fmt):
    """Download the filtered order list as CSV or XLSX."""
    day = today()
    rows = rules.with_figures(queries.order_list_query(day, request.args).limit(EXPORT_LIMIT), day)
    filename = f"orders-{day.isoformat()}.{fmt}"
    if fmt == "csv":
        return download(export.to_csv(rows), filename, CSV)
    return download(export.to_xlsx(rows), filename, XLSX)


def _order_form(formdata=None) -> OrderForm:
    form = OrderForm(formdata) if formdata is not None else OrderForm()
    active_clients = (Client.select(Client.id, Client.name)
                      .where(Client.is_active == True)  # noqa: E712
                      .order_by(Client.name))
    form.client.choices = choices([("", _("Choose a client"))]
                                  + [(c.id, c.name) for c in active_clients])
    place_choices = choices([("", _("Not yet known"))])
    for floor in (Workfloor.select(Workfloor, Location).join(Location)
                  .where(Workfloor.is_active == True)  # noqa: E712
                  .order_by(Location.name, Workfloor.name)):
        place_choices.append(SelectChoice(f"workfloor-{floor.id}",
                                          f"{floor.location.name} · {floor.name}",
                                          optgroup=_("Workfloors")))
    for location in (Location.select().where(Location.kind == "client",
                                             Location.is_active == True)  # noqa: E712
                     .order_by(Location.name)):
        place_choices.append(SelectChoice(f"location-{location.id}", location.name,
                                          optgroup=_("Client sites")))
    form.place.choices = place_choices
    _fill_product_groups(form, None)
    return form


def _fill_product_groups(form, current_id: int | None) -> None:
    form.product_group.choices = choices([("", _("No product group"))]
                                         + product_group_options(current_id))


@bp.get("/new")
@roles_required(*PLANNERS)
def new_order():
    """Show the intake form."""
    return render_template("orders/order_form.html", form=_order_form())


def _place(value: str):
    """(workfloor, location) from a place choice like 'workfloor-3'."""
    kind, _sep, number = (value or "").partition("-")
    if not number.isdigit():
        return None, None
    if kind == "workfloor":
        return Workfloor.get_or_none(Workfloor.id == int(number)), None
    if kind == "location":
        return None, Location.get_or_none(Location.id == int(number))
    return None, None


@bp.post("/")
@roles_required(*PLANNERS)
def create_order():
    """Take in an order; every bad value answers 422 with its message, nothing stored."""
    form = _order_form(request.form)
    if form.validate():
        client = Client.get_or_none(Client.id == form.client.data)
        workfloor, location = _place(form.place.data)
        if client is None or not client.is_active:
            form.client.errors.append(_("Choose an active client."))
        elif form.place.data and workfloor is None and location is None:
            form.place.errors.append(_("Choose a place from the list."))
        else:
            try:
                order = rules.create_order(
                    current_user.id, client=client, product=form.product.data,
                    quantity=form.quantity.data, unit=form.unit.data,
                    norm_per_hour=form.norm_per_hour.data, start_date=form.start_date.data,
                    due_date=form.due_date.data, workfloor=workfloor, location=location,
                    product_group=form.product_group.data, notes=form.notes.data or "")
            except Refused as refused:
                put_refusal(form, refused)
            else:
                flash(_("Order %(number)s taken in.", number=order.id), "success")
                return redirect(url_for("orders.show_order", order_id=order.id), 303)
    return render_form_errors("orders/order_form.html", form=form)


def _get_order(order_id: int) -> Order:
    """:raise 404: when there is no such order, or a supervisor's groups have no hours on it."""
    order = Order.get_or_none(Order.id == order_id) or abort(404)
    if sees_own_groups_only(current_user):
        mine = queries.supervised_group_ids(current_user)
        if not mine or not Assignment.select().where(Assignment.order == order,
                                                     Assignment.work_group.in_(mine)).exists():
            abort(404)
    return order


@bp.get("/<int:order_id>")
@roles_required(ADMIN, PLANNER, SUPERVISOR)
def show_order(order_id):
    """Show an order: its figures, its plan, what was made, and its status history."""
    order = _get_order(order_id)
    day = today()
    figures = rules.order_figures(order.id, day)
    assignments = (Assignment.select(Assignment, WorkGroup).join(WorkGroup)
                   .where(Assignment.order == order).order_by(Assignment.day, WorkGroup.name))
    made = (Production.select(Production, WorkGroup).join(WorkGroup)
            .where(Production.order == order).order_by(Production.day.desc(), Production.id))
    if sees_own_groups_only(current_user):
        mine = queries.supervised_group_ids(current_user)
        assignments = assignments.where(Assignment.work_group.in_(mine))
        made = made.where(Production.work_group.in_(mine))
    history = (OrderStatusChange.select(OrderStatusChange, User).join(User)
               .where(OrderStatusChange.order == order)
               .order_by(OrderStatusChange.changed_at, OrderStatusChange.id))
    group_form = None
    if can_plan(current_user):
        group_form = ProductGroupForm(formdata=None, product_group=order.product_group_id)
        _fill_product_groups(group_form, order.product_group_id)
    return render_template("orders/order.html", order=order, figures=figures,
                           assignments=list(assignments), made=list(made), history=list(history),
                           moves=rules.allowed_transitions(order.status),
                           can_plan=can_plan(current_user), group_form=group_form, today=day)


@bp.post("/<int:order_id>/product-group")
@roles_required(*PLANNERS)
def set_product_group(order_id):
    """Give an order another product group (or none), for the figures per product group."""
    order = _get_order(order_id)
    form = ProductGroupForm()
    _fill_product_groups(form, order.product_group_id)
    if form.validate():
        try:
            rules.set_product_group(order, form.product_group.data, current_user.id)
        except Refused as refused:
            flash(str(refused.message), "error")
        else:
            flash(_("Order %(number)s: product group saved.", number=order.id), "success")
    else:
        flash(str(form.product_group.errors[0]) if form.product_group.errors
              else _("Choose a product group from the list."), "error")
    return redirect(url_for("orders.show_order", order_id=order.id), 303)


@bp.post("/<int:order_id>/status")
@roles_required(*PLANNERS)
def set_status(order_id):
    """Move an order to another status; who and when are recorded."""
    order = _get_order(order_id)
    form = StatusForm()
    if form.validate():
        try:
            rules.change_status(order, form.status.data, current_user.id)
            flash(_("Order %(number)s is now: %(status)s.", number=order.id,
                    status=status_label(order.status)), "success")
            return redirect(url_for("orders.show_order", order_id=order.id), 303)
        except Refused as refused:
            flash(str(refused.message), "error")
    else:
        flash(_("Choose a status."), "error")
    return redirect(url_for("orders.show_order", order_id=order.id), 303)


# ---------------------------------------------------------------- planning board

FIRST_BOARD_DAY, LAST_BOARD_DAY = date(2000, 1, 3), date(2099, 12, 28)


def _board_start() -> date:
    """The Monday the board starts on: from ?start=, kept within sensible years, else this week."""
    value = request.values.get("start") or ""
    try:
        chosen = date.fromisoformat(value[:10])
    except ValueError:
        chosen = today()
    return queries.monday_of(min(max(chosen, FIRST_BOARD_DAY), LAST_BOARD_DAY))


def _visible_group_ids():
    """None (all groups) for planners and admins; a supervisor's own group ids otherwise."""
    return None if can_plan(current_user) else queries.supervised_group_ids(current_user)


def _board_filter() -> queries.BoardFilter:
    """The board's filter and view from the query string (forms and htmx posts carry it too)."""
    return queries.BoardFilter.from_args(request.args)


def _board_groups(board_filter: queries.BoardFilter, start: date):
    """The active groups the user sees, narrowed by the filter."""
    groups = queries.groups_for(_visible_group_ids())
    return board_filter.apply(groups, start, start + timedelta(days=queries.BOARD_DAYS - 1))


class BoardText:
    """What every cell of the board repeats, translated and formatted once per request."""

    def __init__(self, days: list[date], planner: bool, late_ids=frozenset(),
                 board_filter: queries.BoardFilter | None = None):
        self.can_plan = planner
        self.late_ids = late_ids
        self.filter = board_filter or queries.BoardFilter()
        self.compact = self.filter.compact
        self.t = {
            "h": _("h"), "overloaded": _("overloaded"), "order": _("Order"),
            "planned_available": _("planned / available hours"),
            "move": _("Move %(product)s (%(hours)s h)"), "change": _("Change %(product)s"),
            "take_off": _("Take %(product)s off this day"),
            "actions": _("Actions for %(product)s"), "plan_here": _("Plan here"),
            "planned_of": _("Planned %(planned)s of %(required)s h"),
            "to_plan": _("%(hours)s h to plan"), "fully_planned": _("Fully planned"),
            "due": _("Due"), "expected_ready": _("Expected ready"), "done": _("Done"),
            "not_planned": _("Not planned"), "late": _("Late"),
        }
        start = days[0].isoformat() if days else None
        args = self.filter.args()
        self.edit_url = url_for("orders.edit_assignment", assignment_id=0, start=start, **args)
        self.remove_url = url_for("orders.remove_assignment", assignment_id=0, start=start,
                                  **args)
        self.order_url = url_for("orders.show_order", order_id=0)
        self.day_names = {day: format_date(day, "EEEE d MMMM") for day in days}
        self._short = {}
        self._hours = {}

    def hours(self, value) -> str:
        """Hours the user's way, remembered per value (the board repeats a few values a lot)."""
        text = self._hours.get(value)
        if text is None:
            text = self._hours[value] = hours_text(value)
        return text

    def day_name(self, day: date) -> str:
        """A short day name ("di 24 nov"), formatted once per day."""
        if day not in self._short:
            self._short[day] = format_date(day, "EEE d MMM")
        return self._short[day]


def _all_rows(groups, start: date):
    days = queries.board_days(start)
    return days, queries.build_rows(groups, days)


def _filter_options() -> dict:
    """The workfloors that have active groups, and the group kinds, for the board's filter."""
    floors = (Workfloor.select(Workfloor.id, Workfloor.name).distinct()
              .join(WorkGroup, on=(WorkGroup.workfloor == Workfloor.id))
              .where(WorkGroup.is_active == True)  # noqa: E712
              .order_by(Workfloor.name).tuples())
    return {"workfloors": list(floors),
            "kinds": [("", _("All groups")), (queries.OWN, _("At an own workfloor")),
                      (queries.DETACHED, _("Detached to a client"))]}


def _board_context(start: date, plan_form: PlanForm | None = None) -> dict:
    day = today()
    board_filter = _board_filter()
    groups = _board_groups(board_filter, start)
    days, rows = queries.drop_idle_weekends(*_all_rows(groups, start))
    planner = can_plan(current_user)
    # A planner's tray holds every open order of these weeks; a supervisor only needs the
    # figures of the orders on his rows (for their late flags).
    known = queries.board_orders(day, days[0], days[-1],
                                 None if planner else queries.chip_order_ids(rows))
    tray = known if planner else []
    if planner and plan_form is None:
        plan_form = PlanForm(formdata=None)
    if plan_form is not None:
        _fill_plan_choices(plan_form, tray, groups, days)
    board = BoardText(days, planner, late_ids={f.order.id for f in known if f.late},
                      board_filter=board_filter)
    return dict(start=start, days=days, rows=rows, tray=tray, board=board,
                plan_form=plan_form, can_plan=planner, today=day, options=_filter_options(),
                previous=start - timedelta(days=14), next=start + timedelta(days=14))


def _fill_plan_choices(form, tray, groups, days):
    form.order.choices = choices([("", _("Choose an order"))] + [
        (f.order.id, f"{f.order.id} · {f.order.client.name} · {f.order.product}") for f in tray])
    form.group.choices = choices([("", _("Choose a group"))] + [(g.id, g.name) for g in groups])


@bp.get("/board")
@roles_required(ADMIN, PLANNER, SUPERVISOR)
def board():
    """The planning board: two weeks against the work groups (a supervisor sees his own)."""
    return render_template("orders/board.html", **_board_context(_board_start()))


def _board_url(start: date) -> str:
    return url_for("orders.board", start=start.isoformat(), **_board_filter().args())


def _board_refused(message, start: date, form: PlanForm | None = None):
    """Answer a refused board change: a message in the board for htmx, the page otherwise."""
    if is_fragment_request():
        response = make_response(render_template("orders/_partials/board_message.html",
                                                 message=message, level="error", inner=True),
                                 422)
        response.headers["HX-Retarget"] = "#board-message"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    if form is None:
        flash(str(message), "error")
        return redirect(_board_url(start), 303)
    context = _board_context(start, form)
    return render_form_errors("orders/board.html", **context)


def _overload_warning(group: WorkGroup, day: date):
    """A warning when a cell now holds more hours than its group has that day, else None."""
    free = rules.cell_free_hours(group.id, day)
    if free >= 0:
        return None
    return _("Note: %(group)s now has %(over)s hours more planned on %(day)s than it has free.",
             group=group.name, over=hours_text(-free), day=format_date(day, "EEEE d MMMM"))


def _board_changed(start: date, cells: list[tuple[int, date]], order_ids: set[int], message,
                   warning=None):
    """Answer a board change: the changed cells, row totals and orders for htmx, else a redirect.

    A `warning` (the change overloads a cell) is shown in place of the plain confirmation.
    """
    if not is_fragment_request():
        flash(f"{message} {warning}" if warning else str(message),
              "warning" if warning else "success")
        return redirect(_board_url(start), 303)
    day = today()
    board_filter = _board_filter()
    shown = [g.id for g in _board_groups(board_filter, start)]
    # The same columns as the page the planner sees: the shown groups' weekend work counts.
    days = queries.shown_days(start, shown)
    # The order's late flag shows on all its chips: their rows change with it. Groups the
    # filter hides are not on the page, so they are not sent.
    group_ids = ({gid for gid, _day in cells} | queries.groups_planned(order_ids, days[0],
                                                                        days[-1])) & set(shown)
    groups = queries.groups_for(None, group_ids)
    rows = queries.build_rows(groups, days)
    known = queries.board_orders(day, days[0], days[-1],
                                 set(order_ids) | queries.chip_order_ids(rows))
    tray = [f for f in known if f.order.id in order_ids]
    board = BoardText(days, True, late_ids={f.order.id for f in known if f.late},
                      board_filter=board_filter)
    text = f"{message} {warning}" if warning else message
    return render_template("orders/_partials/board_update.html", rows=rows, days=days,
                           tray=tray, message=text, level="warning" if warning else "success",
                           board=board, start=start, today=day)


def _group_or_none(group_id) -> WorkGroup | None:
    return WorkGroup.get_or_none(WorkGroup.id == group_id) if group_id else None


@bp.post("/board/assign")
@roles_required(*PLANNERS)
def assign():
    """Plan an order on a group and day (form, drag-and-drop and keyboard all post here)."""
    start = _board_start()
    form = PlanForm()
    order = Order.get_or_none(Order.id == form.order.data) if form.order.data else None
    group = _group_or_none(form.group.data)
    form.order.choices = choices([(order.id, str(order.id))] if order else [])
    form.group.choices = choices([(group.id, group.name)] if group else [])
    if not form.validate() or order is None or group is None:
        if order is None:
            form.order.errors = [_("Choose an order.")]
        if group is None:
            form.group.errors = [_("Choose a group.")]
        message = next(iter(e for errors in form.errors.values() for e in errors),
                       _("Please correct the marked fields."))
        return _board_refused(message, start, form)
    try:
        hours = form.hours.data
        if hours is None:
            hours = rules.default_hours(order, group.id, form.day.data, today())
        rules.plan(order, group, form.day.data, hours, current_user.id, today=today())
    except Refused as refused:
        if refused.field in form:
            form[refused.field].errors = [refused.message]
        return _board_refused(refused.message, start, form)
    message = _("%(product)s: %(hours)s hours planned on %(group)s.", product=order.product,
                hours=hours_text(hours), group=group.name)
    return _board_changed(start, [(group.id, form.day.data)], {order.id}, message,
                          _overload_warning(group, form.day.data))


def _get_assignment(assignment_id: int) -> Assignment:
    """:raise 404: when there is no such planned cell."""
    return Assignment.get_or_none(Assignment.id == assignment_id) or abort(404)


@bp.get("/assignments/<int:assignment_id>/edit")
@roles_required(*PLANNERS)
def edit_assignment(assignment_id):
    """Show the form to move planned hours or change them (the no-drag way)."""
    assignment = _get_assignment(assignment_id)
    form = MoveForm(formdata=None, group=assignment.work_group_id, day=assignment.day,
                    hours=assignment.hours)
    return _move_page(assignment, form)


def _move_page(assignment, form, status=200):
    form.group.choices = choices([(g.id, g.name) for g in queries.groups_for(None)])
    body = render_template("orders/assignment_form.html", assignment=assignment, form=form,
                           start=_board_start(), board_args=_board_filter().args())
    return body, status


@bp.post("/assignments/<int:assignment_id>/move")
@roles_required(*PLANNERS)
def move_assignment(assignment_id):
    """Move planned hours to another group or day, or change them."""
    assignment = _get_assignment(assignment_id)
    start = _board_start()
    form = MoveForm()
    group = _group_or_none(form.group.data)
    form.group.choices = choices([(group.id, group.name)] if group else [])
    old_cell = (assignment.work_group_id, assignment.day)
    product = assignment.order.product
    if not form.validate() or group is None:
        if group is None:
            form.group.errors = [_("Choose a group.")]
        message = next(iter(e for errors in form.errors.values() for e in errors),
                       _("Please correct the marked fields."))
        if is_fragment_request():
            return _board_refused(message, start)
        return _move_page(assignment, form, 422)
    same_cell = rules.is_same_cell(assignment, group, form.day.data) if form.day.data else False
    try:
        moved = rules.move(assignment, group, form.day.data, form.hours.data, current_user.id,
                           today=today())
    except Refused as refused:
        if is_fragment_request():
            return _board_refused(refused.message, start)
        put_refusal(form, refused)
        return _move_page(assignment, form, 422)
    if same_cell:
        message = _("%(product)s: the hours are now %(hours)s.", product=product,
                    hours=hours_text(moved.hours))
    else:
        message = _("%(product)s moved to %(group)s, %(day)s.", product=product,
                    group=group.name, day=format_date(form.day.data, "EEEE d MMMM"))
    return _board_changed(start, [old_cell, (group.id, form.day.data)], {moved.order_id},
                          message, _overload_warning(group, form.day.data))


@bp.post("/assignments/<int:assignment_id>/remove")
@roles_required(*PLANNERS)
def remove_assignment(assignment_id):
    """Take planned hours off the board."""
    assignment = _get_assignment(assignment_id)
    start = _board_start()
    cell = (assignment.work_group_id, assignment.day)
    order = assignment.order
    rules.remove(assignment, current_user.id)
    message = _("%(product)s taken off the board.", product=order.product)
    return _board_changed(start, [cell], {order.id}, message)


# ---------------------------------------------------------------- today's work and production

def _work_groups():
    """The groups whose work the user sees: a supervisor's own, every active one for admins."""
    if sees_all_work(current_user):
        return queries.groups_for(None)
    return queries.groups_for(queries.supervised_group_ids(current_user))


def _work_context(groups, day, forms=None, posted=None):
    """What the today page shows; `posted` (group id, order) keeps a refused form in view even
    when that order is no longer on the group's recent list."""
    work = queries.today_work([g.id for g in groups], day)
    if posted is not None:
        group_id, order = posted
        items = work.setdefault(group_id, [])
        if all(item.order.id != order.id for item in items):
            items.append(queries.WorkItem(order, Decimal(0)))
    order_ids = {item.order.id for items in work.values() for item in items}
    figures = {f.order.id: f for f in rules.with_figures(
        rules.figures_query(day)[0].where(Order.id.in_(list(order_ids) or [0])), day)}
    made = {}
    for row in (Production.select(Production.work_group, Production.order, Production.quantity,
                                  Production.rejects)
                .where(Production.work_group.in_([g.id for g in groups] or [0]),
                       Production.day == day).tuples()):
        key = (row[0], row[1])
        quantity, rejects = made.get(key, (0, 0))
        made[key] = (quantity + row[2], rejects + row[3])
    return dict(groups=groups, work=work, figures=figures, made=made, day=day,
                forms=forms or {})


@bp.get("/today")
@roles_required(ADMIN, SUPERVISOR)
def today_view():
    """Today's planned work for the supervisor's groups, with production registration."""
    return render_template("orders/today.html", **_work_context(_work_groups(), today()))


@bp.post("/production")
@roles_required(ADMIN, SUPERVISOR)
def register_production():
    """Register what a group made of an order; far more than ordered asks to confirm first."""
    group = _group_or_none(id_or_none(request.form.get("group"))) or abort(404)
    if not can_register_production(current_user, group):
        abort(404)  # another group's work: do not tell that it exists
    form = ProductionForm()
    order = Order.get_or_none(Order.id == form.order.data) if form.order.data else None
    if order is None or not rules.is_planned_on(order, group):
        abort(404)
    form.order.choices = choices([(order.id, str(order.id))])
    day = today()
    if form.validate():
        try:
            rules.register_production(order, group, form.day.data, form.quantity.data,
                                      form.rejects.data or 0, current_user.id, today=day,
                                      confirmed=form.confirm.data == "1")
            flash(_("Registered: %(quantity)s %(unit)s of %(product)s.",
                    quantity=format_decimal(form.quantity.data), unit=order.unit,
                    product=order.product),
                  "success")
            return redirect(url_for("orders.today_view"), 303)
        except Refused as refused:
            if refused.field == "confirm":
                # Not beside the hidden field: above the form, with the question to confirm.
                form.form_errors.append(refused.message)
                form.confirm.data = "ask"
            else:
                put_refusal(form, refused)
    context = _work_context(_work_groups(), day, forms={(group.id, order.id): form},
                            posted=(group.id, order))
    return render_form_errors("orders/today.html", **context)
