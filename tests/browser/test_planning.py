"""The planner plans an order on the board; the group's supervisor registers production."""

from datetime import timedelta

from playwright.sync_api import expect

from portal.orders.models import Assignment, Production
from portal.timeutil import today


def _monday():
    day = today()
    return day - timedelta(days=day.weekday())


def _world(make):
    planner = make.user("planner", display_name="Petra Planner")
    floor = make.workfloor(name="Hal 1")
    groups = []
    for n, name in enumerate(["Inpak A", "Inpak B", "Montage", "Textiel", "Groen"]):
        group = make.group(name=f"Ploeg {name}", workfloor=floor)
        for _ in range(2 + n % 2):
            make.employee(work_group=group)
        groups.append(group)
    customers = [make.client(name=name) for name in ("Bakker Verpakkingen", "Fietsfabriek Oost")]
    target = make.order(client=customers[0], product="Kerstpakketten", quantity=1500,
                        start_date=_monday(), due_date=_monday() + timedelta(days=20),
                        created_by=planner, product_group=make.product_group(name="Inpakken"))
    busy = make.order(client=customers[1], product="Fietsbellen monteren", quantity=2000,
                      status="gepland", start_date=_monday(),
                      due_date=_monday() + timedelta(days=11), created_by=planner)
    make.assignment(busy, groups[2], _monday() + timedelta(days=1), "20")  # overload
    make.assignment(busy, groups[3], _monday() + timedelta(days=2), "10")
    make.order(client=customers[1], product="Spaken sorteren", quantity=300, status="in_productie",
               start_date=_monday() - timedelta(days=30), due_date=_monday() - timedelta(days=2),
               created_by=planner)
    return planner, groups, target


