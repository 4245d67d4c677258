"""Rules of the company structure that need the database.

What a row may point at (an active client, an own site, an active supervisor), which names must
be unique, and when a row may be deactivated. Rows are never deleted: history points at them.
Every change is logged in the audit log.
"""

import peewee
from flask_babel import gettext as _
from flask_babel import ngettext
from peewee import fn
from playhouse.shortcuts import model_to_dict

from portal import audit
from portal.auth.access import active_users_with_role, has_role
from portal.auth.models import SUPERVISOR, User
from portal.db import write_transaction
from portal.people.models import (Client, Employee, Location, Municipality, ProductGroup, Workfloor,
                                  WorkGroup)
from portal.refusal import Refused

# The name each model has in the audit log (and in the URLs).
AUDIT_NAMES = {Municipality: "municipality", Client: "client", ProductGroup: "product_group",
               Location: "location", Workfloor: "workfloor", WorkGroup: "group"}


def _name_taken(model, name: str, current, *scope) -> bool:
    """Tell whether another row (in the scope) has this name, whatever its letter case."""
    query = model.select().where(fn.LOWER(model.name) == name.lower(), *scope)
    if current is not None:
        query = query.where(model.id != current.id)
    return query.exists()


def _usable(model, row_id, current_id=None):
    """The active row with this id, or the row the record already points at (even if inactive)."""
    if row_id is None:
        return None
    row = model.get_or_none(model.id == row_id)
    if row is not None and (row.is_active or row.id == current_id):
        return row
    return None


def _active_count(model, *where) -> int:
    return model.select().where(model.is_active == True, *where).count()  # noqa: E712


# -- What each kind checks before it is stored ------------------------------------------------

def check_municipality(values: dict, current=None) -> dict:
    """The problems of a municipality's new values, by field."""
    if _name_taken(Municipality, values["name"], current):
        return {"name": _("There is already a municipality with this name.")}
    return {}


def check_client(values: dict, current=None) -> dict:
    """The problems of a client's new values, by field."""
    if _name_taken(Client, values["name"], current):
        return {"name": _("There is already a client with this name.")}
    return {}


def check_product_group(values: dict, current=None) -> dict:
    """The problems of a product group's new values, by field."""
    if _name_taken(ProductGroup, values["name"], current):
        return {"name": _("There is already a product group with this name.")}
    return {}


def check_location(values: dict, current=None) -> dict:
    """The problems of a location's new values: unique name, an active client for a client site."""
    errors = {}
    if _name_taken(Location, values["name"], current):
        errors["name"] = _("There is already a location with this name.")
    if values["kind"] == "client":
        if _usable(Client, values["client"], getattr(current, "client_id", None)) is None:
            errors["client"] = _("This client does not exist or is inactive.")
        if current is not None and _active_count(Workfloor, Workfloor.location == current.id):
            errors["kind"] = _("This site has active workfloors; only an own site can have them.")
    return errors


def check_workfloor(values: dict, current=None) -> dict:
    """The problems of a workfloor's new values: an active own site, a name unique there."""
    location = _usable(Location, values["location"], getattr(current, "location_id", None))
    if location is None:
        return {"location": _("This location does not exist or is inactive.")}
    if location.kind != "own":
        return {"location": _("A workfloor must be on an own site, not at a client.")}
    if _name_taken(Workfloor, values["name"], current, Workfloor.location == location.id):
        return {"name": _("This location already has a workfloor with this name.")}
    return {}


def check_group(values: dict, current=None) -> dict:
    """The problems of a group's new values: unique name, an active supervisor and workfloor."""
    errors = {}
    if _name_taken(WorkGroup, values["name"], current):
        errors["name"] = _("There is already a group with this name.")
    supervisor = User.get_or_none(User.id == values["supervisor"])
    if supervisor is None or not supervisor.is_active or not has_role(supervisor, SUPERVISOR):
        errors["supervisor"] = _("Choose an active user with the role supervisor.")
    if _usable(Workfloor, values["workfloor"], getattr(current, "workfloor_id", None)) is None:
        errors["workfloor"] = _("This workfloor does not exist or is inactive.")
    return errors


CHECKS = {Municipality: check_municipality, Client: check_client,
          ProductGroup: check_product_group, Location: check_location,
          Workfloor: check_workfloor, WorkGroup: check_group}


