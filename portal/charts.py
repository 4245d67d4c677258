"""Charts as SVG images drawn on the server with pygal, for every area.

Served from a route of their own as `image/svg+xml` and shown with <img>, never inline: an
image document runs no script and loads nothing, so pygal's own <style> (inside the SVG) and
its config <script> (dead in an image) never meet the page, whose CSP stays
`script-src 'self'; style-src 'self'` without a style attribute. The image response carries
its own, stricter policy: no script, no fetches, only the SVG's inline style.

Every chart: a title, colours from the Okabe-Ito palette (told apart with the common forms of
colour blindness), each series also a hatch pattern of its own and its value printed on the
bar, so neither colour nor a colour printer is needed to read it. The page puts the numbers in a
table beside the image and a text alternative on it.
"""

import sys
from dataclasses import dataclass, field

import pygal
from flask import make_response
from pygal.style import Style

# pygal 3.1 puts an old-style import hook (find_module, no find_spec) on sys.meta_path for its
# map plugins; Python 3.11 then warns (ImportWarning) on every import that reaches it, which the
# test suite turns into errors. The portal draws no maps: the hook goes.
sys.meta_path[:] = [finder for finder in sys.meta_path
                    if type(finder).__name__ != "PluginImportFixer"]

# Okabe & Ito (2008), ordered so that neighbours differ in lightness as well as hue.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
# One hatch per series (path in an 8 x 8 tile): diagonal, crossed, horizontal, vertical, dots...
HATCHES = ("M0 8L8 0", "M0 0L8 8M0 8L8 0", "M0 4H8", "M4 0V8", "M3 3h2v2h-2z", "M0 0L8 8",
           "M0 2H8M0 6H8", "M2 0V8M6 0V8")
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _pattern(index: int) -> str:
    colour = PALETTE[index % len(PALETTE)]
    ink = "#ffffff" if index % len(PALETTE) in (0, 2, 5, 7) else "#000000"
    return (f'<pattern id="hatch-{index}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>'
            f'<path d="{HATCHES[index % len(HATCHES)]}" stroke="{ink}" stroke-width="1.5" '
            f'fill="{ink}"/></pattern>')


@dataclass
class Series:
    """One named row of values; None is a gap (nothing to show), not zero."""

    name: str
    values: list


@dataclass
class Chart:
    """What a chart shows: a title, labels along the axis, one or more series."""

    title: str
    labels: list
    series: list = field(default_factory=list)
    y_title: str = ""
    stacked: bool = False
    horizontal: bool = False

    def description(self, format_value, limit: int = 24, more: str = "") -> str:
        """A text alternative: the title and every value in reading order, or, for a chart of
        more than `limit` values, the title and `more` (pointing at the table beside it)."""
        if sum(len(series.values) for series in self.series) > limit:
            return f"{self.title}. {more}".strip()
        parts = []
        for series in self.series:
            values = ", ".join(f"{label}: {format_value(v) if v is not None else '–'}"
                               for label, v in zip(self.labels, series.values))
            parts.append(f"{series.name}: {values}" if len(self.series) > 1 else values)
        return f"{self.title}. " + "; ".join(parts) + "."


def style() -> Style:
    count = 8
    return Style(
        colors=tuple(f"url(#hatch-{n})" for n in range(count)),
        background="#ffffff", plot_background="#ffffff",
        foreground="#1a1a1a", foreground_strong="#000000", foreground_subtle="#555555",
        font_family="system-ui, 'Segoe UI', Roboto, Arial, sans-serif",
        title_font_size=20, label_font_size=14, major_label_font_size=14,
        legend_font_size=15, value_font_size=14, opacity="1", opacity_hover="1",
    )


def render(chart: Chart, format_value=str) -> str:
    """The chart as an SVG document (text).

    Horizontal bars are drawn top-down in the order of the labels (pygal starts at the bottom),
    so they read like the table beside them, and the image grows with the number of bars;
    empty parts of a stacked bar get no printed value.
    """
    kind = {(False, False): pygal.Bar, (True, False): pygal.StackedBar,
            (False, True): pygal.HorizontalBar, (True, True): pygal.HorizontalStackedBar}
    labels = [str(label) for label in chart.labels]
    series = [(s.name, [None if v is None or (chart.stacked and not v) else float(v)
                        for v in s.values]) for s in chart.series]
    if chart.horizontal:
        labels = labels[::-1]
        series = [(name, values[::-1]) for name, values in series]
    drawn = kind[(chart.stacked, chart.horizontal)](
        style=style(), js=[], defs=[_pattern(n) for n in range(8)],
        title=chart.title, y_title=chart.y_title or None, print_values=True, print_zeroes=False,
        print_values_position="center" if chart.stacked else "top",
        disable_xml_declaration=True, legend_at_bottom=True, truncate_legend=-1,
        truncate_label=-1,
        x_label_rotation=0 if chart.horizontal or len(labels) <= 6 else 30,
        value_formatter=lambda v: "" if v is None or (chart.stacked and v == 0) else format_value(v),
        width=900, height=image_height(chart), margin=16, no_data_text="–",
        tooltip_fancy_mode=False)
    drawn.x_labels = labels
    for name, values in series:
        drawn.add(name, values)
    return drawn.render(is_unicode=True)


def image_height(chart: Chart) -> int:
    """Room for every bar of a horizontal chart (26 px each), at least that of a column chart."""
    if not chart.horizontal:
        return 480
    return max(400, 180 + 26 * len(chart.labels) * (1 if chart.stacked else len(chart.series)))


def svg_response(svg: str):
    """An SVG chart as an image response, with the image's own strict CSP."""
    response = make_response(svg)
    response.headers["Content-Type"] = "image/svg+xml; charset=utf-8"
    response.headers["Content-Security-Policy"] = IMAGE_CSP
    response.headers["Cache-Control"] = "no-store"
    return response
