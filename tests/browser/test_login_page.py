"""The log-in page in a real browser."""


def test_admin_logs_in_and_sees_the_overview(page, live_server, browser_login, make, screenshot):
    admin = make.user("admin", display_name="Anja Beheer")
    browser_login(page, admin)
    assert page.locator("h1").inner_text() == "Goedendag, Anja Beheer"
    assert page.locator("nav a[href='/auth/users']").is_visible()
    screenshot(page, "overview-admin")


def test_wrong_password_shows_a_message_in_the_page(page, live_server, make):
    user = make.user("planner")
    page.goto(f"{live_server.url}/auth/login")
    page.fill("#username", user.username)
    page.fill("#password", "fout")
    page.click("main button[type=submit]")
    assert "Gebruikersnaam of wachtwoord is onjuist" in page.locator(".form-summary").inner_text()
