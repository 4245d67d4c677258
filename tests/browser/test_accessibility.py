"""Accessibility and valid markup of every kind of page, for every role.

The pages are found from the menu links each role sees, so a page another area adds to the
menu is checked as soon as it lands. On each page: axe-core (vendored, see the README) must
find nothing serious or critical, with its target-size rule switched on at 44 px; our own
check that every visible link, button and form control is at least 44 by 44 px unless it is a
link inside a paragraph of text; zoom is not blocked; <html lang> is set; and the HTML the
server sent parses without errors (html5lib, strict) and has no duplicate ids.

From the menu's pages the walk follows one link of every other kind of page they lead to
(forms, details, panels, timesheets: one per path shape, ids taken as alike), and checks
those for valid HTML and 44 px targets (axe only on the menu's pages, to keep it cheap).
Every page the walk saw then goes to the W3C Nu checker in one batch (tests/browser/nu.py).
"""

from collections import Counter
from datetime import time
from pathlib import Path
from urllib.parse import urljoin

import re
from urllib.parse import urlsplit

import html5lib
import pytest

from portal import create_app, demo
from portal.kiosk import pins as kiosk_pins
from tests.browser import nu
from tests.browser.conftest import markup_run, serving
from tests.conftest import _config, _empty_all_tables

# Each check runs once, in one of the two runs (conftest.markup_run says why).
IN_SQLITE_RUN, IN_POSTGRESQL_RUN = markup_run("sqlite"), markup_run("postgresql")

AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
TARGET = 44
DEMO_LOGINS = {"admin": "beheer", "planner": "planning", "supervisor": "werkleider01",
               "hr": "hr", "jobcoach": "jobcoach"}

# Every visible interactive element smaller than 44 x 44 px, unless it is a link in running
# text (a paragraph with more text than the link: a "← back" paragraph is not), or a control
# whose label is the 44 px target (a checkbox in its label).
SMALL_TARGETS_JS = """(minimum) => {
  const out = [];
  const big = (r) => r.width >= minimum - 0.5 && r.height >= minimum - 0.5;
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea")) {
    if (el.type === "hidden") continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === "hidden" || box.width === 0 || box.height === 0) continue;
    if (box.bottom + window.scrollY <= 0 || box.right + window.scrollX <= 0) continue;
    if (big(box)) continue;
    // A link in running text is exempt; a paragraph that holds only the link is no text.
    const paragraph = el.closest("p");
    const alone = paragraph && paragraph.textContent.trim() === el.textContent.trim();
    if (el.tagName === "A" && style.display.startsWith("inline") && paragraph && !alone) continue;
    const label = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`));
    if (label && big(label.getBoundingClientRect())) continue;
    out.push(`${Math.round(box.width)}x${Math.round(box.height)} ${el.outerHTML.slice(0, 160)}`);
  }
  return out;
}"""

AXE_RUN_JS = """async (minimum) => {
  axe.configure({checks: [{id: "target-size", options: {minSize: minimum}}]});
  const result = await axe.run(document, {
    resultTypes: ["violations"],
    rules: {"target-size": {enabled: true}},
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


@pytest.fixture(scope="module")
def demo_server(_migrated, tmp_path_factory):
    """The demo company served on a loopback port, filled once for the whole menu walk.

    Lists then have rows, pages and long names. The tests that use it come first in this file
    and change nothing; the later ones make their own rows (their `app` empties every table).
    """
    application = create_app(_config(_migrated, tmp_path_factory.mktemp("a11y")))
    with application.app_context():
        demo.fill(seed=5)
    with serving(application) as server:
        yield server
    _empty_all_tables()


@pytest.fixture
def context(browser):
    """A browser context for axe.

    bypass_csp: the portal's CSP (script-src 'self') refuses the inline <script> that
    add_script_tag injects axe with; the pages themselves need no inline script either way.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL",
                                  bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context
    context.close()


