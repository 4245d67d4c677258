"""The board at company size in a browser: 25 groups, scrolled both ways, planned by arrow keys."""

from datetime import timedelta

import pytest

from portal.orders.models import Assignment
from portal.timeutil import today

GROUPS = 25


def _next_monday():
    day = today()
    return day - timedelta(days=day.weekday()) + timedelta(days=7)


@pytest.fixture
def company(make):
    planner = make.user("planner")
    floors = [make.workfloor(name=f"Hal {n}") for n in range(1, 4)]
    groups = []
    for n in range(GROUPS):
        group = make.group(name=f"Ploeg {n + 1:02d}", workfloor=floors[n % 3])
        make.employee(work_group=group)
        groups.append(group)
    order = make.order(product="Kerstpakketten", quantity=1500, created_by=planner,
                       start_date=_next_monday(), due_date=_next_monday() + timedelta(days=20))
    busy = make.order(product="Fietsbellen", quantity=2000, status="gepland", created_by=planner,
                      start_date=_next_monday(), due_date=_next_monday() + timedelta(days=20))
    for n, group in enumerate(groups):
        make.assignment(busy, group, _next_monday() + timedelta(days=n % 5), "3")
    return planner, groups, order


def _box(page, selector):
    return page.locator(selector).bounding_box()


@pytest.fixture
def desktop(browser):
    """A 1366 × 768 desktop, the screen the planners have."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_scrolled_down_and_sideways_the_board_still_shows_group_and_day(
        desktop, live_server, browser_login, company, screenshot):
    planner, groups, _order = company
    page = desktop
    browser_login(page, planner)
    page.goto(f"{live_server.url}/orders/board?start={_next_monday().isoformat()}")
    scroller = page.locator(".board-scroll")
    scroller.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    scroller.evaluate("box => { box.scrollTop = box.scrollHeight; box.scrollLeft = box.scrollWidth; }")
    box = scroller.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 768 + 1  # the box is in the window
    day_header = page.locator("#board thead th").last
    group_header = page.locator("#board tbody tr").last.locator("th.group-head")
    top = day_header.bounding_box()
    left = group_header.bounding_box()
    # Stuck to the box's top and left edge (within its border), and not covered by a cell.
    assert abs(top["y"] - box["y"]) <= 2, (top, box)
    assert abs(left["x"] - box["x"]) <= 2, (left, box)
    for locator, where in ((day_header, top), (group_header, left)):
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('th')?.innerText",
                            [where["x"] + 10, where["y"] + where["height"] / 2])
        assert hit == locator.inner_text()
    assert "Ploeg 24" in group_header.inner_text()  # by workfloor (Hal 3), then name
    screenshot(page, "orders-board-scrolled")


def test_the_board_is_one_tab_stop_and_plans_by_arrow_keys(desktop, live_server, browser_login,
                                                          company, screenshot):
    planner, groups, order = company
    page = desktop
    browser_login(page, planner)
    page.goto(f"{live_server.url}/orders/board?start={_next_monday().isoformat()}")
    assert page.locator("#board").get_attribute("role") == "grid"
    # One tab stop: every day cell but one, and every control of the other cells, is out of
    # the tab order (the focused day's own controls follow it).
    tabbable = page.evaluate("""() => [...document.querySelectorAll('#board td.cell')]
        .filter(cell => cell.tabIndex >= 0).map(cell => cell.id)""")
    assert len(tabbable) == 1
    others = page.evaluate("""(active) => [...document.querySelectorAll(
        '#board td.cell:not(#' + active + ') :is(a, button, summary)')]
        .filter(el => el.tabIndex >= 0).length""", tabbable[0])
    assert others == 0

    page.locator(f"[data-pick-order='{order.id}']").focus()
    page.keyboard.press("Enter")
    # Choosing the order takes the focus to the board's first day of the first group.
    rows = page.locator("#board tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    first = f"cell-{rows[0].removeprefix('row-')}-{_next_monday().isoformat()}"
    assert page.evaluate("document.activeElement.id") == first
    target_group = next(g for g in groups if f"row-{g.id}" == rows[20])
    target_day = _next_monday() + timedelta(days=2)
    for _ in range(20):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    target = f"cell-{target_group.id}-{target_day.isoformat()}"
    assert page.evaluate("document.activeElement.id") == target
    page.keyboard.press("Enter")
    page.locator(f"#{target} .chip", has_text="Kerstpakketten").wait_for()
    assert Assignment.get(Assignment.order == order).work_group_id == target_group.id
    # The focus comes back to the same day after its row was replaced, so the planner goes on.
    page.wait_for_function(f"document.activeElement.id === '{target}'")
    # The confirmation floats where the planner is, not 4,000 px up at the top of the page.
    message = page.locator("#board-message .flash")
    assert "Kerstpakketten" in message.inner_text()
    where = message.bounding_box()
    assert 0 <= where["y"] and where["y"] + where["height"] <= 768
    assert page.locator("#board-message").get_attribute("aria-live") == "polite"
    screenshot(page, "orders-board-arrow-keys")

    # Home and End go along the row; Escape from a control inside goes back to the day.
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.id").startswith(f"cell-{target_group.id}-")
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.id") == (
        f"cell-{target_group.id}-{_next_monday().isoformat()}")
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")  # into the day's planned orders
    assert page.evaluate(f"document.getElementById('{target}').contains(document.activeElement)"
                         f" && document.activeElement.id !== '{target}'")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == target

    # A refusal shows where the planner is too: the same day is full now, and a drop without
    # hours on a full day says so.
    page.locator(f"[data-pick-order='{order.id}']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == target  # back to the day he was on
    page.keyboard.press("Enter")
    page.locator("#board-message .flash-error").wait_for()
    refusal = page.locator("#board-message .flash-error")
    assert "geen vrije uren" in refusal.inner_text()
    where = refusal.bounding_box()
    assert 0 <= where["y"] and where["y"] + where["height"] <= 768
    page.locator("#board-message .board-message-close").click()
    assert page.locator("#board-message").inner_text() == ""


def test_the_compact_view_fits_two_weeks_of_25_groups_at_1366_px(desktop, live_server,
                                                                 browser_login, company,
                                                                 screenshot):
    planner, groups, _order = company
    page = desktop
    browser_login(page, planner)
    page.goto(f"{live_server.url}/orders/board?start={_next_monday().isoformat()}&view=compact")
    widths = page.locator(".board-scroll").evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert widths[0] <= widths[1], widths  # every day in view, nothing to scroll sideways
    days = page.locator("#board thead th").count() - 2
    assert days >= 10
    last_day = page.locator("#board thead th").last.bounding_box()
    assert last_day["x"] + last_day["width"] <= 1366
    # Every cell is still a 44 px target to plan on.
    target = page.locator(f"#cell-{groups[0].id}-{_next_monday().isoformat()} .cell-target")
    size = target.bounding_box()
    assert size["height"] >= 44 and size["width"] >= 44
    screenshot(page, "orders-board-compact")
