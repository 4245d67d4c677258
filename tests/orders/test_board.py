"""The planning board: who sees what, planning by form and by htmx, and a fixed query count."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from portal.orders.models import Assignment, Order
from portal.timeutil import today


def _monday():
    """Next week's Monday: the fortnight from it lies wholly ahead, so every day can be planned."""
    day = today()
    return day - timedelta(days=day.weekday()) + timedelta(days=7)


def _workday(offset=0):
    """A day of the shown fortnight (Monday + offset), never in the past."""
    return _monday() + timedelta(days=offset)


HTMX = {"HX-Request": "true"}


@pytest.fixture
def board_world(make):
    planner = make.user("planner")
    group = make.group(name="Ploeg Inpak")
    make.employee(work_group=group)  # 7.5 h a weekday
    other = make.group(name="Ploeg Montage")
    make.employee(work_group=other)
    order = make.order(product="Kerstpakket", created_by=planner, start_date=_monday(),
                       due_date=_monday() + timedelta(days=25))  # 20 hours
    return planner, group, other, order


def test_the_planner_sees_groups_days_available_hours_and_the_orders_to_plan(client, login,
                                                                             board_world):
    planner, group, other, order = board_world
    login(planner)
    page = client.get(f"/orders/board?start={_monday().isoformat()}").get_data(as_text=True)
    assert "Ploeg Inpak" in page and "Ploeg Montage" in page
    assert f'id="cell-{group.id}-{_monday().isoformat()}"' in page
    assert "0 / 7,5 u" in page
    assert 'id="order-%d"' % order.id in page and "Kerstpakket" in page
    assert 'id="plan-form"' in page


def test_planning_by_form_redirects_back_to_the_board(client, login, board_world):
    planner, group, other, order = board_world
    login(planner)
    response = client.post(f"/orders/board/assign?start={_monday().isoformat()}",
                           data={"order": order.id, "group": group.id,
                                 "day": _workday(1).isoformat(), "hours": "6,5"})
    assert response.status_code == 303
    assert Assignment.get().hours == D("6.5")
    assert Order.get_by_id(order.id).status == "gepland"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "6,5 / 7,5 u" in page


