"""A file whose name says it is not a return (notes, email, ToR, guidance, instructions) is skipped
only when no chronology table could be read from it: a chronology found in it (Date and Event
headings, rows under them) is a return, and its error and rejected rows stand whatever it is called."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from conftest import HEADER, row, write_return
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()

REVIEW = """[review]
reference = "SAR-TEST-1"
subject = "Adult T"
period_start = 2025-01-01
period_end = 2025-12-31

[[agencies]]
name = "Riverside GP"
short = "GP"
files = ["*riverside*"]
"""


@pytest.fixture
def returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    folder = tmp_path / "returns"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    write_return(folder / "riverside.xlsx", [row(event="GP visit")])
    return folder


def _validate() -> tuple[int, dict]:
    result = runner.invoke(app, ["validate", "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _file(data: dict, path: str) -> dict:
    return next(f for f in data["files"] if f["path"] == path)


def _codes(data: dict, path: str) -> list[tuple[str, str]]:
    return [(f["code"], f["severity"]) for f in _file(data, path)["findings"]]


@pytest.mark.parametrize("name", ["Surgery case notes.xlsx", "email.xlsx", "SAR ToR.xlsx",
                                  "guidance.xlsx", "Instructions.xlsx"])
def test_a_chronology_without_its_agency_is_unusable_whatever_its_name(returns, name):
    write_return(returns / name, [row(day="03/02/2025"), row(day="04/02/2025")])
    code, data = _validate()
    assert code == 1
    assert _codes(data, f"returns/{name}") == [("agency-unknown", "error"), ("rows-not-used", "info")]
    found = _file(data, f"returns/{name}")
    assert (found["agency"], found["entries"], found["rejected_rows"]) == (None, 0, 2)
    account = data["account"]
    assert (account["complete"], account["entries"], account["rows"]) == (False, 1, 3)
    assert [(u["agency"], u["file"], u["rows"]) for u in account["unusable"]] == [
        (None, f"returns/{name}", 2)]


def test_a_chronology_lacking_its_source_column_in_a_notes_file_keeps_its_error(returns):
    header = [h for h in HEADER if h != "Source of Information"]
    write_return(returns / "notes.xlsx", [[c for h, c in zip(HEADER, row(), strict=True)
                                           if h != "Source of Information"]], header=header,
                 details={"Agency": "Riverside GP"})
    write_return(returns / "ToR notes.xlsx",
                 [[c for h, c in zip(HEADER, row(), strict=True) if h != "Source of Information"]],
                 header=header)
    code, data = _validate()
    assert code == 1
    for path in ("returns/notes.xlsx", "returns/ToR notes.xlsx"):
        assert ("missing-column", "error") in _codes(data, path)
        assert _file(data, path)["rejected_rows"] == 1
    assert (data["account"]["entries"], data["account"]["rows"]) == (1, 3)


def test_a_chronology_with_two_date_columns_in_a_guidance_file_keeps_its_error(returns):
    header = ["Date", "Date of Event", "Source of Information", "Event / Contact Details"]
    write_return(returns / "guidance.xlsx", [["03/02/2025", "03/02/2025", "Record", "Visit"]],
                 header=header)
    code, data = _validate()
    assert code == 1
    assert ("date-column-ambiguous", "error") in _codes(data, "returns/guidance.xlsx")
    assert ("skipped-file", "info") not in _codes(data, "returns/guidance.xlsx")
    assert _file(data, "returns/guidance.xlsx")["rejected_rows"] == 1


def test_rows_with_a_blank_agency_cell_in_an_email_file_are_rejected_not_skipped(returns):
    write_return(returns / "email.xlsx", [[*row(), None], [*row(day="04/03/2025"), None]],
                 header=[*HEADER, "Agency"])
    code, data = _validate()
    assert code == 1
    assert [c for c in _codes(data, "returns/email.xlsx") if c[1] == "error"] == [
        ("agency-unknown", "error"), ("agency-unknown", "error")]
    assert _file(data, "returns/email.xlsx")["rejected_rows"] == 2


def test_a_timetable_in_a_file_so_named_is_still_skipped(returns):
    """Date | Milestone | Lead (no Event column) is no chronology: nothing is lost by skipping it."""
    write_return(returns / "ToR.xlsx", [["01/10/2025", "Returns due", "Chair"]],
                 header=["Date", "Milestone", "Lead"])
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cells, values in zip(table.rows, (["Date", "Milestone", "Lead"],
                                          ["01/10/2025", "Workshop", "Chair"]), strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    document.save(returns / "Terms of Reference.docx")
    code, data = _validate()
    assert code == 0
    for path in ("returns/ToR.xlsx", "returns/Terms of Reference.docx"):
        assert _codes(data, path) == [("skipped-file", "info")]
    assert (data["account"]["complete"], data["account"]["entries"]) == (True, 1)


# ---- a blank template table (headings, no row under them) in a file named as guidance or notes ----

TWO_AGENCIES = REVIEW + """
[[agencies]]
name = "Northshire Adult Social Care"
short = "ASC"
files = ["*asc*"]
"""
BLANK = ("The file was skipped: its name says it is not a return (a read-me, terms of reference, "
         "guidance, covering letter or notes) and its table has headings only, no row under them (a "
         "blank template), so it is no agency's return.")


@pytest.fixture
def review(returns: Path) -> Path:
    (returns.parent / "review.toml").write_text(TWO_AGENCIES, encoding="utf-8")
    return returns


def _guidance(path: Path, rows: list[list[str]] = ()) -> None:
    """A Word document: a heading, a sentence of guidance, the template's table."""
    document = docx.Document()
    document.add_heading("Guidance on completing the chronology", 1)
    document.add_paragraph("Please complete the table below, one row per contact.")
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    for cells, values in zip(table.rows, [HEADER, *rows], strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    document.save(path)


def _state(data: dict, path: str) -> tuple[list[tuple[str, str]], str | None, int]:
    found = _file(data, path)
    return _codes(data, path), found["agency"], found["entries"]


@pytest.mark.parametrize("name", ["Chronology guidance for agencies.docx",
                                  "ASC guidance notes for chronology.docx", "asc email.docx",
                                  "README.docx", "ASC ToR.docx", "Instructions for ASC.docx"])
def test_a_blank_table_in_a_file_named_as_guidance_is_skipped_never_a_nil_return(review, name):
    _guidance(review / name)
    code, data = _validate()
    assert code == 0
    assert _state(data, f"returns/{name}") == ([("skipped-file", "info")], None, 0)
    assert _file(data, f"returns/{name}")["findings"][0]["message"] == BLANK
    account = data["account"]
    assert (account["complete"], account["missing"], account["entries"]) == (
        False, ["Northshire Adult Social Care"], 1)


def test_a_blank_table_in_a_workbook_named_as_notes_is_skipped(review):
    write_return(review / "ASC notes.xlsx", [], details={"Agency:": "", "Author:": "", "Date completed:": ""})
    code, data = _validate()
    assert code == 0
    assert _state(data, "returns/ASC notes.xlsx") == ([("skipped-file", "info")], None, 0)
    assert data["account"]["missing"] == ["Northshire Adult Social Care"]


def test_a_blank_table_in_a_file_with_a_returns_name_is_still_a_nil_return(review):
    write_return(review / "asc-chronology.xlsx", [])
    code, data = _validate()
    assert code == 0
    assert _state(data, "returns/asc-chronology.xlsx") == (
        [("nil-return", "info")], "Northshire Adult Social Care", 0)
    assert (data["account"]["complete"], data["account"]["missing"]) == (True, [])


@pytest.mark.parametrize("details", [{"Agency:": "Northshire Adult Social Care"},
                                     {"Author:": "A Writer", "Date completed:": "01/11/2025"},
                                     {"Nil return:": "Yes"}])
def test_a_notes_file_filled_in_as_a_nil_return_stays_one(review, details):
    write_return(review / "ASC notes.xlsx", [], details=details)
    code, data = _validate()
    assert code == 0
    assert _state(data, "returns/ASC notes.xlsx") == (
        [("nil-return", "info")], "Northshire Adult Social Care", 0)
    assert data["account"]["missing"] == []


def test_a_guidance_table_with_a_row_is_never_skipped_for_its_name(review):
    _guidance(review / "ASC guidance notes for chronology.docx",
              [["03/03/2025", "10:00", "Case notes", "Home visit", "Referred", "Social worker"]])
    code, data = _validate()
    assert code == 0
    assert _state(data, "returns/ASC guidance notes for chronology.docx") == (
        [], "Northshire Adult Social Care", 1)


def test_a_nil_return_written_under_the_headings_of_a_notes_file_stays_one(review):
    _guidance(review / "ASC notes.docx",
              [["Nil return - no involvement in the review period", "", "", "", "", ""]])
    code, data = _validate()
    assert code == 0
    codes, agency, entries = _state(data, "returns/ASC notes.docx")
    assert codes == [("divider-row", "info"), ("nil-return", "info")]
    assert (agency, entries, data["account"]["missing"]) == ("Northshire Adult Social Care", 0, [])
