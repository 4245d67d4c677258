"""Cijfers: every figure, every route, every role; unknown figures answer 404."""

from tests.access import Case, only

from portal.reports.registry import FIGURES

STAFF = ("admin", "planner", "supervisor", "hr")
FIGURE_ROUTES = ("reports.figure_page", "reports.print_figure", "reports.figure_chart",
                 "reports.export_figure")
PERIOD = {"period": "month", "date": "2026-11-01"}

CASES = [Case("reports.index", "GET", only(STAFF))]
for slug, figure in sorted(FIGURES.items()):
    for endpoint in FIGURE_ROUTES:
        CASES.append(Case(endpoint, "GET", only(tuple(figure.READERS), jobcoach=403),
                          args=lambda w, slug=slug: {"slug": slug, **PERIOD}))
for endpoint in FIGURE_ROUTES:
    CASES.append(Case(endpoint, "GET", only(STAFF, 404), args=lambda w: {"slug": "salaries"}))
CASES += [
    Case("reports.targets", "GET", only(("admin", "hr"))),
    Case("reports.save_target", "POST", only(("admin", "hr"), 303),
         data=lambda w: {"municipality": w.municipality.id, "year": 2026, "places": 12}),
    Case("reports.save_target", "POST", only(("admin", "hr"), 422),
         data=lambda w: {"municipality": 999999, "year": 2026, "places": 12}),
]
