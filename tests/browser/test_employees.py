"""The employee list and form in a real browser: htmx messages, saving, searching."""

from playwright.sync_api import expect

from portal.people.models import Employee


def _company(make):
    municipality = make.municipality(name="Loon op Zand")
    group = make.group(name="Ploeg Inpak 1")
    for first, last in [("Bram", "Aalders"), ("Carla", "Bosman"), ("Derk", "Claassen"),
                        ("Eva", "Dekker")]:
        make.employee(first_name=first, last_name=last, municipality=municipality,
                      work_group=group)
    make.photo(Employee.get(Employee.last_name == "Bosman"))
    return municipality, group


def _rows(page):
    return page.locator("#employee-rows tbody tr")


def test_admin_creates_an_employee_and_finds_it(page, live_server, browser_login, make,
                                               screenshot):
    _company(make)
    browser_login(page, make.user("admin", display_name="Anja Beheer"))
    page.goto(f"{live_server.url}/people/employees")
    assert _rows(page).count() == 4
    screenshot(page, "employees-list")

    page.click("text=Nieuwe medewerker")
    page.wait_for_url(f"{live_server.url}/people/employees/new")
    page.fill("#employee_number", "t-0042")
    page.fill("#first_name", "Tamara")
    page.fill("#last_name", "Zwaan")
    page.select_option("#employment", label="Beschut werk")
    page.fill("#contract_hours", "50")
    page.select_option("#municipality", label="Loon op Zand")
    page.select_option("#work_group", label="Ploeg Inpak 1")
    page.fill("#start_date", "2025-03-03")
    for day in range(4):
        page.fill(f"#day{day}-starts_at", "08:30")
        page.fill(f"#day{day}-ends_at", "15:00")
        page.fill(f"#day{day}-break_minutes", "30")
    page.set_input_files("#photo", files=[{"name": "pasfoto.jpg", "mimeType": "image/jpeg",
                                            "buffer": b"this is no photo"}])
    # A mark on the page's window: it is gone if the page reloads instead of swapping.
    page.evaluate("window.notReloaded = true")
    page.click("#employee-form button[type=submit]")
    # The summary comes only with the answer to the submit (inline checks do not show it).
    expect(page.locator("#employee-summary .form-summary")).to_be_visible()
    error = page.locator("#field-contract_hours .field-error")
    assert "Vul meer dan 0 en hoogstens 40 uur in." in error.inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert page.url == f"{live_server.url}/people/employees/new"
    assert page.locator("#first_name").input_value() == "Tamara"
    expect(page.locator("#contract_hours")).to_be_focused()
    assert "Dit bestand is geen foto." in page.locator("#employee-photo-errors").inner_text()
    assert "Ingeroosterd: 24 uur per week" in page.locator("#schedule-total").inner_text()
    screenshot(page, "employee-form-error")

    page.set_input_files("#photo", files=[{"name": "pasfoto.jpg", "mimeType": "image/jpeg",
                                            "buffer": make.jpeg_bytes((300, 400))}])
    page.fill("#contract_hours", "24")
    page.locator("#contract_hours").blur()
    page.locator("#field-contract_hours .field-error").wait_for(state="detached")
    page.click("#employee-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/people/employees")
    assert "Medewerker Tamara Zwaan is toegevoegd." in page.locator(".flashes").inner_text()
    assert _rows(page).count() == 5
    assert "Zwaan, Tamara" in page.locator("#employee-rows").inner_text()
    thumb = page.locator("#employee-rows tr", has_text="Zwaan").locator("img.photo-thumb")
    expect(thumb).to_be_visible()
    expect(thumb).to_have_js_property("naturalWidth", 300)  # the photo really loaded

    page.fill("#q", "zwa")
    expect(_rows(page)).to_have_count(1)
    assert "T-0042" in _rows(page).first.inner_text()
    assert page.url.endswith("/people/employees?q=zwa&status=active")
    page.fill("#q", "")
    expect(_rows(page)).to_have_count(5)
    assert Employee.get(Employee.employee_number == "T-0042").work_group.name == "Ploeg Inpak 1"


def test_employee_pages_at_tablet_width(page, live_server, browser_login, make, screenshot):
    _, group = _company(make)
    browser_login(page, make.user("admin"))
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/people/employees")
    # Nothing sticks out sideways: the table fits or scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    screenshot(page, "employees-list-1024")
    person = Employee.get(Employee.last_name == "Bosman")
    page.goto(f"{live_server.url}/people/employees/{person.id}/edit")
    page.fill("#day0-ends_at", "07:00")
    page.click("#employee-form button[type=submit]")
    page.locator("#field-day0-ends_at, td.field-invalid .field-error").first.wait_for()
    assert "De eindtijd moet na de begintijd liggen." in page.locator(
        "#employee-fields").inner_text()
    assert page.locator("#employee-fields .field-error").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    screenshot(page, "employee-form-1024")
