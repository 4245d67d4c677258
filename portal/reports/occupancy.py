"""Occupancy (Bezetting werkvloeren): people present on a workfloor on an average working day,
per week, against its workplaces (werkplekken).

Present: someone of a group based on that workfloor (the group of that day) with a check-in
at the workfloor's own site; someone detached to a client that day is not on the floor. The
average divides the person-days by the working days (Monday to Friday, no public holiday) of the
week up to today. One statement, over the presence summary (presence.py).
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import charts
from portal.auth.models import ADMIN, HR, PLANNER
from portal.reports import presence, sql
from portal.reports.absence import percent
from portal.reports.pages import COUNT, DECIMAL, PERCENT, Column, FigurePage, Table

SLUG = "occupancy"
TITLE = _l("Workfloor occupancy")
READERS = (ADMIN, PLANNER, HR)
FILTERS = ("location", "workfloor")
# Above this share of the workplaces a floor is full; below the lower one it is under-used.
FULL, QUIET = Decimal("100"), Decimal("60")


def groupings() -> list:
    return []


def person_days(period, filters) -> list[tuple]:
    """(week's Monday, workfloor id, name, workplaces, person-days) up to today.

    The people present per site, group and day come from the presence summary (presence.py);
    the database adds them up per workfloor and day, for the groups based on that workfloor
    and the check-ins at its own site. The days are added up into weeks here, a few thousand
    rows at most.
    """
    from portal.timeutil import as_date, today

    counts, values = presence.PRESENCE.rows(period.start, period.counted_end, today())
    where, filter_values = sql.Filters(location=filters.location,
                                       workfloor=filters.workfloor).where()
    statement = f"""SELECT c.day, wf.id, wf.name, wf.workplaces, SUM(c.people)
FROM ({counts}) c
JOIN work_group g ON g.id = c.work_group_id
JOIN workfloor wf ON wf.id = g.workfloor_id
JOIN location loc ON loc.id = wf.location_id
WHERE c.location_id = wf.location_id{where}
GROUP BY c.day, wf.id, wf.name, wf.workplaces"""
    weeks: dict = {}
    for day, floor_id, name, places, count in sql.rows(statement, [*values, *filter_values]):
        day = as_date(day)
        monday = day - timedelta(days=day.weekday())
        entry = weeks.setdefault((monday, floor_id), [monday, floor_id, name, places, 0])
        entry[4] += int(count)
    return [tuple(entry) for entry in weeks.values()]


def working_days_per_week(period) -> dict:
    """{monday: working days of that week inside the period and up to today}."""
    weeks: dict = {}
    for day in sql.days_between(period.start, period.counted_end):
        if day.weekday() < 5 and sql.working_day(day):
            monday = day - timedelta(days=day.weekday())
            weeks[monday] = weeks.get(monday, 0) + 1
    return weeks


def _average(person_days_: int, days: int) -> Decimal | None:
    if not days:
        return None
    return (Decimal(person_days_) / Decimal(days)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def build(period, grouping, filters, user) -> FigurePage:
    from portal.people.models import Location, Workfloor
    from portal.timeutil import as_date

    weeks = working_days_per_week(period)
    floors = (Workfloor.select(Workfloor.id, Workfloor.name, Workfloor.workplaces)
              .join(Location).where(Workfloor.is_active == True)  # noqa: E712
              .order_by(Workfloor.name))
    if filters.workfloor is not None:
        floors = floors.where(Workfloor.id == filters.workfloor)
    if filters.location is not None:
        floors = floors.where(Workfloor.location == filters.location)
    floors = list(floors)
    counted: dict = {}
    for week, floor_id, _name, _places, days in person_days(period, filters):
        counted[(week, floor_id)] = int(days)
    total_days = sum(weeks.values())
    rows, averages = [], []
    for floor in floors:
        present = sum(v for (w, f), v in counted.items() if f == floor.id)
        average = _average(present, total_days)
        share = percent(int((average or 0) * 10), floor.workplaces * 10) if average is not None else None
        rows.append([floor.name, floor.workplaces, average, share, _verdict(share)])
        averages.append(average)
    all_places = sum(f.workplaces for f in floors)
    all_present = sum(counted.values())
    all_average = _average(all_present, total_days)
    summary = Table(
        caption=_("Present on an average working day, %(period)s", period=period.label),
        columns=[Column(_("Workfloor")), Column(_("Workplaces"), COUNT),
                 Column(_("Present on average"), DECIMAL), Column(_("Occupancy (%)"), PERCENT),
                 Column(_("At a glance"))],
        rows=rows,
        total=[_("All workfloors"), all_places, all_average,
               percent(int((all_average or 0) * 10), all_places * 10)
               if all_average is not None else None, ""])
    week_rows = []
    for monday in sorted(weeks):
        week_rows.append([_("week %(week)s (from %(day)s)", week=monday.isocalendar()[1],
                            day=format_date(monday, "d MMM"))]
                         + [_average(counted.get((monday, f.id), 0), weeks[monday])
                            for f in floors])
    per_week = Table(caption=_("Present on average per week"),
                     columns=[Column(_("Week"))] + [Column(f.name, DECIMAL) for f in floors],
                     rows=week_rows)
    chart = charts.Chart(
        title=_("Present on average against workplaces, %(period)s", period=period.label),
        labels=[f.name for f in floors],
        series=[charts.Series(_("Present on average"), averages),
                charts.Series(_("Workplaces"), [f.workplaces for f in floors])],
        y_title=_("People"), horizontal=True)
    notes = [_("Present: members of the groups based on the workfloor who checked in at its "
               "site; working days are Monday to Friday without public holidays, up to today."),
             _("At a glance: “full” from %(full)s of the workplaces, “quiet” below %(quiet)s.",
               full="100%", quiet="60%")]
    return FigurePage(title=str(TITLE), chart=chart, chart_kind=DECIMAL,
                      tables=[summary, per_week], notes=notes)


def _verdict(share) -> str:
    if share is None:
        return ""
    if share >= FULL:
        return _("full")
    if share < QUIET:
        return _("quiet")
    return _("in use")
