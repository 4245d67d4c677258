"""The detachments figure's amounts per client and month against hand-computed cases.

The employees of the factories work Monday to Friday 8-16 with a 30-minute break, which the
statement rules deduct on a day longer than half the shift unless the rate bills the breaks.
"""

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from portal.detachments import client_links, rates, statements
from portal.reports import detachment_amounts, detachments_page
from portal.reports.detachment_amounts import NOT_SENT
from portal.reports.periods import Period
from portal.reports.sql import Filters

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)
# October and November 2026, "today" being Friday 6 November.
TWO_MONTHS = Period.of("quarter", OCT, today=date(2026, 11, 6))


@pytest.fixture
def context(app):
    with app.test_request_context(), force_locale("en"):
        yield


def _detached(make, client_name, rate, start=OCT, **fields):
    person = make.employee()
    where = make.client_location(make.client(name=client_name))
    detachment = make.detachment(people=[person], where=where, start=start, rate=rate, **fields)
    return person, where, detachment


def _by_month(client_name):
    return {entry.month: entry for entry in detachment_amounts.client_months([OCT, NOV])
            if entry.name == client_name}


def test_a_new_rate_from_november_prices_november_and_leaves_october(make, context):
    person, where, detachment = _detached(make, "Groen BV", 30)
    rates.add_rate(detachment, price_form="per_hour", amount=Decimal("32.50"), valid_from=NOV,
                   valid_to=None)
    make.worked(person, date(2026, 10, 29), 8, where)  # 8 h less the 30-minute break
    make.worked(person, date(2026, 11, 2), 8, where)
    make.worked(person, date(2026, 11, 3), 3, where)  # not over half the shift: no break
    found = _by_month("Groen BV")
    assert found[OCT].to_bill == Decimal("225.00")  # 7.5 h x 30.00
    assert found[NOV].to_bill == Decimal("341.25")  # 10.5 h x 32.50
    assert found[OCT].billed == found[NOV].billed == 0


def test_breaks_count_only_when_the_rate_bills_them(make, context):
    for name, breaks in (("Zonder Pauze BV", False), ("Met Pauze BV", True)):
        person, where, _detachment = _detached(make, name, 20)
        if breaks:
            rate = _detachment.rates.get()
            rates.update_rate(rate, price_form="per_hour", amount=Decimal(20),
                              includes_breaks=True)
        make.worked(person, date(2026, 11, 2), 8, where)
    assert _by_month("Zonder Pauze BV")[NOV].to_bill == Decimal("150.00")  # 7.5 h x 20
    assert _by_month("Met Pauze BV")[NOV].to_bill == Decimal("160.00")  # 8 h x 20


def test_a_sent_and_disputed_statement_counts_what_was_sent(make, context):
    person, where, detachment = _detached(make, "Betwist BV", 40)
    make.worked(person, date(2026, 10, 5), 8, where)
    sent, _token = statements.send_statement(detachment, OCT)
    line = sent.content["people"][0]["lines"][0]["key"]
    client_links.dispute(sent, line, "Hij was er maar een halve dag")
    # Registered after sending: the statement (and so the figure) does not move.
    make.worked(person, date(2026, 10, 6), 8, where)
    october = _by_month("Betwist BV")[OCT]
    assert october.by_state["disputed"] == Decimal("300.00")  # 7.5 h x 40
    assert october.billed == Decimal("300.00") and october.to_bill == 0
    by_state = detachment_amounts.per_month(detachment_amounts.client_months([OCT]))
    assert by_state[OCT] == {"approved": 0, "sent": 0, "disputed": Decimal("300.00"),
                             NOT_SENT: 0}


def test_a_correction_in_progress_counts_as_not_sent_at_the_current_rules(make, context):
    person, where, detachment = _detached(make, "Correctie BV", 40)
    make.worked(person, date(2026, 10, 5), 8, where)
    sent, _token = statements.send_statement(detachment, OCT)
    client_links.approve(sent, name="Petra de Klant")
    assert _by_month("Correctie BV")[OCT].by_state["approved"] == Decimal("300.00")
    statements.start_correction(detachment, OCT, "Een dag vergeten")
    make.worked(person, date(2026, 10, 6), 8, where)
    october = _by_month("Correctie BV")[OCT]
    assert october.billed == 0 and october.to_bill == Decimal("600.00")


def test_a_month_without_a_statement_and_the_other_price_forms(make, context):
    per_day, where, _d = _detached(make, "Per Dag BV", "95.00", price_form="per_person_day")
    make.worked(per_day, date(2026, 11, 2), 8, where)
    make.worked(per_day, date(2026, 11, 3), 2, where)
    fixed, where, _d = _detached(make, "Vast BV", "1200.00", price_form="fixed_result")
    make.worked(fixed, date(2026, 11, 4), 1, where)
    assert _by_month("Per Dag BV")[NOV].to_bill == Decimal("190.00")  # two person-days
    assert _by_month("Vast BV")[NOV].to_bill == Decimal("1200.00")
    assert _by_month("Vast BV")[OCT].to_bill == 0  # it ran, nobody worked: nothing billed


def test_hours_without_a_rate_count_as_zero_and_are_said(make, context):
    person = make.employee()
    where = make.client_location(make.client(name="Geen Tarief BV"))
    make.detachment(people=[person], where=where, start=OCT)
    make.worked(person, date(2026, 11, 2), 8, where)
    (november,) = [e for e in detachment_amounts.client_months([NOV])]
    assert november.total == 0 and november.unpriced == 1
    page = detachments_page.build(TWO_MONTHS, None, Filters(), user=None)
    assert any("no rate in force" in note for note in page.notes)


def test_the_page_shows_billed_and_to_be_billed_with_totals(make, context):
    person, where, detachment = _detached(make, "Groen BV", 30)
    make.worked(person, date(2026, 10, 5), 8, where)
    statements.send_statement(detachment, OCT)
    make.worked(person, date(2026, 11, 2), 8, where)
    page = detachments_page.build(TWO_MONTHS, None, Filters(), user=None)
    _hours, by_client, by_state, _counts = page.tables
    assert by_client.rows == [["Groen BV", "October 2026", Decimal("225.00"), Decimal(0),
                               Decimal("225.00")],
                              ["Groen BV", "November 2026", Decimal(0), Decimal("225.00"),
                               Decimal("225.00")]]
    assert by_client.total == ["Total", "", Decimal("225.00"), Decimal("225.00"),
                               Decimal("450.00")]
    assert by_state.rows[0] == ["October 2026", 0, Decimal("225.00"), 0, 0, Decimal("225.00")]
    assert by_state.total[-1] == Decimal("450.00")


def test_the_amounts_take_a_fixed_number_of_queries_per_month(make, context, count_queries):
    def company(first, last):
        for n in range(first, last):
            person, where, detachment = _detached(make, f"Klant {n} BV", 30)
            make.worked(person, date(2026, 10, 5), 8, where)
            statements.send_statement(detachment, OCT)
            make.worked(person, date(2026, 11, 2), 8, where)

    company(0, 3)
    with count_queries() as three:
        detachment_amounts.client_months([OCT, NOV])
    company(3, 9)
    with count_queries() as nine:
        found = detachment_amounts.client_months([OCT, NOV])
    assert nine.total == three.total
    assert sum(e.total for e in found) == Decimal("225.00") * 18
