"""Occupancy, orders, detachments and headcount against hand-computed cases (both databases)."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from flask_babel import force_locale

from portal.orders.models import OrderStatusChange
from portal.reports import detachments_page, headcount, occupancy, orders_page
from portal.reports.periods import Period
from portal.reports.sql import Filters

# The first week of November 2026: Monday 2 to Friday 6; "today" is that Friday.
WEEK = Period.of("month", date(2026, 11, 1), today=date(2026, 11, 6))


@pytest.fixture
def context(app):
    with app.test_request_context(), force_locale("en"):
        yield


def test_occupancy_is_people_present_on_an_average_working_day(make, context):
    floor = make.workfloor(name="Inpak", workplaces=10)
    team = make.group(workfloor=floor)
    site = floor.location
    always, twice, detached = (make.employee(work_group=team) for _ in range(3))
    for day in range(2, 7):
        make.worked(always, date(2026, 11, day), 7.5, site)
    make.worked(twice, date(2026, 11, 2), 4, site)
    make.worked(twice, date(2026, 11, 2), 3, site, start_hour=13)  # two segments: one day
    make.worked(twice, date(2026, 11, 3), 7.5, site)
    make.worked(detached, date(2026, 11, 4), 7.5, make.client_location())  # not on the floor
    page = occupancy.build(WEEK, None, Filters(), user=None)
    (row,) = page.tables[0].rows
    # 5 + 2 person-days over 5 working days: 1.4 people against 10 workplaces.
    assert row[:4] == ["Inpak", 10, Decimal("1.4"), Decimal("14.0")]
    assert row[4] == "quiet"


def test_orders_hours_units_and_delivery_on_time(make, context):
    team = make.group()
    client = make.client(name="Fictief Metaal BV")
    on_time = make.order(client=client, norm_per_hour=Decimal("50"), due_date=date(2026, 11, 5))
    late = make.order(client=client, norm_per_hour=Decimal("25"), due_date=date(2026, 11, 3))
    make.assignment(on_time, team, date(2026, 11, 2), hours="10")
    make.assignment(late, team, date(2026, 11, 3), hours="6")
    make.production(on_time, team, date(2026, 11, 2), 420, rejects=20)  # 400 good: 8 h
    make.production(late, team, date(2026, 11, 3), 100)  # 4 h
    for order, day in ((on_time, 5), (late, 4)):
        OrderStatusChange.create(order=order, from_status="in_productie", to_status="gereed",
                                 changed_by=order.created_by,
                                 changed_at=datetime.combine(date(2026, 11, day), time(13)))
    page = orders_page.build(WEEK, "client", Filters(), user=None)
    (row,) = page.tables[0].rows
    assert row == ["Fictief Metaal BV", Decimal("16.00"), Decimal("12.00"), 500, 2, 1,
                   Decimal("50.0")]


def test_detachment_person_days_and_hours_per_client(make, context):
    person = make.employee()
    where = make.client_location(make.client(name="Groen BV"))
    make.detachment(people=[person], where=where, start=date(2026, 10, 1), rate=30)
    make.worked(person, date(2026, 11, 4), 6, where)
    make.worked(person, date(2026, 11, 5), 2, where)
    make.worked(person, date(2026, 11, 5), 3, where, start_hour=13)
    page = detachments_page.build(WEEK, None, Filters(), user=None)
    (row,) = page.tables[0].rows
    assert row == ["Groen BV", 2, Decimal("11.00")]


def test_headcount_in_and_out_per_month_and_the_beschut_places(make, context):
    from portal.reports import rules

    town = make.municipality(name="Gemeente Lindendal")
    make.employee(municipality=town, employment="beschut", start_date=date(2026, 11, 2))
    make.employee(municipality=town, employment="beschut", start_date=date(2026, 10, 1))
    make.employee(municipality=town, employment="sw", start_date=date(2020, 1, 1),
                  end_date=date(2026, 11, 3))
    make.employee(municipality=town, employment="sw", start_date=date(2026, 11, 20))  # not yet
    rules.set_target(town.id, 2026, 6)
    quarter = Period.of("quarter", date(2026, 10, 1), today=date(2026, 11, 6))
    page = headcount.build(quarter, "employment", Filters(), user=None)
    months, by_kind, places = page.tables
    # October: one joined; at its end the October newcomer and the SW leaver-to-be (2).
    # November up to the 6th: one in, one out; the one starting on the 20th is not yet in.
    assert months.rows == [["October 2026", 1, 0, 2], ["November 2026", 1, 1, 2]]
    assert {row[0]: row[1:] for row in by_kind.rows} == {
        "Sheltered work (beschut werk)": [2, 0, 2], "SW (Wsw)": [0, 1, 0]}
    # Two beschut places filled against six agreed: suppressed, it rests on fewer than five.
    assert places.rows == [["Gemeente Lindendal", "< 5", 6, "< 5"]]


def test_orders_per_product_group_with_the_ones_without_last(make, context):
    team = make.group()
    packing, assembly = make.product_group(name="Verpakken"), make.product_group(name="Assemblage")
    client = make.client(name="Fictief Metaal BV")
    boxes = make.order(client=client, product_group=packing, norm_per_hour=Decimal("50"),
                       due_date=date(2026, 11, 5))
    more_boxes = make.order(product_group=packing, norm_per_hour=Decimal("20"))
    sets = make.order(client=client, product_group=assembly, norm_per_hour=Decimal("10"))
    older = make.order(client=client, norm_per_hour=Decimal("25"))  # taken in before groups
    make.assignment(boxes, team, date(2026, 11, 2), hours="8")
    make.assignment(more_boxes, team, date(2026, 11, 3), hours="2")
    make.assignment(sets, team, date(2026, 11, 3), hours="4")
    make.assignment(older, team, date(2026, 11, 4), hours="3")
    make.production(boxes, team, date(2026, 11, 2), 300)  # 6 h at norm
    make.production(more_boxes, team, date(2026, 11, 3), 40)  # 2 h
    make.production(sets, team, date(2026, 11, 3), 35, rejects=5)  # 30 good: 3 h
    make.production(older, team, date(2026, 11, 4), 50)  # 2 h
    OrderStatusChange.create(order=boxes, from_status="in_productie", to_status="gereed",
                             changed_by=boxes.created_by,
                             changed_at=datetime.combine(date(2026, 11, 4), time(13)))
    page = orders_page.build(WEEK, "product_group", Filters(), user=None)
    table = page.tables[0]
    assert table.columns[0].label == "Product group"
    assert table.rows == [
        ["Assemblage", Decimal("4.00"), Decimal("3.00"), 30, 0, 0, None],
        ["Verpakken", Decimal("10.00"), Decimal("8.00"), 340, 1, 1, Decimal("100.0")],
        ["Without product group", Decimal("3.00"), Decimal("2.00"), 50, 0, 0, None],
    ]
    assert table.total == ["Total", Decimal("17.00"), Decimal("13.00"), 420, 1, 1,
                           Decimal("100.0")]
    assert page.chart.labels == ["Assemblage", "Verpakken", "Without product group"]
    assert orders_page.groupings()[1][0] == "product_group"
