"""The numbers people read agree everywhere: the closing account, the summary table, the About
and Findings sheets and the JSON count the same rejected rows and unusable returns, and the
rows of a return unusable as a whole are counted and said to be so. A text
file named like a workbook is said to be one, not read as a CSV."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, row, write_return
from typer.testing import CliRunner

from sarkit.account import (
    Account,
    RejectedRow,
    UnusableReturn,
    caveats,
    rejected_split,
)
from sarkit.cli import app
from sarkit.intake.sniff import text_under_office_name
from sarkit.output.validation_report import account_lines

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
name = "Testshire Adult Social Care"
short = "ASC"
files = ["*asc*"]

[[agencies]]
name = "Hill Surgery"
short = "GP"
files = ["*gp*"]
"""

ASC_UNUSABLE = (
    "ASC: unusable — returns/asc.xlsx (its 3 rows under the header in row 1 of sheet Chronology are "
    "not in the chronology): The chronology has no Date column (row 1 has: Event / Contact Details, "
    "Source of Information). Fix: Add the column with the heading from the Appendix 8b template, or "
    "map an existing heading with --map \"HEADING=field\".")
POLICE_REJECTED = ("Police: 1 row rejected — returns/police.xlsx, sheet Chronology: row 3 "
                   "(A3: date-invalid). Fix these cells and send the return again.")
NOT_COMPLETE = ("Not complete: 3 entries in the chronology, 4 of 7 rows rejected (1 listed row by "
                "row, 3 in 1 unusable file), 0 agencies missing, 1 agency without a usable return, "
                "1 unusable file.")


@pytest.fixture
def mixed(tmp_path, monkeypatch):
    """Police: 3 rows, one rejected (31/02); ASC: 3 rows but no Date column (unusable as a
    whole); GP: 1 row. 7 rows: 3 entries, 1 row rejected on its own, 3 with their return."""
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [row(), row(day="31/02/2025"), row(day="04/03/2025")])
    write_return(folder / "asc.xlsx", [["Visit", "Case notes"]] * 3,
                 header=["Event / Contact Details", "Source of Information"])
    write_return(folder / "gp.csv", [row(day="05/03/2025")])
    monkeypatch.chdir(tmp_path)
    return tmp_path


def summary_table(output: str) -> dict[str, int]:
    """The Summary table's rows, label -> number (ASCII boxes on a cp1252 console)."""
    found = re.findall(r"^[│|] (.+?) +[│|] +(\d+) [│|]$", output, flags=re.MULTILINE)
    return {label: int(n) for label, n in found}


def sheet_rows(path: Path, name: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))[1:]


def test_collate_counts_the_rows_of_an_unusable_return_the_same_everywhere(mixed):
    result = runner.invoke(app, ["collate", "-o", "out/c.xlsx"], env={"COLUMNS": "120"})
    assert result.exit_code == 1, result.output
    assert summary_table(result.stderr) == {
        "Files": 3, "Skipped files": 0, "Agencies with a usable return": 2, "Entries": 3,
        "Rejected rows": 4, "Errors": 2, "Warnings": 0, "Gaps": 2, "Overlaps": 0,
        "Missing returns": 0, "Agencies without a usable return": 1, "Unusable files": 1}
    lines = result.stderr.splitlines()
    assert lines[lines.index("Review: review.toml") + 1:] == [
        ASC_UNUSABLE, POLICE_REJECTED, NOT_COMPLETE, "Wrote out/c.xlsx (3 entries)."]
    about = [(item, value) for item, value in sheet_rows(mixed / "out" / "c.xlsx", "About")
             if item in ("Rejected rows", "Complete", "Not complete")]
    assert about == [
        ("Rejected rows", 4),
        ("Complete", "NO: The return asc.xlsx from ASC could not be used (its 3 rows under the "
                     "header in row 1 of sheet Chronology are not in this chronology): The "
                     "chronology has no Date column (row 1 has: Event / Contact Details, Source "
                     "of Information)."),
        ("Not complete", "4 rows were rejected and are not in this chronology: 1 row listed here "
                         "(police.xlsx row 3) and 3 rows of asc.xlsx, a return that could not be "
                         "used."),
    ]
    findings = [(f[0], f[1], f[2], f[5], f[6], f[7]) for f in sheet_rows(mixed / "out" / "c.xlsx",
                                                                         "Findings")]
    assert findings == [
        ("returns/asc.xlsx", "Chronology", 1, "missing-column", "error",
         "The chronology has no Date column (row 1 has: Event / Contact Details, Source of "
         "Information)."),
        ("returns/asc.xlsx", "Chronology", 1, "rows-not-used", "info",
         "None of the 3 rows under the headings in row 1 is in the chronology: the return could "
         "not be used (see the error above), so they are counted as rejected."),
        ("returns/police.xlsx", "Chronology", 3, "date-invalid", "error",
         "The Date in row 3 cannot be read as a date. That month does not have that many days, "
         "so this date does not exist."),
    ]
    # a reader of the Findings sheet counts the same 4: 1 row-level error + 3 rows-not-used
    data = json.loads(dict(sheet_rows(mixed / "out" / "c.xlsx", "About"))["Account data"])
    assert (data["rejected_row_count"], len(data["rejected_rows"]),
            [u["rows"] for u in data["unusable"]]) == (4, 1, [3])


