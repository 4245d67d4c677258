"""The monthly hours statement per client: computed, frozen, sent by link, corrected.

The statement is computed from current attendance at the client's location (and, for an individual
without a tablet, from the jobcoach's weekly hours); absence is never read, so no absence reason
can reach a statement: a day without worked time is simply not billed.

The rule: a client pays for worked hours, breaks excluded, counted exactly as the timesheet
counts them (whole minutes per segment, the scheduled break deducted on a day longer than half
the shift, less a break taken by checking out; see portal.attendance.rules.worked_minutes),
unless the month's rate says the agreement bills the breaks too. So a person's statement
hours of a month equal the timesheet's worked hours of the days worked at the client's site.
"""

import json
import secrets
from collections import defaultdict, namedtuple
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.attendance import rules as attendance_rules
from portal.attendance.models import AttendanceSegment
from portal.db import write_transaction
from portal.detachments.locks import latest_statements
from portal.detachments.models import (APPROVED, DISPUTED, DRAFT, FIXED_RESULT, PER_HOUR,
                                       PER_PERSON_DAY, PER_PERSON_MONTH, SENT, Detachment,
                                       DetachmentMember, HoursEntry, Rate, Statement,
                                       StatementLink)
from portal.detachments.periods import (CENT, MAX_COMMENT, effective_end, month_end, month_key,
                                        overlaps)
from portal.detachments.rates import rate_for_month
from portal.people.models import Client, Employee
from portal.refusal import Refused
from portal.timeutil import utcnow
from portal.tokens import sha256

LINK_DAYS = 30
# A raw link token: 32 random bytes, URL-safe; only its SHA-256 is stored.
TOKEN_BYTES = 32


# One closed stretch of attendance, as the attendance rules read it.
_Span = namedtuple("_Span", "check_in check_out superseded_by_id")


def _hours_of_minutes(minutes) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(CENT, ROUND_HALF_UP)


