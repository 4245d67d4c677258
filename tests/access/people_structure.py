"""Who may read and who may manage the company structure.

admin manages all six kinds. The planner reads them all and manages clients and product groups
(he takes client orders and says what kind of work they are). hr reads the groups. A supervisor reads only the groups he leads: the list is
filtered, another group's page answers 404, and every other list 403.
"""

from tests import access
from tests.access import Case, only

ADMIN = ("admin",)
READ_ALL = ("admin", "planner")

# kind -> (plural, the world's row of that kind, who reads, who manages)
KINDS = {
    "municipality": ("municipalities", lambda w: w.municipality, READ_ALL, ADMIN),
    "client": ("clients", lambda w: w.client, READ_ALL, ("admin", "planner")),
    "product_group": ("product_groups", lambda w: w.product_group, READ_ALL,
                      ("admin", "planner")),
    "location": ("locations", lambda w: w.location, READ_ALL, ADMIN),
    "workfloor": ("workfloors", lambda w: w.workfloor, READ_ALL, ADMIN),
}


def _product_group_world(w, make):
    w.product_group = make.product_group()


access.WORLD_HOOKS.append(_product_group_world)


def _cases(kind, plural, row, readers, managers):
    one = lambda w: {"item_id": row(w).id}  # noqa: E731
    return [
        Case(f"people.list_{plural}", "GET", only(readers)),
        Case(f"people.new_{kind}", "GET", only(managers)),
        # An empty post: a manager gets the form back with its messages.
        Case(f"people.create_{kind}", "POST", only(managers, 422)),
        Case(f"people.edit_{kind}", "GET", only(readers), args=one),
        Case(f"people.update_{kind}", "POST", only(managers, 422), args=one),
        Case(f"people.set_{kind}_active", "POST", only(managers, 303), args=one,
             data=lambda w: {"active": "1"}),
    ]


CASES = [case for kind, spec in KINDS.items() for case in _cases(kind, *spec)] + [
    # Groups: hr reads; a supervisor reads the groups he leads (filtered list) and no other.
    Case("people.list_groups", "GET", only(("admin", "planner", "hr", "supervisor"))),
    Case("people.new_group", "GET", only(ADMIN)),
    Case("people.create_group", "POST", only(ADMIN, 422)),
    Case("people.edit_group", "GET", only(("admin", "planner", "hr", "supervisor")),
         args=lambda w: {"item_id": w.group.id}),
    Case("people.edit_group", "GET", only(("admin", "planner", "hr"), supervisor=404),
         args=lambda w: {"item_id": w.other_group.id}),
    Case("people.update_group", "POST", only(ADMIN, 422), args=lambda w: {"item_id": w.group.id}),
    Case("people.set_group_active", "POST", only(ADMIN, 303),
         args=lambda w: {"item_id": w.group.id}, data=lambda w: {"active": "1"}),
]
