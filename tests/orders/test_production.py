"""Today's work for a supervisor, and production registration."""

from datetime import timedelta

import pytest

from portal.orders.models import Order, Production
from portal.timeutil import today


@pytest.fixture
def work(make):
    group = make.group(name="Ploeg Inpak")
    other = make.group(name="Ploeg Montage")
    order = make.order(product="Kerstpakket", status="gepland", quantity=1000,
                       start_date=today() - timedelta(days=3))
    foreign = make.order(product="Fietsbel", status="gepland")
    make.assignment(order, group, today(), "6")
    make.assignment(foreign, other, today(), "6")
    return group, other, order, foreign


def _register(client, group, order, **changes):
    data = {"group": group.id, "order": order.id, "quantity": "250", "rejects": "10",
            "day": today().isoformat()}
    data.update(changes)
    return client.post("/orders/production", data=data)


def test_the_supervisor_sees_his_groups_work_today(client, login, work):
    group, other, order, foreign = work
    login(group.supervisor)
    page = client.get("/orders/today").get_data(as_text=True)
    assert "Kerstpakket" in page and "Vandaag gepland: 6 u" in page
    assert "Fietsbel" not in page and "Ploeg Montage" not in page


def test_registering_production_updates_progress_and_remaining_hours(client, login, work):
    group, other, order, foreign = work
    login(group.supervisor)
    response = _register(client, group, order)
    assert response.status_code == 303
    made = Production.get()
    assert (made.quantity, made.rejects, made.registered_by_id) == (250, 10, group.supervisor.id)
    assert Order.get_by_id(order.id).status == "in_productie"
    page = client.get("/orders/today").get_data(as_text=True)
    assert "24 %" in page  # 240 good of 1000
    assert "Nog te maken: 760 stuks (15,2 u)" in page


def test_production_for_another_groups_order_is_refused(client, login, work):
    group, other, order, foreign = work
    login(group.supervisor)
    assert _register(client, other, foreign).status_code == 404
    assert _register(client, group, foreign).status_code == 404
    junk = client.post("/orders/production", data={"group": "abc", "order": order.id,
                                                   "quantity": "1", "day": today().isoformat()})
    assert junk.status_code == 404
    huge = client.post("/orders/production", data={"group": "9" * 30, "order": "9" * 30,
                                                   "quantity": "1", "day": today().isoformat()})
    assert huge.status_code == 404
    assert Production.select().count() == 0


@pytest.mark.parametrize("changes,message", [
    ({"quantity": "-1"}, "Vul een aantal van 0 of meer in"),
    ({"quantity": "5", "rejects": "6"}, "Afkeur kan niet meer zijn dan het gemaakte aantal"),
    ({"quantity": "0", "rejects": "0"}, "Vul het gemaakte aantal in"),
    ({"day": "2999-01-01"}, "Productie kan niet voor een dag die nog moet komen"),
    ({"quantity": "veel"}, ""),
    ({"day": "gisteren"}, ""),
])
def test_bad_production_is_refused_with_a_dutch_message(client, login, work, changes, message):
    group, other, order, foreign = work
    login(group.supervisor)
    response = _register(client, group, order, **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert Production.select().count() == 0


def test_production_far_beyond_the_order_asks_to_confirm(client, login, work):
    group, other, order, foreign = work
    login(group.supervisor)
    first = _register(client, group, order, quantity="5000", rejects="0")
    assert first.status_code == 422
    text = first.get_data(as_text=True)
    assert "veel meer dan de order vraagt" in text
    assert 'name="confirm" value="1"' in text
    assert Production.select().count() == 0
    confirmed = _register(client, group, order, quantity="5000", rejects="0", confirm="1")
    assert confirmed.status_code == 303 and Production.select().count() == 1


def test_an_admin_registers_for_any_group_and_a_planner_not_at_all(client, login, make, work):
    group, other, order, foreign = work
    login(make.user("admin"))
    assert _register(client, other, foreign).status_code == 303
    client.post("/auth/logout")
    login(make.user("planner"))
    assert _register(client, group, order).status_code == 403


def test_a_refused_registration_for_older_work_keeps_its_message_in_view(client, login, make):
    group = make.group()
    order = make.order(product="Oude klus", status="in_productie",
                       start_date=today() - timedelta(days=40))
    make.assignment(order, group, today() - timedelta(days=20), "6")
    login(group.supervisor)
    response = _register(client, group, order, quantity="5", rejects="9")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Oude klus" in text and "Afkeur kan niet meer zijn" in text