def test_plan_on_the_board_then_register_production(page, live_server, browser_login, make,
                                                    screenshot):
    planner, groups, order = _world(make)
    group = groups[0]
    # Next week's Tuesday: always a weekday in the shown fortnight and not in the past.
    start = _monday() + timedelta(days=7)
    day = start + timedelta(days=1)
    browser_login(page, planner)
    page.goto(f"{live_server.url}/orders/board?start={start.isoformat()}")
    cell = page.locator(f"#cell-{group.id}-{day.isoformat()}")
    total = page.locator(f"#total-{group.id}")
    before_total = total.inner_text()
    assert "0 / 15 u" in cell.inner_text()

    # The keyboard way: choose the order with its button, then Enter on the cell's + button.
    page.locator(f"[data-pick-order='{order.id}']").focus()
    page.keyboard.press("Enter")
    assert page.locator(f"[data-pick-order='{order.id}']").get_attribute("aria-pressed") == "true"
    cell.locator(".cell-target").focus()
    page.keyboard.press("Enter")
    page.locator(f"#cell-{group.id}-{day.isoformat()} .chip").wait_for()
    assert "15 / 15 u" in page.locator(f"#cell-{group.id}-{day.isoformat()}").inner_text()
    assert total.inner_text() != before_total
    assert "Kerstpakketten" in page.locator("#board-message").inner_text()
    assert "nog 15 u te plannen" in page.locator(f"#order-{order.id}").inner_text()

    # Drag-and-drop: the rest of the order onto the next day of another group.
    other_cell = page.locator(f"#cell-{groups[1].id}-{(day + timedelta(days=1)).isoformat()}")
    page.locator(f"#order-{order.id}").drag_to(other_cell)
    page.locator(f"#cell-{groups[1].id}-{(day + timedelta(days=1)).isoformat()} .chip").wait_for()
    assert "Helemaal gepland" in page.locator(f"#order-{order.id}").inner_text()
    # Fully planned before its due date: no chip of it is flagged late any more (the row is
    # swapped in after the drop's answer, so wait for it rather than count at once).
    expect(page.locator(f"#row-{group.id} .chip-late-order")).to_have_count(0)

    # Once more by keyboard: refused (fully planned), and the message says so in the board.
    page.locator(f"[data-pick-order='{order.id}']").focus()
    page.keyboard.press("Enter")
    page.locator(f"#cell-{groups[3].id}-{day.isoformat()} .cell-target").focus()
    page.keyboard.press("Enter")
    page.locator("#board-message .flash-error").wait_for()
    assert "helemaal gepland" in page.locator("#board-message").inner_text()
    assert Assignment.select().where(Assignment.order == order).count() == 2

    # Move a planned chip by dragging it to another group's day.
    source = f"#cell-{groups[1].id}-{(day + timedelta(days=1)).isoformat()}"
    target = f"#cell-{groups[4].id}-{(day + timedelta(days=2)).isoformat()}"
    page.locator(f"{source} .chip").drag_to(page.locator(target))
    page.locator(f"{target} .chip").wait_for()
    assert page.locator(f"{source} .chip").count() == 0
    assert Assignment.select().where(Assignment.order == order).count() == 2
    screenshot(page, "orders-board")
    page.goto(f"{live_server.url}/orders/board")
    overloaded = page.locator(f"#cell-{groups[2].id}-{(_monday() + timedelta(days=1)).isoformat()}")
    assert "cell-over" in overloaded.get_attribute("class")
    assert "+5 u" in overloaded.inner_text()
    screenshot(page, "orders-board-this-fortnight")

    page.goto(f"{live_server.url}/orders/")
    assert page.locator("progress").count() == 3
    assert page.get_by_role("columnheader", name="Productgroep").is_visible()
    assert page.get_by_role("cell", name="Inpakken", exact=True).is_visible()
    page.select_option("#f-product-group", "none")
    page.wait_for_url("**product_group=none**")
    assert page.locator("progress").count() == 2
    screenshot(page, "orders-list")
    # Narrower, the product group goes under the product instead of in a column of its own.
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"{live_server.url}/orders/")
    assert not page.get_by_role("columnheader", name="Productgroep").is_visible()
    assert "Productgroep: Inpakken" in page.locator("#order-rows tbody").inner_text()
    screenshot(page, "orders-list-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The group's supervisor registers today's production: plan today on his group first.
    make.assignment(order, group, today(), "4")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{live_server.url}/auth/login")
    browser_login(page, group.supervisor)
    page.goto(f"{live_server.url}/orders/today")
    item = page.locator(f"#work-{group.id}-{order.id}")
    item.locator("input[name=quantity]").fill("150")
    item.locator("input[name=rejects]").fill("6")
    # The page posts and comes back to the same address: wait for the new page, not the URL.
    with page.expect_navigation():
        item.locator("button[type=submit]").click()
    assert "Geregistreerd" in page.locator(".flashes").inner_text()
    assert "10 %" in page.locator(f"#work-{group.id}-{order.id}").inner_text()  # 144 of 1500
    assert Production.get().quantity == 150
    screenshot(page, "orders-today")
    page.goto(f"{live_server.url}/orders/board")
    assert page.locator("#plan-form").count() == 0
    assert page.locator(f"#row-{groups[1].id}").count() == 0
    screenshot(page, "orders-board-supervisor")


def test_intake_shows_dutch_messages_beside_the_fields(page, live_server, browser_login, make,
                                                       screenshot):
    planner = make.user("planner")
    make.client(name="Bakker Verpakkingen")
    browser_login(page, planner)
    page.goto(f"{live_server.url}/orders/new")
    page.select_option("#client", label="Bakker Verpakkingen")
    page.fill("#product", "Kerstpakketten")
    page.fill("#quantity", "0")
    page.fill("#norm_per_hour", "0")
    page.fill("#due_date", "2001-01-01")
    page.click("main button[type=submit]")
    assert "De hoeveelheid moet tussen 1 en" in page.locator("#field-quantity").inner_text()
    assert "De norm moet meer dan 0 zijn" in page.locator("#field-norm_per_hour").inner_text()
    assert "verleden" in page.locator("#field-due_date").inner_text()
    assert page.locator("#quantity").get_attribute("aria-invalid") == "true"
    screenshot(page, "orders-intake-errors")
    page.fill("#quantity", "1500")
    page.fill("#norm_per_hour", "50")
    page.fill("#due_date", (today() + timedelta(days=14)).isoformat())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/orders/*")
    from portal.orders.models import Order

    taken = Order.get()
    assert page.locator("h1").inner_text() == f"Order {taken.id}: Kerstpakketten"
    assert (taken.quantity, taken.status) == (1500, "intake")
    screenshot(page, "orders-order")


def test_a_planned_block_s_actions_are_44_px_behind_one_menu_button(page, live_server,
                                                                     browser_login, make,
                                                                     screenshot):
    planner, groups, _ = _world(make)
    source_day = _monday() + timedelta(days=2)
    chip = page.locator(f"#cell-{groups[3].id}-{source_day.isoformat()} .chip")
    browser_login(page, planner)
    page.goto(f"{live_server.url}/orders/board?start={_monday().isoformat()}")
    # Planned hours move only onto a day still to come: next week's Thursday.
    toggle = chip.locator("summary.chip-menu-toggle")
    box = toggle.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert not chip.locator(".chip-pick").is_visible()

    # By keyboard: open the menu, choose "move", then Enter on another cell's + button.
    toggle.focus()
    page.keyboard.press("Enter")
    for action in (".chip-pick", ".chip-edit", ".chip-remove"):
        size = chip.locator(action).bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, action
    target_day = _monday() + timedelta(days=10)
    target = f"#cell-{groups[0].id}-{target_day.isoformat()} .cell-target"
    assert page.locator(target).bounding_box()["height"] >= 44
    screenshot(page, "orders-board-chip-menu")
    chip.locator(".chip-pick").focus()
    page.keyboard.press("Enter")
    page.locator(target).focus()
    page.keyboard.press("Enter")
    page.locator(f"#cell-{groups[0].id}-{target_day.isoformat()} .chip").wait_for()
    assert chip.count() == 0
    moved = Assignment.get(Assignment.work_group == groups[0].id)
    assert moved.day == target_day
