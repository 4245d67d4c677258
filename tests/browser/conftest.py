"""Browser tests: the app served on 127.0.0.1 in a thread, driven by Debian's Chromium.

Never `playwright install`: the browser is /usr/bin/chromium from apt (bin/setup --test).
Screenshots go to test-artifacts/screenshots/ so that a person can look at them.
"""

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    # Time and date inputs follow the browser's own language, not the context's locale. Debian's
    # chromium ships only the en-US locale pack (no chromium-l10n), so --lang alone still gives
    # 12-hour AM/PM; the Blink feature makes the inputs follow the page's lang="nl" instead, as
    # a Dutch tablet shows them: 24-hour time, dd-mm-jjjj.
    "--lang=nl-NL", "--enable-blink-features=LangAttributeAwareFormControlUI",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def markup_run(database: str):
    """Run a markup check once, in the run on `database` ("sqlite" or "postgresql").

    What axe, the target check and the HTML checkers judge is the markup, which is the same
    whatever database holds the rows, so each such check runs in one of bin/test's two runs,
    not both; they are shared out so that the two runs, one per core, end at about the same
    time (the menu walks in the PostgreSQL run, the other page checks in the SQLite run).
    """
    from tests.conftest import PG_URL

    here = "postgresql" if PG_URL else "sqlite"
    return pytest.mark.skipif(here != database,
                              reason=f"this markup check runs in the {database} run")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # When the browser drops a connection while werkzeug's test server is still streaming a
            # static file, that server lets go of the file without closing it. The warning comes from
            # the test server's thread, not from the portal (gunicorn serves it in production), and
            # would otherwise fail whichever test happened to be running.
            item.add_marker(pytest.mark.filterwarnings("ignore:unclosed file:ResourceWarning"))


@contextmanager
def serving(app):
    """Serve an app on a free loopback port in a thread; the server has its `url`."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_server(app):
    """Serve the test app for the length of one test."""
    with serving(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) at a desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name): save a full-page PNG under test-artifacts/screenshots/."""

    def _take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _take


@pytest.fixture
def browser_login(live_server):
    """browser_login(page, user): log in through the real form in the browser."""
    from tests import factories

    def _login(page, user, password=factories.PASSWORD):
        page.goto(f"{live_server.url}/auth/login")
        page.fill("#username", user.username)
        page.fill("#password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/overview")
        return page

    return _login
