"""Every agency accounted for: a copy of one agency's return under
another's name is not the second agency's return; an unusable file beside a usable return is an
unusable file, not an agency without a return, in every output; an Agency cell naming an agency
review.toml does not list is a finding, never a new agency; a nil return typed as a sentence is a
nil return."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()

REVIEW = """[review]
reference = "SAR-TEST-1"
subject = "Adult T"
period_start = 2025-01-01
period_end = 2025-12-31

[[agencies]]
name = "Testshire Police"
short = "Police"
files = ["*police*"]

[[agencies]]
name = "Hill Surgery"
short = "GP"
files = ["*gp*"]

[[agencies]]
name = "Testshire Housing"
short = "Housing"
files = ["*housing*"]
"""


@pytest.fixture
def review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    (tmp_path / "returns").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path / "returns"


def _validate() -> tuple[int, dict]:
    result = runner.invoke(app, ["validate", "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _codes(data: dict, path: str) -> list[tuple[str, str]]:
    found = next(f for f in data["files"] if f["path"] == path)
    return [(f["code"], f["severity"]) for f in found["findings"]]


def _lines(*args: str) -> list[str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return (result.stdout + result.stderr).splitlines()


ROWS = [row(), row(day="04/03/2025"), row(day="05/03/2025")]


def test_one_file_saved_under_two_agencies_names_is_not_the_second_agencys_return(review):
    write_return(review / "gp.xlsx", ROWS)
    shutil.copy(review / "gp.xlsx", review / "police.xlsx")
    write_return(review / "housing.xlsx", [row(day="06/03/2025")])
    code, data = _validate()
    assert code == 1
    assert _codes(data, "returns/police.xlsx") == [("duplicate-file", "error")]
    account = data["account"]
    assert account["complete"] is False and account["missing"] == []
    # the rows the copy holds: none rejected, each in the chronology once (under Hill Surgery)
    assert [(u["agency"], u["file"], u["rows"], u["rows_not_listed"], u["rows_repeated"])
            for u in account["unusable"]] == [("Testshire Police", "returns/police.xlsx", 3, 0, True)]
    assert account["unusable"][0]["reason"] == (
        "This file has the same content as returns/gp.xlsx, which is Hill Surgery's return; its "
        "entries are collated once, under Hill Surgery, so this file is not counted as Testshire "
        "Police's return.")
    assert (account["entries"], account["rows"]) == (4, 7)
    collate = runner.invoke(app, ["collate", "-o", "out/c.json"])
    assert collate.exit_code == 1
    status = json.loads(runner.invoke(app, ["status", "--format", "json"]).stdout)
    assert [(a["agency"], a["state"]) for a in status["agencies"]] == [
        ("Testshire Police", "unusable"), ("Hill Surgery", "received"),
        ("Testshire Housing", "received")]


def test_one_file_twice_under_the_same_agency_is_still_only_a_warning(review):
    write_return(review / "gp.xlsx", ROWS)
    shutil.copy(review / "gp.xlsx", review / "gp2.xlsx")
    write_return(review / "police.xlsx", [row(day="06/03/2025")])
    write_return(review / "housing.xlsx", [row(day="07/03/2025")])
    code, data = _validate()
    assert code == 0
    assert _codes(data, "returns/gp.xlsx") == []
    assert _codes(data, "returns/gp2.xlsx") == [("duplicate-file", "warning")]
    assert data["account"]["complete"] is True


@pytest.fixture
def truncated_resubmission(review: Path) -> Path:
    write_return(review / "police.xlsx", ROWS)
    write_return(review / "gp.xlsx", [row(day="06/03/2025")])
    write_return(review / "housing.xlsx", [row(day="07/03/2025")])
    whole = (review / "gp.xlsx").read_bytes()
    (review / "gp-resubmitted.xlsx").write_bytes(whole[: len(whole) // 2])
    return review


def test_an_unusable_file_beside_a_usable_return_is_an_unusable_file_everywhere(truncated_resubmission):
    lines = _lines("collate", "-o", "out/combined.xlsx")
    assert [line for line in lines if line.startswith("GP:")] == [
        line for line in lines if line.startswith(
            "GP: unusable file (another of its returns was used) — returns/gp-resubmitted.xlsx: ")]
    assert len([line for line in lines if line.startswith("GP:")]) == 1
    assert "Not complete: 5 entries in the chronology, 0 of 5 rows rejected, 0 agencies missing, " \
           "0 agencies without a usable return, 1 unusable file." in lines
    book = openpyxl.load_workbook("out/combined.xlsx", read_only=True)
    rows = list(book["Agencies"].iter_rows(values_only=True))
    book.close()  # read-only: the file stays open until closed
    column = rows[0].index("Unusable Return")
    assert [(r[0], r[column]) for r in rows[1:]] == [
        ("Testshire Police", "no"), ("Hill Surgery", "no"), ("Testshire Housing", "no")]
    for source in ([], ["out/combined.xlsx"]):
        data = json.loads(runner.invoke(app, ["gaps", *source, "--format", "json"]).stdout)
        assert data["unusable_returns"] == [], source
        assert [g for g in data["gaps"] if g["kind"] == "unusable-return"] == [], source
        assert [u["file"] for u in data["account"]["unusable"]] == ["returns/gp-resubmitted.xlsx"]
        summary = _lines("gaps", *source)
        assert any("0 missing returns, 0 agencies without a usable return (gaps" in line
                   for line in summary), source
    status = json.loads(runner.invoke(app, ["status", "--format", "json"]).stdout)
    assert [(a["agency"], a["state"]) for a in status["agencies"]] == [
        ("Testshire Police", "received"), ("Hill Surgery", "needs resubmission"),
        ("Testshire Housing", "received")]


def test_an_agency_whose_only_file_is_unusable_is_an_agency_without_a_usable_return(review):
    write_return(review / "police.xlsx", ROWS)
    write_return(review / "housing.xlsx", [row(day="07/03/2025")])
    (review / "gp.xlsx").write_bytes(b"PK\x03\x04 cut short")
    lines = _lines("validate")
    assert lines[-1] == ("Not complete: 4 entries in the chronology, 0 of 4 rows rejected, "
                         "0 agencies missing, 1 agency without a usable return, 1 unusable file.")
    assert [line[:32] for line in lines if line.startswith("GP:")] == ["GP: unusable — returns/gp.xlsx: "]
    data = json.loads(runner.invoke(app, ["gaps", "--format", "json"]).stdout)
    assert data["unusable_returns"] == ["Hill Surgery"]


def test_an_agency_cell_naming_an_agency_not_in_review_toml_is_an_error_not_a_new_agency(review):
    write_return(review / "police.xlsx", ROWS, details={"Agency:": "Northshire Constabulary"})
    write_return(review / "gp.xlsx", [row(day="06/03/2025")])
    write_return(review / "housing.xlsx", [row(day="07/03/2025")])
    code, data = _validate()
    assert code == 1
    police = next(f for f in data["files"] if f["path"] == "returns/police.xlsx")
    assert (police["agency"], police["entries"]) == (None, 0)
    assert [f["code"] for f in police["findings"]] == ["agency-not-listed", "rows-not-used"]
    message = police["findings"][0]["message"]
    assert "Northshire" not in message  # no cell value without --show-values
    assert message == ("The 'Agency:' cell (on the Details sheet or above the table) names an "
                       "agency that is not in review.toml (it lists Police, GP and Housing), so "
                       "none of the return's rows is put under any agency.")
    assert police["findings"][0]["hint"].startswith(
        "If the cell means an agency in the review, add the name to that agency's aliases")
    account = data["account"]
    assert account["missing"] == ["Testshire Police"]
    assert [(u["agency"], u["file"], u["rows"]) for u in account["unusable"]] == [
        (None, "returns/police.xlsx", 3)]
    assert "Police: missing — no return was received under its name; returns/police.xlsx has its " \
           "file name but names another agency or one review.toml does not list (see the " \
           "findings for that file). Ask the agency for it." in _lines("validate")


def test_an_agency_column_naming_an_unlisted_agency_rejects_those_rows_by_cell(review):
    header = ["Date", "Time", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role", "Agency"]
    write_return(review / "police.xlsx", [[*row(), "Testshire Police"],
                                          [*row(day="04/03/2025"), "Northshire Constabulary"]],
                 header=header)
    write_return(review / "gp.xlsx", [row(day="06/03/2025")])
    write_return(review / "housing.xlsx", [row(day="07/03/2025")])
    code, data = _validate()
    assert code == 1
    police = next(f for f in data["files"] if f["path"] == "returns/police.xlsx")
    assert police["entries"] == 1
    assert [(f["code"], f["cell"]) for f in police["findings"]] == [("agency-not-listed", "G3")]
    assert [(r["file"], r["row"], r["codes"]) for r in data["account"]["rejected_rows"]] == [
        ("returns/police.xlsx", 3, ["agency-not-listed"])]
    assert data["account"]["missing"] == []


def test_a_file_named_for_one_agency_whose_cell_names_another_is_a_warning_and_a_hint(review):
    write_return(review / "police.xlsx", ROWS)
    write_return(review / "gp.xlsx", [row(day="06/03/2025")], details={"Agency:": "Testshire Housing"})
    _, data = _validate()
    assert _codes(data, "returns/gp.xlsx") == [("agency-file-mismatch", "warning")]
    assert data["account"]["missing"] == ["Hill Surgery"]
    assert "GP: missing — no return was received under its name; returns/gp.xlsx has its file " \
           "name but names another agency or one review.toml does not list (see the findings " \
           "for that file). Ask the agency for it." in _lines("validate")


def _one_row(review: Path, name: str, cells: list[object]) -> None:
    write_return(review / name, [cells])


@pytest.mark.parametrize("cells", [
    ["", "", "", "No contact with Adult T in the review period.", "", ""],
    ["N/A", "", "N/A", "No known involvement during the period", "", ""],
    ["", "", "", "Nil return - no contact with Adult T during the review period", "-", "n/a"],
    # the short forms, and the sentence typed in the Date column
    ["", "", "", "Nil return", "", ""],
    ["", "", "", "N/A - nil return", "", ""],
    ["", "", "", "Nil return - no involvement", "", ""],
    ["No contact with Adult T in the review period.", "", "", "", "", ""],
])
def test_a_nil_return_typed_as_a_sentence_is_a_nil_return(review, cells):
    _one_row(review, "housing.xlsx", cells)
    write_return(review / "police.xlsx", ROWS)
    write_return(review / "gp.xlsx", [row(day="06/03/2025")])
    code, data = _validate()
    assert code == 0
    housing = next(f for f in data["files"] if f["path"] == "returns/housing.xlsx")
    assert (housing["entries"], housing["rejected_rows"]) == (0, 0)
    assert [(f["code"], f["row"]) for f in housing["findings"]] == [("nil-return", 2)]
    assert data["account"]["complete"] is True


@pytest.mark.parametrize("rows", [
    [["", "", "", "No contact with Adult T.", "", ""]],  # not said to be in the period
    [["03/03/2025", "", "", "No contact with Adult T in the review period.", "", ""]],  # dated
    [["", "", "", "No contact with Adult T in the review period.", "", "Duty officer"]],
    [["", "", "", "No contact with Adult T in the review period.", "", ""], row()],  # an entry too
    [["", "", "", "Adult T was seen at home in the review period.", "", ""]],
])
def test_a_row_that_is_not_only_a_nil_statement_is_not_a_nil_return(review, rows):
    write_return(review / "housing.xlsx", rows)
    code, data = _validate()
    housing = next(f for f in data["files"] if f["path"] == "returns/housing.xlsx")
    assert code == 1
    assert "nil-return" not in [f["code"] for f in housing["findings"]]
    assert housing["rejected_rows"] == 1


AGENCY_HEADER = ["Date", "Time", "Source of Information", "Event / Contact Details",
                 "Action Taken / Outcome", "Practitioner / Role", "Agency"]


def test_entries_of_an_agency_reaching_the_run_through_another_files_agency_column_count_once(review):
    """Housing's own return and the GP's return (its Agency column names Housing for two rows)
    hold the same two Housing entries: each is collated once, from Housing's own return, and the
    repeats in the GP's file are duplicate-row warnings with their rows."""
    housing = [row(day="04/03/2025", event="Tenancy visit"), row(day="05/03/2025", event="Repair")]
    write_return(review / "gp.xlsx", [[*row(), "GP"], *[[*r, "Housing"] for r in housing]],
                 header=AGENCY_HEADER)
    write_return(review / "housing.xlsx", housing)
    write_return(review / "police.xlsx", [row(day="06/03/2025")])
    code, data = _validate()
    assert code == 0
    gp = next(f for f in data["files"] if f["path"] == "returns/gp.xlsx")
    assert gp["entries"] == 1
    assert [(f["code"], f["row"]) for f in gp["findings"]] == [("duplicate-row", 3), ("duplicate-row", 4)]
    assert gp["findings"][0]["message"] == (
        "Row 3 repeats row 2 of returns/housing.xlsx (an entry of the same agency, Testshire "
        "Housing, in another file); it is collated once.")
    assert (data["account"]["entries"], data["account"]["complete"]) == (4, True)
    result = runner.invoke(app, ["collate", "--force"])
    assert result.exit_code == 0
    sheet = openpyxl.load_workbook("out/combined.xlsx")["Chronology"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[3] for r in rows) == ["GP", "Housing", "Housing", "Police"]


