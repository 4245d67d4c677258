"""Trajectories in the browser: the demo jobcoach's caseload on a tablet, and every detail page
through the accessibility checks (the menu walk reaches only the lists); the trajectory page's
folded sections on a tablet, opened by keyboard and checked again when all are open."""

import re

import pytest

from portal import create_app, demo
from portal.auth.models import User
from portal.people.models import Workfloor
from portal.trajectories.models import Trajectory, Vacancy
from tests.browser.conftest import markup_run, serving
from tests.browser.test_accessibility import TARGET, check_page, check_rendered, log_in_as
from tests.browser.test_accessibility import context  # noqa: F401 (the fixture axe needs)
from tests.conftest import _config, _empty_all_tables

pytestmark = markup_run("sqlite")


@pytest.fixture(scope="module")
def demo_company(_migrated, tmp_path_factory):
    """The demo company, filled once for this module; the last test changes it."""
    application = create_app(_config(_migrated, tmp_path_factory.mktemp("trajectories")))
    with application.app_context():
        demo.fill(seed=5)
        coach = User.get(User.username == "jobcoach")
        ids = dict(
            coached=Trajectory.select().where((Trajectory.coach == coach.id)
                                              & (Trajectory.status == "open")
                                              & Trajectory.latest_evaluation_id.is_null(False))
            .order_by(Trajectory.id).first().id,
            ended=Trajectory.select().where((Trajectory.coach == coach.id)
                                            & (Trajectory.status == "ended"))
            .order_by(Trajectory.id).first().id,
            vacancy=Vacancy.select().order_by(Vacancy.id).first().id,
            workfloor=Workfloor.select().order_by(Workfloor.id).first().id)
    with serving(application) as server:
        server.ids = ids
        yield server
    _empty_all_tables()


def test_every_trajectory_page_is_accessible_and_valid(context, demo_company):
    base, ids = demo_company.url, demo_company.ids
    page = context.new_page()
    log_in_as(page, base, "jobcoach")
    problems = []
    for path in (f"/trajectories/{ids['coached']}", f"/trajectories/{ids['coached']}/evaluation",
                 f"/trajectories/{ids['coached']}/plan", f"/trajectories/{ids['coached']}/end",
                 f"/trajectories/{ids['coached']}/vacancies", f"/trajectories/{ids['ended']}",
                 f"/trajectories/vacancies/{ids['vacancy']}"):
        problems += check_page(page, base + path)
    page.close()
    context.clear_cookies()
    page = context.new_page()
    log_in_as(page, base, "hr")
    for path in ("/trajectories/new", f"/trajectories/vacancies/{ids['vacancy']}/edit",
                 "/trajectories/vacancies/new", f"/trajectories/{ids['coached']}"):
        problems += check_page(page, base + path)
    page.close()
    context.clear_cookies()
    page = context.new_page()
    log_in_as(page, base, "admin")
    problems += check_page(page, f"{base}/trajectories/settings/workfloors/{ids['workfloor']}")
    assert not problems, "\n".join(problems)


def test_the_trajectory_page_folds_to_two_tablet_screens_and_opens_by_keyboard(
        browser, demo_company, screenshot):
    base, ids = demo_company.url, demo_company.ids
    tablet = browser.new_context(viewport={"width": 800, "height": 1280}, locale="nl-NL",
                                 has_touch=True, bypass_csp=True)
    tablet.set_default_timeout(10_000)
    page = tablet.new_page()
    log_in_as(page, base, "jobcoach")
    problems = check_page(page, f"{base}/trajectories/{ids['coached']}")
    folded = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "trajectory-folded-tablet")
    opened = page.locator("section.fold > details[open]").evaluate_all(
        "all => all.map(d => d.parentElement.id)")
    assert opened == ["phases", "goals"]
    assert folded <= 2 * 1280, f"the folded page is {folded} px tall"
    for summary in page.locator("section.fold > details > summary").all():
        assert summary.bounding_box()["height"] >= TARGET

    # Tab from the phases' summary to the development's, and open it with Enter.
    page.focus("#phases summary")
    for _ in range(20):
        if page.evaluate("document.activeElement.matches('#development summary')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#development summary:focus-visible')")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert not page.locator("#development figure img").is_visible()
    page.keyboard.press("Enter")
    assert page.locator("#development figure img").is_visible()

    # Every section open: what was folded away is checked too.
    closed = page.locator("main details:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()
    assert closed.count() == 0
    problems += check_rendered(page)
    unfolded = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "trajectory-unfolded-tablet")
    print(f"trajectory page at 800 x 1280: {folded} px folded, {unfolded} px with all open")
    assert not problems, "\n".join(problems)
    tablet.close()


def test_the_jobcoach_evaluates_on_a_tablet_sees_the_chart_change_and_proposes(
        browser, demo_company, screenshot):
    base, ids = demo_company.url, demo_company.ids
    tablet = browser.new_context(viewport={"width": 800, "height": 1280}, locale="nl-NL",
                                 has_touch=True)
    tablet.set_default_timeout(10_000)
    page = tablet.new_page()
    log_in_as(page, base, "jobcoach")
    page.click("header nav a:has-text('Trajecten')")
    page.wait_for_selector("#caseload tbody tr")
    assert page.locator("#caseload tbody tr").count() == 60
    screenshot(page, "trajectories-caseload-tablet")

    page.goto(f"{base}/trajectories/{ids['coached']}")
    chart = page.locator("#development figure img")
    before_src = chart.get_attribute("src")
    columns_before = page.locator(".development-table thead th").count()
    page.click("a:has-text('Evaluatie vastleggen')")
    page.wait_for_selector("#h-rhythm")
    for fieldset in page.locator("fieldset.score-field").all():
        fieldset.locator("label.score-option").nth(3).click()  # a 4 for every skill
    page.fill("#comment", "Werkt zelfstandig door.")
    page.click("button:has-text('Ondertekenen en opslaan')")
    page.wait_for_selector(".flash-success")
    after_src = chart.get_attribute("src")
    assert after_src != before_src
    assert page.locator(".development-table thead th").count() in (columns_before,
                                                                   columns_before + 1)
    assert page.locator(".development-table tbody td.num:text('4')").count() >= 10
    assert "Werkt zelfstandig door." in page.locator("#development").inner_text()
    svg = page.request.get(base + after_src).text()
    assert re.search(r"<svg", svg) and "<script" not in svg
    assert page.evaluate("document.querySelector('#development img').naturalWidth") > 0
    screenshot(page, "trajectories-evaluated-tablet")

    page.click("a:has-text('Passende vacatures')")
    page.wait_for_selector("h1:has-text('Open vacatures')")
    page.locator("button:has-text('Voordragen')").first.click()
    page.wait_for_selector(".flash-success")
    assert "is voorgedragen voor" in page.locator(".flash-success").inner_text()
    tablet.close()