INTERACTIVE = {"a", "button", "input", "select", "textarea"}
ID_REFERENCES = ("for", "form", "aria-describedby", "aria-labelledby")


def html_problems(markup: str) -> list[str]:
    """Parse errors (unclosed, misnested, stray tags), duplicate ids, and some content rules.

    html5lib reports what the HTML parser has to repair; on top of that: duplicate ids,
    references (for, form, aria-*) to ids that do not exist, lists whose children are not
    list items, and interactive elements nested inside links or buttons.
    """
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"),
                                 namespaceHTMLElements=False)
    tree = parser.parse(markup)
    problems = [f"line {line}:{col} {code} {data or ''}"
                for (line, col), code, data in parser.errors]
    elements = list(tree.iter())
    ids = Counter(el.get("id") for el in elements if el.get("id") is not None)
    problems += [f"duplicate id {ident!r}" for ident, n in ids.items() if n > 1]
    for el in elements:
        for attribute in ID_REFERENCES:
            if attribute == "form" and el.tag not in INTERACTIVE | {"fieldset", "output"}:
                continue
            for ident in (el.get(attribute) or "").split():
                if ident not in ids:
                    problems.append(f"<{el.tag} {attribute}={ident!r}> names no element")
        if el.tag in ("ul", "ol"):
            problems += [f"<{child.tag}> directly inside <{el.tag}>" for child in el
                         if child.tag not in ("li", "script", "template")]
        if el.tag in ("a", "button"):
            problems += [f"<{inner.tag}> inside <{el.tag}>" for inner in el.iter()
                         if inner is not el and inner.tag in INTERACTIVE
                         and inner.get("type") != "hidden"]
    return problems


def check_page(page, url: str, seen: dict | None = None, axe: bool = True) -> list[str]:
    """Open a page and return everything wrong with it (empty when it passes).

    `seen` collects the HTML the server sent, by URL, for the Nu checker's batch.
    """
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    where = page.url
    html = response.text()
    if seen is not None:
        seen[where if where not in seen else f"{where} (#{len(seen)})"] = html
    problems = [f"{where}: HTML {p}" for p in html_problems(html)]
    return problems + check_rendered(page, axe=axe)


def check_rendered(page, axe: bool = True) -> list[str]:
    """What is wrong with the page as it stands now (after a script changed it, too)."""
    where = page.url
    problems = []
    lang = page.evaluate("document.documentElement.lang")
    if not lang:
        problems.append(f"{where}: <html> has no lang")
    viewport = page.evaluate(
        "(document.querySelector('meta[name=viewport]') || {}).content || ''").replace(" ", "")
    if not viewport:
        problems.append(f"{where}: no viewport meta")
    for blocker in ("user-scalable=no", "user-scalable=0", "maximum-scale=1,",
                    "maximum-scale=1.0"):
        if blocker in viewport + ",":
            problems.append(f"{where}: viewport blocks zoom ({viewport})")

    problems += [f"{where}: target smaller than {TARGET}px: {t}"
                 for t in page.evaluate(SMALL_TARGETS_JS, TARGET)]
    if not axe:
        return problems

    page.add_script_tag(path=str(AXE))
    for violation in page.evaluate(AXE_RUN_JS, TARGET):
        if violation["impact"] in ("serious", "critical"):
            problems.append(f"{where}: axe {violation['impact']} {violation['id']} "
                            f"({violation['help']}): {violation['nodes']}")
    return problems


def menu_links(page) -> list[str]:
    """The absolute URLs of the main menu's links on the current page."""
    hrefs = page.locator("header nav a").evaluate_all("links => links.map(a => a.href)")
    return list(dict.fromkeys(hrefs))


# Links that are not pages: downloads, photos, the kiosk's own screens, the log-out.
NOT_PAGES = re.compile(r"\.(csv|xlsx|pdf|png|jpg|svg|js|css)$|/photo$|^/kiosk|^/static/|^/auth/logout")


