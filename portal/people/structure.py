"""Routes of the company structure: municipalities, clients, product groups, locations,
workfloors and groups.

The six kinds share one mechanism (`Kind` and `register`): a searchable, paged list with an
active/inactive filter, a form to create and change, and (de)activation with an audit record.
What differs per kind is declared explicitly in its `Kind` below: its form and choices, its list
query with counts, what the search looks in, who may read and who may manage.
"""

from dataclasses import dataclass
from functools import partial
from typing import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import JOIN, fn
from playhouse.shortcuts import model_to_dict

from portal.auth.access import (can_edit_employees, has_role, require_group, roles_required,
                                sees_all_groups)
from portal.auth.models import ADMIN, HR, PLANNER, SUPERVISOR, User
from portal.forms import choices
from portal.listing import paginate, search_filter
from portal.people import bp
from portal.people import structure_forms as forms
from portal.people import structure_rules as rules
from portal.people.models import (Client, Employee, Location, Municipality, ProductGroup, Workfloor,
                                  WorkGroup)
from portal.refusal import Refused
from portal.views import is_fragment_request, put_refusal, render_form_errors, respond

STATUSES = ("active", "inactive", "all")


@dataclass(frozen=True)
class Kind:
    """One kind of master data: its model, form, list and who may see or change it."""

    name: str  # endpoints new_<name>, edit_<name>, ...; templates <name>_form.html
    plural: str  # the list's endpoint list_<plural> and URL /people/<plural>
    model: type
    form: type
    title: str
    new_label: str
    search_label: str
    readers: tuple
    managers: tuple
    rows: Callable  # rows(user) -> the list's query, counts included
    search: tuple  # the fields the search box looks in
    fill_choices: Callable = lambda form, row: None
    guard: Callable = lambda user, row: None  # :raise 404: for a row the user may not see
    details: Callable = lambda row: {}  # more of a stored row for its page, such as members
    path: str = ""  # the URL's word when `plural` is two words (hyphens in URLs); else plural

    def endpoint(self, action: str) -> str:
        if action == "list":
            return f"people.list_{self.plural}"
        if action == "set_active":
            return f"people.set_{self.name}_active"
        return f"people.{action}_{self.name}"

    def url(self, action: str, row=None, **args) -> str:
        if row is not None:
            args["item_id"] = row.id
        return url_for(self.endpoint(action), **args)

    def can_manage(self, user) -> bool:
        return has_role(user, *self.managers)

    @property
    def list_template(self) -> str:
        return f"people/{self.plural}.html"

    @property
    def rows_template(self) -> str:
        return f"people/_partials/{self.name}_rows.html"

    @property
    def form_template(self) -> str:
        return f"people/{self.name}_form.html"


# -- The generic views ------------------------------------------------------------------------

def list_view(kind: Kind):
    """List the rows of a kind: searchable, paged, active or inactive ones."""
    status = request.args.get("status")
    if status not in STATUSES:
        status = "active"
    query = kind.rows(current_user)
    if status != "all":
        query = query.where(kind.model.is_active == (status == "active"))
    query = search_filter(query, request.args.get("q"), *kind.search)
    page = paginate(query, request.args, current_app.config["PAGE_SIZE"])
    return respond(kind.list_template, kind.rows_template, kind=kind, page=page, status=status,
                   can_manage=kind.can_manage(current_user))


def _load(kind: Kind, item_id: int):
    """:raise 404: when there is no such row, or the user may not see it."""
    row = kind.model.get_or_none(kind.model.id == item_id) or abort(404)
    kind.guard(current_user, row)
    return row


def _form_page(kind: Kind, form, row, refused: bool = False):
    context = dict(kind=kind, form=form, row=row, can_manage=kind.can_manage(current_user),
                   can_edit_employees=can_edit_employees(current_user),
                   **(kind.details(row) if row is not None else {}))
    if refused:
        return render_form_errors(kind.form_template, **context)
    return render_template(kind.form_template, **context)


def new_view(kind: Kind):
    """Show the empty form of a new row."""
    form = kind.form(formdata=None)
    kind.fill_choices(form, None)
    return _form_page(kind, form, None)