def billed_minutes(spans, shift, includes_breaks: bool) -> int:
    """Minutes of a day's attendance at the client that are billed: worked time, the break
    deducted as the timesheet deducts it, unless the agreement bills the breaks too."""
    gross = attendance_rules.gross_minutes(spans)
    if includes_breaks:
        return gross
    return gross - attendance_rules.break_deduction(gross, attendance_rules.gap_minutes(spans),
                                                    shift)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def compute_statements(detachments, month: date) -> dict[int, dict]:
    """The statement content of each detachment for a month, in five queries for them all.

    Hours per person and day come from the current (not superseded), closed attendance
    segments at the detachment's location on days the person is a member, breaks excluded
    (see `billed_minutes`); a jobcoach's weekly hours fill the days without such attendance.
    Days without worked time make no line. A person's total is his minutes over the month
    in hours, as the timesheet totals them, and his lines add up to it (`round_along`).
    """
    detachments = list(detachments)
    if not detachments:
        return {}
    first, last = month, month_end(month)
    by_id = {d.id: d for d in detachments}
    members = list(DetachmentMember.select(DetachmentMember, Employee)
                   .join(Employee)
                   .where(DetachmentMember.detachment.in_(list(by_id))
                          & (DetachmentMember.start_date <= last)
                          & (DetachmentMember.end_date.is_null()
                             | (DetachmentMember.end_date >= first)))
                   .order_by(Employee.last_name, Employee.first_name, Employee.id,
                             DetachmentMember.start_date))
    rates = defaultdict(list)
    for rate in Rate.select().where(Rate.detachment.in_(list(by_id))
                                    & (Rate.valid_from <= first)
                                    & (Rate.valid_to.is_null() | (Rate.valid_to >= first))):
        rates[rate.detachment_id].append(rate)
    employee_ids = sorted({m.employee_id for m in members})
    location_ids = {d.location_id for d in detachments}
    worked = defaultdict(list)  # (employee, location, day) -> [_Span]
    schedules = attendance_rules.load_schedules(employee_ids, until=last) if employee_ids else {}
    if employee_ids:
        segments = (AttendanceSegment
                    .select(AttendanceSegment.employee, AttendanceSegment.location,
                            AttendanceSegment.day, AttendanceSegment.check_in,
                            AttendanceSegment.check_out, AttendanceSegment.superseded_by)
                    # Place and supersession are checked below, not in SQL: so that SQLite
                    # (without ANALYZE statistics) takes the (employee, day) index rather than
                    # the location's or the superseded_by column's, which span every year.
                    .where(AttendanceSegment.employee.in_(employee_ids)
                           & (AttendanceSegment.day >= first) & (AttendanceSegment.day <= last)
                           & AttendanceSegment.check_out.is_null(False))
                    .tuples())
        for employee_id, location_id, day, check_in, check_out, superseded_by in segments:
            if location_id not in location_ids or superseded_by is not None:
                continue
            if check_out > check_in:
                worked[(employee_id, location_id, day)].append(_Span(check_in, check_out, None))
    entered = {}  # (detachment, employee, day) -> hours
    for entry in HoursEntry.select().where(
            HoursEntry.detachment.in_(list(by_id))
            & (HoursEntry.week_start >= first - timedelta(days=6))
            & (HoursEntry.week_start <= last)):
        for offset in range(7):
            day = entry.week_start + timedelta(days=offset)
            value = Decimal(entry.hours_on(offset)).quantize(CENT, ROUND_HALF_UP)
            if first <= day <= last and value > 0:
                entered[(entry.detachment_id, entry.employee_id, day)] = value

    in_force = {d.id: rate_for_month(rates[d.id], month) for d in detachments}
    per_detachment = defaultdict(dict)  # detachment -> employee -> person dict
    for member in members:
        detachment = by_id[member.detachment_id]
        rate = in_force[detachment.id]
        includes_breaks = bool(rate and rate.includes_breaks)
        employee_schedules = schedules.get(member.employee_id, [])
        start = max(member.start_date, detachment.start_date, first)
        end = min(d for d in (effective_end(member.end_date, detachment.end_date), last) if d)
        if end < start:
            continue
        person = per_detachment[detachment.id].setdefault(member.employee_id, {
            "employee_id": member.employee_id,
            "employee_number": member.employee.employee_number,
            "name": member.employee.full_name,
            "lines": [], "member_days": 0,
        })
        person["member_days"] += (end - start).days + 1
        day = start
        while day <= end:
            spans = worked.get((member.employee_id, detachment.location_id, day))
            minutes = billed_minutes(spans, attendance_rules.shift_on(employee_schedules, day),
                                     includes_breaks) if spans else 0
            if minutes > 0:
                hours, source = _hours_of_minutes(minutes), "attendance"
            else:
                hours = entered.get((detachment.id, member.employee_id, day))
                minutes = hours * 60 if hours else 0
                source = "jobcoach"
            if hours and hours > 0:
                person["lines"].append({"key": f"{member.employee_id}:{day.isoformat()}",
                                        "day": day.isoformat(), "hours": hours,
                                        "source": source, "minutes": minutes})
            day += timedelta(days=1)
    for people in per_detachment.values():
        for person in people.values():
            round_along(person["lines"])
    return {d.id: _price(d, month, list(per_detachment[d.id].values()), in_force[d.id])
            for d in detachments}


def round_along(lines: list[dict]) -> None:
    """Give each line its hours to the hundredth so that they add up to the minutes of them all.

    Rounding every day on its own would make a month of 7 h 20 min days total 0.01 h per three
    days less than the timesheet, which rounds the month's minutes once. Rounding the running
    total instead moves each line by less than 0.01 h and keeps both totals the same.
    """
    done, shown = 0, Decimal(0)
    for line in lines:
        done += line["minutes"]
        running = _hours_of_minutes(done)
        line["hours"], shown = running - shown, running


