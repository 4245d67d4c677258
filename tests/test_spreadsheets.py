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
        ["-2 dagen", None, Decimal("7.50"), 3, "0123"],
    ], widths=(20, 12), totals=[["Totaal", None, Decimal("15.00"), 6, ""]])
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet.title == "Uren okt2026 x"
    assert [c.value for c in sheet[1]] == ["Naam", "Dag", "Uren", "Aantal", "Noot"]
    name, day, hours, count, note = sheet[2]
    # A string cell is never run: the text stays as it was, without a quote in front.
    assert name.value == "=HYPERLINK(\"http://x\")" and name.data_type == "s"
    assert sheet["A3"].value == "-2 dagen" and sheet["A3"].data_type == "s"
    assert day.value.date() == date(2026, 10, 5) and day.number_format == "dd-mm-yyyy"
    assert hours.value == 7.5 and hours.number_format == "#,##0.00"
    assert count.value == 3 and count.data_type == "n"
    assert note.value == "http://example.test" and note.hyperlink is None
    assert sheet["E3"].value == "0123" and sheet["E3"].data_type == "s"  # never made a number
    assert sheet["B3"].value is None
    assert all(c.value is None for c in sheet[4])  # the blank row before the totals
    total = sheet[5]
    assert total[0].value == "Totaal" and total[2].value == 15.0 and total[0].font.bold
    assert all(c.font.bold for c in sheet[1]) and not name.font.bold
    assert sheet.freeze_panes == "A2"


def test_a_workbook_without_totals_ends_with_its_data():
    body = spreadsheets.xlsx("Blad", ["Naam"], [["Anna"], ["Bert"]])
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet.max_row == 3


def test_csv_writes_days_the_dutch_way_and_totals_below_a_blank_line():
    assert spreadsheets.csv_date(date(2026, 3, 2)) == "02-03-2026"
    body = spreadsheets.csv_bytes(["Naam", "Dag"], [["=1+1", date(2026, 3, 2)]],
                                  lambda v: spreadsheets.csv_date(v) if isinstance(v, date)
                                  else spreadsheets.guard(v),
                                  totals=[["Totaal", None]])
    text = body.decode("utf-8-sig")
    assert text.split("\r\n") == ["Naam;Dag", "'=1+1;02-03-2026", "", "Totaal;", ""]


def test_a_caller_may_bold_its_own_total_row():
    body = spreadsheets.xlsx("Blad", ["Naam", "Uren"], [["Anna", 3], [None, None], ["Totaal", 3]],
                             bold_rows={2})
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet["A4"].font.bold and not sheet["A2"].font.bold
