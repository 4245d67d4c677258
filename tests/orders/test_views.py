"""The orders pages per role: intake, list, exports, status, board changes, production."""

import csv
import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from portal.orders.models import Assignment, Order, OrderStatusChange, Production
from portal.timeutil import today


def _monday():
    day = today()
    return day - timedelta(days=day.weekday())


@pytest.fixture
def setup(make):
    planner = make.user("planner")
    group = make.group()
    make.employee(work_group=group)
    order = make.order(created_by=planner, start_date=_monday(),
                       due_date=_monday() + timedelta(days=25))
    return planner, group, order


def _intake(client_id, **changes):
    data = {"client": client_id, "product": "Dozen vouwen", "quantity": "500", "unit": "stuks",
            "norm_per_hour": "12,5", "start_date": today().isoformat(),
            "due_date": (today() + timedelta(days=10)).isoformat(), "place": "", "notes": ""}
    data.update(changes)
    return data


def test_planner_takes_in_an_order(client, login, make):
    planner = make.user("planner")
    customer = make.client()
    floor = make.workfloor()
    login(planner)
    response = client.post("/orders/", data=_intake(customer.id, place=f"workfloor-{floor.id}"))
    assert response.status_code == 303
    order = Order.get()
    assert (order.quantity, order.norm_per_hour, order.workfloor_id, order.status) == (
        500, D("12.5"), floor.id, "intake")
    assert OrderStatusChange.get().changed_by_id == planner.id
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Dozen vouwen" in page and "40" in page  # 500 / 12.5 = 40 hours