def edit_view(kind: Kind, item_id: int):
    """Show a row's form (read-only for those who may not change it)."""
    row = _load(kind, item_id)
    form = kind.form(formdata=None, data=model_to_dict(row, recurse=False))
    kind.fill_choices(form, row)
    return _form_page(kind, form, row)


def save_view(kind: Kind, item_id: int | None = None):
    """Create a row, or change one; refused values come back beside their fields with 422."""
    row = _load(kind, item_id) if item_id is not None else None
    form = kind.form()
    kind.fill_choices(form, row)
    if form.validate():
        values = {name: value for name, value in form.data.items() if name != "csrf_token"}
        try:
            saved = rules.save(kind.model, row, values, actor=current_user.id)
        except Refused as refused:
            put_refusal(form, refused)
        else:
            flash(_("%(name)s created.", name=saved.name) if row is None
                  else _("%(name)s saved.", name=saved.name), "success")
            return _go(kind.url("list"))
    return _form_page(kind, form, row, refused=True)


def set_active_view(kind: Kind, item_id: int):
    """Deactivate or reactivate a row; refused while active rows still depend on it."""
    row = _load(kind, item_id)
    active = request.form.get("active") == "1"
    try:
        rules.set_active(row, active, actor=current_user.id)
    except Refused as refused:
        flash(refused.message, "error")
    else:
        flash(_("%(name)s activated.", name=row.name) if active
              else _("%(name)s deactivated.", name=row.name), "success")
    return redirect(kind.url("edit", row), 303)


def _go(url: str):
    """After a successful post: a redirect, which htmx must do as a whole page (with its flash)."""
    if is_fragment_request():
        return "", 204, {"HX-Redirect": url}
    return redirect(url, 303)


def register(kind: Kind) -> Kind:
    """Add the six routes of a kind to the people blueprint."""
    readers, managers = roles_required(*kind.readers), roles_required(*kind.managers)
    # A bounded id: a forged huge number answers 404 instead of overflowing the database.
    word = kind.path or kind.plural
    base, one = f"/{word}", f"/{word}/<int(min=1, max={2**31 - 1}):item_id>"
    routes = [
        (base, "list", "GET", readers, list_view),
        (f"{base}/new", "new", "GET", managers, new_view),
        (base, "create", "POST", managers, save_view),
        (f"{one}/edit", "edit", "GET", readers, edit_view),
        (one, "update", "POST", managers, save_view),
        (f"{one}/active", "set_active", "POST", managers, set_active_view),
    ]
    for path, action, method, allowed, view in routes:
        endpoint = kind.endpoint(action).removeprefix("people.")
        bp.add_url_rule(path, endpoint, allowed(partial(view, kind)), methods=[method])
    return kind


# -- The kinds: what each lists, counts, searches and offers ----------------------------------

def _active_count(model, *where):
    """A correlated COUNT of active rows: the page's counts come in its one query, not per row."""
    return model.select(fn.COUNT(model.id)).where(model.is_active == True, *where)  # noqa: E712


def _none_choice(options) -> list:
    return choices([("", _("— choose —")), *options])


def municipality_rows(user):
    return (Municipality
            .select(Municipality, _active_count(
                Employee, Employee.municipality == Municipality.id).alias("employee_count"))
            .order_by(Municipality.name))


def client_rows(user):
    return (Client
            .select(Client, _active_count(Location, Location.client == Client.id)
                    .alias("site_count"))
            .order_by(Client.name))


def product_group_rows(user):
    return ProductGroup.select().order_by(ProductGroup.name)


def location_rows(user):
    return (Location
            .select(Location, Client, _active_count(Workfloor, Workfloor.location == Location.id)
                    .alias("workfloor_count"))
            .join(Client, JOIN.LEFT_OUTER)
            .order_by(Location.name))


def fill_location_choices(form, row):
    form.client.choices = _none_choice(rules.client_options(getattr(row, "client_id", None)))


def workfloor_rows(user):
    return (Workfloor
            .select(Workfloor, Location, _active_count(
                WorkGroup, WorkGroup.workfloor == Workfloor.id).alias("group_count"))
            .join(Location)
            .order_by(Location.name, Workfloor.name))


