"""What a figure page is made of, the same for every figure: a chart, tables, notes.

A figure module (absence_page.py, headcount.py, ...) turns a period, a grouping and filters into
a `FigurePage`; the views render it as HTML, as an A4 print page, as the chart image and as
XLSX, so the four always show the same numbers.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import format_decimal

from portal import charts

TEXT, COUNT, HOURS, PERCENT, MONEY, DECIMAL = "text", "count", "hours", "percent", "money", "decimal"


@dataclass
class Column:
    label: str
    kind: str = TEXT


@dataclass
class Table:
    """A caption, columns, rows of values (a value may be "< 5"), and a total row or None."""

    caption: str
    columns: list
    rows: list
    total: list | None = None


@dataclass
class FigurePage:
    title: str
    chart: charts.Chart | None
    chart_kind: str  # how the chart's values are written: PERCENT, COUNT, HOURS ...
    tables: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def format_value(value, kind: str) -> str:
    """A cell as the page shows it (Dutch numbers); text such as "< 5" stays as it is."""
    if value is None:
        return "–"
    if isinstance(value, str) or kind == TEXT:
        return str(value)
    if kind == PERCENT:
        return format_decimal(value, "#,##0.0") + "%"
    if kind in (HOURS, DECIMAL):
        return format_decimal(value, "#,##0.00")
    if kind == MONEY:
        return "€ " + format_decimal(value, "#,##0.00")
    return format_decimal(value, "#,##0")


def chart_formatter(kind: str):
    def formatted(value):
        number = _number(value, kind)
        if kind == COUNT and isinstance(number, Decimal):
            return format_decimal(number, "#,##0.#")
        return format_value(number, kind)
    return formatted


def _number(value, kind):
    """A chart's float back as the page writes it; a count axis may have steps of 0.5."""
    if isinstance(value, float) and kind == COUNT:
        return int(value) if value.is_integer() else Decimal(str(value))
    return Decimal(str(value)) if isinstance(value, float) else value


def sheet_rows(table: Table) -> tuple[list, list, set]:
    """(heading, rows, bold row indexes) for the workbook: the total below a blank row."""
    heading = [column.label for column in table.columns]
    rows = [list(row) for row in table.rows]
    bold = set()
    if table.total is not None:
        rows.append([None] * len(heading))
        rows.append(list(table.total))
        bold.add(len(rows) - 1)
    return heading, rows, bold
