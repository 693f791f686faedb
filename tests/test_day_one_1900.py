"""01/01/1900 and other serials under 2: a cell whose number format shows a date is a date (far
outside any review period, which the period check says); a time-only format is a time.

Excel stores a typed 01/01/1900 as serial 1 and 10:30 as 0.4375 (format h:mm); a date-formatted
0 shows as 00/01/1900, the day before serial 1. The readers give every serial under 1 as a time
of day whatever its format, so the format decides. LibreOffice, whose day 0 is 30/12/1899 and
which has no 29/02/1900, saves its 01/01/1900 to .xlsx as serial 2 (02/01/1900 to Excel)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import xlsxwriter
from conftest import HEADER
from test_table_shapes import convert, read_one

from sarkit.intake.shown_dates import times_among_dates
from sarkit.raw_tables import RawSheet
from sarkit.review import Review

CELLS = [(1, "dd/mm/yyyy"), (0, "dd/mm/yyyy"), (0.4375, "hh:mm"), (0.4375, "dd/mm/yyyy hh:mm"),
         (0, "hh:mm"), (45720, "dd/mm/yyyy")]


def workbook(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Chronology")
    sheet.write_row(0, 0, HEADER)
    for number, (serial, shown) in enumerate(CELLS, start=1):
        sheet.write_number(number, 0, serial, book.add_format({"num_format": shown}))
        sheet.write_row(number, 1, ["", "Case notes", f"Event {number + 1}", "Advice", "PC"])
    book.close()
    return path


def period() -> Review:
    return Review(period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 6, 30))


def read(path: Path):
    result = read_one(path, review=period())
    dates = [(e.row, e.date.display(), e.time.strftime("%H:%M") if e.time else "")
             for e in result.entries]
    return dates, [(f.code, f.cell) for f in result.findings if f.code.startswith("date-")]


EXPECTED = ([(2, "01/01/1900", ""), (3, "31/12/1899", ""), (5, "31/12/1899", "10:30"),
             (7, "04/03/2025", "")],
            [("date-outside-period", "A2"), ("date-outside-period", "A3"),
             ("date-invalid", "A4"), ("date-outside-period", "A5"), ("date-invalid", "A6")])


def test_a_date_format_makes_serial_one_and_zero_dates_and_a_time_format_a_time(tmp_path):
    assert read(workbook(tmp_path / "police.xlsx")) == EXPECTED
    result = read_one(tmp_path / "police.xlsx", review=period())
    [time_only, _] = [f for f in result.findings if f.code == "date-invalid"]
    assert time_only.message == ("The Date in row 4 cannot be read as a date. This holds only a "
                                 "time, not a date.")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_xls_workbook_reads_them_as_the_xlsx_does(tmp_path):
    assert read(convert(workbook(tmp_path / "police.xlsx"), "xls", tmp_path)) == EXPECTED


def test_only_time_cells_in_a_column_that_also_holds_dates_are_looked_at():
    sheet = RawSheet(name="S", rows=[[dt.date(2025, 1, 2), dt.time(10, 30)],
                                     [dt.time(0, 0), dt.time(11, 0)], ["x", None]],
                     first_row=4)
    assert times_among_dates(sheet) == {(5, 0)}
