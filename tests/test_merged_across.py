"""Cells merged across columns keep their text in the first column only, and
hidden rows of an .xls workbook are reported as for .xlsx."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, TODAY, row
from corpus import Sheet, rows_xml, sheet_xml, write_xlsx, xls_bytes

from sarkit.findings import CATALOGUE, Severity
from sarkit.intake import read_workbook
from sarkit.intake.xls_rows import xls_hidden_rows
from sarkit.returns import ReadOptions, read_returns

SECRET_EVENT = "Strategy meeting about Mr Secretname"


def read_one(path: Path):
    [result] = read_returns([path], ReadOptions(agency="Police", today=TODAY))
    return result


def fields(result) -> list[tuple[int, str, str, str]]:
    return [(e.row, e.event, e.action, e.practitioner) for e in result.entries]


def found(result, *codes: str) -> list[tuple[str, int | None, str | None, str | None]]:
    return [(f.code, f.row, f.cell, f.column) for f in result.findings if f.code in codes]


def blank_after_event(event: str = SECRET_EVENT, day: str = "05/03/2025") -> list[object]:
    return [day, "", "Case notes", event, None, None]


def test_text_merged_across_event_action_and_practitioner_stays_in_event(make_return):
    path = make_return("police.xlsx", [row(), blank_after_event()], merge=["D3:F3"])
    result = read_one(path)
    assert fields(result) == [(2, "Home visit", "Referred to ASC", "Social worker"),
                              (3, SECRET_EVENT, "", "")]
    assert found(result, "merged-across", "merged-cells", "action-missing", "practitioner-missing") == [
        ("merged-across", 3, "D3", "Event / Contact Details"),
        ("action-missing", 3, "E3", "Action Taken / Outcome"),
        ("practitioner-missing", 3, "F3", "Practitioner / Role")]
    merged = next(f for f in result.findings if f.code == "merged-across")
    assert merged.severity == Severity.WARNING and merged.sheet == "Chronology"
    assert merged.message == (
        "Cells D3:F3 (row 3) are merged across columns; their text was kept in the first column, "
        "Event / Contact Details, and Action Taken / Outcome and Practitioner / Role were left empty.")
    assert merged.hint == CATALOGUE["merged-across"].hint
    assert "Secretname" not in merged.message + merged.hint


def test_a_range_merged_down_and_across_fills_the_first_column_of_each_row(make_return):
    rows = [row(), blank_after_event(), blank_after_event(event="", day="06/03/2025")]
    result = read_one(make_return("police.xlsx", rows, merge=["D3:E4"]))
    assert fields(result) == [(2, "Home visit", "Referred to ASC", "Social worker"),
                              (3, SECRET_EVENT, "", ""), (4, SECRET_EVENT, "", "")]
    [merged] = [f for f in result.findings if f.code == "merged-across"]
    assert (merged.row, merged.cell) == (3, "D3")
    assert merged.message == (
        "Cells D3:E4 (rows 3 to 4) are merged across columns; their text was kept in the first "
        "column, Event / Contact Details of each of those rows, and Action Taken / Outcome was left "
        "empty.")


def test_a_date_merged_down_rows_is_still_shared(make_return):
    rows = [row(), row(day="", event="Second visit")]
    result = read_one(make_return("police.xlsx", rows, merge=["A2:A3"]))
    assert found(result, "merged-across", "merged-cells") == [("merged-cells", 2, "A2", None)]
    assert [e.date.display() for e in result.entries] == ["03/03/2025", "03/03/2025"]


def test_a_merge_beyond_the_headings_names_the_column_by_letter(make_return):
    rows = [row(), [*row(practitioner="Duty officer"), None]]
    result = read_one(make_return("police.xlsx", rows, merge=["F3:G3"]))
    assert fields(result)[1] == (3, "Home visit", "Referred to ASC", "Duty officer")
    [merged] = [f for f in result.findings if f.code == "merged-across"]
    assert merged.message == (
        "Cells F3:G3 (row 3) are merged across columns; their text was kept in the first column, "
        "Practitioner / Role, and column G was left empty.")


def test_empty_cells_merged_across_change_nothing_and_say_nothing(make_return):
    rows = [row(), [*row()[:4], None, None]]
    result = read_one(make_return("police.xlsx", rows, merge=["E3:F3"]))
    assert found(result, "merged-across", "merged-cells") == []
    assert fields(result)[1] == (3, "Home visit", "", "")


def test_text_hidden_under_a_merge_is_said_to_be_unread(tmp_path):
    """A program other than Excel can leave text in the cells a merge covers; Excel shows none of
    it, and neither does the chronology, but the finding says it was there."""
    rows = [HEADER, row(), row(event=SECRET_EVENT, action="Hidden action")]
    path = write_xlsx(tmp_path / "police.xlsx", [Sheet("Chronology", sheet_xml(
        rows_xml(rows), after='<mergeCells count="1"><mergeCell ref="D3:E3"/></mergeCells>'))])
    result = read_one(path)
    assert fields(result)[1] == (3, SECRET_EVENT, "", "Social worker")
    [merged] = [f for f in result.findings if f.code == "merged-across"]
    assert merged.message == (
        "Cells D3:E3 (row 3) are merged across columns; their text was kept in the first column, "
        "Event / Contact Details, and Action Taken / Outcome was left empty. Some of the covered "
        "cells also held text of their own, hidden under the merge; it was not read.")


def test_a_word_cell_spanning_event_and_action_keeps_its_text_under_event(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("Agency: Testshire Police")
    table = document.add_table(rows=0, cols=len(HEADER))
    for values in [HEADER, row(), blank_after_event()]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value or ""
    merged = table.cell(2, 3).merge(table.cell(2, 4))
    merged.text = SECRET_EVENT
    path = tmp_path / "police.docx"
    document.save(path)
    result = read_one(path)
    assert fields(result) == [(2, "Home visit", "Referred to ASC", "Social worker"),
                              (3, SECRET_EVENT, "", "")]
    assert found(result, "merged-across", "merged-cells", "action-missing") == [
        ("merged-across", 3, None, "Event / Contact Details"),
        ("action-missing", 3, None, "Action Taken / Outcome")]
    [finding] = [f for f in result.findings if f.code == "merged-across"]
    assert finding.message == (
        "The cells of row 3 are merged across columns; their text was kept in the first column, "
        "Event / Contact Details, and Action Taken / Outcome was left empty.")


def test_hidden_rows_of_an_xls_workbook_are_reported(tmp_path):
    rows = [HEADER, row(), row(event="Second visit"), row(event="Third visit"), [None] * 6]
    data = xls_bytes(rows, hidden=frozenset({3, 4, 5}))
    assert xls_hidden_rows(data) == {"Chronology": [3, 4, 5]}
    path = tmp_path / "police.xls"
    path.write_bytes(data)
    book = read_workbook(path)
    hidden = [(f.code, f.sheet, f.row, f.message) for f in book.findings if f.code == "hidden-row"]
    assert hidden == [("hidden-row", "Chronology", 3, "Rows 3 to 4 of the sheet Chronology are hidden; "
                       "they were read like every other row.")]
    assert book.sheets[0].hidden_rows == {3, 4}
    assert len(read_one(path).entries) == 3


def test_an_xls_workbook_without_hidden_rows_has_no_hidden_row_finding(tmp_path):
    path = tmp_path / "police.xls"
    path.write_bytes(xls_bytes([HEADER, row()]))
    assert [f.code for f in read_workbook(path).findings] == []
    assert xls_hidden_rows(b"not an ole file") == {}


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("target", ["xls", "ods"])
def test_libreoffice_formats_keep_merged_text_in_the_first_column_and_report_hidden_rows(
        tmp_path, target):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    for cells in (HEADER, row(), blank_after_event(), row(event="Third visit")):
        sheet.append(list(cells))
    sheet.merge_cells("D3:F3")
    sheet.row_dimensions[4].hidden = True
    book.save(tmp_path / "police.xlsx")
    out = tmp_path / "converted"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", target, "--outdir", str(out), str(tmp_path / "police.xlsx")],
                   check=True, capture_output=True, timeout=180)
    result = read_one(out / f"police.{target}")
    assert fields(result) == [(2, "Home visit", "Referred to ASC", "Social worker"),
                              (3, SECRET_EVENT, "", ""),
                              (4, "Third visit", "Referred to ASC", "Social worker")]
    assert found(result, "merged-across", "hidden-row") == [
        ("hidden-row", 4, None, None), ("merged-across", 3, "D3", "Event / Contact Details")]