def test_validate_summary_and_closing_account_agree(mixed):
    result = runner.invoke(app, ["validate"], env={"COLUMNS": "120"})
    assert result.exit_code == 1
    assert summary_table(result.stdout) == {
        "Files": 3, "Skipped files": 0, "Agencies with a usable return": 2, "Entries": 3,
        "Rejected rows": 4, "Errors": 2, "Warnings": 0, "Missing returns": 0,
        "Agencies without a usable return": 1, "Unusable files": 1}
    lines = result.stdout.splitlines()
    assert lines[lines.index("Review: review.toml") + 1:] == [
        ASC_UNUSABLE, POLICE_REJECTED, NOT_COMPLETE]
    data = json.loads(runner.invoke(app, ["validate", "--format", "json"]).stdout)
    assert data["account"]["unusable"][0]["rows"] == 3 and data["summary"]["rejected_rows"] == 4
    asc = next(f for f in data["files"] if f["path"] == "returns/asc.xlsx")
    assert [(f["code"], f["row"]) for f in asc["findings"]] == [
        ("missing-column", 1), ("rows-not-used", 1)]


def test_validate_of_unusable_files_only_counts_them_in_the_summary(tmp_path, monkeypatch):
    """Before: 'Unusable returns 0' and 'Agencies 0' beside '3 unusable returns'."""
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "police-chronology.pdf").write_bytes(b"%PDF-1.4\n%fictional\n")
    write_return(folder / "letter.xlsx", [row(), row(day="04/03/2025")])  # no agency
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"], env={"COLUMNS": "120"})
    assert result.exit_code == 1
    table = summary_table(result.stdout)
    assert (table["Files"], table["Agencies with a usable return"], table["Entries"],
            table["Rejected rows"], table["Missing returns"], table["Agencies without a usable return"],
            table["Unusable files"]) == (
        2, 0, 0, 2, 2, 1, 2)
    assert result.stdout.splitlines()[-1] == (
        "Not complete: 0 entries in the chronology, 2 of 2 rows rejected (2 in 1 unusable "
        "file), 2 agencies missing, 1 agency without a usable return, 2 unusable files.")


def _account(**changes) -> Account:
    account = Account(review_file="review.toml", entries=5, rows=12, rejected_rows=7, unusable=[
        UnusableReturn("ASC", "returns/asc.xlsx", "No Date column.", "", 3, "Chronology", 2, 3),
        UnusableReturn("GP", "returns/gp.xlsx", "No agency.", "", 1, "Sheet1", 1, 1),
        UnusableReturn("Police", "returns/police.pdf", "Not a spreadsheet.", "", 0, None, None, 0)],
        rejected=[RejectedRow("Housing", "returns/housing.xlsx", "Chronology", r, ("date-invalid",))
                  for r in (4, 9, 11)])
    for name, value in changes.items():
        setattr(account, name, value)
    return account


