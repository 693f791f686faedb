"""A combined workbook after analysts have worked on it: saved again in another format or with a
password, columns inserted, Agency cells, rows and the Agencies sheet edited by hand."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import row, write_return
from corpus import encrypt_office, ods_bytes, ods_rows
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS

runner = CliRunner()


@pytest.fixture
def combined(tmp_path: Path, review_file: Path) -> Path:
    """A combined workbook of Police (3 entries) and ASC (2 entries); the GP sent a nil return.
    Refs by date: C0001 Police 10/01, C0002 ASC 10/01, C0003 Police 03/03, C0004 ASC 05/03,
    C0005 Police 20/03."""
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [
        row(day="10/01/2025", event="Welfare check at home"),
        row(day="03/03/2025", event="Found in the street"),
        row(day="20/03/2025", event="Concern for welfare call"),
    ])
    write_return(folder / "asc.xlsx", [
        row(day="10/01/2025", event="Safeguarding concern received"),
        row(day="05/03/2025", event="Visit by social worker"),
    ])
    write_return(folder / "gp.xlsx", [], details={"Agency:": "GP", "Nil return:": "Yes"})
    out = tmp_path / "out" / "combined.xlsx"
    made = runner.invoke(app, ["collate", str(folder), "-o", str(out), "--review", str(review_file), "-q"])
    assert made.exit_code == 0, made.output
    return out


def gaps_json(path: Path, review_file: Path, **env: str) -> tuple[int, dict | None, str]:
    result = runner.invoke(app, ["gaps", str(path), "--review", str(review_file), "--format", "json"],
                           env=env or None)
    data = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result.exit_code, data, result.stderr


def combined_ods(path: Path) -> Path:
    """A combined workbook saved again as .ods: its Chronology header is sarkit's, and an About sheet."""
    chronology = ods_rows([list(CHRONOLOGY_COLUMNS), ["C0001", "10/01/2025", "", "Police", "Log",
                                                      "Visit", "", "", "", "", "", "", "p.xlsx", "2"]])
    about = ods_rows([["Item", "Value"], ["Reference", "SAR-TEST-1"]])
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="Chronology">{chronology}'
               f'</table:table><table:table table:name="About">{about}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    path.write_bytes(ods_bytes(content))
    return path


def test_a_combined_workbook_saved_as_ods_is_refused_plainly_never_read_as_a_return(
        combined, review_file, tmp_path):
    ods = combined_ods(tmp_path / "combined.ods")
    message = (f"{ods} is a combined workbook made by sarkit collate, saved again as a LibreOffice "
               "spreadsheet (.ods): sarkit reads a combined workbook only as .xlsx")
    code, data, stderr = gaps_json(ods, review_file)
    assert (code, data) == (2, None)
    assert message in " ".join(stderr.split()) and "save it as .xlsx" in stderr
    imr = runner.invoke(app, ["new-imr", "--agency", "Police", "--chronology", str(ods),
                              "--review", str(review_file), "-o", str(tmp_path / "imr.md")])
    assert imr.exit_code == 2 and message in " ".join(imr.stderr.split())
    diff = runner.invoke(app, ["diff", str(combined), str(ods), "--review", str(review_file)])
    assert diff.exit_code == 2 and message in " ".join(diff.stderr.split())
    # among returns, it is skipped as sarkit's output, not read as a return
    folder = tmp_path / "returns"
    (folder / "combined.ods").write_bytes(ods.read_bytes())
    from sarkit.pipeline.chronology import read_checked
    from sarkit.returns import ReadOptions
    from sarkit.review import load_review

    results = read_checked([folder], ReadOptions(review=load_review(review_file)))
    skipped = [r for r in results if r.path.endswith("combined.ods")]
    assert [(r.skipped, r.entries, [f.code for f in r.findings]) for r in skipped] == [
        (True, [], ["sarkit-output"])]
    assert sorted(r.agency for r in results if not r.skipped) == [
        "Hill Surgery", "Testshire Adult Social Care", "Testshire Police"]


def test_a_combined_workbook_saved_with_a_password_is_read_with_its_password(
        combined, review_file, tmp_path):
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(encrypt_office(combined.read_bytes(), "Secret1"))
    plain = gaps_json(combined, review_file)
    assert gaps_json(locked, review_file, SARKIT_PASSWORD="Secret1") == plain
    assert plain[1]["missing_returns"] == []
    diff = runner.invoke(app, ["diff", str(combined), str(locked), "--review", str(review_file)],
                         env={"SARKIT_PASSWORD": "Secret1"})
    assert diff.exit_code == 0 and "0 added, 0 removed, 0 changed" in diff.stdout
    wrong = gaps_json(locked, review_file, SARKIT_PASSWORD="wrong")
    assert wrong[0] != 0 and "password" in wrong[2]


