"""The jobcoach's pages pass the same accessibility and markup checks as every menu page.

The demo has no jobcoach yet, so the menu walk of test_accessibility cannot reach these pages:
this test makes its own jobcoach and detachment.
"""

from datetime import timedelta
from decimal import Decimal

from portal.detachments import hours as hour_rules
from portal.timeutil import today
from tests import factories
from tests.browser.test_accessibility import check_page, check_rendered, menu_links
from tests.browser.test_accessibility import context  # noqa: F401 (the fixture axe needs)


def test_the_jobcoach_s_placements_and_week_form_are_accessible(context, live_server, make,
                                                              screenshot):
    coach = make.user("jobcoach", display_name="Jan de Coach")
    anna = make.employee(first_name="Anna", last_name="Visser")
    start = today() - timedelta(days=60)
    placed = make.detachment(people=[anna], start=start, name="Anna bij Bakkerij de Korenschoof",
                             jobcoach=coach)
    make.detachment(people=[make.employee()], start=start, jobcoach=coach)
    monday = hour_rules.week_start(today())
    hour_rules.save_week(placed, anna, monday, [Decimal("7.5")] + [None] * 6)

    page = context.new_page()
    page.goto(f"{live_server.url}/auth/login")
    page.fill("#username", coach.username)
    page.fill("#password", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/detachments/mine")
    assert menu_links(page) == [f"{live_server.url}/detachments/mine",
                                f"{live_server.url}/trajectories/",
                                f"{live_server.url}/trajectories/vacancies"]

    problems = check_page(page, f"{live_server.url}/detachments/mine")
    screenshot(page, "jobcoach-placements")
    problems += check_page(page, f"{live_server.url}/detachments/{placed.id}/hours"
                                 f"?week={monday.isoformat()}")
    # The form with a refused value beside its field.
    page.fill(f"#e{anna.id}-monday", "25")
    page.click(f"form:has(#e{anna.id}-monday) button[type=submit]")
    page.wait_for_selector(f"#e{anna.id}-monday-error")
    problems += check_rendered(page)
    screenshot(page, "jobcoach-hours-refused")
    assert not problems, "\n".join(problems)