def test_the_rejected_count_is_split_into_rows_listed_and_rows_of_unusable_returns():
    account = _account()
    assert (account.unusable_rows, account.unlisted, account.unaccounted) == (4, 0, 0)
    assert rejected_split(account) == " (3 listed row by row, 4 in 2 unusable files)"
    assert caveats(account) == [
        "The return asc.xlsx from ASC could not be used (its 3 rows under the header in row 2 of "
        "sheet Chronology are not in this chronology): No Date column.",
        "The return gp.xlsx from GP could not be used (its 1 row under the header in row 1 of "
        "sheet Sheet1 is not in this chronology): No agency.",
        "The return police.pdf from Police could not be used: Not a spreadsheet.",
        "7 rows were rejected and are not in this chronology: 3 rows listed here (housing.xlsx "
        "row 4; housing.xlsx row 9; housing.xlsx row 11) and 3 rows of asc.xlsx and 1 row of "
        "gp.xlsx, returns that could not be used.",
    ]
    assert account_lines(account)[-1] == (
        "Not complete: 5 entries in the chronology, 7 of 12 rows rejected (3 listed row by row, 4 "
        "in 2 unusable files), 0 agencies missing, 3 agencies without a usable return, "
        "3 unusable files.")


def test_rows_listed_only_keep_the_plain_wording():
    account = _account(unusable=[], rejected_rows=3, rows=8)
    assert rejected_split(account) == ""
    assert caveats(account) == ["3 rows were rejected and are not in this chronology: housing.xlsx "
                                "row 4; housing.xlsx row 9; housing.xlsx row 11."]
    one = _account(unusable=[], rejected_rows=1, rows=6, rejected=_account().rejected[:1])
    assert caveats(one) == ["1 row was rejected and is not in this chronology: housing.xlsx row 4."]


def test_a_rejected_count_that_does_not_add_up_is_a_fault_not_a_sum():
    account = _account(rejected_rows=8, rows=13)  # one rejected row neither listed nor unusable
    assert account.unlisted == 1
    assert account_lines(account)[-1] == (
        "13 rows read: 5 in the chronology, 8 rejected (3 listed row by row, 4 in 2 unusable "
        "files); 1 not accounted for. This is a fault in sarkit: please report it.")


def test_the_account_read_back_from_a_workbook_keeps_the_rows_of_unusable_returns():
    account = _account()
    data = {**account.to_json(), "rejected_row_count": account.rejected_rows}
    again = Account.from_json(json.loads(json.dumps(data)))
    assert again.unusable == account.unusable and again.rejected_rows == 7
    assert account_lines(again)[1:] == account_lines(account)[1:]


# --------------------------------------------------------------------------------------------
# A text file under a workbook's name

@pytest.mark.parametrize(("name", "said"), [
    ("police.xlsx", "The file is named .xlsx but is not an Excel workbook: it holds plain text, so "
                    "its content does not match its name; it was read as a CSV file."),
    ("POLICE.XLS", "The file is named .xls but is not an Excel workbook: it holds plain text, so "
                   "its content does not match its name; it was read as a CSV file."),
    ("police.docx", "The file is named .docx but is not a Word document: it holds plain text, so "
                    "its content does not match its name; it was read as a CSV file."),
    ("police.csv", None), ("police.txt", None),
])
def test_text_under_an_office_name_is_said(name, said):
    assert text_under_office_name("text", name) == said
    assert text_under_office_name("xlsx", name) is None  # the bytes are what the name says


MISNAMED = ("The file is named .xlsx but is not an Excel workbook: it holds plain text, so its "
            "content does not match its name; it was read as a CSV file.")
RESAVE = ("Open the file in Excel or LibreOffice, save it again as .xlsx (Excel Workbook) and send "
          "it again; a CSV export should be named .csv.")


def test_a_csv_named_xlsx_is_read_as_the_csv_it_is_and_the_name_is_said(tmp_path):
    path = tmp_path / "police.xlsx"
    path.write_text("Date,Source of Information,Event / Contact Details\n"
                    "03/03/2025,Case notes,Home visit\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--agency", "Police", "--format", "json"])
    data = json.loads(result.stdout)
    misnamed = [(f["severity"], f["message"], f["hint"])
                for f in data["files"][0]["findings"] if f["code"] == "file-misnamed"]
    assert misnamed == [("warning", MISNAMED, RESAVE)]
    assert data["files"][0]["entries"] == 1 and data["account"]["unusable"] == []


