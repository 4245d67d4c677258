"""The shared chart helpers: what every chart carries, whatever area draws it."""

import re

from portal import charts


def _values(svg: str) -> list[str]:
    return [v for v in re.findall(r'<text[^>]*class="value"[^>]*>([^<]*)<', svg) if v]


def test_a_chart_has_its_title_patterns_and_printed_values():
    chart = charts.Chart(title="Verzuim per ploeg", labels=["Noord", "Zuid"],
                         series=[charts.Series("Ziek", [2.5, 4]), charts.Series("Verlof", [1, None])])
    svg = charts.render(chart, lambda v: f"{v:.1f}".replace(".", ","))
    assert "Verzuim per ploeg" in svg
    assert 'id="hatch-0"' in svg and 'id="hatch-1"' in svg  # a pattern per series, not only a colour
    assert "url(#hatch-0)" in svg
    assert _values(svg) == ["2,5", "4,0", "1,0"]  # None is a gap, not a nought


def test_horizontal_bars_read_top_down_in_the_order_of_the_labels():
    chart = charts.Chart(title="T", labels=["eerste", "tweede", "derde"],
                         series=[charts.Series("S", [1, 2, 3])], horizontal=True)
    # pygal draws the first label at the bottom; the helper reverses, so "eerste" is on top.
    assert _values(charts.render(chart, str)) == ["3.0", "2.0", "1.0"]
    assert charts.image_height(chart) >= 400


def test_empty_parts_of_a_stacked_bar_get_no_label():
    chart = charts.Chart(title="T", labels=["a"], series=[charts.Series("x", [0]),
                                                          charts.Series("y", [2])], stacked=True)
    assert _values(charts.render(chart, str)) == ["2.0"]


def test_the_text_alternative_names_every_value_or_points_at_the_table():
    chart = charts.Chart(title="Uren", labels=["jan", "feb"], series=[charts.Series("Gepland", [3, 4])])
    assert chart.description(str) == "Uren. jan: 3, feb: 4."
    assert chart.description(str, limit=1, more="Zie de tabel.") == "Uren. Zie de tabel."


def test_the_image_response_has_its_own_strict_policy(app):
    with app.test_request_context():
        response = charts.svg_response("<svg/>")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "script" not in response.headers["Content-Security-Policy"]
