"""Every kiosk screen as a tablet shows it: it fits without scrolling, and each answer looks and
sounds like itself."""

from datetime import time as dtime

import pytest

from portal.kiosk import pins
from portal.kiosk.models import Badge, Scan
from portal.people import working_calendar
from tests.browser.test_kiosk import SLOW, hand_scan, open_kiosk, wait_until

TABLETS = {"landscape": {"width": 1024, "height": 768}, "portrait": {"width": 800, "height": 1280}}
EVERY_DAY = {d: (dtime(0), dtime(23, 59), 0) for d in range(7)}
NAMES = ("Samira", "Joost", "Fatma", "Anouk", "Bram", "Chantal", "Dewi", "Emre", "Fleur",
         "Gijs", "Hatice", "Ivo", "Jasmijn", "Kees")

# What sticks out of the viewport: the page itself when it scrolls, and every visible heading,
# text, button, input or face of the kiosk that is not wholly on screen. The names of the PIN
# screen scroll inside their own box, so that box is measured and not the names in it.
OUT_OF_VIEW = """(() => {
  const d = document.documentElement, out = [];
  if (d.scrollHeight > innerHeight || d.scrollWidth > innerWidth) {
    out.push(`page ${d.scrollWidth}x${d.scrollHeight}`);
  }
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  document.querySelectorAll("#kiosk h1, #kiosk p, #kiosk button, #kiosk input, #kiosk .kiosk-face,"
                            + " #kiosk .kiosk-icon, #kiosk .kiosk-people").forEach((e) => {
    if (!shown(e) || e.closest(".kiosk-people") && !e.matches(".kiosk-people")) { return; }
    const r = e.getBoundingClientRect();
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) {
      out.push(`${e.id || e.className || e.tagName} ${Math.round(r.top)}..${Math.round(r.bottom)}`);
    }
  });
  return out;
})()"""


@pytest.fixture
def floor_with_pins(live_server, make, monkeypatch):
    """A group of fourteen, all expected every day, with badges and PINs, and a tablet."""
    monkeypatch.setattr(working_calendar, "is_public_holiday", lambda day: False)
    group = make.group()
    people = [make.employee(work_group=group, first_name=name, last_name="Test",
                            schedule=EVERY_DAY) for name in NAMES]
    tokens = [make.badge(person)[1] for person in people]
    codes = [pins.set_pin(person) for person in people]
    _device, credential = make.device(workfloor=group.workfloor, name="Werkvloer Inpak")
    return people, tokens, codes, credential


def fits(page, screen):
    assert page.evaluate(OUT_OF_VIEW) == [], screen


@pytest.mark.parametrize("shape", TABLETS)
def test_every_kiosk_screen_fits_the_tablet_without_scrolling(browser, live_server, floor_with_pins,
                                                              shape, screenshot):
    _people, tokens, _pins, credential = floor_with_pins
    context = browser.new_context(viewport=TABLETS[shape], locale="nl-NL")
    try:
        page = open_kiosk(context, live_server, credential)
        wait_until(page, "document.getElementById('kiosk-hint').textContent.includes('handscanner')")
        fits(page, "ready")
        assert page.is_visible("#kiosk-input")
        screenshot(page, f"kiosk-{shape}-ready")

        page.click("#kiosk-pin-open")
        page.wait_for_selector(".kiosk-person")
        fits(page, "names")
        screenshot(page, f"kiosk-{shape}-names")
        page.click(".kiosk-person:has-text('Samira')")
        page.wait_for_selector("#kiosk-pad:not([hidden])")
        # The keypad replaces the names; it does not sit below them.
        assert not page.is_visible("#kiosk-people")
        assert page.is_visible("#kiosk-pin-title") and page.is_visible(".kiosk-key[data-digit='0']")
        fits(page, "keypad")
        screenshot(page, f"kiosk-{shape}-keypad")
        page.click("#kiosk-pin-close")

        hand_scan(page, tokens[0])
        page.wait_for_selector("#kiosk-answer.kiosk-ok", timeout=SLOW)
        fits(page, "checked in")
        page.wait_for_timeout(1600)  # past the hand scanner's own double-read guard
        hand_scan(page, tokens[0])
        page.wait_for_selector("#kiosk-answer.kiosk-repeat", timeout=SLOW)
        fits(page, "already scanned")
        screenshot(page, f"kiosk-{shape}-repeat")
        hand_scan(page, "f" * 40)
        page.wait_for_selector("#kiosk-answer.kiosk-bad", timeout=SLOW)
        fits(page, "refused")
        context.set_offline(True)
        hand_scan(page, tokens[1])
        page.wait_for_selector("#kiosk-answer.kiosk-queued", timeout=SLOW)
        fits(page, "queued")
        screenshot(page, f"kiosk-{shape}-queued")
    finally:
        context.close()