def test_a_column_inserted_in_the_middle_is_kept_as_an_extra(combined, review_file):
    before = gaps_json(combined, review_file)
    book = openpyxl.load_workbook(combined)
    sheet = book["Chronology"]
    sheet.insert_cols(7)
    sheet["G1"] = "Analyst notes"
    sheet["G2"] = "ask about this"
    sheet.insert_cols(1)
    sheet["A1"] = "Question for workshop"
    book.save(combined)
    assert gaps_json(combined, review_file) == before


@pytest.mark.parametrize(("edit", "message"), [
    ("rename", "has no Chronology sheet"), ("about", "has no About sheet"),
    ("heading", "has no column headed Agency:")])
def test_a_combined_workbook_sarkit_cannot_read_is_a_usage_error_naming_what_is_missing(
        combined, review_file, edit, message):
    book = openpyxl.load_workbook(combined)
    if edit == "rename":
        book["Chronology"].title = "Chronology (mine)"
    elif edit == "about":
        del book["About"]
    else:
        book["Chronology"]["D1"] = "Organisation"
    book.save(combined)
    code, data, stderr = gaps_json(combined, review_file)
    assert (code, data) == (2, None)
    assert message in " ".join(stderr.split())
    assert "No returns were found" not in stderr


def edited(path: Path, change) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def refs_of(data: dict) -> list:
    return [(g["before_ref"], g["after_ref"]) for g in data["gaps"]]


def test_an_agency_cell_typed_by_hand_is_a_finding_naming_its_cell_never_a_new_agency(
        combined, review_file, tmp_path):
    old = tmp_path / "old.xlsx"
    old.write_bytes(combined.read_bytes())
    edited(combined, lambda book: book["Chronology"].__setitem__("D3", "Fire Service"))
    code, data, stderr = gaps_json(combined, review_file)
    assert code == 1
    assert (f"{combined}, sheet Chronology, cell D3: The Agency cell of row 3 of the Chronology "
            "sheet names an agency that is neither in review.toml nor on the Agencies sheet "
            "(changed by hand?), so the entry was kept out of the analysis, not put under a new "
            "agency." in stderr)
    assert "Fire Service" not in json.dumps(data)
    assert (f"Agency unknown: 1 row rejected — {combined}, sheet Chronology: row 3 (D3: "
            "agency-not-listed). Correct these cells in the combined workbook, or collate the "
            "returns again." in " ".join(stderr.split()))
    assert (data["account"]["entries"], data["account"]["rows"]) == (4, 5)
    assert "This is a fault in sarkit" not in stderr
    diff = runner.invoke(app, ["diff", str(old), str(combined), "--review", str(review_file)])
    assert "0 added, 0 removed, 1 changed" in diff.stdout and "Agency changed" in diff.stdout
    imr = runner.invoke(app, ["new-imr", "--agency", "Police", "--chronology", str(combined),
                              "--review", str(review_file), "-o", str(tmp_path / "imr.md")])
    assert imr.exit_code == 0, imr.output
    assert f"{combined}, sheet Chronology, cell D3: The Agency cell of row 3" in imr.stderr


def test_rows_deleted_copied_or_added_by_hand_are_said_and_the_account_balances(
        combined, review_file, tmp_path):
    old = tmp_path / "old.xlsx"
    old.write_bytes(combined.read_bytes())

    def copy_and_add(book):
        sheet = book["Chronology"]
        sheet.append([cell.value for cell in sheet[3]])  # row 7: a copy of row 3 (C0002)
        sheet.append([None, *[cell.value for cell in sheet[4]][1:]])  # row 8: no Ref
        sheet.delete_rows(6)  # C0005 deleted; the copy is row 6, the row without a Ref row 7

    edited(combined, copy_and_add)
    code, data, stderr = gaps_json(combined, review_file)
    text = " ".join(stderr.split())
    assert ("sheet Chronology, cell A6: Rows 3 and 6 of the Chronology sheet have the same Ref "
            "C0002 (a row copied by hand?): row 3 was analysed, and row 6 was kept out, so the "
            "entry is not analysed twice." in text)
    assert ("sheet Chronology, cell A7: Row 7 of the Chronology sheet has no Ref (a row added by "
            "hand?), so it was kept out of the analysis" in text)
    assert ("sheet Chronology: The Chronology sheet has 6 entry rows, but sarkit collate wrote it "
            "with 5 entries (its About sheet says so): 1 row was added (or copied) by hand "
            "since." in text)
    assert "fault in sarkit" not in text and '""' not in json.dumps(data)
    assert (data["account"]["entries"], data["account"]["rows"]) == (4, 6)
    diff = runner.invoke(app, ["diff", str(old), str(combined), "--review", str(review_file)])
    assert "2 added, 1 removed, 0 changed" in diff.stdout
    assert diff.stdout.splitlines()[1:] == [
        "Added: C0002 (ASC, row 2 of asc.xlsx)", "Added: (no Ref) (Police, row 3 of police.xlsx)",
        "Removed: C0005 (Police, row 4 of police.xlsx)"]


