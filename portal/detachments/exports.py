"""A client's monthly statement as rows, CSV and XLSX.

CSV for Dutch Excel: semicolons, a UTF-8 byte order mark, decimal commas, days dd-mm-jjjj,
and text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) made inert with a
leading quote. The workbook holds numbers as numbers, days as dates and text as it is.

The client receives these files: they name people, never their personnel numbers. Every row
says which version of the statement it comes from and in which state that version is, so a
file saved during a correction cannot pass for the approved figures. The data has one row per
person and day; the totals come below a blank row, where no filter or pivot table takes them.
"""

import re
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from portal import spreadsheets
from portal.detachments.labels import status_label
from portal.detachments.models import APPROVED, DISPUTED, DRAFT, SENT
from portal.detachments.periods import month_key
from portal.spreadsheets import csv_date, guard as safe_text

# The state in a file's name (the rest of the name is Dutch too: urenstaat-...).
FILE_STATES = {None: "concept", DRAFT: "concept", SENT: "verzonden", DISPUTED: "betwist",
               APPROVED: "goedgekeurd"}
# The least final state of the parts names the file.
STATE_ORDER = (None, DRAFT, DISPUTED, SENT, APPROVED)


def version_state(statement) -> tuple[str, str]:
    """(version, state) as a file writes them: unsent figures are a draft without a number."""
    if statement is None:
        return "", _("Draft (not sent yet; the figures can still change)")
    if statement.status == DRAFT:
        return str(statement.version), _("Draft (a correction; the figures can still change)")
    return str(statement.version), status_label(statement.status)


def filename(client, month: date, parts=()) -> str:
    """urenstaat-<client>-<month>[-v<n>]-<state>: the state of the least final part."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", client.name).strip("-").lower() or "klant"
    base = f"urenstaat-{name}-{month_key(month)}"
    statements = [statement for _d, statement, _c in parts]
    if not statements:
        return base
    if len(statements) == 1 and statements[0] is not None:
        base += f"-v{statements[0].version}"
    least = min((s.status if s is not None else None for s in statements),
                key=STATE_ORDER.index)
    return f"{base}-{FILE_STATES[least]}"


def grand_total(parts) -> dict:
    """Hours, person-days and amount over every detachment of the client's month."""
    hours = sum((Decimal(c["hours"]) for _d, _s, c in parts), Decimal(0))
    days = sum(c["person_days"] for _d, _s, c in parts)
    amounts = [Decimal(c["amount"]) for _d, _s, c in parts if c["amount"] is not None]
    return {"hours": hours, "person_days": days, "amount": sum(amounts, Decimal(0)),
            "complete": len(amounts) == len(parts)}


def header() -> list[str]:
    return [_("Client"), _("Month"), _("Detachment"), _("Version"), _("Status"), _("Employee"),
            _("Date"), _("Hours"), _("Person-days"), _("Billed quantity"), _("Rate"),
            _("Amount")]


def _number(value):
    return None if value is None else Decimal(value)


def rows(client, month: date, parts):
    """One row per person and day: the data a filter or pivot table works on."""
    month_text = month_key(month)
    for _detachment, statement, content in parts:
        base = [client.name, month_text, content["name"], *version_state(statement)]
        for person in content["people"]:
            for line in person["lines"]:
                yield base + [person["name"], date.fromisoformat(line["day"]),
                              _number(line["hours"]), Decimal(1), None, None, None]


def totals(client, month: date, parts):
    """A total per person, then per detachment, then of the month (no date: they are sums)."""
    month_text = month_key(month)
    for _detachment, statement, content in parts:
        base = [client.name, month_text, content["name"], *version_state(statement)]
        for person in content["people"]:
            yield base + [_("Total %(name)s", name=person["name"]), None,
                          _number(person["hours"]), Decimal(person["person_days"]),
                          _number(person["quantity"]), _number(content["rate"]),
                          _number(person["amount"])]
        yield base + [_("Total of the detachment"), None, _number(content["hours"]),
                      Decimal(content["person_days"]), None, _number(content["rate"]),
                      _number(content["amount"])]
    if len(parts) > 1:
        total = grand_total(parts)
        yield [client.name, month_text, _("All detachments"), "", "", _("Total of the month"),
               None, total["hours"], Decimal(total["person_days"]), None, None, total["amount"]]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, date):
        return csv_date(value)
    return safe_text(value)


def to_csv(client, month: date, parts) -> bytes:
    """The statement as CSV bytes (UTF-8 with BOM), totals below a blank line."""
    return spreadsheets.csv_bytes(header(), rows(client, month, parts), _csv_cell,
                                  totals=totals(client, month, parts))


def to_xlsx(client, month: date, parts) -> bytes:
    """The statement as an .xlsx workbook, the totals in bold below a blank row."""
    return spreadsheets.xlsx(_("Hours statement"), header(), rows(client, month, parts),
                             widths=(28, 9, 28, 8, 24, 28, 12, 9, 12, 10, 10, 12),
                             totals=totals(client, month, parts))
