"""A detachment's rates per period and price form."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.db import write_transaction
from portal.detachments.locks import check_unlocked
from portal.detachments.models import PRICE_FORMS, Detachment, Rate
from portal.detachments.periods import CENT, month_end, overlaps
from portal.refusal import Refused

def check_amount(amount: Decimal | None) -> Decimal:
    """:raise Refused: for a missing, zero or negative amount."""
    if amount is not None and (not amount.is_finite() or amount >= Decimal("100000000")):
        raise Refused(_l("The rate is too large."), "amount")
    if amount is None or amount.quantize(CENT, ROUND_HALF_UP) <= 0:
        raise Refused(_l("The rate must be more than zero."), "amount")
    return amount.quantize(CENT, ROUND_HALF_UP)


def add_rate(detachment: Detachment, *, price_form: str, amount: Decimal, valid_from: date,
             valid_to: date | None, includes_breaks: bool = False, user=None) -> Rate:
    """Add a rate from the first of a month; an open rate before it ends the day before.

    A rate changes on 1 January, so rates run in whole months: one rate per month, always.
    The client pays worked hours, breaks excluded, unless the agreement says the breaks are
    paid too (`includes_breaks`).

    :raise Refused: for a zero or negative amount, a rate not starting on the first of a
        month or ending before the last, an overlap with another rate, or an approved month.
    """
    if price_form not in PRICE_FORMS:
        raise Refused(_l("Choose how the work is priced."), "price_form")
    amount = check_amount(amount)
    if valid_from.day != 1:
        raise Refused(_l("A rate starts on the first day of a month."), "valid_from")
    if valid_to is not None:
        if valid_to < valid_from:
            raise Refused(_l("The end date is before the start date."), "valid_to")
        if valid_to != month_end(valid_to):
            raise Refused(_l("A rate ends on the last day of a month."), "valid_to")
    with write_transaction():
        check_unlocked(detachment.id, valid_from, valid_to, "valid_from")
        closing = None
        for other in Rate.select().where(Rate.detachment == detachment.id):
            other_end = other.valid_to
            if other_end is None and other.valid_from < valid_from:
                closing, other_end = other, valid_from - timedelta(days=1)
            if overlaps(valid_from, valid_to, other.valid_from, other_end):
                raise Refused(_l("This period overlaps the rate from %(start)s.",
                                                 start=f"{other.valid_from:%d-%m-%Y}"), "valid_from")
        if closing is not None:
            closing.valid_to = valid_from - timedelta(days=1)
            closing.save()
        rate = Rate.create(detachment=detachment, price_form=price_form, amount=amount,
                           valid_from=valid_from, valid_to=valid_to,
                           includes_breaks=includes_breaks, created_by=user)
        audit.record("detachment.rate_add", rate, user=user,
                     after={"detachment": detachment.id, "form": price_form, "amount": amount,
                            "from": valid_from, "to": valid_to,
                            "includes_breaks": includes_breaks})
    return rate


def update_rate(rate: Rate, *, price_form: str, amount: Decimal, includes_breaks: bool = False,
                user=None) -> None:
    """Correct a rate's price form, amount or billed breaks (its period stays).

    :raise Refused: for a zero or negative amount, or when one of its months is approved.
    """
    if price_form not in PRICE_FORMS:
        raise Refused(_l("Choose how the work is priced."), "price_form")
    amount = check_amount(amount)
    with write_transaction():
        check_unlocked(rate.detachment_id, rate.valid_from, rate.valid_to, "amount")
        before = {"form": rate.price_form, "amount": rate.amount,
                  "includes_breaks": rate.includes_breaks}
        rate.price_form, rate.amount = price_form, amount
        rate.includes_breaks = includes_breaks
        rate.save(only=[Rate.price_form, Rate.amount, Rate.includes_breaks])
        audit.record("detachment.rate_update", rate, user=user, before=before,
                     after={"form": price_form, "amount": amount,
                            "includes_breaks": includes_breaks})


def rate_for_month(rates, month: date) -> Rate | None:
    """The rate in force in a month (rates run in whole months, so there is at most one)."""
    for rate in rates:
        if rate.valid_from <= month and (rate.valid_to is None or rate.valid_to >= month):
            return rate
    return None