def test_a_row_naming_an_agency_that_sent_nothing_does_not_count_as_its_return(review):
    """The GP's return has one row with Agency = Police (a joint visit); Police sent nothing:
    Police is missing (exit 1), the row is in the chronology under Police, and a warning names
    the file and row."""
    write_return(review / "gp.xlsx", [[*row(), "GP"], [*row(day="04/03/2025"), "Police"]],
                 header=AGENCY_HEADER)
    write_return(review / "housing.xlsx", [row(day="05/03/2025")])
    code, data = _validate()
    assert code == 0  # validate: no error in any file
    assert data["account"]["missing"] == ["Testshire Police"]
    assert data["account"]["complete"] is False
    gp = next(f for f in data["files"] if f["path"] == "returns/gp.xlsx")
    assert [(f["code"], f["severity"], f["row"]) for f in gp["findings"]] == [
        ("agency-without-return", "warning", 3)]
    assert gp["findings"][0]["message"] == (
        "Row 3 of this return names Testshire Police, which sent no return of its own; it is in "
        "the chronology under Testshire Police, but Testshire Police's return is still missing.")
    result = runner.invoke(app, ["collate", "--force"])
    assert result.exit_code == 1
    status = json.loads(runner.invoke(app, ["status", "--format", "json"]).stdout)
    assert {a["agency"]: a["state"] for a in status["agencies"]} == {
        "Testshire Police": "outstanding", "Hill Surgery": "received", "Testshire Housing": "received"}


