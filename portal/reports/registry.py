"""The figure pages, in menu order. A new figure is one module and one line here.

A figure module has SLUG, TITLE, READERS (roles), FILTERS (names from sql.Filters it honours),
groupings() -> [(key, label)] (may be empty) and build(period, grouping, filters, user) ->
pages.FigurePage. The views, the chart image, the print page and the XLSX come with it.
"""

from portal.reports import (absence_page, detachments_page, headcount, occupancy, orders_page,
                            outflow)

FIGURES = {module.SLUG: module for module in (absence_page, occupancy, orders_page,
                                              detachments_page, headcount, outflow)}


def summarise_recent_years(today) -> int:
    """Bring every figure's day summary (summary.py) up to date for this year and last, as the
    nightly job does; return the days each holds."""
    from portal.reports.absence import ABSENCE_DAYS
    from portal.reports.presence import PRESENCE

    return min(summary.summarise_recent_years(today) for summary in (PRESENCE, ABSENCE_DAYS))
