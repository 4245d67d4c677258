"""A client's monthly statement as rows, CSV and XLSX.

CSV for Dutch Excel: semicolons, a UTF-8 byte order mark, decimal commas. Text that a
spreadsheet would run as a formula (=, +, -, @, tab, CR) is made inert with a leading quote,
in the CSV and in the workbook alike. The workbook holds numbers as numbers and days as dates.
"""

import csv
import io
import re
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from portal import spreadsheets
from portal.detachments.periods import month_key
from portal.spreadsheets import guard as safe_text


def filename(client, month: date) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "-", client.name).strip("-").lower() or "klant"
    return f"urenstaat-{name}-{month_key(month)}"


def grand_total(parts) -> dict:
    """Hours, person-days and amount over every detachment of the client's month."""
    hours = sum((Decimal(c["hours"]) for _d, _s, c in parts), Decimal(0))
    days = sum(c["person_days"] for _d, _s, c in parts)
    amounts = [Decimal(c["amount"]) for _d, _s, c in parts if c["amount"] is not None]
    return {"hours": hours, "person_days": days, "amount": sum(amounts, Decimal(0)),
            "complete": len(amounts) == len(parts)}


def header() -> list[str]:
    return [_("Client"), _("Month"), _("Detachment"), _("Employee number"), _("Employee"),
            _("Date"), _("Hours"), _("Person-days"), _("Billed quantity"), _("Rate"), _("Amount")]


def rows(client, month: date, parts):
    """One row per person and day, a total per person, a total per detachment.

    Cells are (kind, value): kind "text", "date", "number" or "empty", so each format writes
    them its own way.
    """
    def text(v):
        return ("text", v)

    def number(v):
        return ("number", None if v is None else Decimal(v)) if v is not None else ("empty", None)

    month_text = month_key(month)
    empty = ("empty", None)
    for detachment, _statement, content in parts:
        base = [text(client.name), text(month_text), text(content["name"])]
        for person in content["people"]:
            who = [text(person["employee_number"]), text(person["name"])]
            for line in person["lines"]:
                yield base + who + [("date", date.fromisoformat(line["day"])),
                                    number(line["hours"]), ("number", Decimal(1)),
                                    empty, empty, empty]
            yield base + who + [text(_("Total")), number(person["hours"]),
                                ("number", Decimal(person["person_days"])),
                                number(person["quantity"]), number(content["rate"]),
                                number(person["amount"])]
        yield base + [empty, text(_("Total of the detachment")), empty,
                      number(content["hours"]), ("number", Decimal(content["person_days"])),
                      empty, number(content["rate"]), number(content["amount"])]


def _csv_cell(cell) -> str:
    kind, value = cell
    if kind == "empty" or value is None:
        return ""
    if kind == "number":
        return format(value, "f").replace(".", ",")
    if kind == "date":
        return value.strftime("%d-%m-%Y")
    return safe_text(value)


def to_csv(client, month: date, parts) -> bytes:
    """The statement as CSV bytes (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header())
    for row in rows(client, month, parts):
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(client, month: date, parts) -> bytes:
    """The statement as an .xlsx workbook, the totals in bold."""
    table = list(rows(client, month, parts))
    totals = {index for index, row in enumerate(table)
              if row[5] == ("text", _("Total")) or row[4] == ("text", _("Total of the detachment"))}
    return spreadsheets.xlsx(_("Hours statement"), header(),
                             ([value for _kind, value in row] for row in table),
                             widths=(28, 9, 28, 14, 28, 12, 9, 12, 10, 10, 12), bold_rows=totals)