def test_a_file_review_toml_gives_to_several_agencies_is_a_return_of_each_its_rows_name(review):
    """When review.toml's files patterns give one file to two agencies and its Agency column
    names each row's agency, the file is both agencies' return: nothing missing, no error."""
    toml = Path("review.toml")
    toml.write_text(toml.read_text().replace('files = ["*gp*"]', 'files = ["*gp*", "*joint*"]')
                    .replace('files = ["*housing*"]', 'files = ["*housing*", "*joint*"]'))
    write_return(review / "joint.xlsx", [[*row(), "GP"], [*row(day="04/03/2025"), "Housing"]],
                 header=AGENCY_HEADER)
    write_return(review / "police.xlsx", [row(day="05/03/2025")])
    code, data = _validate()
    assert code == 0
    assert (data["account"]["missing"], data["account"]["complete"]) == ([], True)
    joint = next(f for f in data["files"] if f["path"] == "returns/joint.xlsx")
    assert (joint["entries"], joint["findings"]) == (2, [])


def test_a_file_name_fitting_two_agencies_keeps_its_rows_out_and_neither_is_received(review):
    write_return(review / "housing report for gp.xlsx", ROWS)
    write_return(review / "police.xlsx", [row(day="06/03/2025")])
    code, data = _validate()
    assert code == 1
    found = next(f for f in data["files"] if f["path"] == "returns/housing report for gp.xlsx")
    assert (found["agency"], found["entries"]) == (None, 0)
    assert _codes(data, "returns/housing report for gp.xlsx") == [
        ("agency-ambiguous", "error"), ("rows-not-used", "info")]
    assert data["account"]["missing"] == ["Hill Surgery", "Testshire Housing"]
    assert [(u["agency"], u["rows"]) for u in data["account"]["unusable"]] == [(None, 3)]
    assert ("GP: missing — no return was received under its name; returns/housing report for "
            "gp.xlsx has a file name that fits the files patterns of several agencies, so it was "
            "not counted as any of theirs (see the findings for that file). Ask the agency for "
            "it.") in _lines("validate")
    assert runner.invoke(app, ["collate", "--force"]).exit_code == 1
