"""The detachment rules without HTTP: periods, overlap, rates, statements, locking, links."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from portal.detachments import (client_links as link_rules, hours as hour_rules, locks,
                                members as member_rules, rates as rate_rules,
                                statements as statement_rules)
from portal.detachments.models import (APPROVED, DISPUTED, DRAFT, SENT, Detachment,
                                       DetachmentMember, HoursEntry, Rate, Statement)
from portal.refusal import Refused

MARCH = date(2026, 3, 1)


def _content(detachment, month=MARCH):
    return statement_rules.compute_statements([detachment], month)[detachment.id]


def _person(content, employee):
    return next(p for p in content["people"] if p["employee_id"] == employee.id)


def detached_on(day, *people) -> set[int]:
    """Which of the people work at a client on the day, by the rule the planning board uses."""
    return {employee_id for employee_id, _day in
            member_rules.detached_days([p.id for p in people], day, day)}


def test_hours_per_person_and_day_come_from_current_segments_at_the_client_location(make):
    anna = make.employee(first_name="Anna")
    det = make.detachment(people=[anna], rate="30.00")
    make.worked(anna, date(2026, 3, 2), 7.5, det.location)
    make.worked(anna, date(2026, 3, 3), 3, det.location)
    make.worked(anna, date(2026, 3, 3), 2.25, det.location, start_hour=13)
    elsewhere = make.location()
    make.worked(anna, date(2026, 3, 4), 8, elsewhere)  # not at the client: not billed
    old = make.worked(anna, date(2026, 3, 5), 8, det.location)
    new = make.worked(anna, date(2026, 3, 5), 6, det.location, start_hour=9)
    old.superseded_by = new
    old.save()

    person = _person(_content(det), anna)
    # Worked hours, breaks excluded, as the timesheet counts them (8-16 with 30 minutes'
    # break): 7.5 h less the break; 3 + 2.25 h with a two-hour break taken by checking out;
    # 6 h less the break.
    assert [(line["day"], line["hours"]) for line in person["lines"]] == [
        ("2026-03-02", "7.00"), ("2026-03-03", "5.25"), ("2026-03-05", "5.50")]
    assert person["hours"] == "17.75"
    assert person["person_days"] == 3
    assert person["amount"] == "532.50"


def test_open_check_in_and_days_outside_membership_are_not_billed(make):
    anna = make.employee()
    det = make.detachment(people=[anna], start=date(2026, 3, 10), rate="10")
    make.worked(anna, date(2026, 3, 9), 8, det.location)  # before the member's start
    make.worked(anna, date(2026, 3, 10), 4, det.location)
    from portal.attendance.models import AttendanceSegment
    from portal.timeutil import to_utc

    AttendanceSegment.create(employee=anna, day=date(2026, 3, 11), in_source="badge",
                             check_in=to_utc(datetime(2026, 3, 11, 8)), location=det.location)
    person = _person(_content(det), anna)
    assert [line["day"] for line in person["lines"]] == ["2026-03-10"]


@pytest.mark.parametrize("form, rate, amount, quantity", [
    ("per_hour", "25.00", "350.00", "14.00"),  # 6.5 + 7.5 worked hours (7 and 8, breaks out)
    ("per_person_day", "150.00", "300.00", "2"),
    ("per_person_month", "2000.00", "2000.00", "1.00"),
])
def test_amount_per_pricing_form(make, form, rate, amount, quantity):
    anna = make.employee()
    det = make.detachment(people=[anna], rate=rate, price_form=form)
    make.worked(anna, date(2026, 3, 2), 7, det.location)
    make.worked(anna, date(2026, 3, 3), 8, det.location)
    content = _content(det)
    person = _person(content, anna)
    assert (person["amount"], person["quantity"]) == (amount, quantity)
    assert content["amount"] == amount
    assert content["price_form"] == form


def test_per_person_month_is_pro_rata_and_skips_a_month_without_work(make):
    anna, bert = make.employee(), make.employee()
    det = make.detachment(people=[anna], rate="3100", price_form="per_person_month",
                          start=date(2026, 1, 1))
    member_rules.add_member(det, bert, date(2026, 3, 17), None)  # 15 of 31 days in March
    make.worked(bert, date(2026, 3, 18), 6, det.location)
    content = _content(det)
    assert _person(content, bert)["quantity"] == "0.48"
    assert _person(content, bert)["amount"] == "1488.00"
    assert _person(content, anna)["amount"] == "0.00"  # absent all month: not billed
    assert content["amount"] == "1488.00"


def test_fixed_result_is_billed_once_for_a_month_with_work(make):
    group = make.group()
    people = [make.employee(work_group=group) for _ in range(3)]
    det = make.detachment("group", group_=group, rate="4500", price_form="fixed_result")
    for person in people:
        make.worked(person, date(2026, 3, 2), 8, det.location)
    content = _content(det)
    assert content["amount"] == "4500.00"
    assert content["person_days"] == 3
    assert all(p["amount"] is None for p in content["people"])
    assert _content(det, date(2026, 4, 1))["amount"] == "0.00"


def test_a_month_without_a_rate_has_no_amount(make):
    anna = make.employee()
    det = make.detachment(people=[anna])
    make.worked(anna, date(2026, 3, 2), 7, det.location)
    content = _content(det)
    assert content["amount"] is None and content["hours"] == "6.50"


def test_a_new_rate_from_1_january_closes_the_old_one_and_each_month_uses_its_own(make):
    anna = make.employee()
    det = make.detachment(people=[anna], start=date(2026, 1, 1), rate="30.00")
    rate_rules.add_rate(det, price_form="per_hour", amount=Decimal("31.50"),
                        valid_from=date(2027, 1, 1), valid_to=None)
    old = det.rates.order_by(Rate.valid_from).first()
    assert old.valid_to == date(2026, 12, 31)
    make.worked(anna, date(2026, 12, 30), 10, det.location)
    make.worked(anna, date(2027, 1, 4), 10, det.location)
    # Ten hours there, 9.5 worked (the break out), at each month's own rate.
    assert _content(det, date(2026, 12, 1))["amount"] == "285.00"
    assert _content(det, date(2027, 1, 1))["amount"] == "299.25"
    # A month that spans no change keeps its rate (two hours: too short for a break).
    make.worked(anna, date(2026, 6, 1), 2, det.location)
    assert _content(det, date(2026, 6, 1))["amount"] == "60.00"


@pytest.mark.parametrize("amount", ["0", "-5", "0.001"])
def test_a_rate_of_zero_or_less_is_refused(make, amount):
    det = make.detachment(people=[make.employee()])
    with pytest.raises(Refused) as refused:
        rate_rules.add_rate(det, price_form="per_hour", amount=Decimal(amount),
                            valid_from=date(2026, 1, 1), valid_to=None)
    assert refused.value.field == "amount"
    assert det.rates.count() == 0


def test_rates_run_in_whole_months_and_never_overlap(make):
    det = make.detachment(people=[make.employee()])
    with pytest.raises(Refused) as refused:
        rate_rules.add_rate(det, price_form="per_hour", amount=Decimal(10),
                            valid_from=date(2026, 1, 15), valid_to=None)
    assert refused.value.field == "valid_from"
    rate_rules.add_rate(det, price_form="per_hour", amount=Decimal(10), valid_from=date(2026, 1, 1),
                        valid_to=date(2026, 12, 31))
    with pytest.raises(Refused) as refused:
        rate_rules.add_rate(det, price_form="per_hour", amount=Decimal(12),
                            valid_from=date(2026, 6, 1), valid_to=None)
    assert "overlapt" in str(refused.value) or "overlaps" in str(refused.value)
    with pytest.raises(Refused):
        rate_rules.add_rate(det, price_form="per_hour", amount=Decimal(12),
                            valid_from=date(2027, 1, 1), valid_to=date(2027, 1, 30))


def test_end_before_start_is_refused(make):
    where = make.client_location()
    with pytest.raises(Refused) as refused:
        member_rules.create_detachment(client=where.client, location=where, kind="individual", name="",
                                       start=date(2026, 5, 1), end=date(2026, 4, 30),
                                       employee=make.employee())
    assert refused.value.field == "end_date"
    assert Detachment.select().count() == 0


def test_a_location_of_another_client_is_refused(make):
    where = make.client_location()
    with pytest.raises(Refused) as refused:
        member_rules.create_detachment(client=make.client(), location=where, kind="individual",
                                       name="", start=date(2026, 5, 1), end=None,
                                       employee=make.employee())
    assert refused.value.field == "location"


def test_a_person_cannot_be_in_two_detachments_on_the_same_day(make):
    anna = make.employee(first_name="Anna", last_name="Jansen")
    make.detachment(people=[anna], start=date(2026, 1, 1), end=date(2026, 6, 30))
    second = make.detachment(people=[make.employee()], start=date(2026, 1, 1))
    with pytest.raises(Refused) as refused:
        member_rules.add_member(second, anna, date(2026, 6, 30), None)
    assert refused.value.field == "employee"
    assert "Anna Jansen" in str(refused.value)
    member_rules.add_member(second, anna, date(2026, 7, 1), None)  # the day after: fine
    assert detached_on(date(2026, 7, 1), anna) == {anna.id}


def test_a_group_with_someone_already_detached_is_refused_whole(make):
    group = make.group()
    anna = make.employee(work_group=group)
    make.employee(work_group=group)
    make.detachment(people=[anna], start=date(2026, 1, 1))
    with pytest.raises(Refused) as refused:
        make.detachment("group", group_=group, start=date(2026, 2, 1))
    assert refused.value.field == "work_group"
    assert Detachment.select().count() == 1
    assert DetachmentMember.select().count() == 1


def test_group_kind_takes_the_whole_group_within_their_employment(make):
    group = make.group()
    staying = make.employee(work_group=group)
    leaving = make.employee(work_group=group, end_date=date(2026, 4, 30))
    make.employee(work_group=group, is_active=False)
    make.employee(work_group=make.group())
    det = make.detachment("group", group_=group, start=date(2026, 3, 1))
    spans = {m.employee_id: (m.start_date, m.end_date) for m in det.members}
    assert spans == {staying.id: (date(2026, 3, 1), None),
                     leaving.id: (date(2026, 3, 1), date(2026, 4, 30))}
    assert det.name == group.name


def test_members_stay_inside_the_detachments_period(make):
    det = make.detachment(people=[make.employee()], start=date(2026, 3, 1),
                          end=date(2026, 8, 31))
    with pytest.raises(Refused) as refused:
        member_rules.add_member(det, make.employee(), date(2026, 2, 28), None)
    assert refused.value.field == "start_date"
    with pytest.raises(Refused) as refused:
        member_rules.add_member(det, make.employee(), date(2026, 3, 1), date(2026, 9, 1))
    assert refused.value.field == "end_date"
    with pytest.raises(Refused) as refused:
        member_rules.update_detachment(det, name=det.name, start=date(2026, 4, 1),
                                       end=det.end_date, notes="", is_active=True)
    assert refused.value.field == "start_date"


def test_who_is_detached_on_a_day(make):
    anna, bert, cor = make.employee(), make.employee(), make.employee()
    make.detachment(people=[anna], start=date(2026, 3, 1), end=date(2026, 3, 31))
    det = make.detachment(people=[bert], start=date(2026, 3, 1))
    member_rules.update_member(det.members.get(), date(2026, 3, 1), date(2026, 3, 15))
    inactive = make.detachment(people=[cor], start=date(2026, 3, 1))
    inactive.is_active = False
    inactive.save()
    assert detached_on(date(2026, 3, 10), anna, bert, cor) == {anna.id, bert.id}
    assert detached_on(date(2026, 3, 20), anna, bert, cor) == {anna.id}
    assert detached_on(date(2026, 4, 1), anna, bert, cor) == set()


def test_jobcoach_hours_fill_days_without_attendance(make):
    anna = make.employee()
    det = make.detachment(people=[anna], rate="20")
    hour_rules.save_week(det, anna, date(2026, 3, 2),
                         [Decimal(6), Decimal(4), None, Decimal(0), Decimal(5), None, None])
    make.worked(anna, date(2026, 3, 2), 7, det.location)  # attendance wins on the same day
    person = _person(_content(det), anna)
    assert [(line["day"], line["hours"], line["source"]) for line in person["lines"]] == [
        ("2026-03-02", "6.50", "attendance"), ("2026-03-03", "4.00", "jobcoach"),
        ("2026-03-06", "5.00", "jobcoach")]
    hour_rules.save_week(det, anna, date(2026, 3, 4), [Decimal(1)] * 5 + [None, None])  # same week
    assert HoursEntry.select().count() == 1


def test_jobcoach_hours_refused_outside_membership_or_above_24(make):
    anna = make.employee()
    det = make.detachment(people=[anna], start=date(2026, 3, 4))
    with pytest.raises(Refused) as refused:
        hour_rules.save_week(det, anna, date(2026, 3, 2), [Decimal(3)] + [None] * 6)
    assert refused.value.field == "monday"
    with pytest.raises(Refused) as refused:
        hour_rules.save_week(det, anna, date(2026, 3, 2), [None, None, Decimal(25)] + [None] * 4)
    assert refused.value.field == "wednesday"
    assert HoursEntry.select().count() == 0


def test_no_absence_reason_ever_reaches_a_statement(make):
    anna = make.employee()
    det = make.detachment(people=[anna], rate="20")
    corrected = make.worked(anna, date(2026, 3, 2), 8, det.location)
    fixed = make.worked(anna, date(2026, 3, 2), 4, det.location, reason="halve dag ziek, huisarts",
                        in_source="correction")
    corrected.superseded_by = fixed
    corrected.save()
    statement, _token = statement_rules.send_statement(det, MARCH)
    frozen = statement.frozen.lower()
    assert "ziek" not in frozen and "huisarts" not in frozen and "reason" not in frozen
    assert [line["day"] for line in _person(statement.content, anna)["lines"]] == ["2026-03-02"]


def test_approval_locks_the_month_until_a_correction_with_a_reason(make):
    anna, bert = make.employee(), make.employee()
    det = make.detachment(people=[anna], rate="20")
    make.worked(anna, date(2026, 3, 2), 8, det.location)
    first, _token = statement_rules.send_statement(det, MARCH)
    assert (first.version, first.status) == (1, SENT)
    link_rules.approve(first, name="Petra de Klant")
    assert locks.locked_months(det.id) == {MARCH}

    with pytest.raises(Refused):
        member_rules.add_member(det, bert, date(2026, 3, 20), None)
    with pytest.raises(Refused):
        hour_rules.save_week(det, anna, date(2026, 3, 2), [Decimal(2)] + [None] * 6)
    with pytest.raises(Refused):
        statement_rules.send_statement(det, MARCH)
    with pytest.raises(Refused):
        rate_rules.add_rate(det, price_form="per_hour", amount=Decimal(25), valid_from=MARCH,
                            valid_to=None)
    member_rules.add_member(det, bert, date(2026, 4, 1), None)  # April is not locked

    with pytest.raises(Refused) as refused:
        statement_rules.start_correction(det, MARCH, "   ")
    assert refused.value.field == "reason"
    draft = statement_rules.start_correction(det, MARCH, "Twee uren vergeten op 3 maart")
    assert (draft.version, draft.status) == (2, DRAFT)
    assert locks.locked_months(det.id) == set()
    hour_rules.save_week(det, anna, date(2026, 3, 2), [None, Decimal(2)] + [None] * 5)
    second, _token = statement_rules.send_statement(det, MARCH)
    assert second.id == draft.id and second.status == SENT
    assert second.content["hours"] == "9.50"  # 7.5 worked on the 2nd, 2 entered on the 3rd
    # Every version stays readable, with its own frozen figures.
    assert Statement.get_by_id(first.id).content["hours"] == "7.50"
    assert Statement.get_by_id(first.id).status == APPROVED


def test_links_open_one_statement_until_revoked_expired_or_replaced(make):
    anna = make.employee()
    det = make.detachment(people=[anna], rate="20")
    make.worked(anna, date(2026, 3, 2), 8, det.location)
    now = datetime(2026, 4, 2, 9)
    statement, token = statement_rules.send_statement(det, MARCH, now=now, days=14)
    link, problem = link_rules.resolve_link(token, now=now)
    assert problem is None and link.statement_id == statement.id
    assert link.token_hash != token and len(token) >= 40  # 256 random bits, only the hash kept
    assert link_rules.resolve_link(token[:-1] + ("A" if token[-1] != "A" else "B"), now=now) == (
        None, link_rules.INVALID)
    assert link_rules.resolve_link("x" * 500, now=now) == (None, link_rules.INVALID)
    assert link_rules.resolve_link(token, now=now + timedelta(days=14))[1] == link_rules.EXPIRED

    _second, newer = statement_rules.send_statement(det, MARCH, now=now)
    assert link_rules.resolve_link(token, now=now)[1] == link_rules.REVOKED
    fresh, _problem = link_rules.resolve_link(newer, now=now)
    statement_rules.revoke_link(fresh)
    assert link_rules.resolve_link(newer, now=now)[1] == link_rules.REVOKED


def test_a_dispute_needs_a_comment_and_a_line_of_the_statement(make):
    anna = make.employee()
    det = make.detachment(people=[anna], rate="20")
    make.worked(anna, date(2026, 3, 2), 8, det.location)
    statement, _token = statement_rules.send_statement(det, MARCH)
    key = f"{anna.id}:2026-03-02"
    with pytest.raises(Refused) as refused:
        link_rules.dispute(statement, key, "  ")
    assert refused.value.field == "comment"
    with pytest.raises(Refused) as refused:
        link_rules.dispute(statement, f"{anna.id}:2026-03-09", "niet gewerkt")
    assert refused.value.field == "line_key"
    link_rules.dispute(statement, key, "Zij was hier maar 6 uur")
    assert Statement.get_by_id(statement.id).status == DISPUTED
    with pytest.raises(Refused):
        link_rules.approve(statement, name="Petra de Klant")
    assert json.loads(Statement.get_by_id(statement.id).frozen)["hours"] == "7.50"


def test_changed_spans_covers_both_ends():
    d = date
    assert locks.changed_spans((d(2026, 1, 1), None), (d(2026, 1, 1), None)) == []
    assert locks.changed_spans((d(2026, 1, 1), d(2026, 3, 31)), (d(2026, 1, 1), None)) == [
        (d(2026, 4, 1), None)]
    spans = locks.changed_spans((d(2026, 1, 1), d(2026, 3, 31)), (d(2026, 2, 1), d(2026, 2, 28)))
    assert spans == [(d(2026, 1, 1), d(2026, 1, 31)), (d(2026, 3, 1), d(2026, 3, 31))]


def test_a_statement_is_only_sent_for_a_month_the_detachment_runs(make):
    det = make.detachment(people=[make.employee()], start=date(2026, 3, 15),
                          end=date(2026, 5, 10))
    with pytest.raises(Refused):
        statement_rules.send_statement(det, date(2026, 2, 1))
    with pytest.raises(Refused):
        statement_rules.send_statement(det, date(2026, 6, 1))
    # Nobody worked there in March: an empty statement goes only when the planner says so.
    with pytest.raises(Refused) as refused:
        statement_rules.send_statement(det, MARCH)
    assert refused.value.field == "send_empty"
    assert Statement.select().count() == 0
    statement, _token = statement_rules.send_statement(det, MARCH, send_empty=True)
    assert statement.content["people"][0]["lines"] == []


def test_a_member_is_removed_unless_an_approved_month_holds_his_days(make):
    anna, bert = make.employee(), make.employee()
    det = make.detachment(people=[anna], rate="20")
    member_rules.add_member(det, bert, date(2026, 4, 1), None)
    make.worked(anna, date(2026, 3, 2), 8, det.location)
    statement, _token = statement_rules.send_statement(det, MARCH)
    link_rules.approve(statement, name="Petra de Klant")
    anna_member = DetachmentMember.get(DetachmentMember.employee == anna.id)
    with pytest.raises(Refused) as refused:
        member_rules.remove_member(anna_member)
    assert refused.value.field == "member"
    member_rules.remove_member(DetachmentMember.get(DetachmentMember.employee == bert.id))
    assert [m.employee_id for m in det.members] == [anna.id]
    assert detached_on(date(2026, 4, 2), anna, bert) == {anna.id}