def _price(detachment: Detachment, month: date, people: list[dict], rate: Rate | None) -> dict:
    """Totals and amounts of one detachment's month at the month's rate."""
    days_in_month = month_end(month).day
    amount_each = Decimal(rate.amount) if rate else None
    form = rate.price_form if rate else None
    total_hours, total_days, total_amount = Decimal(0), 0, Decimal(0)
    for person in people:
        hours = sum((line["hours"] for line in person["lines"]), Decimal(0))
        days = len(person["lines"])
        if form == PER_HOUR:
            quantity = hours
        elif form == PER_PERSON_DAY:
            quantity = Decimal(days)
        elif form == PER_PERSON_MONTH:
            # A month's price, pro rata for a part of the month; a month without work is not billed.
            share = Decimal(person["member_days"]) / days_in_month
            quantity = share.quantize(CENT, ROUND_HALF_UP) if days else Decimal(0)
        else:
            quantity = None
        amount = _money(quantity * amount_each) if quantity is not None and rate else None
        person.update(hours=hours, person_days=days, quantity=quantity, amount=amount)
        total_hours += hours
        total_days += days
        total_amount += amount or 0
    if form == FIXED_RESULT:
        total_amount = _money(amount_each) if any(p["person_days"] for p in people) else Decimal(0)
    content = {
        "detachment_id": detachment.id,
        "name": detachment.name,
        "kind": detachment.kind,
        "month": month_key(month),
        "price_form": form,
        "rate": amount_each,
        "breaks_billed": bool(rate and rate.includes_breaks),
        "people": people,
        "hours": total_hours,
        "person_days": total_days,
        "amount": _money(total_amount) if rate else None,
    }
    return _plain(content)


