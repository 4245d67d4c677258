"""Outflow (Uitstroom): the trajectories' quarter figures for the municipalities, per quarter
and per municipality: in trajectory, started, ended, to work, outflow share, average length and
whether those placed still work at 6 and 12 months.

Every number comes from the trajectories area's own plain functions (`quarter_figures`, and
`shown` with the one "< 5" rule), so this page and the trajectories' figures never disagree.
The filters are the other figures' (municipality, site, workfloor, group, employment type);
the place of a trajectory is the candidate's group on its first day (`figures.Narrowing`).
All of it is meant for the municipalities, the company total included (with one municipality
chosen it is that municipality's figure): every cell that could point at fewer than five
people is "< 5", and the chart leaves such a bar out.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import charts
from portal.reports.pages import COUNT, Column, FigurePage, Table
from portal.suppression import SUPPRESSED
from portal.trajectories import access as trajectory_access
from portal.trajectories.figures import Narrowing, QuarterRow, quarter_figures, quarter_of, shown

SLUG = "outflow"
TITLE = _l("Outflow")
# Trajectory figures are hr's alone (trajectories/access.py): a planner sees no trajectory
# data, an admin keeps the settings only, a supervisor sees just his own groups' candidates and
# never their outcomes.
READERS = trajectory_access.FIGURE_ROLES
FILTERS = ("municipality", "location", "workfloor", "group", "employment")
# (key of `shown`, heading) of the columns after the first.
FIGURES = (("in_trajectory", _l("In trajectory")), ("started", _l("Started")),
           ("ended", _l("Ended")), ("outflow", _l("To work")),
           ("outflow_percent", _l("Outflow (%)")), ("average_days", _l("Average days")),
           ("working_6_percent", _l("Still working after 6 months (%)")),
           ("working_12_percent", _l("Still working after 12 months (%)")))
SUMMED = tuple(key for key, _label in FIGURES if key != "in_trajectory")


def groupings() -> list:
    return []


def quarters(period) -> list[tuple[int, int]]:
    """The quarters the period touches that have begun by today; a month gives its quarter."""
    first = quarter_of(period.start)
    last = quarter_of(period.counted_end) if period.counted_end >= period.start else None
    if last is None:
        return []
    found, (year, quarter) = [], first
    while (year, quarter) <= last:
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def _summed(rows: list[QuarterRow], name) -> QuarterRow:
    """Quarters added up; people in trajectory are not (the same person runs on)."""
    total = QuarterRow(municipality=name)
    for row in rows:
        total.add(row)
    return total


def _cells(row: QuarterRow, keys=None) -> list:
    figures = shown(row)
    return [figures[key] for key in (keys or [k for k, _label in FIGURES])]


def build(period, grouping, filters, user) -> FigurePage:
    narrowing = Narrowing.of(filters)
    per_quarter = {q: quarter_figures(*q, narrowing) for q in quarters(period)}
    # The last row is all the candidates the filters leave (one municipality's, if chosen).
    chosen = {q: rows[-1] for q, rows in per_quarter.items()}
    labels = {q: _("Q%(quarter)s %(year)s", quarter=q[1], year=q[0]) for q in per_quarter}
    total = _summed(chosen.values(), None)
    quarter_table = Table(
        caption=_("Outflow per quarter, %(period)s", period=period.label),
        columns=[Column(_("Quarter"))] + [Column(str(label), COUNT) for _k, label in FIGURES],
        rows=[[labels[q], *_cells(row)] for q, row in chosen.items()],
        total=[_("Total"), None, *_cells(total, SUMMED)])
    municipalities = {}
    for rows in per_quarter.values():
        for row in rows[:-1]:
            municipalities.setdefault(row.municipality, []).append(row)
    place_table = Table(
        caption=_("Per municipality, %(period)s", period=period.label),
        columns=[Column(_("Municipality"))] + [Column(str(label), COUNT)
                                               for key, label in FIGURES if key in SUMMED],
        rows=[[place, *_cells(_summed(rows, place), SUMMED)]
              for place, rows in sorted(municipalities.items(), key=lambda i: i[0].lower())])
    chart = charts.Chart(
        title=_("Started, ended and to work per quarter, %(period)s", period=period.label),
        labels=list(labels.values()),
        series=[charts.Series(str(label), [_drawn(shown(row)[key]) for row in chosen.values()])
                for key, label in FIGURES[1:4]],
        y_title=_("Trajectories"))
    notes = [_("From the trajectories: started and ended by their dates in the quarter, to work "
               "a regular job or a garantiebaan; the still-working shares are the follow-ups due "
               "and answered in the quarter."),
             _("People in trajectory are counted per quarter and not added up over quarters."),
             _("Site, workfloor and group are those of the candidate's group on the day the "
               "trajectory began."),
             _("Every figure that could point at fewer than 5 people is shown as “< 5” and left "
               "out of the chart.")]
    if period.kind == "month":
        notes.append(_("Outflow is counted per quarter: a month shows its quarter."))
    return FigurePage(title=str(TITLE), chart=chart, chart_kind=COUNT,
                      tables=[quarter_table, place_table], notes=notes)


def _drawn(value):
    """A chart value: a hidden figure leaves a gap rather than a bar."""
    return None if value == SUPPRESSED else value
