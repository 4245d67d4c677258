"""The main menu marks exactly one entry: the one nearest above the current page."""

import re

import pytest

from portal.menu import current_href

HREFS = ["/overview", "/attendance/", "/attendance/figures", "/orders/", "/orders/board"]


@pytest.mark.parametrize("path, expected", [
    ("/attendance/", "/attendance/"),
    ("/attendance/groups/3/2026-11-16", "/attendance/"),
    ("/attendance/figures", "/attendance/figures"),
    ("/attendance/figures/export.csv", "/attendance/figures"),
    ("/attendance/figuresx", "/attendance/"),
    ("/orders/board", "/orders/board"),
    ("/orders/42", "/orders/"),
    ("/overview", "/overview"),
    ("/auth/account", None),
])
def test_the_longest_menu_url_above_the_page_wins(path, expected):
    assert current_href(HREFS, path) == expected


def _current_entries(html: str) -> list[str]:
    nav = html[html.index('<nav aria-label="Hoofdmenu"'):html.index("</nav>")]
    return re.findall(r'aria-current="page">([^<]+)</a>', nav)


def test_only_the_page_s_own_entry_is_marked_in_the_attendance_area(client, login, make):
    login(make.user("admin"))
    # The absence figures moved to Cijfers: a figure page below /reports/ marks that entry.
    figures = client.get("/attendance/figures", follow_redirects=True)
    assert _current_entries(figures.get_data(as_text=True)) == ["Cijfers"]
    today = client.get("/attendance/", follow_redirects=True)
    assert _current_entries(today.get_data(as_text=True)) == ["Vandaag"]


def test_the_day_view_below_the_attendance_root_marks_today(client, login, make):
    boss = make.user("supervisor")
    make.group(supervisor=boss)
    login(boss)
    day = client.get("/attendance/", follow_redirects=True)
    assert day.request.path.startswith("/attendance/groups/")
    assert _current_entries(day.get_data(as_text=True)) == ["Vandaag"]


def test_only_the_board_is_marked_on_the_board_and_orders_on_the_list(client, login, make):
    login(make.user("planner"))
    assert _current_entries(client.get("/orders/board").get_data(as_text=True)) == ["Planbord"]
    assert _current_entries(client.get("/orders/").get_data(as_text=True)) == ["Orders"]
