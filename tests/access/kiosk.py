"""The kiosk's routes: open to anyone as pages, but the API answers only an enrolled device.

A logged-in person who opens the kiosk is logged out by it (tested in tests/kiosk/).
"""

from tests.access import Case, everyone

CASES = [
    # These two log out whoever is logged in, so each gets a session of its own.
    Case("kiosk.index", "GET", everyone(200, anonymous=200), alone=True),
    Case("kiosk.enrol_form", "GET", everyone(200, anonymous=200), args=lambda w: {"code": "ABCD"},
         alone=True),
    Case("kiosk.enrol", "POST", everyone(422, anonymous=422), data=lambda w: {"code": "WRONG"}),
    Case("kiosk.service_worker", "GET", everyone(200, anonymous=200)),
    # No person's session opens the device API: a JSON 401.
    Case("kiosk.post_scan", "POST", everyone(401, anonymous=401),
         data=lambda w: {"scan_id": "abcdefgh"}),
    Case("kiosk.ping", "GET", everyone(401, anonymous=401)),
    Case("kiosk.photo", "GET", everyone(401, anonymous=401), args=lambda w: {"scan_id": "abcdefgh"}),
]

CASES += [
    Case("kiosk.people", "GET", everyone(401, anonymous=401)),
    Case("kiosk.day", "GET", everyone(401, anonymous=401)),
    Case("kiosk.person_photo", "GET", everyone(401, anonymous=401),
         args=lambda w: {"employee_id": 1}),
]
