"""Orders, the planning board and production: every route for every role.

Planners and admins take orders and plan. A supervisor sees the board rows and the orders of his
own groups and registers their production (another group's order: 404). An admin may register
production for any group. HR has no access to client orders (403 everywhere).
The XLSX variant of the export is binary (the matrix reads answers as text): its roles are
checked in tests/orders/test_views.py.
"""

from tests import access
from tests.access import Case, only

PLANNERS = ("admin", "planner")


def _orders_world(w, make):
    from portal.timeutil import today

    w.order = make.order(client=w.client, status="gepland", created_by=w.planner)
    w.other_order = make.order(client=w.client, status="gepland", created_by=w.planner)
    w.assignment = make.assignment(w.order, w.group, today(), "6")
    w.other_assignment = make.assignment(w.other_order, w.other_group, today(), "6")
    w.today = today().isoformat()


access.WORLD_HOOKS.append(_orders_world)


def _production(order, group):
    return lambda w: {"order": getattr(w, order).id, "group": getattr(w, group).id,
                      "quantity": "10", "rejects": "0", "day": w.today}


CASES = [
    Case("orders.list_orders", "GET", only(PLANNERS)),
    Case("orders.export_orders", "GET", only(PLANNERS), args=lambda w: {"fmt": "csv"}),
    Case("orders.new_order", "GET", only(PLANNERS)),
    Case("orders.create_order", "POST", only(PLANNERS, 422)),
    Case("orders.show_order", "GET", only(PLANNERS + ("supervisor",)),
         args=lambda w: {"order_id": w.order.id}),
    Case("orders.show_order", "GET", only(PLANNERS, supervisor=404),
         args=lambda w: {"order_id": w.other_order.id}),
    Case("orders.set_status", "POST", only(PLANNERS, 303),
         args=lambda w: {"order_id": w.order.id}, data=lambda w: {"status": "in_productie"}),
    Case("orders.set_product_group", "POST", only(PLANNERS, 303),
         args=lambda w: {"order_id": w.order.id},
         data=lambda w: {"product_group": w.product_group.id}),
    Case("orders.board", "GET", only(PLANNERS + ("supervisor",))),
    Case("orders.assign", "POST", only(PLANNERS, 303),
         data=lambda w: {"order": w.order.id, "group": w.group.id, "day": w.today,
                         "hours": "2"}),
    Case("orders.edit_assignment", "GET", only(PLANNERS),
         args=lambda w: {"assignment_id": w.assignment.id}),
    Case("orders.move_assignment", "POST", only(PLANNERS, 303),
         args=lambda w: {"assignment_id": w.assignment.id},
         data=lambda w: {"group": w.other_group.id, "day": w.today}),
    Case("orders.remove_assignment", "POST", only(PLANNERS, 303),
         args=lambda w: {"assignment_id": w.assignment.id}),
    Case("orders.today_view", "GET", only(("admin", "supervisor"))),
    Case("orders.register_production", "POST", only(("admin", "supervisor"), 303),
         data=_production("order", "group")),
    Case("orders.register_production", "POST", only(("admin",), 303, supervisor=404),
         data=_production("other_order", "other_group")),
]