def save(model, current, values: dict, *, actor):
    """Create (current None) or change a row after its checks, and log it.

    :raise Refused: with the problems by field; nothing is stored then.
    """
    try:
        with write_transaction():
            errors = CHECKS[model](values, current)
            if errors:
                raise Refused.of(errors)
            name = AUDIT_NAMES[model]
            if current is None:
                row = model.create(**values)
                audit.record(f"{name}.create", row, user=actor, after=_snapshot(row))
                return row
            # A copy, so that the caller's row keeps its stored values if the write fails.
            row = model(**{**_snapshot(current), **values})
            row.save()
            audit.record(f"{name}.update", row, user=actor, before=_snapshot(current),
                         after=_snapshot(row))
            return row
    except peewee.IntegrityError:
        # Someone stored the same name between our check and our write: now the check sees it.
        errors = CHECKS[model](values, current)
        if errors:
            raise Refused.of(errors) from None
        raise


def _snapshot(row) -> dict:
    return model_to_dict(row, recurse=False)


# -- Deactivation: refused while active rows still depend on the row ------------------------

def deactivation_problem(row) -> str | None:
    """Why a row may not be deactivated now (active rows still depend on it), or None."""
    if isinstance(row, ProductGroup):
        # Orders keep the product group they have; it only stops being offered for new ones.
        return None
    if isinstance(row, Municipality):
        count = _active_count(Employee, Employee.municipality == row.id)
        message = ngettext("This municipality still has %(num)d active employee.",
                           "This municipality still has %(num)d active employees.", count)
    elif isinstance(row, Client):
        count = _active_count(Location, Location.client == row.id)
        message = ngettext(
            "This client still has %(num)d active site. Deactivate it first.",
            "This client still has %(num)d active sites. Deactivate them first.", count)
    elif isinstance(row, Location):
        count = _active_count(Workfloor, Workfloor.location == row.id)
        message = ngettext(
            "This location still has %(num)d active workfloor. Deactivate it first.",
            "This location still has %(num)d active workfloors. Deactivate them first.", count)
    elif isinstance(row, Workfloor):
        count = _active_count(WorkGroup, WorkGroup.workfloor == row.id)
        message = ngettext(
            "This workfloor still has %(num)d active group. Move or deactivate it first.",
            "This workfloor still has %(num)d active groups. Move or deactivate them first.",
            count)
    else:
        count = _active_count(Employee, Employee.work_group == row.id)
        message = ngettext(
            "This group still has %(num)d active employee. Move the employee to another "
            "group first.",
            "This group still has %(num)d active employees. Move them to another group first.",
            count)
    return message if count else None


def activation_problem(row) -> str | None:
    """Why a row may not be made active again now (its parent is inactive), or None."""
    if isinstance(row, Location) and row.client_id and not row.client.is_active:
        return _("Activate the client %(name)s first.", name=row.client.name)
    if isinstance(row, Workfloor) and not row.location.is_active:
        return _("Activate the location %(name)s first.", name=row.location.name)
    if isinstance(row, WorkGroup) and not row.workfloor.is_active:
        return _("Activate the workfloor %(name)s first.", name=row.workfloor.name)
    return None


def set_active(row, active: bool, *, actor) -> None:
    """Deactivate or reactivate a row, and log it.

    :raise Refused: when rows still depend on it, or its parent is inactive.
    """
    if row.is_active == active:
        return
    with write_transaction():
        problem = activation_problem(row) if active else deactivation_problem(row)
        if problem:
            raise Refused(problem)
        row.is_active = active
        row.save(only=[type(row).is_active])
        name = AUDIT_NAMES[type(row)]
        audit.record(f"{name}.activate" if active else f"{name}.deactivate", row, user=actor,
                     before={"is_active": not active}, after={"is_active": active})


# -- What the forms offer: active rows, plus the one a record already points at ------------

def _options(query, model, current_id, label):
    condition = model.is_active == True  # noqa: E712
    if current_id is not None:
        condition |= model.id == current_id
    return [(row.id, label(row)) for row in query.where(condition)]


def client_options(current_id=None) -> list:
    return _options(Client.select().order_by(Client.name), Client, current_id,
                    lambda client: client.name)


def product_group_options(current_id=None) -> list:
    """The product groups an order can be given: the active ones, and the one it has."""
    return _options(ProductGroup.select().order_by(ProductGroup.name), ProductGroup, current_id,
                    lambda group: group.name)


def own_location_options(current_id=None) -> list:
    query = Location.select().where(Location.kind == "own").order_by(Location.name)
    return _options(query, Location, current_id,
                    lambda location: f"{location.name} ({location.city})" if location.city
                    else location.name)


def workfloor_options(current_id=None) -> list:
    query = (Workfloor.select(Workfloor, Location).join(Location)
             .order_by(Location.name, Workfloor.name))
    return _options(query, Workfloor, current_id,
                    lambda floor: f"{floor.location.name} · {floor.name}")


def supervisor_options() -> list:
    query = active_users_with_role(SUPERVISOR).order_by(User.display_name)
    return [(user.id, user.display_name) for user in query]