def _plain(value):
    """Decimals as strings, so the content survives JSON exactly."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        # Working figures, not content: the days of membership and a line's minutes.
        return {k: _plain(v) for k, v in value.items() if k not in ("member_days", "minutes")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def line_keys(content: dict) -> set[str]:
    return {line["key"] for person in content["people"] for line in person["lines"]}


def client_month(client: Client, month: date) -> list[tuple[Detachment, Statement | None, dict]]:
    """Every detachment of a client that runs in a month, with its newest version and content.

    An inactive detachment still shows a month it has a sent statement for: what the client
    saw stays readable.
    """
    first, last = month, month_end(month)
    candidates = list(Detachment.select().where(
        (Detachment.client == client.id)
        & (Detachment.start_date <= last)
        & (Detachment.end_date.is_null() | (Detachment.end_date >= first)))
        .order_by(Detachment.name, Detachment.id))
    latest = latest_statements([d.id for d in candidates], [month])
    detachments = [d for d in candidates if d.is_active or (
        (d.id, month) in latest and latest[(d.id, month)].status != DRAFT)]
    live_needed = [d for d in detachments
                   if latest.get((d.id, month)) is None or latest[(d.id, month)].status == DRAFT]
    live = compute_statements(live_needed, month)
    result = []
    for detachment in detachments:
        statement = latest.get((detachment.id, month))
        content = live[detachment.id] if detachment.id in live else statement.content
        result.append((detachment, statement, content))
    return result


def freeze(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True)


def _new_link(statement: Statement, user, now: datetime, days: int) -> tuple[StatementLink, str]:
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    link = StatementLink.create(statement=statement, token_hash=sha256(raw), created_by=user,
                                created_at=now, expires_at=now + timedelta(days=days))
    return link, raw


def _revoke_links(statement_ids, now: datetime) -> None:
    if statement_ids:
        (StatementLink.update(revoked_at=now)
         .where(StatementLink.statement.in_(list(statement_ids))
                & StatementLink.revoked_at.is_null())
         .execute())


def is_empty(content: dict) -> bool:
    """Tell whether a statement bills nothing: no person has a day with hours."""
    return not any(person["lines"] for person in content["people"])


def send_statement(detachment: Detachment, month: date, user=None, *, now=None,
                   days: int = LINK_DAYS, send_empty: bool = False) -> tuple[Statement, str]:
    """Freeze the month's statement as a new version (or the open draft) and make its link.

    Earlier versions keep their content; their links stop working. Returns the statement and
    the raw token, which is shown once and never stored. A statement without any hours (its
    people clocked elsewhere, say) is sent only when the planner says so (`send_empty`): a
    client who approves € 0 by mistake has approved it all the same.

    :raise Refused: when the month is approved (a correction must come first), or the
        statement is empty and not confirmed (field "send_empty").
    """
    now = now or utcnow()
    if not overlaps(month, month_end(month), detachment.start_date, detachment.end_date):
        raise Refused(_l("The detachment does not run in %(month)s.",
                                    month=month_key(month)), "month")
    with write_transaction():
        versions = list(Statement.select().where((Statement.detachment == detachment.id)
                                                 & (Statement.month == month))
                        .order_by(Statement.version))
        latest = versions[-1] if versions else None
        if latest is not None and latest.status == APPROVED:
            raise Refused(_l(
                "%(month)s is approved by the client. Start a correction with a reason first.",
                month=month_key(month)), "month")
        content = compute_statements([detachment], month)[detachment.id]
        if is_empty(content) and not send_empty:
            raise Refused(_l(
                "This statement holds no hours: nobody has registered work at %(place)s in "
                "%(month)s. Check where the hours come from on the detachment, or confirm "
                "that you send it empty.", place=detachment.location.name,
                month=month_key(month)), "send_empty")
        if latest is not None and latest.status == DRAFT:
            statement = latest
        else:
            statement = Statement(detachment=detachment, month=month,
                                  version=(latest.version + 1) if latest else 1, created_by=user,
                                  created_at=now)
        statement.status, statement.frozen, statement.sent_at = SENT, freeze(content), now
        statement.save()
        _revoke_links([v.id for v in versions], now)
        link, raw = _new_link(statement, user, now, days)
        audit.record("statement.send", statement, user=user,
                     after={"detachment": detachment.id, "month": month_key(month),
                            "version": statement.version, "amount": content["amount"],
                            "empty": is_empty(content)})
    return statement, raw


def renew_link(statement: Statement, user=None, *, now=None, days: int = LINK_DAYS
               ) -> tuple[StatementLink, str]:
    """A fresh link for a sent statement; its earlier links stop working.

    :raise Refused: when the statement is not the newest version or no longer waits.
    """
    now = now or utcnow()
    with write_transaction():
        _require_newest(statement)
        if statement.status not in (SENT, DISPUTED):
            raise Refused(_l("Only a sent statement gets a new link."), "link")
        _revoke_links([statement.id], now)
        link, raw = _new_link(statement, user, now, days)
        audit.record("statement.link", statement, user=user, after={"link": link.id})
    return link, raw


def revoke_link(link: StatementLink, user=None, *, now=None) -> None:
    """Stop a link from working."""
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
        link.save(only=[StatementLink.revoked_at])
        audit.record("statement.link_revoke", link, user=user,
                     after={"statement": link.statement_id})


def _require_newest(statement: Statement) -> None:
    newest = (Statement.select(Statement.id)
              .where((Statement.detachment == statement.detachment_id)
                     & (Statement.month == statement.month))
              .order_by(Statement.version.desc()).first())
    if newest is None or newest.id != statement.id:
        raise Refused(_l("A newer version of this statement exists."), "statement")


def start_correction(detachment: Detachment, month: date, reason: str, user=None) -> Statement:
    """Open an approved month again as a new draft version, with the reason for the change.

    :raise Refused: without a reason, or when the month is not approved.
    """
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_l("Give the reason for the correction."), "reason")
    with write_transaction():
        latest = latest_statements([detachment.id], [month]).get((detachment.id, month))
        if latest is None or latest.status != APPROVED:
            raise Refused(_l("Only an approved month needs a correction."), "reason")
        statement = Statement.create(detachment=detachment, month=month,
                                     version=latest.version + 1, status=DRAFT,
                                     correction_reason=reason[:MAX_COMMENT], created_by=user)
        audit.record("statement.correction", statement, user=user, reason=reason,
                     after={"detachment": detachment.id, "month": month_key(month),
                            "version": statement.version})
    return statement