def kinds_of_pages(page, base_url: str, shapes: set) -> list[str]:
    """One link of each kind of page in the current page's <main> that `shapes` lacks.

    A kind is a path with its ids taken as alike (/orders/12/edit and /orders/40/edit are one
    kind); the query string is ignored, so paging and filters do not count as new kinds.
    """
    found = []
    for href in page.locator("main a[href]").evaluate_all("links => links.map(a => a.href)"):
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base_url or NOT_PAGES.search(parts.path):
            continue
        shape = re.sub(r"/\d+(?=/|$)", "/N", re.sub(r"\d{4}-\d{2}-\d{2}", "D", parts.path))
        if shape not in shapes:
            shapes.add(shape)
            found.append(href)
    return found


def log_in_as(page, base_url: str, role: str) -> str:
    """Log in with the demo account of a role; return the page it lands on.

    Everyone lands on the overview, except the jobcoach: on the one page he has.
    """
    page.goto(f"{base_url}/auth/login")
    page.fill("#username", DEMO_LOGINS[role])
    page.fill("#password", demo.DEMO_PASSWORD)
    page.click("main button[type=submit]")
    landing = f"{base_url}{'/detachments/mine' if role == 'jobcoach' else '/overview'}"
    page.wait_for_url(landing)
    return landing


# The kinds of page a role's walk has checked: the next role checks only the kinds it adds.
_SHAPES_CHECKED: set = set()


@IN_POSTGRESQL_RUN
@pytest.mark.parametrize("role", sorted(DEMO_LOGINS))
def test_every_menu_page_is_accessible_and_valid(role, context, demo_server):
    page = context.new_page()
    landing = log_in_as(page, demo_server.url, role)
    links = menu_links(page)
    assert landing in links
    problems, seen = [], {}
    shapes = _SHAPES_CHECKED
    shapes.update(urlsplit(url).path for url in links)
    others = []
    for url in links:
        problems += check_page(page, url, seen)
        others += kinds_of_pages(page, demo_server.url, shapes)
    for url in others:
        problems += check_page(page, url, seen, axe=False)
    problems += check_page(page, urljoin(demo_server.url, "/no-such-page"), seen)
    problems += nu.check(seen)
    print(f"{role}: {len(links)} menu pages, {len(others)} other kinds, {len(seen)} to Nu")
    assert not problems, "\n".join(problems)


@IN_SQLITE_RUN
def test_the_supervisors_pages_are_accessible_on_a_tablet(browser, demo_server):
    """The werkleider works standing, on a tablet: landscape 1024 x 768 and portrait 800 x 1280."""
    problems = []
    for width, height in ((1024, 768), (800, 1280)):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale="nl-NL", bypass_csp=True, has_touch=True)
        page = context.new_page()
        log_in_as(page, demo_server.url, "supervisor")
        for url in menu_links(page):
            problems += [f"{width}x{height} {p}" for p in check_page(page, url)]
        context.close()
    assert not problems, "\n".join(problems)


@IN_SQLITE_RUN
def test_the_figure_pages_are_accessible_and_valid(browser, demo_server, screenshot):
    """Cijfers: every figure with its chart, its print view, and the agreed places (not all in
    the menu). The chart is an <img> that must load under the page's CSP."""
    from portal.reports.registry import FIGURES

    problems = []
    for role in ("admin", "planner", "hr"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL",
                                      bypass_csp=True)
        page = context.new_page()
        log_in_as(page, demo_server.url, role)
        for slug, figure in sorted(FIGURES.items()):
            if role not in figure.READERS:
                continue
            for path in (f"/reports/{slug}/", f"/reports/{slug}/print?period=quarter"):
                problems += check_page(page, urljoin(demo_server.url, path))
                loaded = page.evaluate("[...document.querySelectorAll('figure.chart img')]"
                                       ".map(img => img.complete && img.naturalWidth > 0)")
                if loaded != [True]:
                    problems.append(f"{role} {path}: chart image not shown ({loaded})")
            if role == "admin":
                page.goto(urljoin(demo_server.url, f"/reports/{slug}/"))
                screenshot(page, f"figures-{slug}")
        if role == "hr":
            problems += check_page(page, urljoin(demo_server.url, "/reports/targets"))
        context.close()
    assert not problems, "\n".join(problems)


