"""The absence figure page (Verzuim): percentage by code and frequency, per group and so on."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import charts
from portal.attendance.labels import code_label
from portal.auth.models import ADMIN, HR, PLANNER, SUPERVISOR
from portal.people.labels import employment_label
from portal.reports import access
from portal.reports.absence import AbsenceRow, absence_figures
from portal.reports.pages import COUNT, DECIMAL, HOURS, PERCENT, Column, FigurePage, Table
from portal.suppression import suppress

SLUG = "absence"
TITLE = _l("Absence figures")
READERS = (ADMIN, HR, SUPERVISOR, PLANNER)
FILTERS = ("municipality", "location", "workfloor", "group", "employment")


def groupings() -> list:
    return [("group", _l("Per group")), ("workfloor", _l("Per workfloor")),
            ("location", _l("Per site")), ("municipality", _l("Per municipality")),
            ("employment", _l("Per employment type"))]


def build(period, grouping, filters, user) -> FigurePage:
    """The page: a stacked bar per row (and the company), the table, the months."""
    figures = absence_figures(period, grouping, filters)
    sees = access.sees_absence_codes(user)
    codes = figures.codes if sees else []
    guarded = grouping == "municipality"

    def name(row: AbsenceRow) -> str:
        return employment_label(row.name) if grouping == "employment" else row.name

    def cells(row: AbsenceRow, label: str) -> list:
        people = row.employees if guarded else None
        values = [label, suppress(row.employees, people),
                  suppress(_hours(row.scheduled), people)]
        values += [suppress(row.percentage(code), people) for code in codes]
        values.append(suppress(row.percentage(), people))
        if sees:
            values += [suppress(row.spells, people, row.spells if guarded else None),
                       suppress(row.frequency(figures.counted_days), people)]
        return values

    columns = [Column(_("Name")), Column(_("Employees"), COUNT),
               Column(_("Scheduled hours"), HOURS)]
    columns += [Column(_("%(code)s (%%)", code=code_label(code)), PERCENT) for code in codes]
    columns.append(Column(_("Absent (%)"), PERCENT))
    if sees:
        columns += [Column(_("Sick reports"), COUNT), Column(_("Frequency per year"), DECIMAL)]
    whole = _("Whole company")
    table = Table(caption=_("Absence %(period)s", period=period.label), columns=columns,
                  rows=[cells(row, name(row)) for row in figures.rows],
                  total=cells(figures.total, whole))

    labels = [name(row) for row in figures.rows] + [whole]
    shown = figures.rows + [figures.total]
    if codes:
        series = [charts.Series(code_label(code), [_chart_value(r, r.percentage(code), guarded)
                                                   for r in shown]) for code in codes]
    else:
        series = [charts.Series(_("Absent"), [_chart_value(r, r.percentage(), guarded)
                                              for r in shown])]
    chart = charts.Chart(title=_("Absence percentage, %(period)s", period=period.label),
                         labels=labels, series=series, y_title=_("Percentage of scheduled hours"),
                         stacked=True, horizontal=True)

    tables = [table]
    if len(figures.months) > 1:
        month_columns = [Column(_("Month")), Column(_("Scheduled hours"), HOURS),
                         Column(_("Absent (%)"), PERCENT)]
        if sees:
            month_columns.append(Column(_("Sick reports"), COUNT))
        tables.append(Table(
            caption=_("Per month"), columns=month_columns,
            rows=[[_month(month), _hours(row.scheduled), row.percentage()]
                  + ([row.spells] if sees else []) for month, row in figures.months]))
    notes = [_("Absence: hours not worked over the hours scheduled (less breaks, public holidays "
               "excluded), up to today in the running period. Each day counts in the group the "
               "person was in that day; staff outside the groups are not included."),
             _("A sick report starts a run of sick days; the frequency is sick reports per "
               "person per year.") if sees else
             _("The reasons of absence are shown only to hr and to the group's own supervisor.")]
    if guarded:
        notes.append(_("Figures that rest on fewer than 5 people are shown as “< 5”."))
    return FigurePage(title=str(TITLE), chart=chart, chart_kind=PERCENT, tables=tables,
                      notes=notes)


def _chart_value(row: AbsenceRow, value, guarded: bool):
    """A bar's value; nothing is drawn for a suppressed row (the table says "< 5")."""
    if guarded and suppress(value, row.employees) != value:
        return None
    return value


def _hours(minutes: int):
    from portal.attendance.rules import hours

    return hours(minutes)


def _month(month) -> str:
    from flask_babel import format_date

    return format_date(month, "MMMM y")

