"""The development chart, drawn on the server with pygal as an SVG image.

The page shows it as <img src=".../chart.svg"> with a text alternative and the data table
beside it. As an image the SVG runs no script; pygal's <style> lives inside the SVG document,
so the page's own strict CSP needs no exception, and the SVG's response gets a CSP of its own
that allows that style and nothing else. Colours come from the Okabe-Ito palette, which people
with a colour vision deficiency tell apart, and every line also has its own dash pattern and a
legend label, so the chart prints in black and white.
"""

import re
import sys

import pygal
from flask import make_response
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from pygal.style import Style

from portal.trajectories.labels import skill_groups
from portal.trajectories.models import SKILL_GROUPS

# pygal appends a finder for its map plugins to sys.meta_path that has only the legacy
# find_module(): Python 3.11 then warns (ImportWarning) at every import that reaches it, for
# instance the demo's search for area modules, and the tests turn warnings into errors. The
# portal draws no pygal maps, so the finder goes.
sys.meta_path[:] = [finder for finder in sys.meta_path
                    if type(finder).__name__ != "PluginImportFixer"]

# Okabe & Ito (2008): blue, vermillion, bluish green, reddish purple, orange.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
DASHES = ("", "12, 6", "3, 5", "14, 5, 3, 5", "6, 3")
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_SCRIPT = re.compile(r"<script.*?</script>", re.S)

STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1f2933",
              foreground_strong="#1f2933", foreground_subtle="#6b7785", colors=COLOURS,
              font_family="system-ui, sans-serif", title_font_size=18, label_font_size=14,
              major_label_font_size=14, legend_font_size=15, value_font_size=13,
              stroke_width=3, opacity=".9", transition="0s")


def development_title(trajectory) -> str:
    return _("Development of %(name)s: average score per skill group",
             name=trajectory.employee.full_name)


def group_series(dev) -> list[tuple[str, str, list]]:
    """(group code, label, averages per evaluation) of the groups with any observed score."""
    names = skill_groups()
    series = []
    for group in SKILL_GROUPS:
        values = [dev.group_average(e, group) for e in dev.evaluations]
        if any(v is not None for v in values):
            series.append((group, str(names[group]), values))
    return series


def development_summary(dev) -> str:
    """The chart in words, for its text alternative: each group from first to latest score."""
    if not dev.evaluations:
        return _("No evaluations yet.")
    parts = []
    for _group, label, values in group_series(dev):
        seen = [v for v in values if v is not None]
        parts.append(_("%(group)s from %(first)s to %(last)s", group=label,
                       first=format_decimal(seen[0], "0.0"),
                       last=format_decimal(seen[-1], "0.0")))
    return _("%(count)s evaluations from %(first)s to %(last)s. ", count=len(dev.evaluations),
             first=format_date(dev.evaluations[0].day, "d-MM-yyyy"),
             last=format_date(dev.evaluations[-1].day, "d-MM-yyyy")) + "; ".join(parts) + "."


def development_chart(trajectory, dev) -> str:
    """The SVG: one line per skill group, scores 1-5, one point per evaluation."""
    chart = pygal.Line(
        style=STYLE, width=900, height=420, title=development_title(trajectory),
        range=(1, 5), show_minor_y_labels=False,
        x_title=_("Evaluation"), y_title=_("Score (3 = what an average job asks)"),
        legend_at_bottom=True, legend_at_bottom_columns=3, dots_size=5, allow_interruptions=True,
        disable_xml_declaration=False, js=[], truncate_legend=-1, truncate_label=-1,
        no_data_text=_("No evaluations yet."), print_values=False)
    chart.x_labels = [format_date(e.day, "d-MM-yy") for e in dev.evaluations]
    series = group_series(dev)
    if series:
        # Whole scores only; pygal cannot place fixed labels on an empty chart.
        chart.y_labels = [1, 2, 3, 4, 5]
    for group, label, values in series:
        position = SKILL_GROUPS.index(group)
        chart.add(label, values, stroke_style={"width": 3, "dasharray": DASHES[position]})
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def svg_response(svg: str):
    """An SVG image with its own narrow CSP; never cached (it shows a person's scores)."""
    response = make_response(svg)
    response.headers["Content-Type"] = "image/svg+xml; charset=utf-8"
    response.headers["Content-Security-Policy"] = SVG_CSP
    response.headers["Cache-Control"] = "no-store"
    return response