def test_a_letter_named_xlsx_is_unusable_because_of_its_name(tmp_path):
    """Before: 'No sheet has a chronology header row... (visible sheets: CSV)' was the reason."""
    path = tmp_path / "police.xlsx"
    path.write_text("Dear colleague,\nplease find our notes below.\nRegards\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--agency", "Police"],
                           env={"COLUMNS": "120"})
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2] == (
        f"Police: unusable — {path}: {MISNAMED} Fix: {RESAVE}")


def test_a_workbook_made_before_unusable_rows_were_counted_adds_up():
    """An About sheet written before unusable returns carried their rows: the rejected rows it
    does not list are those returns' rows, not a fault in sarkit."""
    from sarkit.account import Account

    account = Account.from_json({
        "entries": 10, "rows": 15, "rejected_row_count": 5,
        "unusable": [{"agency": "Hospital", "file": "hospital.xlsx", "reason": "No header."}],
        "rejected_rows": [{"agency": "GP", "file": "gp.xlsx", "sheet": "Chronology", "row": 4,
                           "codes": ["date-invalid"], "cells": ["B4"]},
                          {"agency": "GP", "file": "gp.xlsx", "sheet": "Chronology", "row": 7,
                           "codes": ["date-missing"], "cells": ["B7"]}],
    })
    assert (account.unusable_rows, account.unlisted, account.unaccounted) == (3, 0, 0)
    with_rows = Account.from_json({
        "entries": 10, "rows": 15, "rejected_row_count": 5,
        "unusable": [{"agency": "Hospital", "file": "hospital.xlsx", "reason": "No header.",
                      "rows": 1}], "rejected_rows": []})
    assert (with_rows.unusable_rows, with_rows.unlisted) == (1, 4)  # a newer workbook: as it says


def test_rows_rejected_on_several_sheets_are_each_named_with_their_sheet():
    """A return read from sheets '2024' and '2025': each rejected row is named with its own
    sheet, in the closing account and in the caveats (before, all under the first sheet)."""
    rejected = [RejectedRow("ASC", "asc.xlsx", "2024", 6, ("date-invalid",), ("A6",)),
                RejectedRow("ASC", "asc.xlsx", "2025", 4, ("date-invalid",), ("A4",))]
    account = Account(rows=10, entries=8, rejected_rows=2, rejected=rejected)
    assert account_lines(account)[1] == (
        "ASC: 2 rows rejected — asc.xlsx: sheet 2024: row 6 (A6: date-invalid); sheet 2025: "
        "row 4 (A4: date-invalid). Fix these cells and send the return again.")
    assert caveats(account)[-1] == ("2 rows were rejected and are not in this chronology: asc.xlsx "
                                    "row 6 (sheet 2024); asc.xlsx row 4 (sheet 2025).")
    one = Account(rows=10, entries=9, rejected_rows=1, rejected=rejected[:1])
    assert account_lines(one)[1] == ("ASC: 1 row rejected — asc.xlsx, sheet 2024: row 6 (A6: "
                                     "date-invalid). Fix these cells and send the return again.")


