"""Cijfers: one page per figure with a period, filters, a chart, tables, XLSX and a print view."""

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal import charts, spreadsheets, timeutil
from portal.auth.access import roles_required
from portal.people.models import EMPLOYMENT_TYPES, Location, Municipality, Workfloor, WorkGroup
from portal.reports import access, bp, pages, periods
from portal.reports.registry import FIGURES
from portal.reports.sql import Filters
from portal.views import XLSX, download

def _figure(slug: str):
    """:raise 404: for an unknown figure. :raise 403: for one the role may not read."""
    figure = FIGURES.get(slug) or abort(404)
    if not access.can_see_figure(current_user, figure):
        abort(403)
    return figure


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _filters(figure) -> Filters:
    """The filters of the query string the figure honours, within the user's own groups."""
    asked = {name: _int_arg(name) for name in ("municipality", "location", "workfloor", "group")}
    employment = request.args.get("employment")
    asked["employment"] = employment if employment in EMPLOYMENT_TYPES else None
    used = {name: value for name, value in asked.items() if name in figure.FILTERS}
    return Filters(**used, groups=access.group_scope(current_user))


def _grouping(figure) -> str | None:
    keys = [key for key, _label in figure.groupings()]
    asked = request.args.get("by")
    return asked if asked in keys else (keys[0] if keys else None)


def _built(figure):
    period = periods.parse(request.args.get("period"), request.args.get("date"),
                           timeutil.today())
    grouping = _grouping(figure)
    filters = _filters(figure)
    page = figure.build(period, grouping, filters, current_user)
    return period, grouping, filters, page


def _choices(figure, scope) -> dict:
    """The options of each filter the figure has (a supervisor: only his groups)."""
    found = {}
    if "municipality" in figure.FILTERS:
        found["municipality"] = [(m.id, m.name) for m in Municipality.select(
            Municipality.id, Municipality.name).order_by(Municipality.name)]
    if "location" in figure.FILTERS:
        found["location"] = [(loc.id, loc.name) for loc in Location.select(
            Location.id, Location.name).where(Location.kind == "own").order_by(Location.name)]
    if "workfloor" in figure.FILTERS:
        found["workfloor"] = [(w.id, w.name) for w in Workfloor.select(
            Workfloor.id, Workfloor.name).order_by(Workfloor.name)]
    if "group" in figure.FILTERS:
        groups = WorkGroup.select(WorkGroup.id, WorkGroup.name).order_by(WorkGroup.name)
        if scope is not None:
            groups = groups.where(WorkGroup.id.in_(list(scope) or [0]))
        found["group"] = [(g.id, g.name) for g in groups]
    if "employment" in figure.FILTERS:
        from portal.people.labels import employment_label

        found["employment"] = [(code, employment_label(code)) for code in EMPLOYMENT_TYPES]
    return found


def _context(slug: str) -> dict:
    figure = _figure(slug)
    period, grouping, filters, page = _built(figure)
    args = {"period": period.kind, "date": period.anchor, **filters.as_args()}
    if grouping:
        args["by"] = grouping
    chart_alt = (page.chart.description(
        pages.chart_formatter(page.chart_kind),
        more=_("The numbers of the chart are in the table below it.")) if page.chart else "")
    return dict(figure=figure, slug=slug, period=period, grouping=grouping, filters=filters,
                page=page, args=args, chart_alt=chart_alt, format_value=pages.format_value,
                figures=_readable(), today=timeutil.today(),
                chart_height=charts.image_height(page.chart) if page.chart else 0)


def _readable() -> list:
    return [figure for figure in FIGURES.values() if access.can_see_figure(current_user, figure)]


@bp.get("/")
@roles_required(*access.FIGURE_ROLES)
def index():
    """The figures this user may read, each a link to its page."""
    return render_template("reports/index.html", figures=_readable(),
                           sets_targets=access.can_set_targets(current_user))


@bp.get("/<slug>/")
@roles_required(*access.FIGURE_ROLES)
def figure_page(slug):
    """One figure for a period: filters, chart, tables."""
    context = _context(slug)
    context["choices"] = _choices(context["figure"], access.group_scope(current_user))
    return render_template("reports/figure.html", **context)


@bp.get("/<slug>/print")
@roles_required(*access.FIGURE_ROLES)
def print_figure(slug):
    """The figure laid out for an A4 page: title, period, filters, chart and tables."""
    return render_template("reports/print.html", **_context(slug))


@bp.get("/<slug>/chart.svg")
@roles_required(*access.FIGURE_ROLES)
def figure_chart(slug):
    """The figure's chart as an SVG image (shown with <img>; see portal/charts.py)."""
    figure = _figure(slug)
    _period, _grouping_, _filters_, page = _built(figure)
    if page.chart is None:
        abort(404)
    return charts.svg_response(charts.render(page.chart, pages.chart_formatter(page.chart_kind)))


@bp.get("/<slug>/export.xlsx")
@roles_required(*access.FIGURE_ROLES)
def export_figure(slug):
    """The figure's tables as a workbook: the main one first, under the figure's name, then
    each further table on a sheet of its own; every total below a blank row."""
    figure = _figure(slug)
    period, _grouping_, _filters_, page = _built(figure)
    sheets = []
    for number, table in enumerate(page.tables):
        heading, rows, bold = pages.sheet_rows(table)
        sheets.append(spreadsheets.Sheet(page.title if number == 0 else table.caption, heading,
                                         rows, widths=[28] + [16] * (len(heading) - 1),
                                         bold_rows=bold))
    body = spreadsheets.workbook(sheets)
    filename = f"{_('figures')}-{slug}-{period.kind}-{period.anchor}.xlsx"
    return download(body, filename, XLSX)
