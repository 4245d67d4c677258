"""Product groups: the planner's list of kinds of work, kept like the other master data."""

from portal.audit import AuditEntry
from portal.people import structure_rules
from portal.people.models import ProductGroup


def test_the_planner_adds_renames_and_deactivates_a_product_group(client, login, make):
    planner = make.user("planner")
    login(planner)
    assert client.post("/people/product-groups", data={"name": "Verpakken"}).status_code == 303
    group = ProductGroup.get()
    page = client.get("/people/product-groups").get_data(as_text=True)
    assert "Verpakken" in page and "Nieuwe productgroep" in page
    renamed = client.post(f"/people/product-groups/{group.id}", data={"name": "Inpakken"})
    assert renamed.status_code == 303 and ProductGroup.get().name == "Inpakken"
    off = client.post(f"/people/product-groups/{group.id}/active", data={"active": "0"})
    assert off.status_code == 303 and not ProductGroup.get().is_active
    assert [e.action for e in AuditEntry.select().order_by(AuditEntry.id)] == [
        "product_group.create", "product_group.update", "product_group.deactivate"]
    row = '<th scope="row">Inpakken</th>'
    assert row not in client.get("/people/product-groups").get_data(as_text=True)
    assert row in client.get("/people/product-groups?status=inactive").get_data(as_text=True)


def test_a_name_is_unique_whatever_its_letters_and_required(client, login, make):
    login(make.user("admin"))
    make.product_group(name="Assemblage")
    taken = client.post("/people/product-groups", data={"name": "assemblage"})
    assert taken.status_code == 422
    assert "Er is al een productgroep met deze naam." in taken.get_data(as_text=True)
    assert client.post("/people/product-groups", data={"name": "  "}).status_code == 422
    assert ProductGroup.select().count() == 1


def test_a_product_group_with_orders_may_be_deactivated_and_they_keep_it(app, make):
    group = make.product_group(name="Textiel")
    order = make.order(product_group=group)
    structure_rules.set_active(group, False, actor=None)
    assert type(order).get_by_id(order.id).product_group_id == group.id
    # New orders are offered the active ones; an order that has it keeps it in its choice.
    other = make.product_group(name="Assemblage")
    assert structure_rules.product_group_options() == [(other.id, "Assemblage")]
    assert structure_rules.product_group_options(group.id) == [(other.id, "Assemblage"),
                                                               (group.id, "Textiel")]
