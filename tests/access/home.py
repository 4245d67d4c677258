from tests.access import Case, everyone

CASES = [
    Case("home.root", "GET", everyone(302, anonymous=302)),
    Case("home.index", "GET", everyone(200)),
]
