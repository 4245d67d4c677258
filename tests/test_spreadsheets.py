"""The shared workbook writer, read back with openpyxl (a second, independent library)."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from portal import spreadsheets


@pytest.mark.parametrize("text", ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx", "\nx"])
def test_guard_makes_formula_starts_inert(text):
    assert spreadsheets.guard(text) == "'" + text


def test_guard_leaves_plain_text_and_turns_none_into_empty():
    assert spreadsheets.guard("Anna de Vries") == "Anna de Vries"
    assert spreadsheets.guard(None) == ""


def test_workbook_keeps_numbers_dates_and_text_as_what_they_are():
    body = spreadsheets.xlsx("Uren: okt/2026 [x]", ["Naam", "Dag", "Uren", "Aantal", "Noot"], [
        ["=HYPERLINK(\"http://x\")", date(2026, 10, 5), Decimal("7.50"), 3, "http://example.test"],
        ["Totaal", None, Decimal("7.50"), 3, "0123"],
    ], widths=(20, 12), bold_rows={1})
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet.title == "Uren okt2026 x"
    assert [c.value for c in sheet[1]] == ["Naam", "Dag", "Uren", "Aantal", "Noot"]
    name, day, hours, count, note = sheet[2]
    assert name.value == "'=HYPERLINK(\"http://x\")" and name.data_type == "s"
    assert day.value.date() == date(2026, 10, 5) and day.number_format == "dd-mm-yyyy"
    assert hours.value == 7.5 and hours.number_format == "#,##0.00"
    assert count.value == 3 and count.data_type == "n"
    assert note.value == "http://example.test" and note.hyperlink is None
    total = sheet[3]
    assert total[4].value == "0123" and total[4].data_type == "s"  # never made a number
    assert total[1].value is None
    assert all(c.font.bold for c in sheet[1]) and total[0].font.bold and not name.font.bold
    assert sheet.freeze_panes == "A2"
