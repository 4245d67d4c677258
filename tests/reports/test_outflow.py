"""The outflow figure: the trajectories' quarter figures in Cijfers, hand-counted, with "< 5"
for municipality figures of fewer than five people, and the same totals in table, chart and
workbook."""

import html as markup
import io
from datetime import date

import openpyxl
import pytest

from portal import timeutil
from portal.reports import outflow, periods
from portal.reports.sql import Filters
from tests.reports.test_views import _chart_values, _total_row
from tests.trajectories import build

TODAY = date(2026, 6, 30)
HIDDEN = "< 5"


@pytest.fixture
def candidates(make, monkeypatch):
    """Lindendal: 6 started 5 January; 5 to a regular job on 5 March, 1 stopped on 3 February.
    Brugveen: 7 started 1 April, still running. Oosterwijk: 3 started 1 April."""
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)
    lindendal = make.municipality(name="Lindendal")
    brugveen = make.municipality(name="Brugveen")
    oosterwijk = make.municipality(name="Oosterwijk")
    build.five_placed_one_stopped([build.trajectory(make, municipality=lindendal,
                                                    start=date(2026, 1, 5)) for _ in range(6)])
    for place, count in ((brugveen, 7), (oosterwijk, 3)):
        for _ in range(count):
            build.trajectory(make, municipality=place, start=date(2026, 4, 1))
    return lindendal, brugveen, oosterwijk


def test_the_quarters_of_a_period_up_to_today():
    assert outflow.quarters(periods.Period.of("year", date(2026, 1, 1), TODAY)) == [
        (2026, 1), (2026, 2)]
    assert outflow.quarters(periods.Period.of("month", date(2026, 5, 1), TODAY)) == [(2026, 2)]
    assert outflow.quarters(periods.Period.of("quarter", date(2025, 11, 1), TODAY)) == [
        (2025, 4)]
    assert outflow.quarters(periods.Period.of("year", date(2027, 1, 1), TODAY)) == []


def test_the_year_per_quarter_and_per_municipality(candidates, app):
    period = periods.Period.of("year", date(2026, 1, 1), TODAY)
    with app.test_request_context():
        page = outflow.build(period, None, Filters(), user=None)
    per_quarter, per_place = page.tables
    # Q1: the 6 of Lindendal; 5 of 6 to work (83%) is hidden, the one who stopped is alone;
    # 5 x 60 days + 30 days = 330 / 6 = 55 days. Q2: 7 + 3 started, none ended.
    assert [row[1:] for row in per_quarter.rows] == [
        [6, 6, 6, 5, HIDDEN, 55, None, None],
        [10, 10, 0, 0, None, None, None, None]]
    assert per_quarter.total[1:] == [None, 16, 6, 5, HIDDEN, 55, None, None]
    assert per_place.rows == [
        ["Brugveen", 7, 0, 0, None, None, None, None],
        ["Lindendal", 6, 6, 5, HIDDEN, 55, None, None],
        ["Oosterwijk", HIDDEN, 0, 0, None, None, None, None]]
    assert [series.values for series in page.chart.series] == [[6, 10], [6, 0], [5, 0]]


def test_one_municipality_of_fewer_than_five_is_hidden_everywhere(candidates, app):
    _lindendal, _brugveen, oosterwijk = candidates
    period = periods.Period.of("quarter", date(2026, 4, 1), TODAY)
    with app.test_request_context():
        page = outflow.build(period, None, Filters(municipality=oosterwijk.id), user=None)
    quarter, = page.tables[0].rows
    assert quarter[1:3] == [HIDDEN, HIDDEN]
    assert page.tables[0].total[2] == HIDDEN
    assert page.chart.series[0].values == [None]  # no bar that shows the 3


