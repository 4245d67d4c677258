"""The company structure in a real browser: htmx forms and the searchable lists."""

from playwright.sync_api import expect


def test_admin_creates_a_workfloor_and_a_group_on_it(page, live_server, browser_login, make,
                                                     screenshot):
    admin = make.user("admin", display_name="Anja Beheer")
    make.location(name="Vestiging Noord", city="Zandhoven", street="Fabrieksweg 3",
                  postcode="5211 AB")
    make.user("supervisor", display_name="Sem de Werkleider")
    for n in range(3):
        make.group(name=f"Bestaande ploeg {n}")
    browser_login(page, admin)

    page.goto(f"{live_server.url}/people/workfloors")
    page.get_by_role("link", name="Nieuwe werkvloer").click()
    page.get_by_label("Naam").fill("Inpakafdeling")
    page.get_by_label("Locatie").select_option(label="Vestiging Noord (Zandhoven)")
    page.get_by_label("Werkplekken").fill("0")
    # A marker that a full page load would wipe: the error must come without one.
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Opslaan").click()
    error = page.locator("#field-workplaces .field-error")
    expect(error).to_have_text("⚠ Vul een aantal in van 1 tot en met 500.")
    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_label("Werkplekken")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Naam")).to_have_value("Inpakafdeling")
    screenshot(page, "structure-workfloor-error")

    page.get_by_label("Werkplekken").fill("16")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"{live_server.url}/people/workfloors")
    expect(page.locator(".flash-success")).to_contain_text("Inpakafdeling is aangemaakt.")
    row = page.locator("tr", has_text="Inpakafdeling")
    expect(row).to_contain_text("Vestiging Noord")
    expect(row.locator("td.num").first).to_have_text("16")
    screenshot(page, "structure-workfloors")

    page.goto(f"{live_server.url}/people/groups/new")
    page.get_by_label("Naam").fill("Inpak ochtend")
    page.get_by_label("Werkleider").select_option(label="Sem de Werkleider")
    page.get_by_label("Vaste werkvloer").select_option(label="Vestiging Noord · Inpakafdeling")
    screenshot(page, "structure-group-form")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"{live_server.url}/people/groups")
    expect(page.locator("tr", has_text="Inpak ochtend")).to_contain_text("Sem de Werkleider")

    # Search as you type narrows the list without a page load.
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Zoeken op naam, werkleider of werkvloer").press_sequentially("ochtend")
    expect(page.locator("#group-rows tbody tr")).to_have_count(1)
    expect(page.locator("#group-rows tbody tr")).to_contain_text("Inpak ochtend")
    assert page.evaluate("window.notReloaded") is True
    assert "q=ochtend" in page.url
    screenshot(page, "structure-groups")


def test_deactivating_a_workfloor_with_groups_is_refused_after_confirming(
        page, live_server, browser_login, make, screenshot):
    group = make.group(name="Ploeg Montage")
    floor = group.workfloor
    browser_login(page, make.user("admin"))
    page.goto(f"{live_server.url}/people/workfloors/{floor.id}/edit")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Deactiveren").click()
    expect(page.locator(".flashes .flash-error")).to_contain_text(
        "Deze werkvloer heeft nog 1 actieve ploeg.")
    assert questions == [f"{floor.name} deactiveren?"]
    screenshot(page, "structure-workfloor-refused")


def test_the_client_list_is_only_open_for_a_client_site(page, live_server, browser_login, make,
                                                        screenshot):
    make.client(name="Fictief Verpakt BV")
    browser_login(page, make.user("admin"))
    page.goto(f"{live_server.url}/people/locations/new")
    expect(page.get_by_label("Soort")).to_have_value("own")
    expect(page.get_by_label("Klant", exact=True)).to_be_disabled()
    page.get_by_label("Soort").select_option("client")
    page.get_by_label("Naam").fill("Magazijn Fictief")
    page.get_by_role("button", name="Opslaan").click()
    # The server's messages come back in the page, and the client list stays open.
    expect(page.locator("#field-client .field-error")).to_have_text(
        "⚠ Kies de klant van deze locatie.")
    expect(page.get_by_label("Klant", exact=True)).to_be_enabled()
    page.get_by_label("Klant", exact=True).select_option(label="Fictief Verpakt BV")
    page.get_by_label("Postcode").fill("5211ab")
    page.get_by_label("Plaats").fill("Havenstad")
    screenshot(page, "structure-location-form")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"{live_server.url}/people/locations")
    expect(page.locator("tr", has_text="Magazijn Fictief")).to_contain_text(
        "Locatie van klant: Fictief Verpakt BV")
    expect(page.locator("tr", has_text="Magazijn Fictief")).to_contain_text("5211 AB Havenstad")
