from tests.access import Case, everyone

CASES = [
    Case("home.root", "GET", everyone(302, anonymous=302)),
    # A jobcoach has no overview of the company: it sends him to his own placements.
    Case("home.index", "GET", everyone(200, jobcoach=302)),
]
