"""The municipalities' workbook of the quarter's figures, small numbers hidden."""

from flask_babel import gettext as _

from portal import spreadsheets
from portal.trajectories import figures, labels
from portal.trajectories.models import FOLLOW_UP_MONTHS, OUTCOMES
from portal.views import XLSX, download


def figures_heading() -> list[str]:
    names = labels.outcomes()
    return [_("Municipality"), _("In a trajectory"), _("Started"), _("Ended"),
            *[str(names[o]) for o in OUTCOMES], _("Outflow to regular work"),
            _("Outflow as % of ended"), _("Average length in days"),
            *[h for m in FOLLOW_UP_MONTHS for h in (
                _("Measured after %(months)s months", months=m),
                _("Still working after %(months)s months (%%)", months=m))]]


def figures_rows(rows) -> list[list]:
    out = []
    for row in rows:
        shown = figures.shown(row)
        out.append([row.municipality or _("All municipalities"), shown["in_trajectory"],
                    shown["started"], shown["ended"],
                    *[shown[f"ended_{o}"] for o in OUTCOMES], shown["outflow"],
                    shown["outflow_percent"], shown["average_days"],
                    *[v for m in FOLLOW_UP_MONTHS for v in (shown[f"measured_{m}"],
                                                              shown[f"working_{m}_percent"])]])
    return out


def figures_workbook(year: int, quarter: int, rows):
    title = _("Trajectories %(year)s Q%(quarter)s", year=year, quarter=quarter)
    # The last row is all municipalities together: a total, so below the data, not in it.
    table = figures_rows(rows)
    body = spreadsheets.xlsx(title, figures_heading(), table[:-1], totals=table[-1:],
                             widths=[28] + [14] * 14)
    return download(body, f"trajecten-{year}-Q{quarter}.xlsx", XLSX)