def fill_workfloor_choices(form, row):
    form.location.choices = _none_choice(
        rules.own_location_options(getattr(row, "location_id", None)))


def group_rows(user):
    query = (WorkGroup
             .select(WorkGroup, Workfloor, Location, User, _active_count(
                 Employee, Employee.work_group == WorkGroup.id).alias("employee_count"))
             .join(Workfloor).join(Location)
             .switch(WorkGroup).join(User, JOIN.LEFT_OUTER)
             .order_by(WorkGroup.name))
    if not sees_all_groups(user):
        query = query.where(WorkGroup.supervisor == user.id)
    return query


def group_members(group) -> dict:
    """The group's active members, by name: the list its page shows."""
    members = (Employee.select(Employee.id, Employee.first_name, Employee.last_name,
                               Employee.employee_number, Employee.employment)
               .where((Employee.work_group == group.id) & Employee.is_active)
               .order_by(Employee.first_name, Employee.last_name))
    return {"members": list(members)}


def fill_group_choices(form, row):
    form.supervisor.choices = _none_choice(rules.supervisor_options())
    form.workfloor.choices = _none_choice(
        rules.workfloor_options(getattr(row, "workfloor_id", None)))


MUNICIPALITIES = register(Kind(
    name="municipality", plural="municipalities", model=Municipality,
    form=forms.MunicipalityForm, title=_l("Municipalities"), new_label=_l("New municipality"),
    search_label=_l("Search by name"),
    readers=(ADMIN, PLANNER), managers=(ADMIN,),
    rows=municipality_rows, search=(Municipality.name,)))

# The planner takes client orders, so he keeps the client list up to date as well.
CLIENTS = register(Kind(
    name="client", plural="clients", model=Client, form=forms.ClientForm,
    title=_l("Clients"), new_label=_l("New client"),
    search_label=_l("Search by name, KvK number or contact person"),
    readers=(ADMIN, PLANNER), managers=(ADMIN, PLANNER),
    rows=client_rows, search=(Client.name, Client.kvk_number, Client.contact_name)))

# What kind of work an order is, for the order figures; the planner names them as he takes
# orders in, as he does clients.
PRODUCT_GROUPS = register(Kind(
    name="product_group", plural="product_groups", path="product-groups", model=ProductGroup,
    form=forms.ProductGroupForm, title=_l("Product groups"), new_label=_l("New product group"),
    search_label=_l("Search by name"),
    readers=(ADMIN, PLANNER), managers=(ADMIN, PLANNER),
    rows=product_group_rows, search=(ProductGroup.name,)))

LOCATIONS = register(Kind(
    name="location", plural="locations", model=Location, form=forms.LocationForm,
    title=_l("Locations"), new_label=_l("New location"),
    search_label=_l("Search by name, city or client"),
    readers=(ADMIN, PLANNER), managers=(ADMIN,),
    rows=location_rows, search=(Location.name, Location.city, Client.name),
    fill_choices=fill_location_choices))

WORKFLOORS = register(Kind(
    name="workfloor", plural="workfloors", model=Workfloor, form=forms.WorkfloorForm,
    title=_l("Workfloors"), new_label=_l("New workfloor"),
    search_label=_l("Search by name or location"),
    readers=(ADMIN, PLANNER), managers=(ADMIN,),
    rows=workfloor_rows, search=(Workfloor.name, Location.name),
    fill_choices=fill_workfloor_choices))

# hr reads the groups; a supervisor sees only the groups he leads (others answer 404).
GROUPS = register(Kind(
    name="group", plural="groups", model=WorkGroup, form=forms.GroupForm,
    title=_l("Groups"), new_label=_l("New group"),
    search_label=_l("Search by name, supervisor or workfloor"),
    readers=(ADMIN, PLANNER, HR, SUPERVISOR), managers=(ADMIN,),
    rows=group_rows, search=(WorkGroup.name, Workfloor.name, User.display_name),
    fill_choices=fill_group_choices, guard=require_group, details=group_members))
