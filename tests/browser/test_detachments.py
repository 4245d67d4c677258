"""A planner makes a group detachment, the month's statement appears, the client approves it."""

import re
from datetime import date

from playwright.sync_api import expect

from portal.detachments.models import Detachment, Statement


def test_group_detachment_statement_is_approved_by_the_client(page, browser, live_server,
                                                              browser_login, make, screenshot):
    planner = make.user("planner", display_name="Petra Planner")
    boss = make.user("supervisor", display_name="Willem Werkleider")
    group = make.group(supervisor=boss, name="Ploeg Groen")
    people = [make.employee(work_group=group, first_name=first, last_name=last)
              for first, last in (("Anna", "de Vries"), ("Bram", "Jansen"), ("Cor", "Bakker"))]
    customer = make.client(name="Tuinbouw Westland BV", contact_name="Mevr. K. Smit")
    site = make.client_location(customer, name="Kas 3, Naaldwijk")

    make.client_location(make.client(name="Ander Bedrijf BV"), name="Magazijn Oost")
    browser_login(page, planner)
    page.goto(f"{live_server.url}/detachments/new")
    assert "Magazijn Oost" in page.locator("#location").inner_text()
    page.select_option("#client", str(customer.id))
    # Choosing the client leaves only its own sites in the location list.
    expect(page.locator("#location option")).to_have_count(2)
    assert "Magazijn Oost" not in page.locator("#location").inner_text()
    page.select_option("#location", str(site.id))
    page.check("input[name=kind][value=group]")
    assert page.locator("fieldset[data-kind=individual]").is_hidden()
    page.fill("#start_date", "2026-03-01")
    page.select_option("#work_group", str(group.id))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/detachments/\d+$"))
    expect(page.locator(".flashes")).to_contain_text("Detachering Ploeg Groen gemaakt.")
    detachment = Detachment.get()
    assert detachment.members.count() == 3

    page.select_option("#rate-price_form", "per_person_day")
    page.fill("#rate-amount", "185,50")
    page.fill("#rate-valid_from", "2026-03")
    page.click("text=Tarief opslaan")
    expect(page.locator(".flashes")).to_contain_text("Tarief opgeslagen.")
    screenshot(page, "detachments-detail")

    # The kiosk at the client's site would make these; the test writes them directly.
    for day in (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)):
        for person in people:
            make.worked(person, day, 7.5, site)
    make.worked(people[0], date(2026, 3, 5), 4, site)  # Bram and Cor absent: not billed

    page.click("a:has-text('maart 2026')")
    page.wait_for_url("**/statements/2026-03")
    table = page.locator(".statement-table")
    assert "Anna de Vries" in table.inner_text()
    assert "1.855,00" in page.locator(".statement-table tfoot").inner_text()  # 10 days × 185.50
    screenshot(page, "detachments-statement-planner")

    page.click("button:has-text('Versturen')")
    link = page.locator("#client-link").input_value()
    assert "/detachments/link/" in link
    screenshot(page, "detachments-link-made")

    client_context = browser.new_context(viewport={"width": 1000, "height": 900},
                                         locale="nl-NL")
    client_page = client_context.new_page()
    client_page.goto(link)
    assert client_page.locator("h1").inner_text() == "Urenstaat maart 2026"
    assert client_page.locator("nav").count() == 0
    assert "Petra Planner" not in client_page.content()
    client_page.emulate_media(media="print")
    screenshot(client_page, "detachments-client-link-print")
    client_page.emulate_media(media="screen")
    screenshot(client_page, "detachments-client-link")
    client_page.click("button:has-text('Urenstaat goedkeuren')")  # without a name: refused
    expect(client_page.locator("#approver_name-error")).to_contain_text("Geef uw naam")
    client_page.fill("#approver_name", "Karin Smit")
    client_page.click("button:has-text('Urenstaat goedkeuren')")
    expect(client_page.locator("main")).to_contain_text("U hebt deze urenstaat goedgekeurd")
    expect(client_page.locator("main")).to_contain_text("goedgekeurd door Karin Smit")
    assert client_context.cookies() == []
    client_context.close()

    statement = Statement.get()
    assert (statement.status, statement.version) == ("approved", 1)
    assert statement.approved_by_name == "Karin Smit"

    page.goto(f"{live_server.url}/detachments/clients/{customer.id}/2026-03")
    assert "1.855,00" in page.locator(".statement-total").inner_text()
    page.emulate_media(media="print")
    screenshot(page, "detachments-client-statement-print")
    assert page.locator(".site-header").is_hidden()

    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/detachments/")
    expect(page.locator("section:has(#h-running)")).to_contain_text("Ploeg Groen")
    screenshot(page, "detachments-overview")