def test_planning_by_htmx_answers_the_row_totals_and_order_out_of_band(client, login,
                                                                       board_world):
    planner, group, other, order = board_world
    login(planner)
    response = client.post(f"/orders/board/assign?start={_monday().isoformat()}", headers=HTMX,
                           data={"order": order.id, "group": group.id,
                                 "day": _workday(2).isoformat(), "hours": "10"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f'<tr id="row-{group.id}" hx-swap-oob="outerHTML">' in text
    assert f'id="order-{order.id}"' in text and 'hx-swap-oob' in text
    # Ten hours on a 7.5 hour day: overload by colour class, icon and number.
    assert "cell-over" in text and "⚠" in text and "+2,5 u" in text
    assert f'id="row-{other.id}"' not in text
    assert "10 / 37,5 u" in text or "10 / 75 u" in text  # the row total over the fortnight


def test_a_drop_without_hours_fills_the_free_hours_and_splits_the_order(client, login,
                                                                        board_world):
    planner, group, other, order = board_world
    login(planner)
    for offset in (0, 1, 2):
        response = client.post("/orders/board/assign", headers=HTMX,
                               data={"order": order.id, "group": group.id,
                                     "day": _workday(offset).isoformat()})
        assert response.status_code == 200
    hours = [a.hours for a in Assignment.select().order_by(Assignment.day)]
    assert hours == [D("7.5"), D("7.5"), D("5")]
    response = client.post("/orders/board/assign", headers=HTMX,
                           data={"order": order.id, "group": group.id,
                                 "day": _workday(3).isoformat()})
    assert response.status_code == 422
    assert "helemaal gepland" in response.get_data(as_text=True)


@pytest.mark.parametrize("problem", ["inactive", "outside", "junk", "closed", "negative"])
def test_bad_planning_is_refused_with_a_message_and_nothing_stored(client, login, make,
                                                                   board_world, problem):
    planner, group, other, order = board_world
    data = {"order": order.id, "group": group.id, "day": _workday(1).isoformat(), "hours": "4"}
    if problem == "inactive":
        data["group"] = make.group(is_active=False).id
    elif problem == "outside":
        data["day"] = (order.due_date + timedelta(days=1)).isoformat()
    elif problem == "junk":
        data.update(order="x", group="", day="morgen", hours="veel")
    elif problem == "closed":
        Order.update(status="gereed").where(Order.id == order.id).execute()
    else:
        data["hours"] = "-3"
    login(planner)
    as_form = client.post("/orders/board/assign", data=data)
    assert as_form.status_code == 422
    assert "form-summary" in as_form.get_data(as_text=True)
    as_htmx = client.post("/orders/board/assign", data=data, headers=HTMX)
    assert as_htmx.status_code == 422
    assert as_htmx.headers["HX-Retarget"] == "#board-message"
    assert "flash-error" in as_htmx.get_data(as_text=True)
    assert Assignment.select().count() == 0


def test_moving_and_removing_update_both_rows(client, login, board_world, make):
    planner, group, other, order = board_world
    order.status = "gepland"
    order.save()
    cell = make.assignment(order, group, _workday(0), "6")
    login(planner)
    response = client.post(f"/orders/assignments/{cell.id}/move", headers=HTMX,
                           data={"group": other.id, "day": _workday(1).isoformat()})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f'id="row-{group.id}"' in text and f'id="row-{other.id}"' in text
    moved = Assignment.get_by_id(cell.id)
    assert (moved.work_group_id, moved.day, moved.hours) == (other.id, _workday(1), D("6"))
    outside = client.post(f"/orders/assignments/{cell.id}/move", headers=HTMX,
                          data={"group": other.id, "day": "2001-01-01"})
    assert outside.status_code == 422
    removed = client.post(f"/orders/assignments/{cell.id}/remove", headers=HTMX)
    assert removed.status_code == 200 and Assignment.select().count() == 0


def test_the_move_form_works_without_javascript(client, login, board_world, make):
    planner, group, other, order = board_world
    cell = make.assignment(order, group, _workday(0), "6")
    login(planner)
    assert client.get(f"/orders/assignments/{cell.id}/edit").status_code == 200
    bad = client.post(f"/orders/assignments/{cell.id}/move",
                      data={"group": group.id, "day": _workday(0).isoformat(), "hours": "0"})
    assert bad.status_code == 422 and "meer dan 0" in bad.get_data(as_text=True)
    good = client.post(f"/orders/assignments/{cell.id}/move",
                       data={"group": group.id, "day": _workday(0).isoformat(), "hours": "3"})
    assert good.status_code == 303 and Assignment.get_by_id(cell.id).hours == D("3")


def test_a_supervisor_sees_only_his_groups_and_cannot_plan(client, login, board_world, make):
    planner, group, other, order = board_world
    make.assignment(order, other, _workday(0), "4")
    login(group.supervisor)
    page = client.get("/orders/board").get_data(as_text=True)
    assert "Ploeg Inpak" in page and "Ploeg Montage" not in page
    assert 'id="plan-form"' not in page and "Kerstpakket" not in page
    response = client.post("/orders/board/assign", data={"order": order.id, "group": group.id,
                                                         "day": _workday(1).isoformat()})
    assert response.status_code == 403


def _board_queries(client, make, count_queries, groups: int):
    supervisor = make.user("supervisor")
    floor = make.workfloor()
    order = make.order(start_date=_monday(), due_date=_monday() + timedelta(days=30))
    for n in range(groups):
        group = make.group(workfloor=floor, supervisor=supervisor)
        make.employee(work_group=group)
        make.employee(work_group=group)
        make.assignment(order, group, _workday(n % 5), "3")
    with count_queries() as counted:
        assert client.get(f"/orders/board?start={_monday().isoformat()}").status_code == 200
    return counted.total


def test_the_board_uses_the_same_few_queries_for_3_and_for_30_groups(client, login, make,
                                                                    count_queries):
    login(make.user("planner"))
    few = _board_queries(client, make, count_queries, 3)
    Assignment.delete().execute()
    many = _board_queries(client, make, count_queries, 30)
    assert few == many
    assert many <= 12, many


def test_an_order_that_will_miss_its_due_date_is_flagged_on_its_chips(client, login, make,
                                                                     board_world):
    planner, group, other, order = board_world
    order.status = "gepland"
    order.due_date = _monday() + timedelta(days=2)
    order.save()
    # Two hours planned for twenty needed, due two days later: it cannot make it.
    make.assignment(order, group, _monday(), "2")
    login(group.supervisor)
    page = client.get(f"/orders/board?start={_monday().isoformat()}").get_data(as_text=True)
    assert "chip-late-order" in page and "Te laat:" in page


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "gisteren", "2026-02-30"])
def test_odd_start_days_still_show_a_board(client, login, make, start):
    login(make.user("planner"))
    assert client.get(f"/orders/board?start={start}").status_code == 200


def test_a_change_also_sends_the_other_rows_where_the_order_is_planned(client, login,
                                                                      board_world, make):
    planner, group, other, order = board_world
    order.status = "gepland"
    order.save()
    make.assignment(order, other, _workday(7), "5")
    login(planner)
    response = client.post(f"/orders/board/assign?start={_monday().isoformat()}", headers=HTMX,
                           data={"order": order.id, "group": group.id,
                                 "day": _workday(8).isoformat(), "hours": "15"})
    text = response.get_data(as_text=True)
    assert f'<tr id="row-{group.id}"' in text and f'<tr id="row-{other.id}"' in text


def test_weekend_days_show_only_when_a_group_works_or_has_work_then(client, login, make,
                                                                   board_world):
    from datetime import time

    planner, group, other, order = board_world
    saturday = _monday() + timedelta(days=5)
    next_sunday = _monday() + timedelta(days=13)
    login(planner)
    page = client.get(f"/orders/board?start={_monday().isoformat()}").get_data(as_text=True)
    assert f"cell-{group.id}-{saturday.isoformat()}" not in page
    make.employee(work_group=other, schedule={5: (time(9), time(13), 0)})
    make.assignment(order, group, next_sunday, "2")
    page = client.get(f"/orders/board?start={_monday().isoformat()}").get_data(as_text=True)
    assert f'id="cell-{group.id}-{saturday.isoformat()}"' in page
    assert f'id="cell-{other.id}-{next_sunday.isoformat()}"' in page
    # A change answers rows with the same columns as the page.
    response = client.post(f"/orders/board/assign?start={_monday().isoformat()}", headers=HTMX,
                           data={"order": order.id, "group": group.id,
                                 "day": _workday(8).isoformat(), "hours": "1"})
    text = response.get_data(as_text=True)
    assert f'id="cell-{group.id}-{saturday.isoformat()}"' in text
    assert f'id="cell-{group.id}-{(saturday + timedelta(days=1)).isoformat()}"' not in text