def test_table_chart_and_workbook_show_the_same_outflow_total(candidates, make, login):
    client = login(make.user("hr"))
    query = "period=quarter&date=2026-01-01"
    html = client.get(f"/reports/outflow/?{query}").get_data(as_text=True)
    assert [markup.unescape(cell) for cell in _total_row(html)] == ["Totaal", "–", "6", "6", "5", "< 5", "55", "–", "–"]
    svg = client.get(f"/reports/outflow/chart.svg?{query}").get_data(as_text=True)
    assert _chart_values(svg) == ["6", "6", "5"]  # started, ended, to work
    rows = list(openpyxl.load_workbook(io.BytesIO(
        client.get(f"/reports/outflow/export.xlsx?{query}").data)).active.iter_rows(
            values_only=True))
    assert rows[-1] == ("Totaal", None, 6, 6, 5, "< 5", 55, None, None)


@pytest.mark.parametrize("role", ["admin", "planner", "supervisor"])
def test_only_hr_reads_the_outflow(role, make, login):
    client = login(make.user(role))
    assert client.get("/reports/outflow/").status_code == 403
    assert "/reports/outflow/" not in client.get("/reports/").get_data(as_text=True)


def _workbook(client, url) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(client.get(url).data)).active.iter_rows(
        values_only=True))


@pytest.fixture
def sited(make, monkeypatch):
    monkeypatch.setattr(timeutil, "today", lambda: TODAY)
    return build.sited_company(make)


def test_the_filters_of_the_other_figures_narrow_the_outflow(sited, app):
    period = periods.Period.of("quarter", date(2026, 1, 1), TODAY)

    def quarter_row(**chosen) -> list:
        with app.test_request_context():
            page = outflow.build(period, None, Filters(**chosen), user=None)
        row, = page.tables[0].rows
        return row[1:]

    # Still working after 6 months: 4 of 5, so the one who is not is alone.
    assert quarter_row() == [18, 18, 6, 5, HIDDEN, 55, HIDDEN, None]
    # Group A (and its workfloor Inpak): 7 in trajectory; 5 of 6 to work is hidden.
    assert quarter_row(group=sited["a"].id) == [7, 7, 6, 5, HIDDEN, 55, None, None]
    assert quarter_row(workfloor=sited["inpak"].id) == [7, 7, 6, 5, HIDDEN, 55, None, None]
    assert quarter_row(location=sited["noord"].id) == [12, 12, 6, 5, HIDDEN, 55, HIDDEN, None]
    assert quarter_row(location=sited["zuid"].id) == [5, 5, 0, 0, None, None, None, None]
    assert quarter_row(employment="beschut") == [5, 5, 0, 0, None, None, None, None]
    assert quarter_row(employment="leerwerk") == [HIDDEN, HIDDEN, 0, 0, None, None, None, None]
    assert quarter_row(municipality=sited["brugveen"].id, group=sited["c"].id) == [
        0, 0, 0, 0, None, None, None, None]


def test_the_outflow_page_takes_its_filters_from_the_query_and_agrees_with_the_trajectories(
        sited, make, login):
    client = login(make.user("hr"))
    query = "period=quarter&date=2026-01-01"
    page = client.get(f"/reports/outflow/?{query}").get_data(as_text=True)
    for name in ("location", "workfloor", "group", "employment"):
        assert f'name="{name}"' in page
    quarter = _workbook(client, f"/reports/outflow/export.xlsx?{query}")[1]
    company = _workbook(client, "/trajectories/figures.xlsx?quarter=2026-Q1")[-1]
    # The trajectories' columns: in trajectory, started, ended, 5 outcomes, to work, share,
    # average, then measured and still working at 6 and at 12 months.
    assert company[0] == "Alle gemeenten"
    assert list(quarter[1:]) == [company[i] for i in (1, 2, 3, 9, 10, 11, 13, 15)]
    zuid = _workbook(client, f"/reports/outflow/export.xlsx?{query}&location={sited['zuid'].id}")
    assert zuid[1][1:] == (5, 5, 0, 0, None, None, None, None)
    chart = client.get(f"/reports/outflow/chart.svg?{query}").get_data(as_text=True)
    assert _chart_values(chart) == ["18", "6", "5"]  # started, ended, to work
    leerwerk = client.get(f"/reports/outflow/chart.svg?{query}&employment=leerwerk")
    assert _chart_values(leerwerk.get_data(as_text=True)) == []  # no bar shows the 1 started