@IN_SQLITE_RUN
def test_the_kiosk_screens_are_accessible_and_valid(context, live_server, make, screenshot):
    """The kiosk is used by people who read poorly: its every state must pass, not only the menu."""
    from tests.browser.test_kiosk import hand_scan, wait_until

    group = make.group()
    every_day = {d: (time(0, 0), time(23, 59), 0) for d in range(7)}
    person = make.employee(work_group=group, first_name="Samira", last_name="Test",
                           schedule=every_day)
    _badge, token = make.badge(person)
    kiosk_pins.set_pin(person)
    make.photo(person)
    colleague = make.employee(work_group=group, first_name="Joost", last_name="Test",
                              schedule=every_day)
    kiosk_pins.set_pin(colleague)
    _device, credential = make.device(workfloor=group.workfloor, name="Werkvloer Inpak")

    page = context.new_page()
    seen = {}
    problems = check_page(page, f"{live_server.url}/kiosk/", seen)  # not enrolled: the enrol form
    context.add_cookies([{"name": "kiosk_device", "value": credential,
                          "url": f"{live_server.url}/kiosk/", "httpOnly": True,
                          "sameSite": "Strict"}])
    problems += check_page(page, f"{live_server.url}/kiosk/", seen)
    page.wait_for_selector("#kiosk[data-state=ready]")
    # a check-in (green), the same badge again (purple, "already scanned"), an unknown badge (red)
    for code in (token, token, "0" * 40):
        hand_scan(page, code)
        wait_until(page, "!document.querySelector('#kiosk-answer').hidden")
        problems += check_rendered(page)
        wait_until(page, "document.querySelector('#kiosk-answer').hidden", timeout=15_000)
    page.click("#kiosk-pin-open")
    page.wait_for_selector("#kiosk-pin:not([hidden])")
    page.wait_for_selector(".kiosk-person-photo")
    screenshot(page, "kiosk-forgotten-badge")
    problems += check_rendered(page)
    page.click(".kiosk-person:has-text('Joost')")
    page.wait_for_selector("#kiosk-pad:not([hidden])")
    problems += check_rendered(page)
    problems += nu.check(seen)
    assert not problems, "\n".join(problems)


@IN_SQLITE_RUN
def test_the_day_with_late_kiosk_scans_is_accessible_and_valid(context, live_server, make,
                                                               browser_login):
    """The supervisor's list of tablet scans that arrived days late, with its accept buttons."""
    from datetime import date

    boss = make.user("supervisor")
    group = make.group(supervisor=boss)
    person = make.employee(work_group=group, first_name="Anna")
    day = date(2026, 11, 16)
    make.segment(person, day, "08:00", "16:00", out_source="system", closed_by_system=True)
    make.late_scan(person, day, "14:45")
    page = context.new_page()
    browser_login(page, boss)
    problems = check_page(page, f"{live_server.url}/attendance/groups/{group.id}/{day.isoformat()}")
    assert page.locator("#late-scans button").count() == 1
    assert not problems, "\n".join(problems)


@IN_SQLITE_RUN
def test_the_clients_statement_page_is_accessible_and_valid(context, live_server, make):
    """The page a client opens from the planner's link, without an account."""
    from datetime import date

    from portal.detachments import statements as statement_rules

    where = make.client_location()
    person = make.employee()
    detached = make.detachment(people=[person], where=where, start=date(2026, 1, 1), rate="31.50")
    make.worked(person, date(2026, 2, 3), 7.5, where)
    _statement, token = statement_rules.send_statement(detached, date(2026, 2, 1))
    page = context.new_page()
    seen = {}
    problems = check_page(page, f"{live_server.url}/detachments/link/{token}", seen)
    assert page.locator("main table").count() >= 1  # the statement itself, not a refusal
    problems += nu.check(seen)
    assert not problems, "\n".join(problems)


