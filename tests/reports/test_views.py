"""The figure pages: every figure renders for its readers, and the table, the chart and the
workbook show the same totals."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest

from portal.reports.registry import FIGURES

NOV = "period=month&date=2026-11-01"


@pytest.fixture
def company(make):
    town = make.municipality(name="Gemeente Lindendal")
    team = make.group(name="Inpak A")
    people = [make.employee(municipality=town, work_group=team, employment="beschut")
              for _ in range(6)]
    make.absence(people[0], date(2026, 11, 3))
    make.absence(people[1], date(2026, 11, 4), hours=Decimal("3"))
    site = team.workfloor.location
    for person in people[:4]:
        make.worked(person, date(2026, 11, 2), 7.5, site)
    order = make.order(client=make.client(name="Fictief Metaal BV"), workfloor=team.workfloor)
    make.assignment(order, team, date(2026, 11, 2), hours="10")
    make.production(order, team, date(2026, 11, 2), 400)
    detached = make.detachment(people=[people[5]], start=date(2026, 10, 1), rate=30)
    make.worked(people[5], date(2026, 11, 5), 6, detached.location)
    return town, team, people


@pytest.mark.parametrize("slug", sorted(FIGURES))
@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
def test_every_figure_renders_with_chart_export_and_print(slug, kind, company, make, login):
    readers = FIGURES[slug].READERS
    client = login(make.user("admin" if "admin" in readers else readers[0]))
    query = f"period={kind}&date=2026-11-01"
    page = client.get(f"/reports/{slug}/?{query}")
    assert page.status_code == 200, page.get_data(as_text=True)[:3000]
    html = page.get_data(as_text=True)
    assert f'src="/reports/{slug}/chart.svg?' in html and 'alt="' in html
    chart = client.get(f"/reports/{slug}/chart.svg?{query}")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert "script-src" not in chart.headers["Content-Security-Policy"]
    assert "default-src 'none'" in chart.headers["Content-Security-Policy"]
    workbook = client.get(f"/reports/{slug}/export.xlsx?{query}")
    assert workbook.status_code == 200
    openpyxl.load_workbook(io.BytesIO(workbook.data))
    printed = client.get(f"/reports/{slug}/print?{query}")
    assert printed.status_code == 200 and "<nav" not in printed.get_data(as_text=True)


def _total_row(html: str) -> list[str]:
    foot = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", foot, re.S)]


def _chart_values(svg: str) -> list[str]:
    """The values pygal prints on the bars, series by series, in the order of the labels."""
    return [v for v in re.findall(r'<text[^>]*class="value"[^>]*>([^<]*)<', svg) if v]


def test_table_chart_and_workbook_show_the_same_absence_total(company, make, login):
    client = login(make.user("planner"))  # one series: "absent", whatever the code
    html = client.get(f"/reports/absence/?{NOV}&by=group").get_data(as_text=True)
    total = _total_row(html)
    # 6 people x 21 days x 450 minutes = 945 h; absent 7.5 + 3 = 10.5 h: 1.1%.
    assert total == ["Hele bedrijf", "6", "945,00", "1,1%"]
    svg = client.get(f"/reports/absence/chart.svg?{NOV}&by=group").get_data(as_text=True)
    # Horizontal bars run top-down like the table; pygal writes them bottom-up.
    assert _chart_values(svg)[0] == "1,1%"
    book = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/reports/absence/export.xlsx?{NOV}&by=group").data))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-2] == (None, None, None, None)  # the total below a blank row
    assert rows[-1][0] == "Hele bedrijf"
    assert rows[-1][1:] == (6, 945, 1.1)


def test_a_planner_sees_absent_but_no_codes(company, make, login):
    planner = login(make.user("planner")).get(f"/reports/absence/?{NOV}").get_data(as_text=True)
    assert "Ziek" not in planner and "Afwezig" in planner


def test_hr_sees_the_codes_and_the_sick_reports(company, make, login):
    hr = login(make.user("hr")).get(f"/reports/absence/?{NOV}").get_data(as_text=True)
    assert "Ziek (%)" in hr and "Ziekmeldingen" in hr


def test_municipality_figures_of_fewer_than_five_people_are_suppressed(company, make, login):
    town, team, _people = company
    small = make.municipality(name="Gemeente Brugveen")
    for _ in range(2):
        make.employee(municipality=small, work_group=team)
    html = login(make.user("hr")).get(f"/reports/absence/?{NOV}&by=municipality").get_data(
        as_text=True)
    brugveen = re.search(r"Gemeente Brugveen</th>(.*?)</tr>", html, re.S).group(1)
    assert brugveen.count("&lt; 5") >= 3 and "%" not in brugveen
    lindendal = re.search(r"Gemeente Lindendal</th>(.*?)</tr>", html, re.S).group(1)
    assert "<td class=\"num\">6</td>" in lindendal


def test_a_supervisor_sees_his_own_groups(company, make, login):
    _town, team, _people = company
    html = login(team.supervisor).get(f"/reports/absence/?{NOV}").get_data(as_text=True)
    assert "Inpak A" in html and "Ziek (%)" in html


def test_a_supervisor_does_not_see_other_groups(company, make, login):
    other = login(make.user("supervisor")).get(f"/reports/absence/?{NOV}").get_data(as_text=True)
    assert "Inpak A" not in other and "945,00" not in other


def test_filters_narrow_the_figures(company, make, login):
    town, team, _people = company
    client = login(make.user("admin"))
    other_team = make.group(name="Hout B")
    make.employee(municipality=town, work_group=other_team)
    html = client.get(f"/reports/absence/?{NOV}&group={other_team.id}").get_data(as_text=True)
    table = html[html.index("<table"):]
    assert "Hout B" in table and "Inpak A" not in table
    junk = client.get("/reports/absence/?period=decade&date=nonsense&group=abc&by=x")
    assert junk.status_code == 200


def test_targets_are_entered_by_hr_and_shown_beside_the_places(company, make, login):
    town, _team, _people = company
    client = login(make.user("hr"))
    saved = client.post("/reports/targets", data={"municipality": town.id, "year": 2026,
                                                   "places": 4})
    assert saved.status_code == 303
    bad = client.post("/reports/targets", data={"municipality": town.id, "year": 2026,
                                                 "places": "veel"})
    assert bad.status_code == 422
    html = client.get("/reports/headcount/?period=year&date=2026-01-01").get_data(as_text=True)
    row = re.search(r"Gemeente Lindendal</td>(.*?)</tr>|Gemeente Lindendal</th>(.*?)</tr>",
                    html[html.index("Beschut"):], re.S)
    cells = re.findall(r">([^<]*)</td>", row.group(0))
    assert cells[:3] == ["6", "4", "2"]


def test_the_detachment_amounts_on_the_page_and_in_the_workbook_agree(company, make, login):
    client = login(make.user("planner"))
    html = client.get(f"/reports/detachments/?{NOV}").get_data(as_text=True)
    feet = [[re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", foot, re.S)]
            for foot in re.findall(r"<tfoot>(.*?)</tfoot>", html, re.S)]
    # 6 h on a day of the 8-hour shift, less its 30-minute break: 5.5 h x € 30, not sent yet.
    assert ["Totaal", "", "€ 0,00", "€ 165,00", "€ 165,00"] in feet
    book = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/reports/detachments/export.xlsx?{NOV}").data))
    assert len(book.worksheets) == 4
    amounts = list(book.worksheets[1].iter_rows(values_only=True))
    assert amounts[0][2:] == ("Gefactureerd (verstuurde overzichten)",
                              "Nog te factureren (huidige regels)", "Bedrag")
    assert amounts[-1] == ("Totaal", None, 0, 165, 165)
    by_state = list(book.worksheets[2].iter_rows(values_only=True))
    assert by_state[-1][0] == "Totaal" and by_state[-1][-1] == 165
