"""A supervisor's morning on a tablet: the list, an absence, a time correction, the history,
the sign-off. Screenshots at 1024x768 (landscape) and 800x1280 (portrait)."""

from datetime import date, time

import pytest

from portal import timeutil
from portal.attendance.models import Absence, AttendanceSegment, DaySignOff
from tests.factories import at

MONDAY = date(2026, 11, 16)


@pytest.fixture
def morning(make, monkeypatch):
    """Monday 09:00: a group of eight in every state of the day."""
    monkeypatch.setattr(timeutil, "utcnow", lambda: at(MONDAY, "09:00"))
    boss = make.user("supervisor", display_name="Wim de Werkleider")
    team = make.group(supervisor=boss, name="Inpak A")
    people = {name: make.employee(work_group=team, first_name=first, last_name=last)
              for name, (first, last) in {
                  "anna": ("Anna", "de Vries"), "bram": ("Bram", "Jansen"),
                  "cor": ("Cor", "van den Berg"), "dirk": ("Dirk", "Bakker"),
                  "eva": ("Eva", "Visser"), "fleur": ("Fleur", "Smit"),
                  "gijs": ("Gijs", "Meijer"), "hans": ("Hans", "de Boer")}.items()}
    make.segment(people["anna"], MONDAY, "07:55")
    make.segment(people["bram"], MONDAY, "08:20")
    make.absence(people["dirk"], MONDAY, "ziek")
    make.segment(people["eva"], MONDAY, "07:00", "08:30")
    make.leave(people["fleur"], MONDAY, MONDAY, "scholing")
    make.add_schedule(people["gijs"], {0: (time(10), time(14), 0)}, valid_from=date(2026, 1, 1))
    make.add_schedule(people["hans"], {1: (time(8), time(16), 30)}, valid_from=date(2026, 1, 1))
    return boss, team, people


def viewport_shot(page, name):
    """A screenshot of what the tablet shows (a dialog is fixed to the screen, not the page)."""
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def tablet(browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL",
                                  has_touch=True)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_supervisors_morning(browser, live_server, browser_login, screenshot, morning):
    boss, team, people = morning
    context, page = tablet(browser, 1024, 768)
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, boss)
    page.goto(f"{live_server.url}/attendance/")
    page.wait_for_url(f"**/attendance/groups/{team.id}/{MONDAY.isoformat()}")
    late = page.locator("section.section-late")
    assert "Cor van den Berg" in late.inner_text()
    assert "Te laat, nog niet binnen" in late.inner_text()
    screenshot(page, "attendance-day-1024x768")

    # Targets big enough for a gloved finger.
    for button in page.locator(".row-actions .button").all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44

    # One tap on "Afwezig", one on the code.
    page.locator("#employee-%d .row-actions a" % people["cor"].id, has_text="Afwezig").click()
    page.wait_for_selector("#panel.panel-overlay [role=dialog]")
    viewport_shot(page, "attendance-absence-panel-1024x768")
    page.locator("#panel button[value=ziek]").click()
    page.wait_for_selector(".flash-success")
    assert "Cor van den Berg" in page.locator("section.section-absent").inner_text()
    assert Absence.select().where(Absence.employee == people["cor"].id).count() == 1

    # Correct Bram's check-in with a reason.
    page.locator("#employee-%d a.chip" % people["bram"].id).click()
    page.wait_for_selector("#panel [role=dialog]")
    page.fill("#check_in", "07:58")
    page.fill("#reason", "Scanner haperde")
    viewport_shot(page, "attendance-correction-panel-1024x768")
    page.locator("#panel button", has_text="Correctie opslaan").click()
    page.wait_for_selector(".flash-success")
    history = page.locator("#history").inner_text()
    assert "08:20–…" in history and "07:58–…" in history and "Scanner haperde" in history
    assert "Wim de Werkleider" in history
    assert AttendanceSegment.select().where(AttendanceSegment.employee == people["bram"].id).count() == 2

    # A hand check-in for Gijs, with a reason from the big buttons.
    page.locator("#employee-%d .row-actions a" % people["gijs"].id, has_text="Inklokken").click()
    page.wait_for_selector("#panel [role=dialog]")
    page.locator("#panel button", has_text="Pas vergeten").click()
    page.wait_for_selector(".flash-success")
    assert "Gijs Meijer" in page.locator("section.section-in").inner_text()
    screenshot(page, "attendance-history-1024x768")

    # End of the day.
    page.locator("button", has_text="Dag aftekenen").click()
    page.wait_for_selector("#signed-off")
    assert DaySignOff.select().count() == 1
    assert page.locator(".row-actions").count() == 0  # locked for the supervisor now
    context.close()

    context, page = tablet(browser, 800, 1280)
    browser_login(page, boss)
    page.goto(f"{live_server.url}/attendance/groups/{team.id}/{MONDAY.isoformat()}")
    screenshot(page, "attendance-day-800x1280")
    context.close()


def test_the_panel_fits_a_portrait_tablet(browser, live_server, browser_login, morning):
    boss, team, people = morning
    context, page = tablet(browser, 800, 1280)
    browser_login(page, boss)
    page.goto(f"{live_server.url}/attendance/groups/{team.id}/{MONDAY.isoformat()}")
    page.locator("#employee-%d .row-actions a" % people["cor"].id, has_text="Inklokken").click()
    page.wait_for_selector("#panel [role=dialog]")
    viewport_shot(page, "attendance-clock-panel-800x1280")
    page.keyboard.press("Escape")
    page.wait_for_selector("#panel [role=dialog]", state="detached")
    context.close()


def test_timesheet_and_absence_figures(browser, live_server, browser_login, screenshot, morning,
                                       make):
    boss, team, people = morning
    context, page = tablet(browser, 1024, 768)
    browser_login(page, boss)
    page.goto(f"{live_server.url}/attendance/groups/{team.id}/{MONDAY.isoformat()}")
    page.locator(".day-nav a", has_text="Urenstaat").click()
    page.wait_for_selector("table")
    assert "Anna de Vries" in page.locator("table").inner_text()
    screenshot(page, "attendance-timesheet-group-1024x768")
    page.locator("table a", has_text="Bram Jansen").click()
    page.wait_for_selector("tfoot")
    screenshot(page, "attendance-timesheet-employee-1024x768")
    context.close()

    context, page = tablet(browser, 1024, 768)
    browser_login(page, make.user("hr", display_name="Petra Personeelszaken"))
    page.goto(f"{live_server.url}/attendance/figures?month=2026-11&by=group")
    assert "Inpak A" in page.locator("table").inner_text()
    screenshot(page, "attendance-figures-1024x768")
    context.close()


def test_a_correction_without_a_reason_is_refused_beside_the_field(browser, live_server,
                                                                  browser_login, screenshot,
                                                                  morning):
    boss, team, people = morning
    context, page = tablet(browser, 1024, 768)
    browser_login(page, boss)
    page.goto(f"{live_server.url}/attendance/groups/{team.id}/{MONDAY.isoformat()}")
    page.locator("#employee-%d a.chip" % people["anna"].id).click()
    page.wait_for_selector("#panel [role=dialog]")
    page.fill("#check_in", "07:50")
    page.locator("#panel button", has_text="Correctie opslaan").click()
    page.wait_for_selector("#reason-error")
    assert "Dit veld is vereist." in page.locator("#reason-error").inner_text()
    assert page.locator("#reason").get_attribute("aria-invalid") == "true"
    screenshot(page, "attendance-correction-refused-1024x768")
    assert AttendanceSegment.select().where(AttendanceSegment.employee == people["anna"].id).count() == 1
    context.close()
