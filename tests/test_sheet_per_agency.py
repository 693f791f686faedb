"""A workbook whose sheets are named after agencies of review.toml: a sheet named after another
agency than the return's is never carried on under the return's agency."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from conftest import HEADER, TODAY, row
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.returns import ReadOptions, read_returns
from sarkit.review import load_review

runner = CliRunner()

OTHER_AGENCY = (" The sheet is named after Testshire Adult Social Care, another agency of review.toml, "
                "so its rows were not put under this return's agency: sarkit reads one agency's "
                "chronology from a file.")
OTHER_AGENCY_FIX = ("If the sheet is that agency's chronology, save it as a file of its own named after "
                    "the agency and put it in the returns folder; if it is this return's, rename the sheet.")


def book(path: Path, sheets: dict[str, list[str]], headings: bool = True) -> Path:
    """One sheet per name, the first with HEADER (the others too when `headings`), one row per date."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for number, (name, days) in enumerate(sheets.items()):
        sheet = workbook.create_sheet(name)
        top = [HEADER] if headings or not number else []
        for cells in (*top, *(row(day=day, event=f"Visit on {day} to the adult") for day in days)):
            sheet.append(cells)
    workbook.save(path)
    return path


def read(path: Path, review_file: Path):
    options = ReadOptions(review=load_review(review_file), today=TODAY)  # type: ignore[call-arg]
    [result] = read_returns([path], options)
    return result


def test_a_sheet_named_after_another_agency_is_not_carried_on(tmp_path, review_file):
    path = book(tmp_path / "police.xlsx", {"Police": ["05/03/2025"], "ASC": ["10/04/2025"]})
    result = read(path, review_file)
    assert [(e.agency, e.sheet, e.row) for e in result.entries] == [("Testshire Police", "Police", 2)]
    assert (result.data_rows, result.rejected_rows) == (2, 1)
    assert [(f.code, str(f.severity), f.sheet, f.row, f.message, f.hint) for f in result.findings] == [(
        "other-chronology-sheet", "error", "ASC", 1,
        "The sheet ASC also has a chronology table (1 row under its header in row 1); only the sheet "
        "Police was read." + OTHER_AGENCY, OTHER_AGENCY_FIX)]


def test_sheets_named_after_the_returns_own_agency_or_periods_carry_on(tmp_path, review_file):
    path = book(tmp_path / "police.xlsx", {"Chronology": ["05/03/2025"], "Police": ["10/04/2025"]})
    result = read(path, review_file)
    assert [e.sheet for e in result.entries] == ["Chronology", "Police"]
    assert [f.code for f in result.findings] == ["sheet-continued"]
    path = book(tmp_path / "police.xlsx", {"Police": ["05/03/2024"], "2025": ["10/04/2025"]})
    assert [e.sheet for e in read(path, review_file).entries] == ["Police", "2025"]


def test_a_sheet_without_headings_named_after_another_agency(tmp_path, review_file):
    path = book(tmp_path / "police.xlsx", {"Police": ["05/03/2025"], "ASC": ["10/04/2025", "11/04/2025"]},
                headings=False)
    result = read(path, review_file)
    assert [e.sheet for e in result.entries] == ["Police"]
    assert (result.data_rows, result.rejected_rows) == (3, 2)
    assert [(f.code, str(f.severity), f.sheet, f.row, f.message, f.hint) for f in result.findings] == [(
        "table-not-read", "error", "ASC", 1,
        "The sheet ASC has dated rows and no heading row; its 2 rows (rows 1-2) were not read and "
        "are counted as rejected rows." + OTHER_AGENCY, OTHER_AGENCY_FIX)]


def test_a_workbook_of_no_agency_with_a_sheet_per_agency(tmp_path, review_file):
    path = book(tmp_path / "joint chronology.xlsx", {"Police": ["05/03/2025"], "ASC": ["10/04/2025"]})
    result = read(path, review_file)
    assert result.entries == []
    unknown = next(f for f in result.findings if f.code == "agency-unknown")
    assert unknown.message.endswith(
        "no --agency). The sheet Police is named after Testshire Police, but a sheet's name is not "
        "taken to say whose return a file is.")
    assert unknown.hint == (
        "If the file is that agency's return, fill in 'Agency:' on the Details sheet or add the "
        "file's name to the agency's files in review.toml; if each sheet is a different agency's "
        "chronology, save each as a file of its own named after its agency.")
    assert [f.code for f in result.findings if f.sheet == "ASC"] == ["other-chronology-sheet"]


def test_validate_exits_1_and_collate_counts_the_row(tmp_path, review_file):
    returns = tmp_path / "returns"
    returns.mkdir()
    book(returns / "police.xlsx", {"Police": ["05/03/2025"], "ASC": ["10/04/2025"]})
    done = runner.invoke(app, ["validate", "--review", str(review_file), "--format", "json", str(returns)])
    assert done.exit_code == 1
    account = json.loads(done.stdout)["account"]
    assert (account["entries"], account["complete"]) == (1, False)
    assert [(r["sheet"], r["row"], r["codes"]) for r in account["rejected_rows"]] == [
        ("ASC", 2, ["other-chronology-sheet"])]


def test_a_sheet_named_like_an_alias_is_the_returns_own(tmp_path, review_file):
    """Aliases are words of free text ('surgery' means the GP in an event): a 'Surgery' sheet in
    the police return is the police's own team, never the GP's chronology."""
    path = book(tmp_path / "police.xlsx", {"Police": ["05/03/2025"], "Surgery": ["10/04/2025"]})
    result = read(path, review_file)
    assert [e.sheet for e in result.entries] == ["Police", "Surgery"]
    assert [f.code for f in result.findings] == ["sheet-continued"]
