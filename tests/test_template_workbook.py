"""`sarkit template` and the blank Appendix 8b workbook it writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import sarkit.returns
from sarkit.cli import app
from sarkit.review import Agency, Review, load_review, render_review_toml
from sarkit.schema import load_schema

runner = CliRunner()

SHEETS = ["Instructions", "Details", "Chronology", "Glossary"]
LABELS = ["Agency:", "Review:", "Subject:", "Period:", "Author:", "Role:", "Date completed:"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def review_folder(tmp_path) -> Path:
    folder = tmp_path / "case"
    (folder / "returns").mkdir(parents=True)
    review = Review(
        reference="SAR-2026-01", subject="Adult C", marking="OFFICIAL-SENSITIVE",
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
        agencies=[
            Agency("Northshire Police", "Police", ("police", "officers")),
            Agency("Northshire Mental Health Trust", "Mental Health", ("CMHT",)),
        ],
    )
    (folder / "review.toml").write_text(render_review_toml(review), "utf-8")
    return folder


def headings_without_agency() -> list[str]:
    return [f.heading for f in load_schema().fields if f.key != "agency"]


def row_values(ws, row: int) -> list[object]:
    return [c.value for c in ws[row]]


def test_template_writes_one_workbook_per_agency_of_review_toml(review_folder):
    result = runner.invoke(app, ["template", "--review", "case"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Wrote case/out/templates/Police-chronology.xlsx (Northshire Police)",
        "Wrote case/out/templates/Mental-Health-chronology.xlsx (Northshire Mental Health Trust)",
    ]
    written = sorted(p.name for p in (review_folder / "out" / "templates").iterdir())
    assert written == ["Mental-Health-chronology.xlsx", "Police-chronology.xlsx"]


def test_template_uses_review_toml_in_the_current_folder(review_folder, monkeypatch):
    monkeypatch.chdir(review_folder)
    result = runner.invoke(app, ["template", "--agency", "CMHT"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Wrote out/templates/Mental-Health-chronology.xlsx (Northshire Mental Health Trust)",
    ]


def test_the_workbook_has_the_four_sheets_and_a_filled_details_sheet(review_folder):
    runner.invoke(app, ["template", "--review", "case"])
    wb = openpyxl.load_workbook(review_folder / "out" / "templates" / "Police-chronology.xlsx")
    assert wb.sheetnames == SHEETS
    details = wb["Details"]
    assert [details[f"A{row}"].value for row in range(1, 8)] == LABELS
    assert [details[f"B{row}"].value for row in range(1, 8)] == [
        "Northshire Police", "SAR-2026-01", "Adult C", "01/01/2025 to 31/12/2025", None, None, None,
    ]
    assert all(details[f"A{row}"].font.b for row in range(1, 8))
    glossary = wb["Glossary"]
    assert row_values(glossary, 1) == ["Abbreviation", "Meaning"]
    assert glossary["A1"].font.b and glossary["B1"].font.b
    instructions = " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    for phrase in ("one event per row", "dd/mm/yyyy", "?22/05/2025", "May 2025", "not opinion",
                   "nil return", "Glossary", "Do not merge cells, add formulas",
                   "Keep the header row as it is", "Adult C"):
        assert phrase in instructions


def test_the_chronology_sheet_header_validation_and_print_setup(review_folder):
    runner.invoke(app, ["template", "--review", "case"])
    wb = openpyxl.load_workbook(review_folder / "out" / "templates" / "Police-chronology.xlsx")
    ws = wb["Chronology"]
    assert row_values(ws, 1) == headings_without_agency()
    assert ws.max_row == 1
    assert all(cell.font.b for cell in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width > 10
    assert ws.column_dimensions["G"].width >= 50  # Event / Contact Details
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for cells in ("B2:B2000", "D2:D2000"):  # Date, End Date
        dv = validations[cells]
        assert dv.type == "date"
        assert dv.errorStyle in ("information", "warning")  # text like ?22/05/2025 still goes in
        assert dv.allow_blank
        assert "?22/05/2025" in dv.prompt and "May 2025" in dv.prompt
    assert validations["K2:K2000"].type == "list"
    assert ws.column_dimensions["B"].number_format == "dd/mm/yyyy"
    assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    assert ws.oddHeader.left.text == "SAR-2026-01"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the file format's default, left out
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"


def test_every_sheet_carries_the_marking_and_holds_text_only(review_folder):
    runner.invoke(app, ["template", "--review", "case"])
    wb = openpyxl.load_workbook(review_folder / "out" / "templates" / "Police-chronology.xlsx")
    for ws in wb.worksheets:
        assert "OFFICIAL-SENSITIVE" in ws.oddHeader.center.text
        for row in ws.iter_rows():
            for cell in row:
                assert cell.value is None or cell.data_type == "s", (ws.title, cell.coordinate)


def test_an_agency_name_that_looks_like_a_formula_stays_text(tmp_path):
    result = runner.invoke(app, ["template", "--agency", "=HYPERLINK(\"http://x\")", "-o", "t.xlsx"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert wb["Details"]["B1"].value == '=HYPERLINK("http://x")'
    assert wb["Details"]["B1"].data_type == "s"


def test_agency_matched_by_alias_uses_the_review_agency(review_folder):
    result = runner.invoke(app, ["template", "--review", "case/review.toml", "--agency", "officers"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Wrote case/out/templates/Police-chronology.xlsx (Northshire Police)",
    ]
    wb = openpyxl.load_workbook(review_folder / "out" / "templates" / "Police-chronology.xlsx")
    assert wb["Details"]["B1"].value == "Northshire Police"
    assert wb["Chronology"].oddHeader.right.text == "Police"


def test_without_review_toml_an_agency_gets_a_template_in_out_templates(tmp_path):
    result = runner.invoke(app, ["template", "--agency", "A&E / Urgent Care"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Wrote out/templates/A-E-Urgent-Care-chronology.xlsx (A&E / Urgent Care)",
    ]
    wb = openpyxl.load_workbook(tmp_path / "out" / "templates" / "A-E-Urgent-Care-chronology.xlsx")
    details = wb["Details"]
    assert [details[f"B{row}"].value for row in range(1, 8)] == [
        "A&E / Urgent Care", None, None, None, None, None, None,
    ]
    assert wb["Chronology"].oddHeader.right.text == "A&&E / Urgent Care"  # '&&' prints as '&'


def test_a_single_agency_may_be_written_to_a_named_file(review_folder):
    result = runner.invoke(app, ["template", "--review", "case", "--agency", "Police",
                                 "-o", "sent/police.xlsx"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Wrote sent/police.xlsx (Northshire Police)"]
    assert (review_folder.parent / "sent" / "police.xlsx").is_file()


def test_an_output_folder_is_used_for_several_agencies(review_folder):
    result = runner.invoke(app, ["template", "--review", "case", "-o", "mail"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (review_folder.parent / "mail").iterdir()) == [
        "Mental-Health-chronology.xlsx", "Police-chronology.xlsx",
    ]


def test_a_file_name_for_several_agencies_is_a_usage_error(review_folder):
    result = runner.invoke(app, ["template", "--review", "case", "-o", "all.xlsx"])
    assert result.exit_code == 2
    assert "there are 2 agencies" in result.stderr
    assert not (review_folder.parent / "all.xlsx").exists()


def test_no_agencies_at_all_is_an_error_with_a_hint(tmp_path):
    result = runner.invoke(app, ["template"])
    assert result.exit_code == 1
    assert "There are no agencies to write templates for." in result.stderr
    assert "--agency NAME" in result.stderr
    assert not (tmp_path / "out").exists()


def test_existing_workbooks_are_not_replaced_without_force(review_folder):
    target = review_folder / "out" / "templates" / "Police-chronology.xlsx"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"filled in by the police")
    result = runner.invoke(app, ["template", "--review", "case"])
    assert result.exit_code == 2
    assert "case/out/templates/Police-chronology.xlsx already exists" in result.stderr
    assert "--force" in result.stderr
    assert target.read_bytes() == b"filled in by the police"
    assert not (target.parent / "Mental-Health-chronology.xlsx").exists()
    result = runner.invoke(app, ["template", "--review", "case", "--force"])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(target).sheetnames == SHEETS


def test_a_boards_own_schema_sets_the_header(tmp_path):
    schema = tmp_path / "board.toml"
    schema.write_text(
        '[[fields]]\nkey = "date"\nheading = "When"\ntype = "date"\nrule = "required"\n'
        '[[fields]]\nkey = "source"\nheading = "Record"\nrule = "required"\n'
        '[[fields]]\nkey = "agency"\nheading = "Agency"\n'
        '[[fields]]\nkey = "event"\nheading = "What happened"\nrule = "required"\n',
        "utf-8",
    )
    result = runner.invoke(app, ["template", "--agency", "GP", "--schema", str(schema), "-o", "gp.xlsx"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "gp.xlsx")["Chronology"]
    assert row_values(ws, 1) == ["When", "Record", "What happened"]
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["A2:A2000"]


def test_help_has_an_example():
    result = runner.invoke(app, ["template", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "sarkit template --agency Police" in result.stdout


# ---- round trip: a template filled in by an agency validates cleanly --------------------------

def _read_return(path: Path, review: Review):
    """The one result of reading a return as a user would."""
    [result] = sarkit.returns.read_return(path, sarkit.returns.ReadOptions(review=review))
    return result


def test_a_filled_in_template_validates_with_only_the_findings_its_entries_earn(review_folder):
    runner.invoke(app, ["template", "--review", "case", "--agency", "Police"])
    path = review_folder / "out" / "templates" / "Police-chronology.xlsx"
    wb = openpyxl.load_workbook(path)
    details = wb["Details"]
    details["B5"] = "Author One"
    details["B6"] = "Detective Sergeant, Safeguarding Review Unit"
    details["B7"] = dt.datetime(2026, 2, 1)
    ws = wb["Chronology"]
    ws.append(["1", dt.datetime(2025, 3, 4), "10:15", None, None, "Incident log",
               "Welfare check at the home address; Adult C found on the floor.",
               "Ambulance called; referred to ASC.", "PC (response)", "First fall known", "Y"])
    ws.append(["2", "?12/07/2025", None, None, None, "Incident log",
               "Concern for welfare call from a neighbour.", "Attended; no answer.", "PCSO", "", "N"])
    ws.append(["3", "August 2025", None, None, None, "# Author's note",
               "Records for August 2025 are archived.", "", "", "", ""])
    ws.append(["4", "03/09/2025", "2.30pm", None, None, "Incident log",
               "Call from Adult C about a lost key.", None, "Call handler", "", "N"])
    glossary = wb["Glossary"]
    glossary.append(["PCSO", "Police Community Support Officer"])
    wb.save(path)

    result = _read_return(path, load_review(review_folder / "review.toml"))

    assert result.agency == "Northshire Police"
    assert result.sheet == "Chronology"
    assert result.header_row == 1
    assert len(result.entries) == 4
    assert not result.nil
    assert [(f.code, f.cell) for f in result.findings] == [("action-missing", "H5")]
    assert ("PCSO", "Police Community Support Officer") in result.glossary


def test_a_template_returned_blank_is_not_a_nil_return_until_signed_off(review_folder):
    """The blank template left in returns/ is not the agency's nil return (an error: the return is
    still owed); the same template with Author and Date completed filled in, or with 'Nil return'
    under the headings, is one."""
    runner.invoke(app, ["template", "--review", "case", "--agency", "CMHT"])
    path = review_folder / "out" / "templates" / "Mental-Health-chronology.xlsx"
    review = load_review(review_folder / "review.toml")
    result = _read_return(path, review)
    assert result.agency == "Northshire Mental Health Trust"
    assert not result.nil
    assert [(f.code, f.severity.value, f.sheet) for f in result.findings] == [
        ("blank-template", "error", "Chronology")]
    assert result.findings[0].message == (
        "The return is a blank template: it has no entries and its Author and Date completed are "
        "empty, so it is not counted as a nil return and the agency's return is still owed.")
    book = openpyxl.load_workbook(path)
    labels = {row[0].value: row[0].row for row in book["Details"].iter_rows()}
    book["Details"].cell(labels["Author:"], 2, "Safeguarding lead")
    book["Details"].cell(labels["Date completed:"], 2, "03/03/2025")
    signed = review_folder / "returns" / "Mental-Health-signed.xlsx"
    signed.parent.mkdir(exist_ok=True)
    book.save(signed)
    result = _read_return(signed, review)
    assert result.nil
    assert [f.code for f in result.findings] == ["nil-return"]
    book = openpyxl.load_workbook(path)
    book["Chronology"].cell(2, 4, "Nil return - no involvement in the review period.")
    stated = review_folder / "returns" / "Mental-Health-stated.xlsx"
    book.save(stated)
    result = _read_return(stated, review)
    assert result.nil
    assert [(f.code, f.row) for f in result.findings] == [("nil-return", 2)]
    # 'Nil return' typed in the Date column (a row read as a divider), or 'Nil return: Yes' added
    # to the Details sheet: a nil return too; 'Nil return: No' is not
    book = openpyxl.load_workbook(path)
    book["Chronology"].cell(2, 2, "Nil return")
    book.save(stated)
    assert _read_return(stated, review).nil
    for answer, nil in (("Yes", True), ("No", False)):
        book = openpyxl.load_workbook(path)
        last = book["Details"].max_row
        book["Details"].cell(last + 1, 1, "Nil return:")
        book["Details"].cell(last + 1, 2, answer)
        book.save(stated)
        assert _read_return(stated, review).nil is nil, answer
