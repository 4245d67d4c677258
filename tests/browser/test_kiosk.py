"""The kiosk in Chromium: hand scanner, camera (a fake one showing a badge), and offline."""

import io
from datetime import timedelta

import pytest
import qrcode

from portal.attendance.models import AttendanceSegment
from portal.kiosk import badges, pins, schedules
from portal.kiosk.models import Scan
from portal.timeutil import to_local, utcnow
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

SLOW = 20_000


@pytest.fixture
def kiosk_place(live_server, make):
    """A workfloor with a group of three employees with badges, and an enrolled device."""
    group = make.group()
    people = [make.employee(work_group=group, first_name=name, last_name="Test")
              for name in ("Samira", "Joost", "Fatma")]
    tokens = [make.badge(person)[1] for person in people]
    device, credential = make.device(workfloor=group.workfloor, name="Werkvloer Inpak")
    return people, tokens, device, credential


def open_kiosk(context, live_server, credential):
    context.add_cookies([{"name": "kiosk_device", "value": credential,
                          "url": f"{live_server.url}/kiosk/", "httpOnly": True,
                          "sameSite": "Strict"}])
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/")
    page.wait_for_selector("#kiosk[data-state=ready]")
    return page


def wait_until(page, expression, timeout=SLOW):
    """Poll a JavaScript expression (wait_for_function would need eval, which the CSP forbids)."""
    for _ in range(timeout // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def hand_scan(page, code):
    page.fill("#kiosk-input", code)
    page.press("#kiosk-input", "Enter")


def answer_text(page):
    return page.inner_text("#kiosk-answer")


def test_hand_scanner_checks_in_with_a_green_screen(browser, live_server, kiosk_place, screenshot):
    people, tokens, _device, credential = kiosk_place
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        page = open_kiosk(context, live_server, credential)
        assert "Scan je pas" in page.inner_text("body")
        hand_scan(page, tokens[0])
        page.wait_for_selector("#kiosk-answer.kiosk-ok", timeout=SLOW)
        text = answer_text(page)
        assert "Samira" in text and "ingecheckt om" in text
        stamp = AttendanceSegment.get().check_in
        assert f"ingecheckt om {to_local(stamp):%H:%M}" in text
        # The clock shows Amsterdam time even though this browser runs in UTC.
        now = utcnow()
        assert page.inner_text("#kiosk-clock") in {f"{to_local(now - timedelta(seconds=s)):%H:%M}"
                                                   for s in (0, 60)}
        assert text.split("ingecheckt om ")[1][:5].replace(":", "").isdigit()
        screenshot(page, "kiosk-green")
        # Back to ready by itself, and no list of who is present anywhere.
        page.wait_for_selector("#kiosk[data-state=ready]", timeout=SLOW)
        assert "Joost" not in page.inner_text("body")
    finally:
        context.close()
    assert AttendanceSegment.select().where(AttendanceSegment.employee == people[0]).count() == 1


def test_revoked_badge_shows_a_red_screen(browser, live_server, kiosk_place, make, screenshot):
    people, tokens, _device, credential = kiosk_place
    make.badge(people[1])  # reissued: the old card stops
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        page = open_kiosk(context, live_server, credential)
        hand_scan(page, tokens[1])
        page.wait_for_selector("#kiosk-answer.kiosk-bad", timeout=SLOW)
        assert "Deze pas is niet meer geldig. Meld je bij je werkleider." in answer_text(page)
        screenshot(page, "kiosk-red")
        hand_scan(page, "<script>alert(1)</script>")
        page.wait_for_selector("#kiosk-text:has-text('Dit is geen pas')", timeout=SLOW)
    finally:
        context.close()
    assert AttendanceSegment.select().count() == 0


def test_offline_scans_are_queued_and_each_stored_once(browser, live_server, kiosk_place,
                                                       screenshot):
    people, tokens, _device, credential = kiosk_place
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        page = open_kiosk(context, live_server, credential)
        wait_until(page, "navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        for token in tokens:
            hand_scan(page, token)
            page.wait_for_selector("#kiosk-answer.kiosk-queued", timeout=SLOW)
            assert page.inner_text("#kiosk-text") == "opgeslagen, wordt verstuurd"
            if token != tokens[-1]:
                page.wait_for_selector("#kiosk[data-state=ready]", timeout=SLOW)
        page.wait_for_selector("#kiosk[data-waiting='3']", timeout=SLOW)
        assert "Wacht op verzenden: 3" in page.inner_text("#kiosk-waiting")
        screenshot(page, "kiosk-offline")
        # The page itself opens without network, from the service worker.
        page.reload()
        page.wait_for_selector("#kiosk[data-waiting='3']", timeout=SLOW)
        context.set_offline(False)
        page.wait_for_selector("#kiosk[data-waiting='0']", timeout=60_000)
        # Sending the queue again changes nothing.
        page.evaluate("window.dispatchEvent(new Event('online'))")
    finally:
        context.close()
    assert Scan.select().count() == 3
    assert sorted(s.outcome for s in Scan.select()) == ["checked_in"] * 3
    for person in people:
        assert AttendanceSegment.select().where(AttendanceSegment.employee == person).count() == 1


def _y4m_of_qr(text: str, path, width=640, height=480, frames=10):
    """A short greyscale video (YUV 4:2:0) of a QR code on white, for Chromium's fake camera."""
    image = qrcode.make(text, border=4, box_size=8).convert("L")
    side = min(width, height) - 40
    image = image.resize((side, side))
    from PIL import Image

    canvas = Image.new("L", (width, height), 255)
    canvas.paste(image, ((width - side) // 2, (height - side) // 2))
    luma = canvas.tobytes()
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    buffer = io.BytesIO()
    buffer.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
    for _ in range(frames):
        buffer.write(b"FRAME\n" + luma + chroma + chroma)
    path.write_bytes(buffer.getvalue())
    return path


def test_camera_reads_a_badge_from_the_fake_camera(browser, live_server, kiosk_place, tmp_path,
                                                   screenshot):
    people, tokens, _device, credential = kiosk_place
    video = _y4m_of_qr(tokens[2], tmp_path / "badge.y4m")
    # A browser of its own: the fake camera is a launch flag, not a context setting.
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = camera_browser.new_context(viewport={"width": 1280, "height": 800},
                                             locale="nl-NL")
        context.grant_permissions(["camera"], origin=live_server.url)
        page = open_kiosk(context, live_server, credential)
        page.wait_for_selector("#kiosk-answer.kiosk-ok", timeout=60_000)
        assert "Fatma" in answer_text(page)
        assert page.get_attribute("#kiosk", "data-camera") == "on"
        screenshot(page, "kiosk-camera-green")
    finally:
        camera_browser.close()
    assert AttendanceSegment.select().where(AttendanceSegment.employee == people[2]).count() == 1
    assert badges.active_badge(people[2]) is not None


def test_not_enrolled_browser_sees_the_enrol_form(page, live_server):
    page.goto(f"{live_server.url}/kiosk/")
    assert "Deze tablet is niet gekoppeld" in page.inner_text("body")
    assert page.locator("#code").is_visible()


def test_admin_enrols_a_tablet_and_prints_badges(browser, page, live_server, browser_login, make,
                                                 screenshot):
    admin = make.user("admin")
    group = make.group(name="Ploeg Inpak")
    for name in ("Samira", "Joost", "Fatma"):
        make.employee(work_group=group, first_name=name)
    make.device(workfloor=group.workfloor, name="Inpak ingang", enrolled=False)
    browser_login(page, admin)
    page.goto(f"{live_server.url}/devices/")
    page.click("text=Koppelcode maken")
    page.wait_for_selector(".enrolment-qr svg")
    screenshot(page, "devices-enrolment-code")
    link = page.get_attribute(".enrolment-link", "href")
    tablet = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        tablet_page = tablet.new_page()
        tablet_page.goto(link)
        tablet_page.click("button.kiosk-button")
        tablet_page.wait_for_selector("#kiosk[data-state=ready]")
        assert "Inpak ingang" in tablet_page.inner_text(".kiosk-place")
        cookie = next(c for c in tablet.cookies() if c["name"] == "kiosk_device")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert cookie["value"] not in tablet_page.url
    finally:
        tablet.close()
    page.goto(f"{live_server.url}/devices/")
    assert "Gekoppeld" in page.inner_text("table")
    screenshot(page, "devices-list")
    page.goto(f"{live_server.url}/devices/badges")
    screenshot(page, "devices-badges")
    page.select_option("#print-group", label="Ploeg Inpak")
    page.click("text=Passen van de ploeg afdrukken")
    page.wait_for_selector(".badge-card")
    assert page.locator(".badge-card").count() == 3
    screenshot(page, "devices-badge-sheet")


def test_forgotten_badge_pin_checks_in(browser, live_server, make, screenshot, monkeypatch):
    from datetime import time as dtime

    monkeypatch.setattr(schedules, "is_public_holiday", lambda day: False)
    group = make.group()
    every_day = {d: (dtime(0), dtime(23, 59), 0) for d in range(7)}
    samira = make.employee(work_group=group, first_name="Samira", schedule=every_day)
    make.employee(work_group=group, first_name="Joost", schedule=every_day)
    pins.set_pin(make.employee(work_group=group, first_name="Fatma", schedule=every_day))
    pin = pins.set_pin(samira)
    _device, credential = make.device(workfloor=group.workfloor, name="Werkvloer Inpak")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        page = open_kiosk(context, live_server, credential)
        page.click("#kiosk-pin-open")
        page.wait_for_selector(".kiosk-person")
        names = page.locator(".kiosk-person").all_inner_texts()
        assert [n.split()[-1] for n in names] == ["Fatma", "Samira"]  # Joost has no PIN
        screenshot(page, "kiosk-pin-names")
        page.click(".kiosk-person:has-text('Samira')")
        for digit in pin:
            page.click(f".kiosk-key[data-digit='{digit}']")
        page.wait_for_selector("#kiosk-answer.kiosk-ok", timeout=SLOW)
        assert "Samira" in answer_text(page)
    finally:
        context.close()
    assert AttendanceSegment.get().in_source == "pin"
