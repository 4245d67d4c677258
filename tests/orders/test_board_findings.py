"""What a planner stumbled on at company size: past days, overload, wording, filters, compact."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from portal.orders import rules
from portal.refusal import Refused
from portal.orders.models import Assignment
from portal.timeutil import today

HTMX = {"HX-Request": "true"}


def _next_monday():
    day = today()
    return day - timedelta(days=day.weekday()) + timedelta(days=7)


@pytest.fixture
def world(make):
    planner = make.user("planner")
    group = make.group(name="Ploeg Inpak")
    make.employee(work_group=group)  # 7.5 h every weekday
    order = make.order(product="Kerstpakket", created_by=planner, quantity=1000,
                       start_date=today() - timedelta(days=20),
                       due_date=_next_monday() + timedelta(days=25))  # 20 hours
    return planner, group, order


# ---------------------------------------------------------------- days in the past

def test_a_day_in_the_past_cannot_be_planned(make, world):
    planner, group, order = world
    yesterday = today() - timedelta(days=1)
    with pytest.raises(Refused) as refused:
        rules.plan(order, group, yesterday, D("4"), planner, today=today())
    assert refused.value.field == "day"
    assert Assignment.select().count() == 0
    assert rules.plan(order, group, today(), D("4"), planner, today=today()).hours == D("4")


def test_planned_hours_cannot_move_onto_a_past_day_but_a_past_cell_s_hours_can_change(make,
                                                                                     world):
    planner, group, order = world
    yesterday = today() - timedelta(days=1)
    past = make.assignment(order, group, yesterday, "6")
    with pytest.raises(Refused):
        rules.move(make.assignment(order, group, today(), "2"), group, yesterday, None, planner,
                   today=today())
    # Correcting what was planned on that day stays possible.
    assert rules.move(past, group, yesterday, D("3"), planner, today=today()).hours == D("3")


def test_the_board_refuses_yesterday_with_a_message_in_the_board(client, login, world):
    planner, group, order = world
    login(planner)
    response = client.post("/orders/board/assign", headers=HTMX,
                           data={"order": order.id, "group": group.id, "hours": "4",
                                 "day": (today() - timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    assert "in het verleden" in response.get_data(as_text=True)
    assert Assignment.select().count() == 0


def test_hours_planned_on_a_past_day_without_production_are_still_to_plan(make, world):
    planner, group, order = world
    order.status = "gepland"
    order.save()
    make.assignment(order, group, today() - timedelta(days=1), "20")  # all of it, yesterday
    figures = rules.order_figures(order.id, today())
    assert figures.unplanned == 0 and figures.late
    assert figures.to_plan == D("20")
    # So a drop without hours plans again what the day still has free.
    assert rules.default_hours(order, group.id, _next_monday(), today()) == D("7.5")


def test_the_tray_never_says_fully_planned_beside_late(client, login, make, world):
    planner, group, order = world
    order.status = "gepland"
    order.save()
    make.assignment(order, group, today() - timedelta(days=1), "20")
    login(planner)
    monday = today() - timedelta(days=today().weekday())
    page = client.get(f"/orders/board?start={monday.isoformat()}").get_data(as_text=True)
    tray = page[page.index(f'id="order-{order.id}"'):]
    tray = tray[:tray.index("</li>")]
    assert "Te laat" in tray
    assert "Helemaal gepland" not in tray and "nog 20 u te plannen" in tray


# ---------------------------------------------------------------- more hours than a cell has

def _plan_next_monday(client, order, group, hours: str):
    """Plan hours of an order on next Monday's cell, the way the board's form posts them."""
    return client.post(f"/orders/board/assign?start={_next_monday().isoformat()}",
                       headers=HTMX, data={"order": order.id, "group": group.id,
                                           "hours": hours, "day": _next_monday().isoformat()})


def test_planning_more_than_the_free_hours_warns_with_the_excess(client, login, world):
    planner, group, order = world
    login(planner)
    response = _plan_next_monday(client, order, group, "100")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "flash-warning" in text and "flash-success" not in text
    assert "100 uur gepland" in text and "92,5 uur meer gepland dan er vrij is" in text
    assert Assignment.get().hours == D("100")


def test_planning_within_the_free_hours_just_confirms(client, login, world):
    planner, group, order = world
    login(planner)
    response = _plan_next_monday(client, order, group, "7,5")
    text = response.get_data(as_text=True)
    assert "flash-success" in text and "Let op" not in text


def test_the_warning_also_reaches_a_planner_without_javascript(client, login, world):
    planner, group, order = world
    login(planner)
    response = client.post("/orders/board/assign",
                           data={"order": order.id, "group": group.id, "hours": "10",
                                 "day": _next_monday().isoformat()})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "flash-warning" in page and "2,5 uur meer gepland" in page


def test_an_empty_hours_drop_on_a_full_cell_says_the_cell_is_full(client, login, make, world):
    planner, group, order = world
    big = make.order(product="Groot", quantity=12000, start_date=today(),
                     due_date=_next_monday() + timedelta(days=25))  # 240 hours
    make.assignment(order, group, _next_monday(), "7.5")
    login(planner)
    response = client.post("/orders/board/assign", headers=HTMX,
                           data={"order": big.id, "group": group.id,
                                 "day": _next_monday().isoformat()})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "geen vrije uren" in text and "te veel uren" not in text


# ---------------------------------------------------------------- wording

def test_an_hours_only_edit_says_the_new_hours_not_moved(client, login, make, world):
    planner, group, order = world
    cell = make.assignment(order, group, _next_monday(), "6")
    login(planner)
    response = client.post(f"/orders/assignments/{cell.id}/move", headers=HTMX,
                           data={"group": group.id, "day": _next_monday().isoformat(),
                                 "hours": "4"})
    text = response.get_data(as_text=True)
    assert "de uren zijn nu 4" in text and "verplaatst" not in text
    other = make.group(name="Ploeg Montage")
    response = client.post(f"/orders/assignments/{cell.id}/move", headers=HTMX,
                           data={"group": other.id,
                                 "day": (_next_monday() + timedelta(days=1)).isoformat()})
    assert "Kerstpakket verplaatst naar Ploeg Montage, dinsdag" in response.get_data(as_text=True)


def test_a_production_flash_writes_thousands_the_dutch_way(client, login, make):
    group = make.group()
    order = make.order(quantity=5000, status="gepland", start_date=today() - timedelta(days=5),
                       due_date=today() + timedelta(days=20))
    make.assignment(order, group, today(), "8")
    login(group.supervisor)
    response = client.post("/orders/production", data={
        "group": group.id, "order": order.id, "day": today().isoformat(), "quantity": "3000",
        "rejects": "0"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3.000" in page and "3000 " not in page


# ---------------------------------------------------------------- filter and compact view

@pytest.fixture
def floors(make, world):
    planner, group, order = world
    metal = make.workfloor(name="Metaal")
    welders = make.group(name="Ploeg Lassen", workfloor=metal)
    make.employee(work_group=welders)
    outside = make.group(name="Ploeg Buiten", workfloor=metal)
    person = make.employee(work_group=outside)
    make.detachment("group", group_=outside, start=today() - timedelta(days=30))
    return group, welders, outside, metal, person


def test_the_board_filters_by_workfloor(client, login, world, floors):
    planner = world[0]
    group, welders, outside, metal, _person = floors
    login(planner)
    page = client.get(f"/orders/board?workfloor={metal.id}").get_data(as_text=True)
    assert f'id="row-{welders.id}"' in page and f'id="row-{outside.id}"' in page
    assert f'id="row-{group.id}"' not in page
    # The board's links and posts keep the filter.
    assert f"workfloor={metal.id}" in page[page.index('rel="next"') - 200:]


@pytest.mark.parametrize("kind,shown,hidden", [("detached", 2, (0, 1)), ("own", 0, (2,))])
def test_the_board_filters_by_group_kind(client, login, world, floors, kind, shown, hidden):
    planner = world[0]
    groups = floors[:3]
    login(planner)
    page = client.get(f"/orders/board?kind={kind}").get_data(as_text=True)
    assert f'id="row-{groups[shown].id}"' in page
    for index in hidden:
        assert f'id="row-{groups[index].id}"' not in page


def test_a_change_on_a_filtered_board_sends_only_the_shown_groups(client, login, make, world,
                                                                 floors):
    planner, group, order = world
    _group, welders, _outside, metal, _person = floors
    order.status = "gepland"
    order.save()
    make.assignment(order, group, _next_monday() + timedelta(days=2), "2")  # another floor
    login(planner)
    response = client.post(f"/orders/board/assign?start={_next_monday().isoformat()}"
                           f"&workfloor={metal.id}&view=compact", headers=HTMX,
                           data={"order": order.id, "group": welders.id, "hours": "2",
                                 "day": _next_monday().isoformat()})
    text = response.get_data(as_text=True)
    assert f'<tr id="row-{welders.id}"' in text and f'id="row-{group.id}"' not in text
    assert "chips-compact" in text  # the same view as the page


def test_the_compact_view_shows_each_order_on_one_line_without_menus(client, login, make,
                                                                    world):
    planner, group, order = world
    make.assignment(order, group, _next_monday(), "3")
    login(planner)
    start = _next_monday().isoformat()
    compact = client.get(f"/orders/board?start={start}&view=compact").get_data(as_text=True)
    assert "board-compact" in compact and "chips-compact" in compact
    assert "chip-menu" not in compact and 'draggable="true" data-assignment=' in compact
    full = client.get(f"/orders/board?start={start}").get_data(as_text=True)
    assert "board-compact" not in full and "chip-menu" in full


def test_the_filter_costs_the_board_no_more_than_one_query(client, login, world, floors,
                                                          count_queries):
    planner = world[0]
    login(planner)
    with count_queries() as plain:
        client.get("/orders/board")
    with count_queries() as filtered:
        client.get("/orders/board?kind=own")
    assert filtered.total <= plain.total + 1