@pytest.mark.parametrize("changes,message", [
    ({"quantity": "0"}, "De hoeveelheid moet tussen 1 en"),
    ({"quantity": "-5"}, "De hoeveelheid moet tussen 1 en"),
    ({"quantity": "veel"}, ""),
    ({"norm_per_hour": "0"}, "De norm moet meer dan 0 zijn"),
    ({"norm_per_hour": "NaN"}, "Vul een getal in"),
    ({"norm_per_hour": "1e999999"}, ""),
    ({"due_date": "2001-01-01", "start_date": "2001-01-01"},
     "De leverdatum kan niet in het verleden liggen"),
    ({"due_date": "31-02-2026"}, ""),
    ({"product": "   "}, "Dit veld is verplicht"),
    ({"client": "999999"}, ""),
    ({"client": "abc"}, ""),
    ({"place": "workfloor-999"}, ""),
    ({"quantity": "99999999999999999999"}, ""),
])
def test_bad_intake_is_refused_with_a_dutch_message_and_nothing_stored(client, login, make,
                                                                        changes, message):
    login(make.user("planner"))
    customer = make.client()
    response = client.post("/orders/", data=_intake(customer.id, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert Order.select().count() == 0


def test_an_inactive_client_cannot_give_an_order(client, login, make):
    login(make.user("planner"))
    customer = make.client(is_active=False)
    assert client.post("/orders/", data=_intake(customer.id)).status_code == 422
    assert Order.select().count() == 0


def test_the_list_puts_late_orders_first_and_filters(client, login, make, setup):
    planner, group, on_time = setup
    other_client = make.client(name="Laat BV")
    late = make.order(client=other_client, product="Te laat product", status="in_productie",
                      start_date=today() - timedelta(days=30), due_date=today() - timedelta(days=1))
    make.order(status="gefactureerd", product="Gefactureerd product")
    login(planner)
    page = client.get("/orders/").get_data(as_text=True)
    assert page.index("Te laat product") < page.index(on_time.product)
    assert "Te laat" in page and "<progress" in page
    filtered = client.get(f"/orders/?client={other_client.id}", headers={"HX-Request": "true"})
    text = filtered.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="order-rows"')
    assert "Te laat product" in text and on_time.product not in text
    by_status = client.get("/orders/?status=open").get_data(as_text=True)
    assert "Gefactureerd product" not in by_status and late.product in by_status
    junk = client.get("/orders/?client=abc&status=%3Cx%3E&workfloor=-1&page=zz")
    assert junk.status_code == 200


def test_the_list_filters_by_workfloor(client, login, make):
    floor = make.workfloor()
    make.order(product="Op de vloer", workfloor=floor)
    make.order(product="Nergens")
    login(make.user("admin"))
    text = client.get(f"/orders/?workfloor={floor.id}").get_data(as_text=True)
    assert "Op de vloer" in text and "Nergens" not in text
    # Under the product the list names its place, and the exports have it in their column.
    assert f'<span class="muted">{floor.name}</span>' in text
    body = client.get(f"/orders/export.csv?workfloor={floor.id}").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[1][rows[0].index("Werkvloer of locatie")] == floor.name


def test_the_list_pages(client, login, make):
    login(make.user("planner"))
    customer = make.client()
    for n in range(30):
        make.order(client=customer, product=f"Serie {n:02d}")
    first = client.get("/orders/").get_data(as_text=True)
    second = client.get("/orders/?page=2").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in second


def test_csv_export_is_excel_ready_and_guards_formulas(client, login, make):
    login(make.user("planner"))
    order = make.order(product="=HYPERLINK(\"http://x\")", notes="+31 6 1234",
                       norm_per_hour=D("12.5"), quantity=100)
    response = client.get("/orders/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Order" and rows[0][1] == "Klant"
    assert rows[1][2] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][-1] == "'+31 6 1234"
    column = rows[0].index
    assert rows[1][column("Norm (eenheden per uur)")] == "12,5"
    assert rows[1][column("Benodigde uren")] == "8"
    # Days the Dutch way, as in every CSV of the portal (not ISO).
    assert rows[1][rows[0].index("Leverdatum")] == order.due_date.strftime("%d-%m-%Y")


def test_xlsx_export_has_numbers_as_numbers_and_text_as_string_cells(client, login, make):
    login(make.user("admin"))
    order = make.order(product="@SUM(A1)", quantity=100, norm_per_hour=D("12.5"))
    response = client.get("/orders/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    column = [cell.value for cell in sheet[1]].index
    values = [cell.value for cell in sheet[2]]
    assert values[2] == "@SUM(A1)" and sheet.cell(row=2, column=3).data_type == "s"
    assert values[column("Hoeveelheid")] == 100
    assert values[column("Norm (eenheden per uur)")] == 12.5
    assert values[column("Benodigde uren")] == 8
    assert values[column("Leverdatum")].date() == order.due_date


def test_status_moves_are_recorded_and_jumps_refused(client, login, make, setup):
    planner, group, order = setup
    login(planner)
    assert client.post(f"/orders/{order.id}/status", data={"status": "gereed"}).status_code == 303
    assert Order.get_by_id(order.id).status == "intake"
    client.post(f"/orders/{order.id}/status", data={"status": "gepland"})
    assert Order.get_by_id(order.id).status == "gepland"
    change = OrderStatusChange.select().order_by(OrderStatusChange.id.desc()).get()
    assert (change.from_status, change.to_status, change.changed_by_id) == (
        "intake", "gepland", planner.id)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Intake → Gepland" in page


def test_a_supervisor_sees_only_orders_planned_on_his_groups(client, login, make, setup):
    planner, group, order = setup
    other = make.order()
    make.assignment(order, group, _monday())
    login(group.supervisor)
    assert client.get(f"/orders/{order.id}").status_code == 200
    assert client.get(f"/orders/{other.id}").status_code == 404
    assert client.get("/orders/").status_code == 403


@pytest.mark.parametrize("role,status", [("hr", 403), ("supervisor", 403), ("planner", 200)])
def test_the_xlsx_export_is_for_planners_and_admins(client, login, make, role, status):
    login(make.user(role))
    assert client.get("/orders/export.xlsx").status_code == status


def test_an_order_gets_its_product_group_at_intake_and_on_its_page(client, login, make):
    planner = make.user("planner")
    customer = make.client()
    packing, assembly = make.product_group(name="Verpakken"), make.product_group(name="Assemblage")
    make.product_group(name="Kerstpakketten", is_active=False)
    login(planner)
    form = client.get("/orders/new").get_data(as_text=True)
    assert "Verpakken" in form and "Kerstpakketten" not in form and "Geen productgroep" in form
    assert client.post("/orders/", data=_intake(customer.id, product_group=packing.id)
                       ).status_code == 303
    order = Order.get()
    assert order.product_group_id == packing.id
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Verpakken" in page and "Productgroep opslaan" in page
    moved = client.post(f"/orders/{order.id}/product-group", data={"product_group": assembly.id})
    assert moved.status_code == 303 and Order.get().product_group_id == assembly.id
    assert client.post(f"/orders/{order.id}/product-group",
                       data={"product_group": ""}).status_code == 303
    assert Order.get().product_group_id is None


@pytest.mark.parametrize("value", ["999999", "abc", "inactive"])
def test_an_unknown_or_inactive_product_group_is_refused(client, login, make, value):
    login(make.user("planner"))
    customer = make.client()
    retired = make.product_group(name="Kerstpakketten", is_active=False)
    value = str(retired.id) if value == "inactive" else value
    response = client.post("/orders/", data=_intake(customer.id, product_group=value))
    assert response.status_code == 422
    assert "Kies er een uit de lijst." in response.get_data(as_text=True)
    assert Order.select().count() == 0
    order = make.order()
    client.post(f"/orders/{order.id}/product-group", data={"product_group": value})
    assert Order.get_by_id(order.id).product_group_id is None


def test_an_order_keeps_its_product_group_after_it_was_deactivated(client, login, make):
    login(make.user("planner"))
    retired = make.product_group(name="Kerstpakketten", is_active=False)
    order = make.order(product_group=retired)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Kerstpakketten" in page  # shown, and offered in its own choice
    kept = client.post(f"/orders/{order.id}/product-group", data={"product_group": retired.id})
    assert kept.status_code == 303 and Order.get_by_id(order.id).product_group_id == retired.id


@pytest.fixture
def grouped(make):
    """Three orders: one in an active product group, one in an inactive one, one in none."""
    packing = make.product_group(name="Inpakken")
    old = make.product_group(name="Solderen", is_active=False)
    make.product_group(name="Ongebruikt oud", is_active=False)
    orders = (make.order(product="Dozen inpakken", product_group=packing),
              make.order(product="Printplaten solderen", product_group=old),
              make.order(product="Losse klus"))
    return packing, old, orders


def test_the_list_shows_and_filters_by_product_group(client, login, make, grouped):
    packing, old, (packed, soldered, loose) = grouped
    login(make.user("planner"))
    page = client.get("/orders/").get_data(as_text=True)
    assert "<th scope=\"col\" class=\"col-product-group\">Productgroep</th>" in page
    assert '<td class="col-product-group">Inpakken</td>' in page
    assert '<td class="col-product-group">–</td>' in page
    # The filter offers the active group, the inactive one orders still carry (marked), and
    # orders without one; not an inactive group that no order carries.
    assert f'<option value="{packing.id}">Inpakken</option>' in page
    assert f'<option value="{old.id}">Solderen (inactief)</option>' in page
    assert '<option value="none">Zonder productgroep</option>' in page
    assert "Ongebruikt oud" not in page

    def shown(query):
        text = client.get(f"/orders/?{query}", headers={"HX-Request": "true"}).get_data(
            as_text=True)
        return {order.product for order in (packed, soldered, loose) if order.product in text}

    assert shown(f"product_group={packing.id}") == {packed.product}
    assert shown(f"product_group={old.id}") == {soldered.product}
    assert shown("product_group=none") == {loose.product}
    assert shown("product_group=abc") == shown("") == {packed.product, soldered.product,
                                                        loose.product}
    selected = client.get(f"/orders/?product_group={old.id}").get_data(as_text=True)
    assert f'<option value="{old.id}" selected>' in selected
    # The export links carry the filter.
    assert f"/orders/export.csv?product_group={old.id}" in selected


def test_the_list_keeps_the_product_group_filter_on_its_pages(client, login, make):
    login(make.user("planner"))
    packing = make.product_group()
    for n in range(30):
        make.order(product=f"Serie {n:02d}", product_group=packing)
    make.order(product="Zonder groep")
    text = client.get("/orders/?product_group=none&page=1").get_data(as_text=True)
    assert "Pagina 1 van 1" in text
    first = client.get(f"/orders/?product_group={packing.id}").get_data(as_text=True)
    assert "Pagina 1 van 2" in first
    assert f"product_group={packing.id}&amp;page=2" in first


def test_both_exports_have_the_product_group_and_the_list_filter(client, login, make, grouped):
    packing, old, (packed, soldered, loose) = grouped
    login(make.user("planner"))
    body = client.get("/orders/export.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    column = rows[0].index("Productgroep")
    assert column == rows[0].index("Product") + 1
    by_product = {row[2]: row for row in rows[1:]}
    assert by_product[packed.product][column] == "Inpakken"
    assert by_product[soldered.product][column] == "Solderen"
    assert by_product[loose.product][column] == ""
    assert by_product[loose.product][rows[0].index("Leverdatum")] == (
        loose.due_date.strftime("%d-%m-%Y"))
    only_none = client.get("/orders/export.csv?product_group=none").get_data()
    rows = list(csv.reader(io.StringIO(only_none.decode("utf-8-sig")), delimiter=";"))
    assert [row[2] for row in rows[1:]] == [loose.product]

    response = client.get(f"/orders/export.xlsx?product_group={packing.id}")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [cell.value for cell in sheet[1]]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 1 and values[0][2] == packed.product
    assert values[0][header.index("Productgroep")] == "Inpakken"
    assert values[0][header.index("Leverdatum")].date() == packed.due_date
    everything = load_workbook(io.BytesIO(client.get("/orders/export.xlsx").get_data())).active
    empty = [row for row in everything.iter_rows(min_row=2, values_only=True)
             if row[2] == loose.product]
    assert empty[0][header.index("Productgroep")] is None


def _list_queries(client, make, count_queries, orders: int):
    floor = make.workfloor()
    for n in range(orders):
        make.order(product_group=make.product_group(), workfloor=floor if n % 2 else None)
    with count_queries() as counted:
        assert client.get("/orders/").status_code == 200
    return counted.total


def test_the_list_uses_the_same_few_queries_for_3_and_for_30_orders(client, login, make,
                                                                    count_queries):
    login(make.user("planner"))
    few = _list_queries(client, make, count_queries, 3)
    Order.delete().execute()
    many = _list_queries(client, make, count_queries, 30)
    assert few == many
    assert many <= 8, many