def test_an_agency_review_toml_no_longer_lists_is_said_and_its_entries_analysed(
        combined, review_file, tmp_path):
    text = review_file.read_text()
    start = text.index("[[agencies]]", text.index('name = "Testshire Police"') - 40)
    end = text.index("[[agencies]]", start + 1)
    review_file.write_text(text[:start] + text[end:])  # the Police removed from review.toml
    code, data, stderr = gaps_json(combined, review_file)
    assert code == 0
    assert (f"{combined}, sheet Chronology, cell D2: The Chronology sheet holds 3 entries of "
            "Testshire Police (the first in row 2), an agency review.toml does not list "
            "(removed, or renamed without an alias, since the workbook was made): they are "
            "analysed as the workbook gives them." in " ".join(stderr.split()))
    assert (data["account"]["entries"], data["account"]["rows"]) == (5, 5)


def test_an_agency_renamed_in_review_toml_with_its_short_name_kept_is_no_finding(
        combined, review_file):
    review_file.write_text(review_file.read_text().replace('name = "Testshire Police"',
                                                           'name = "Testshire Constabulary"'))
    code, data, stderr = gaps_json(combined, review_file)
    assert code == 0 and "does not list" not in stderr
    assert "Testshire Constabulary" in json.dumps(data) and "Testshire Police" not in json.dumps(data)


def test_without_its_agencies_sheet_no_agency_is_called_missing(combined, review_file):
    code, before, _ = gaps_json(combined, review_file)
    assert before["missing_returns"] == []
    edited(combined, lambda book: book.remove(book["Agencies"]))
    code, data, stderr = gaps_json(combined, review_file)
    assert data["missing_returns"] == [] and "missing" not in refs_of(data)
    assert ("sheet Agencies: The Agencies sheet of the combined workbook has been deleted, so "
            "which agencies sent a nil return, an unusable return or none cannot be known from "
            "it: no agency is called missing" in " ".join(stderr.split()))
    assert data["gaps"] == before["gaps"]


def test_the_sheet_sorted_by_agency_gives_the_same_analysis(combined, review_file):
    code, before, _ = gaps_json(combined, review_file)

    def by_agency(book):
        sheet = book["Chronology"]
        rows = [[(c.value, c.number_format) for c in r] for r in sheet.iter_rows(min_row=2)]
        rows.sort(key=lambda cells: (str(cells[3][0]), str(cells[0][0])))  # ASC before Police
        for number, cells in enumerate(rows, start=2):
            for column, (value, number_format) in enumerate(cells, start=1):
                sheet.cell(number, column).value = value
                sheet.cell(number, column).number_format = number_format

    edited(combined, by_agency)
    assert openpyxl.load_workbook(combined)["Chronology"]["A2"].value == "C0002"
    assert [g["before_ref"] for g in before["gaps"] if g["kind"] == "all-agency"][0] == "C0002"
    assert gaps_json(combined, review_file)[:2] == (code, before)


def test_collate_force_over_an_analysts_column_keeps_a_copy_and_says_so(combined, review_file):
    def notes(book):
        sheet = book["Chronology"]
        sheet.insert_cols(7)
        sheet["G1"], sheet["G3"] = "Analyst notes", "ask about this"
        sheet.cell(1, sheet.max_column + 1, "Empty column")

    edited(combined, notes)
    before = combined.read_bytes()
    again = runner.invoke(app, ["collate", str(combined.parent.parent / "returns"), "-o",
                                str(combined), "--review", str(review_file), "--force", "-q"])
    assert again.exit_code == 0, again.output
    kept = combined.with_name("combined.kept.xlsx")
    # the headings alone are read (the whole sheet took 8 s at 100,000 entries): a column with a
    # heading counts even when empty
    assert (f"Warning: {combined} had columns not written by sarkit (Analyst notes, Empty column), "
            f"which the new workbook does not have; a copy of the old workbook keeps them: {kept}."
            in " ".join(again.stderr.split()))
    assert kept.read_bytes() == before
    headings = [c.value for c in openpyxl.load_workbook(combined)["Chronology"][1]]
    assert "Analyst notes" not in headings
    quiet = runner.invoke(app, ["collate", str(combined.parent.parent / "returns"), "-o",
                                str(combined), "--review", str(review_file), "--force", "-q"])
    assert "Warning" not in quiet.stderr and not combined.with_name("combined.kept2.xlsx").exists()
