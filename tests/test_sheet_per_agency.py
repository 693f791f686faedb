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


def findings_of(path: Path, sheet: str) -> list[tuple]:
    rows = list(openpyxl.load_workbook(path)["Findings"].iter_rows(values_only=True))
    head = rows[0]
    return [tuple(r[head.index(k)] for k in ("Row", "Code", "Severity", "Message", "Original Values"))
            for r in rows[1:] if r[head.index("Sheet")] == sheet]


def test_rows_not_read_keep_their_cells_in_the_findings_sheet(tmp_path, review_file):
    """A rejected row of the chronology has its cells as Original Values; so has each row of a
    sheet not read (headed, or with no heading row), under the finding that says why."""
    returns = tmp_path / "returns"
    returns.mkdir()
    book(returns / "police.xlsx", {"Police": ["05/03/2025"], "ASC": ["10/04/2025", "11/04/2025"]})
    book(returns / "gp.xlsx", {"GP": ["05/03/2025"], "ASC": ["12/04/2025"]}, headings=False)
    out = tmp_path / "c.xlsx"
    done = runner.invoke(app, ["collate", "--review", str(review_file), "-o", str(out), str(returns)])
    assert done.exit_code == 1
    cells = ("Date: {day}; Time: 10:00; Source of Information: Case notes; Event / Contact Details: "
             "Visit on {day} to the adult; Action Taken / Outcome: Referred to ASC; Practitioner / Role: "
             "Social worker")
    unheaded = ("Column A: {day}; Column B: 10:00; Column C: Case notes; Column D: Visit on {day} to the "
                "adult; Column E: Referred to ASC; Column F: Social worker")
    said = "Row {n} (ASC) was not read (see the finding on ASC above); its cells are in Original Values."
    rows = findings_of(out, "ASC")
    assert [r[:3] for r in rows] == [
        (1, "table-not-read", "error"), (1, "table-not-read", "error"),
        (1, "other-chronology-sheet", "error"), (2, "other-chronology-sheet", "error"),
        (3, "other-chronology-sheet", "error")]
    assert [(r[3], r[4]) for r in rows if r[4]] == [
        (said.format(n=1), unheaded.format(day="12/04/2025")),
        (said.format(n=2), cells.format(day="10/04/2025")),
        (said.format(n=3), cells.format(day="11/04/2025"))]
    assert [r[4] for r in rows if not r[4]] == [None, None]


def test_cells_of_rows_not_read_are_redacted(tmp_path, review_file):
    returns = tmp_path / "returns"
    returns.mkdir()
    path = book(returns / "police.xlsx", {"Police": ["05/03/2025"], "ASC": ["10/04/2025"]})
    workbook = openpyxl.load_workbook(path)
    workbook["ASC"]["D2"] = "Called her on 07700 900123"
    workbook.save(path)
    out = tmp_path / "c.xlsx"
    runner.invoke(app, ["collate", "--review", str(review_file), "--redact", "-o", str(out), str(returns)])
    [(_, _, _, _, values)] = [r for r in findings_of(out, "ASC") if r[4]]
    assert "Event / Contact Details: Called her on [phone]; " in values
    assert "07700" not in values
