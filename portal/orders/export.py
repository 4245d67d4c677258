"""The order list as CSV (Dutch Excel: semicolons, BOM, decimal comma, dd-mm-jjjj) and as XLSX."""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from portal import spreadsheets
from portal.orders.labels import status_label
from portal.spreadsheets import csv_date, guard


def headers() -> list[str]:
    return [_("Order"), _("Client"), _("Product"), _("Product group"), _("Quantity"), _("Unit"),
            _("Norm (units per hour)"), _("Required hours"), _("Planned hours"), _("Good made"),
            _("Progress (%)"), _("Remaining hours"), _("Can start on"), _("Due date"),
            _("Expected completion"), _("Late"), _("Status"), _("Workfloor or location"),
            _("Notes")]


def row_values(figures) -> list:
    """One order's values in the order of `headers`, typed (numbers, dates, text)."""
    order = figures.order
    place = order.workfloor.name if order.workfloor_id else (
        order.location.name if order.location_id else "")
    product_group = order.product_group.name if order.product_group_id else ""
    return [order.id, order.client.name, order.product, product_group, order.quantity, order.unit,
            Decimal(order.norm_per_hour), figures.required, figures.planned, figures.good,
            figures.percent, figures.remaining, order.start_date, order.due_date, figures.expected,
            _("yes") if figures.late else _("no"), status_label(order.status), place,
            order.notes]


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        # Normalised, so SQLite and PostgreSQL give the same text ("12,5", "8").
        return f"{value.normalize():f}".replace(".", ",")
    if isinstance(value, (int, float)):
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return csv_date(value)
    return guard(value)


def to_csv(rows) -> bytes:
    """CSV for Dutch Excel: UTF-8 with BOM, `;` between fields, decimal comma."""
    return spreadsheets.csv_bytes(headers(), (row_values(figures) for figures in rows), _csv_text)


def to_xlsx(rows) -> bytes:
    """A workbook with numbers as numbers, dates as dates, and text as it is."""
    return spreadsheets.xlsx(_("Orders"), headers(), (row_values(figures) for figures in rows))