def test_an_error_in_a_row_that_is_still_an_entry_is_not_a_rejected_row(tmp_path):
    """A formula with no saved value in an extra column is an error of the return (exit 1), but
    its row is in the chronology: the account balances instead of 'not accounted for'."""
    from conftest import HEADER

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append([*HEADER, "Notes"])
    sheet.append([*row(day="05/01/2025", event="Visit"), "=1+1"])  # openpyxl saves no value
    sheet.append([*row(day="06/01/2025", event="Visit 2"), "seen"])
    book.save(tmp_path / "police.xlsx")
    result = runner.invoke(app, ["collate", str(tmp_path / "police.xlsx"), "--agency", "Police",
                                 "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 1
    assert "rejected —" not in result.stderr  # no row listed as kept out
    assert "All 2 rows accounted for: 2 entries in the chronology." in result.stderr
    assert "not accounted for" not in result.stderr


def test_rows_of_a_sheet_not_read_are_named_with_their_sheet_in_the_caveats():
    """Rows of another sheet not read (other-chronology-sheet, sheet-not-read, table-not-read)
    are named with their sheet even when they are the file's only rejected rows: 'row 2' alone
    reads as row 2 of the chronology sheet. Rows of the chronology sheet alone are not."""
    rejected = [RejectedRow("Hospital", "hospital.xlsx", "Mental Health", 2, ("other-chronology-sheet",)),
                RejectedRow("Hospital", "hospital.xlsx", "Mental Health", 3, ("other-chronology-sheet",)),
                RejectedRow("ASC", "asc.xlsx", "Chronology", 7, ("date-invalid",), ("A7",)),
                RejectedRow("Police", "police.xlsx", "Notes", 4, ("table-not-read",)),
                RejectedRow("GP", "gp.xlsx", "Old", 5, ("sheet-not-read",))]
    account = Account(rows=20, entries=15, rejected_rows=5, rejected=rejected)
    assert caveats(account)[-1] == (
        "5 rows were rejected and are not in this chronology: hospital.xlsx row 2 (sheet Mental "
        "Health); hospital.xlsx row 3 (sheet Mental Health); asc.xlsx row 7; police.xlsx row 4 "
        "(sheet Notes); gp.xlsx row 5 (sheet Old).")


def test_every_output_names_the_sheet_of_rows_of_another_chronology_sheet(tmp_path, monkeypatch):
    """A police return with a second chronology sheet ('GP', named after another agency, so not
    read: its 2 rows rejected as other-chronology-sheet): the docx chronology, the About sheet,
    the workshop pack and the IMR name the sheet, as the closing account does. Before,
    'police.xlsx row 2' read as row 2 of the Chronology sheet."""
    import docx

    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    path = write_return(tmp_path / "returns" / "police.xlsx", [row(day="14/01/2025")], sheet="Chronology")
    book = openpyxl.load_workbook(path)
    other = book.create_sheet("GP")
    for values in (HEADER, row(day="01/08/2025"), row(day="05/08/2025")):
        other.append(values)
    book.save(path)
    write_return(tmp_path / "returns" / "gp.csv", [row(day="05/03/2025")])
    write_return(tmp_path / "returns" / "asc.csv", [row(day="06/03/2025")])
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["collate", "-o", "out/c.xlsx", "--also", "docx", "-q"])
    assert result.exit_code == 1, result.output
    said = ("2 rows were rejected and are not in this chronology: police.xlsx row 2 (sheet GP); "
            "police.xlsx row 3 (sheet GP).")
    assert ("Police: 2 rows rejected — returns/police.xlsx, sheet GP: row 2 "
            "(other-chronology-sheet); row 3 (other-chronology-sheet). Fix these cells and send the "
            "return again.") in result.stderr
    assert dict(sheet_rows(tmp_path / "out" / "c.xlsx", "About"))["Complete"] == f"NO: {said}"
    assert said in [p.text for p in docx.Document(str(tmp_path / "out" / "c.docx")).paragraphs]
    assert runner.invoke(app, ["gaps", "out/c.xlsx", "--html", "out/pack.html", "-q"]).exit_code == 1
    pack = (tmp_path / "out" / "pack.html").read_text("utf-8")
    assert f"<li>{said}</li>" in pack
    made = runner.invoke(app, ["new-imr", "--chronology", "out/c.xlsx", "--agency", "Police", "-o",
                               "out/imr.md"])
    assert made.exit_code == 0, made.output
    assert f"> - {said}" in (tmp_path / "out" / "imr.md").read_text("utf-8").splitlines()


def test_a_row_listed_as_rejected_makes_the_account_incomplete():
    """An error on a row that is no entry lists that row as rejected, even when the reader counted
    no rejected row: the account is then not complete (it said complete, with exit 1)."""
    from sarkit.account import account_for
    from sarkit.dates import PartialDate
    from sarkit.entries import Entry, ReturnResult
    from sarkit.findings import Severity, finding
    from sarkit.review import Review

    result = ReturnResult(path="gp.xlsx", agency="GP", data_rows=1, entries=[Entry(
        agency="GP", date=PartialDate(2025, 3, 3), source="GP record", event="Seen", file="gp.xlsx",
        sheet="Chronology", row=2)])
    result.findings.append(finding("formula-cell", "gp.xlsx", "The cell H4 holds a formula.",
                                   severity=Severity.ERROR, sheet="Chronology", row=4, cell="H4"))
    account = account_for([result], Review(), entries=1)
    assert [(r.row, r.codes) for r in account.rejected] == [(4, ("formula-cell",))]
    assert (account.rejected_rows, account.missing, account.unusable) == (0, [], [])
    assert not account.complete
