"""Timesheet exports that open right in a Dutch Excel: CSV (; separator, UTF-8 BOM, decimal
comma, dd-mm-jjjj) and XLSX (numbers as numbers, real dates); text never starts a formula, and
totals come below a blank row, outside the data."""

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal import spreadsheets
from portal.attendance import rules
from portal.attendance.labels import code_label
from portal.attendance.models import ABSENCE_CODES
from portal.spreadsheets import csv_date, guard


def summary_table(sheets, period_label: str, show_codes: bool) -> tuple[list, list]:
    """Heading and rows of a period's totals, one row per employee; hours as Decimal."""
    codes = ABSENCE_CODES if show_codes else ()
    heading = [_l("Employee number"), _l("Name"), _l("Group"), _l("Period"),
               _l("Scheduled hours"), _l("Worked hours"),
               *[code_label(code) for code in codes],
               *([] if show_codes else [_l("Absent hours")]),
               _l("Late arrivals"), _l("Days closed by the system")]
    rows = []
    for sheet in sheets:
        absence = sheet.absence
        employee = sheet.employee
        group = employee.work_group.name if employee.work_group_id else ""
        rows.append([
            employee.employee_number, employee.full_name, group, period_label,
            rules.hours(sheet.scheduled), rules.hours(sheet.worked),
            *[rules.hours(absence[code]) for code in codes],
            *([] if show_codes else [rules.hours(sum(absence.values()))]),
            sheet.late_count, sheet.system_closed_days,
        ])
    return [str(h) for h in heading], rows


def days_table(sheet, show_codes: bool) -> tuple[list, list, list]:
    """Heading, rows and totals of one employee's timesheet: a row per day, then the total
    row (written below a blank row, so that a filter or pivot table sees only the days)."""
    codes = ABSENCE_CODES if show_codes else ()
    heading = [_l("Date"), _l("Scheduled hours"), _l("Worked hours"),
               *[code_label(code) for code in codes],
               *([] if show_codes else [_l("Absent hours")]),
               _l("Minutes late"), _l("Closed by the system"), _l("Public holiday")]
    rows = []
    for entry in sheet.days:
        rows.append([
            entry.day, rules.hours(entry.scheduled), rules.hours(entry.worked),
            *[rules.hours(entry.absence.get(code, 0)) for code in codes],
            *([] if show_codes else [rules.hours(sum(entry.absence.values()))]),
            entry.late, str(_l("yes")) if entry.system_closed else "", entry.holiday or "",
        ])
    absence = sheet.absence
    totals = [[
        str(_l("Total")), rules.hours(sheet.scheduled), rules.hours(sheet.worked),
        *[rules.hours(absence[code]) for code in codes],
        *([] if show_codes else [rules.hours(sum(absence.values()))]),
        sheet.late_count, sheet.system_closed_days, "",
    ]]
    return [str(h) for h in heading], rows, totals


def _csv_value(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, date):
        return csv_date(value)
    if isinstance(value, (int, float)):
        return str(value).replace(".", ",")
    return guard(str(value))


def to_csv(heading: list, rows: list, totals=()) -> bytes:
    """CSV for a Dutch Excel: semicolons, decimal commas, a BOM so UTF-8 is recognised."""
    return spreadsheets.csv_bytes(heading, rows, _csv_value, totals=totals)


def to_xlsx(heading: list, rows: list, title: str, totals=()) -> bytes:
    """An XLSX workbook; numbers stay numbers, dates dates, text a string cell as it is."""
    return spreadsheets.xlsx(title, heading, rows, totals=totals)
