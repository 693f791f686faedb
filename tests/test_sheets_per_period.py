"""A return kept a sheet per period ('2024', '2025'), each sheet with the same headings: one
chronology carried on, when the sheets cannot be copies of each other."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, TODAY, row
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.returns import ReadOptions, read_returns
from sarkit.sheet_periods import periods_apart, sheet_period

runner = CliRunner()


def book(path: Path, sheets: dict[str, list[str]]) -> Path:
    """One sheet per name, each with HEADER over one row per date."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, days in sheets.items():
        sheet = workbook.create_sheet(name)
        for cells in (HEADER, *(row(day=day, event=f"Visit {day}") for day in days)):
            sheet.append(cells)
    workbook.save(path)
    return path


def read(path: Path):
    [result] = read_returns([path], ReadOptions(agency="Police", today=TODAY))  # type: ignore[arg-type]
    return result


def test_sheet_names_that_are_periods():
    assert [sheet_period(n) for n in ("2024", "Jan 2025", "January 2025", "2025-01", "Q2 2025",
                                      "2025 Q2", "Sept 2024", "Chronology", "2024 (2)", "Sheet1")] == [
        ("year", 2024, None), ("month", 2025, 1), ("month", 2025, 1), ("month", 2025, 1),
        ("quarter", 2025, 2), ("quarter", 2025, 2), ("month", 2024, 9), None, None, None]
    assert [periods_apart(names) for names in (
        ["2024", "2025"], ["Jan 2025", "Feb 2025"], ["Jan 2025", "January 2025"], ["2025", "Mar 2025"],
        ["Q1 2025", "2025 Q1"], ["2024", "Sheet2"])] == [True, True, False, False, False, None]


def test_a_sheet_per_year_with_the_same_headings_is_one_chronology(tmp_path):
    path = book(tmp_path / "police.xlsx", {"2024": ["05/03/2024", "06/03/2024"], "2025": ["10/01/2025"]})
    result = read(path)
    assert [(e.sheet, e.row, e.event) for e in result.entries] == [
        ("2024", 2, "Visit 05/03/2024"), ("2024", 3, "Visit 06/03/2024"), ("2025", 2, "Visit 10/01/2025")]
    assert (result.rejected_rows, [(f.code, f.sheet, f.row, str(f.severity), f.message)
                                   for f in result.findings]) == (0, [(
        "sheet-continued", "2025", 1, "info",
        "The sheet 2025 has the same headings as the chronology on the sheet 2024 and the sheet names "
        "are periods none of which repeats, so it carries the chronology on: its rows (row 2) were "
        "read as part of it, under their own sheet and row numbers.")])


def test_sheets_not_named_as_periods_carry_on_only_when_their_dates_come_after(tmp_path):
    path = book(tmp_path / "police.xlsx", {"Part one": ["05/03/2024"], "Part two": ["10/01/2025"]})
    result = read(path)
    assert [e.sheet for e in result.entries] == ["Part one", "Part two"]
    assert [f.message for f in result.findings] == [
        "The sheet Part two has the same headings as the chronology on the sheet Part one and its dates "
        "all come after those of the sheets before it, so it carries the chronology on: its rows "
        "(row 2) were read as part of it, under their own sheet and row numbers."]
    path = book(tmp_path / "police.xlsx", {"Chronology": ["05/03/2024", "10/01/2025"],
                                          "Chronology (old)": ["06/03/2024"]})
    result = read(path)
    assert ([e.sheet for e in result.entries], result.rejected_rows) == (["Chronology", "Chronology"], 1)
    assert [(f.code, f.sheet, str(f.severity)) for f in result.findings] == [
        ("other-chronology-sheet", "Chronology (old)", "error")]


def test_a_sheet_repeating_a_period_is_never_read_twice(tmp_path):
    path = book(tmp_path / "police.xlsx", {"Jan 2025": ["05/01/2025"], "January 2025": ["05/01/2025"]})
    result = read(path)
    assert ([e.sheet for e in result.entries], result.rejected_rows) == (["Jan 2025"], 1)
    assert [(f.code, f.sheet, f.message) for f in result.findings] == [(
        "other-chronology-sheet", "January 2025",
        "The sheet January 2025 also has a chronology table (1 row under its header in row 1); only "
        "the sheet Jan 2025 was read.")]


def collate(path: Path, out: Path) -> None:
    done = runner.invoke(app, ["collate", str(path), "--agency", "Police", "-o", str(out), "-q", "--force"])
    assert done.exit_code == 0, done.stderr


def test_a_recollate_of_a_sheet_per_year_keeps_the_refs_and_names_each_sheet(tmp_path):
    path = book(tmp_path / "police.xlsx", {"2024": ["05/03/2024"], "2025": ["10/01/2025"]})
    collate(path, tmp_path / "c.json")
    first = json.loads((tmp_path / "c.json").read_text("utf-8"))["entries"]
    assert [(e["Ref"], e["Source Row"]) for e in first] == [("C0001", "2 (2024)"), ("C0002", "2 (2025)")]
    shutil.copy(path, tmp_path / "old.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["2024"].append(row(day="01/02/2024", event="Fall at home"))
    workbook.save(path)
    collate(path, tmp_path / "c.json")
    again = json.loads((tmp_path / "c.json").read_text("utf-8"))["entries"]
    assert [(e["Ref"], e["Source Row"]) for e in again] == [
        ("C0003", "3 (2024)"), ("C0001", "2 (2024)"), ("C0002", "2 (2025)")]


def test_financial_years_and_spans_of_months_are_periods():
    april = ("span", 739342, 739706)  # 01/04/2025 to 31/03/2026
    assert [sheet_period(n) for n in ("April 2025 - March 2026", "2025-26", "FY 2025/26",
                                      "2025/2026", "Apr-Jun", "Nov 2024 - Feb 2025", "2024-26")] == [
        april, april, april, april, ("months", None, 406), ("span", 739191, 739310), None]
    assert [periods_apart(names) for names in (
        ["April 2025 - March 2026", "April 2024 - March 2025"], ["2025-26", "2024-25"],
        ["Apr-Jun", "Jan-Mar"], ["Apr-Jun", "May-Jul"], ["2025", "2025-26"])] == [
        True, True, True, False, False]


@pytest.mark.parametrize("names", [("April 2025 - March 2026", "April 2024 - March 2025"),
                                   ("2025-26", "2024-25"), ("2025", "2024")])
def test_sheets_per_period_newest_first_each_oldest_first_are_one_chronology_in_order(tmp_path, names):
    """The newer period's sheet first, each sheet oldest first: read whole, and no row is out
    of order (before, financial years were refused, and years got a false out-of-order)."""
    newer, older = names
    path = book(tmp_path / "police.xlsx", {newer: ["10/02/2025", "20/06/2025"],
                                           older: ["05/03/2024", "06/03/2024"]})
    result = read(path)
    assert [(e.sheet, e.row) for e in result.entries] == [(newer, 2), (newer, 3), (older, 2), (older, 3)]
    assert [(f.code, f.sheet) for f in result.findings] == [("sheet-continued", older)]
    assert result.rejected_rows == 0


def test_a_sheet_out_of_order_on_its_own_is_still_said(tmp_path):
    path = book(tmp_path / "police.xlsx", {"2025": ["10/02/2025", "20/06/2025", "01/01/2025",
                                                    "21/06/2025"], "2024": ["05/03/2024"]})
    found = [(f.code, f.sheet, f.row, f.message) for f in read(path).findings if f.code == "out-of-order"]
    assert found == [("out-of-order", "2025", 4,
                      "Row 4 is out of date order: the sheet is otherwise oldest first.")]
