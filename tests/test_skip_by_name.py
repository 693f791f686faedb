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