@IN_SQLITE_RUN
def test_login_and_error_pages_are_accessible_and_valid(context, live_server):
    page = context.new_page()
    seen = {}
    problems = check_page(page, f"{live_server.url}/auth/login", seen)
    problems += check_page(page, f"{live_server.url}/no-such-page", seen)
    problems += nu.check(seen)
    assert not problems, "\n".join(problems)


@IN_SQLITE_RUN
def test_the_checks_catch_broken_markup():
    def problems(body):
        return html_problems("<!doctype html><html lang=nl><head><title>x</title></head>"
                             f"<body>{body}</body></html>")

    assert problems("<p id=a>1</p><p id=a>2</p>") == ["duplicate id 'a'"]
    assert problems("<p><div>x</div></p>")  # a div closes the paragraph; </p> is stray
    assert problems("<main><section>x</main>")
    assert problems("<div><span>x</div>")
    assert problems("<div>x")
    assert problems("<label for=nope>x</label>") == ["<label for='nope'> names no element"]
    assert problems("<input aria-describedby='h gone'><p id=h>x</p>") == [
        "<input aria-describedby='gone'> names no element"]
    assert problems("<ul><div>x</div></ul>") == ["<div> directly inside <ul>"]
    assert problems("<a href=/x><button>y</button></a>") == ["<button> inside <a>"]
    assert not problems("<main><label for=q>Zoek</label><input id=q><ul><li>x</li></ul>"
                        "<button>ok<input type=hidden name=a></button></main>")


BROKEN_PAGE = """<!doctype html>
<html>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, user-scalable=no">
<title>Broken</title></head>
<body><main>
<h1 id="x">Broken</h1>
<p id="x">Text with <a href="/inline">an inline link</a>, which may be small.</p>
<div><a href="/tiny">tiny</a></div>
<p><a href="/back">← back</a></p>
<img src="/nothing.png">
<button type="button">OK</button>
</main></body></html>"""


@IN_SQLITE_RUN
def test_the_page_checks_catch_an_inaccessible_page(context, live_server):
    page = context.new_page()
    url = f"{live_server.url}/broken-on-purpose"
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html",
                                                body=BROKEN_PAGE))
    found = "\n".join(check_page(page, url))
    assert "duplicate id 'x'" in found
    assert "<html> has no lang" in found
    assert "viewport blocks zoom" in found
    assert 'href="/tiny"' in found and "<button" in found
    assert "/inline" not in found
    assert 'href="/back"' in found  # a paragraph of only a link is no running text
    assert "axe critical image-alt" in found


@IN_SQLITE_RUN
def test_the_nu_checker_catches_what_the_issue_found():
    """The markup the W3C checker found on pages the menu walk never opened (issue 10, §5)."""
    found = "\n".join(nu.check({"broken": """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>x</title></head><body><main>
<form hx-post="/x"><select name="a" required><option value="1">een</option></select>
<input type="hidden" name="b" required min="1" max="9">
<input type="time" name="c" maxlength="5"></form>
<p id="d">1</p><p id="d">2</p><img alt="">
</main></body></html>"""}))
    assert "The first “option” element in a “select” element with a “required”" in found
    assert "Attribute “min” not allowed on element “input”" in found
    assert "Attribute “maxlength” is only allowed when the input type is" in found
    assert "Duplicate ID “d”" in found
    assert "Element “img” is missing one or more of the following attributes: “src”" in found
    assert "hx-post" not in found  # htmx's attributes are meant
    assert nu.check({"fine": "<!doctype html><html lang=nl><head><meta charset=utf-8>"
                             "<title>x</title></head><body><p>ok</p></body></html>"}) == []
