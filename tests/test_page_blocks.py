"""A printed report's page heading ('Client: …', 'Printed: … Page 2 of 2') repeated above the
column headings on each page is page text (info), never rejected entries; only rows that repeat
the block above the first headings go, so an entry with a mistyped date just above a repeated
heading row is still rejected."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, row
from test_table_shapes import conserved, read_one
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()

TITLE = "Northshire Adult Social Care - Case Notes Report"
REVIEW = """[review]
reference = "SAR-TEST-1"
subject = "Adult Z"
period_start = 2025-01-01
period_end = 2025-12-31

[[agencies]]
name = "Northshire Adult Social Care"
short = "ASC"
files = ["*asc*"]
"""


def page_heading(page: int, printed: str = "10:02", client_id: str = "100234") -> list[list[object]]:
    return [[TITLE], ["Client: Adult Z", None, f"Client ID: {client_id}"],
            [f"Printed: 01/11/2025 {printed}", None, None, f"Page {page} of 2"], []]


def report(*pages: list[list[object]]) -> list[list[object]]:
    """Each page: its heading block, the column headings, then its rows."""
    rows: list[list[object]] = []
    for number, body in enumerate(pages, start=1):
        rows += page_heading(number) + [HEADER] + body
    return rows


def write(path: Path, rows: list[list[object]]) -> Path:
    if path.suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            csv.writer(handle).writerows([["" if v is None else v for v in r] for r in rows])
        return path
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Report"
    for cells in rows:
        sheet.append(list(cells))
    book.save(path)
    return path


def said(result) -> list[tuple[str, str, int | None, str | None]]:
    return [(f.code, f.severity.value, f.row, f.cell) for f in result.findings]


def repeats(row_number: int, first: int) -> str:
    return (f"Row {row_number} repeats row {first}, a line of the page heading printed above the "
            "column headings (a printed report's next page); it was skipped, not read as an entry.")


TWO_PAGES = report([row(day="03/03/2025", event="Visit 1"), row(day="04/03/2025", event="Visit 2")],
                   [row(day="05/03/2025", event="Visit 3"), row(day="06/03/2025", event="Visit 4")])


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_page_heading_repeated_on_page_two_is_page_text(tmp_path, suffix):
    result = read_one(write(tmp_path / f"asc{suffix}", TWO_PAGES), agency="ASC")
    assert result.header_row == 5
    assert [(e.row, e.event) for e in result.entries] == [
        (6, "Visit 1"), (7, "Visit 2"), (13, "Visit 3"), (14, "Visit 4")]
    assert said(result) == [("page-text", "info", 8, "A8"), ("page-text", "info", 9, "A9"),
                            ("page-text", "info", 10, "A10"), ("repeated-header", "info", 12, "A12")]
    assert [f.message for f in result.findings[:3]] == [repeats(8, 1), repeats(9, 2), repeats(10, 3)]
    assert {f.sheet for f in result.findings} == {"CSV" if suffix == ".csv" else "Report"}
    assert (result.data_rows, result.rejected_rows) == (4, 0)
    conserved(result, 8)  # 4 entries, 3 page-heading rows and the headings again


def test_validate_exits_0_and_collate_is_complete(tmp_path):
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    path = write(tmp_path / "asc.xlsx", TWO_PAGES)
    review = str(tmp_path / "review.toml")
    checked = runner.invoke(app, ["validate", "--review", review, "--format", "json", str(path)])
    assert checked.exit_code == 0, checked.output
    [file] = json.loads(checked.stdout)["files"]
    assert [(f["code"], f["severity"], f["row"]) for f in file["findings"]] == [
        ("page-text", "info", 8), ("page-text", "info", 9), ("page-text", "info", 10),
        ("repeated-header", "info", 12)]
    out = tmp_path / "combined.json"
    made = runner.invoke(app, ["collate", "--review", review, "--format", "json", "-o", str(out),
                               str(path)])
    assert made.exit_code == 0, made.output
    combined = json.loads(out.read_text(encoding="utf-8"))
    assert [e["Event / Contact Details"] for e in combined["entries"]] == [
        "Visit 1", "Visit 2", "Visit 3", "Visit 4"]
    assert (combined["account"]["complete"], combined["account"]["rows"]) == (True, 4)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_entry_with_a_mistyped_date_above_a_page_heading_is_still_rejected(tmp_path, suffix):
    rows = report([row(day="03/03/2025", event="Visit 1"), row(day="31/02/2025", event="Visit 2")],
                  [row(day="05/03/2025", event="Visit 3")])
    result = read_one(write(tmp_path / f"asc{suffix}", rows), agency="ASC")
    assert [(e.row, e.event) for e in result.entries] == [(6, "Visit 1"), (13, "Visit 3")]
    assert said(result) == [("date-invalid", "error", 7, "A7"), ("page-text", "info", 8, "A8"),
                            ("page-text", "info", 9, "A9"), ("page-text", "info", 10, "A10"),
                            ("repeated-header", "info", 12, "A12")]
    assert (result.data_rows, result.rejected_rows) == (3, 1)


def test_an_entry_with_no_readable_date_right_above_the_headings_is_still_rejected(tmp_path):
    """An entry between the page heading and the repeated headings breaks the block: nothing above
    it is passed off as page text, and it is rejected as before."""
    rows = report([row(day="03/03/2025", event="Visit 1")], [row(day="05/03/2025", event="Visit 3")])
    rows.insert(9, row(day="soon", event="Visit 2"))  # under 'Printed: … Page 2 of 2'
    result = read_one(write(tmp_path / "asc.xlsx", rows), agency="ASC")
    assert [e.event for e in result.entries] == ["Visit 1", "Visit 3"]
    assert [(code, row_number) for code, _, row_number, _ in said(result)
            if code in ("page-text", "date-invalid", "repeated-header")] == [
        ("date-invalid", 8), ("date-invalid", 9), ("date-invalid", 10), ("repeated-header", 12)]
    assert result.findings[0].code == "divider-row"  # the title row, as before


def test_a_different_time_printed_is_the_same_heading_and_a_different_client_is_not(tmp_path):
    rows = report([row(day="03/03/2025", event="Visit 1")], [row(day="05/03/2025", event="Visit 3")])
    rows[6:10] = page_heading(2, printed="10:03", client_id="100235")
    result = read_one(write(tmp_path / "asc.xlsx", rows), agency="ASC")
    assert [e.event for e in result.entries] == ["Visit 1", "Visit 3"]
    assert [(code, severity, row_number) for code, severity, row_number, _ in said(result)
            if code in ("page-text", "date-invalid", "repeated-header")] == [
        ("date-invalid", "error", 8), ("page-text", "info", 9), ("repeated-header", "info", 11)]
    assert result.findings[-2].message == repeats(9, 3)


def test_the_same_rows_with_no_headings_after_them_are_not_page_text(tmp_path):
    """Only a block just above a repeated heading row goes: the same lines at the foot of the
    table are text after the table, as before."""
    rows = page_heading(1) + [HEADER, row(day="03/03/2025", event="Visit 1")] + page_heading(2)[:3]
    result = read_one(write(tmp_path / "asc.xlsx", rows), agency="ASC")
    assert [e.event for e in result.entries] == ["Visit 1"]
    assert "page-text" not in {f.code for f in result.findings}


def test_a_page_heading_merged_as_on_page_one_is_page_text_with_no_merge_warning(tmp_path):
    rows = report([row(day="03/03/2025", event="Visit 1")], [row(day="05/03/2025", event="Visit 3")])
    path = write(tmp_path / "asc.xlsx", rows)
    book = openpyxl.load_workbook(path)
    for first in (1, 7):  # the title across the table, 'Client: Adult Z' over two columns
        book.active.merge_cells(start_row=first, start_column=1, end_row=first, end_column=6)
        book.active.merge_cells(start_row=first + 1, start_column=1, end_row=first + 1, end_column=2)
    book.save(path)
    result = read_one(path, agency="ASC")
    assert [e.event for e in result.entries] == ["Visit 1", "Visit 3"]
    assert said(result) == [("page-text", "info", 7, "A7"), ("page-text", "info", 8, "A8"),
                            ("page-text", "info", 9, "A9"), ("repeated-header", "info", 11, "A11")]
    assert [f.message for f in result.findings[:3]] == [repeats(7, 1), repeats(8, 2), repeats(9, 3)]