@pytest.mark.parametrize("shape", TABLETS)
def test_the_enrol_screen_fits_the_tablet_without_scrolling(browser, live_server, shape):
    context = browser.new_context(viewport=TABLETS[shape], locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/kiosk/")
        assert "Deze tablet is niet gekoppeld" in page.inner_text("body")
        overflow = page.evaluate("[document.documentElement.scrollWidth > innerWidth,"
                                 " document.documentElement.scrollHeight > innerHeight]")
        assert overflow == [False, False]
        assert page.is_visible("#code") and page.is_visible("button.kiosk-button")
    finally:
        context.close()


def test_already_scanned_has_its_own_colour_icon_and_sound(browser, live_server, floor_with_pins):
    people, tokens, _pins, credential = floor_with_pins
    context = browser.new_context(viewport=TABLETS["landscape"], locale="nl-NL")
    try:
        page = open_kiosk(context, live_server, credential)
        hand_scan(page, tokens[0])
        page.wait_for_selector("#kiosk-answer.kiosk-ok", timeout=SLOW)
        first = {"colour": page.evaluate("getComputedStyle(document.getElementById('kiosk-answer'))"
                                         ".backgroundColor"),
                 "sound": page.get_attribute("#kiosk-answer", "data-sound")}
        assert page.is_visible("#kiosk-answer .icon-ok")
        page.wait_for_timeout(1600)
        hand_scan(page, tokens[0])
        page.wait_for_selector("#kiosk-answer.kiosk-repeat", timeout=SLOW)
        assert page.is_visible("#kiosk-answer .icon-repeat")
        assert not page.is_visible("#kiosk-answer .icon-ok")
        colour = page.evaluate("getComputedStyle(document.getElementById('kiosk-answer'))"
                               ".backgroundColor")
        assert colour != first["colour"]
        assert page.get_attribute("#kiosk-answer", "data-sound") == "repeat" != first["sound"]
        assert "Al gescand, Samira" in page.inner_text("#kiosk-title")
        assert "Je was al ingecheckt om" in page.inner_text("#kiosk-text")
    finally:
        context.close()
    assert [s.outcome for s in Scan.select().order_by(Scan.id)] == ["checked_in", "duplicate"]


def test_offline_reload_says_no_connection_at_once(browser, live_server, floor_with_pins):
    _people, _tokens, _pins, credential = floor_with_pins
    context = browser.new_context(viewport=TABLETS["landscape"], locale="nl-NL")
    try:
        page = open_kiosk(context, live_server, credential)
        wait_until(page, "navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("#kiosk[data-state=ready]", timeout=SLOW)
        wait_until(page, "document.getElementById('kiosk-net').classList.contains('kiosk-net-off')",
                   timeout=3000)
        # and it stays so: flushing the empty queue on start-up proves nothing about the network
        page.wait_for_timeout(1500)
        assert "Geen verbinding" in page.inner_text("#kiosk-net")
    finally:
        context.close()


def test_a_queued_scan_says_whose_badge_it_read(browser, live_server, floor_with_pins, make):
    people, tokens, _pins, credential = floor_with_pins
    stranger = make.badge(make.employee(first_name="Onbekend"))[1]  # not on this floor's list
    context = browser.new_context(viewport=TABLETS["landscape"], locale="nl-NL")
    try:
        page = open_kiosk(context, live_server, credential)
        wait_until(page, "localStorage.getItem('kiosk-day-list') !== null")
        context.set_offline(True)
        hand_scan(page, tokens[1].upper())  # as a hand scanner with caps lock types it
        page.wait_for_selector("#kiosk-answer.kiosk-queued", timeout=SLOW)
        assert page.inner_text("#kiosk-title") == f"Opgeslagen, {people[1].first_name}"
        assert page.inner_text("#kiosk-initials") == "JT"
        hand_scan(page, stranger)
        page.wait_for_selector("#kiosk-title:text-is('Opgeslagen')", timeout=SLOW)
        # The list holds no token nor the stored hash of one.
        kept = page.evaluate("localStorage.getItem('kiosk-day-list')")
        assert "Joost" in kept and tokens[1] not in kept
        assert all(b.token_hash not in kept for b in Badge.select())
    finally:
        context.close()
