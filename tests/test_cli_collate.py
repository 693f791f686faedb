"""`sarkit collate`: sheets, columns, order, flags, safety, page setup, row conservation."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, SIMULATED_WINDOWS, row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS, SHEETS

runner = CliRunner()


def collate(*args: str):
    return runner.invoke(app, ["collate", *args])


def sheet_rows(path: Path, name: str) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path)
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


@pytest.fixture
def review_returns(tmp_path, review_file):
    """Police, ASC and GP returns for the review in review_file, with a few planted problems."""
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [
        row(day="03/03/2025", time="09:00", event="Welfare check at home",
            action="Informed ASC of concerns", practitioner="PC 101"),
        row(day="03/03/2025", time="", event="Call log reviewed", action="None",
            practitioner="Sergeant"),
        row(day="May 2025", time="", event="Patrols in the area", action="None",
            practitioner="PCSO"),
        row(day="31/02/2025", event="Impossible date"),
    ], title_rows=[["Police chronology"], []])
    write_return(folder / "asc.xlsx", [
        row(day="03/03/2025", time="", event="Safeguarding concern received",
            action="Section 42 enquiry opened", practitioner="Duty worker"),
        row(day="06/05/2025", time="", event="Visit by social worker", action="Care plan",
            practitioner="SW"),
        row(day="", event="Row with no date"),
    ])
    write_return(folder / "gp.csv", [
        row(day="02/05/2025", time="", event="Appointment missed", action="Letter sent",
            practitioner="GP"),
        row(day="06/05/2025", time="", event="Home visit by practice nurse", action="Dressings",
            practitioner="Nurse"),
        row(day="12/05/2025", time="14:00", event="=HYPERLINK(\"http://x\")", action="-1",
            practitioner="@PC"),
    ])
    return folder


def test_sheets_columns_order_flags(review_returns, review_file, tmp_path):
    out = tmp_path / "out" / "combined.xlsx"
    result = collate(str(review_returns), "-o", str(out), "--review", str(review_file))
    assert result.exit_code == 1, result.output  # written, but two rows were rejected
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == list(SHEETS)
    header = [c.value for c in book["Chronology"][1]]
    assert header == [*CHRONOLOGY_COLUMNS, "Days Since Previous"]
    chronology = sheet_rows(out, "Chronology")
    shown = [(r["Ref"], r["Agency"], r["Time"] or "", r["Event / Contact Details"])
             for r in chronology]
    assert shown == [
        ("C0001", "Police", "", "Call log reviewed"),        # untimed before timed, police first
        ("C0002", "ASC", "", "Safeguarding concern received"),
        ("C0003", "Police", "09:00", "Welfare check at home"),
        ("C0004", "Police", "", "Patrols in the area"),      # May 2025 sorts at 01/05
        ("C0005", "GP", "", "Appointment missed"),
        ("C0006", "ASC", "", "Visit by social worker"),
        ("C0007", "GP", "", "Home visit by practice nurse"),
        ("C0008", "GP", "14:00", '=HYPERLINK("http://x")'),
    ]
    dates = [(book["Chronology"].cell(row=r, column=2).value,
              book["Chronology"].cell(row=r, column=2).number_format) for r in (2, 5)]
    assert dates == [(dt.datetime(2025, 3, 3), "dd/mm/yyyy"),  # real date cells, sortable
                     (dt.datetime(2025, 5, 1), "mmmm yyyy")]   # May 2025 shows as written
    assert [r["Source Row"] for r in chronology] == [5, 2, 4, 6, 2, 3, 3, 4]  # numbers
    assert [r["Days Since Previous"] for r in chronology] == [None, 0, 0, None, None, 4, 0, 6]
    flags = {r["Ref"]: r["Flags"] for r in chronology}
    assert "multi-agency O1" in flags["C0001"] and "multi-agency O1" in flags["C0003"]
    assert "multi-agency O2" in flags["C0006"] and "multi-agency O2" in flags["C0007"]
    overlaps = sheet_rows(out, "Overlaps")
    assert [(o["Overlap"], o["Agencies"], o["Communication"]) for o in overlaps] == [
        ("O1", "Police, ASC", "recorded"),
        ("O2", "ASC, GP", "none recorded"),
    ]
    agencies = sheet_rows(out, "Agencies")
    assert [(a["Short Name"], a["Entries"], a["Errors"]) for a in agencies] == [
        ("Police", 3, 1), ("ASC", 2, 1), ("GP", 3, 0)]
    assert [(a["First Date"], a["Last Date"]) for a in agencies][0] == (
        dt.datetime(2025, 3, 3), dt.datetime(2025, 5, 1))
    assert all(len(a["SHA-256"]) == 64 for a in agencies)
    about = {r["Item"]: r["Value"] for r in sheet_rows(out, "About")}
    assert about["Reference"] == "SAR-TEST-1" and about["Gap days"] == 28


def test_formula_looking_text_stays_text(review_returns, review_file, tmp_path):
    out = tmp_path / "c.xlsx"
    collate(str(review_returns), "-o", str(out), "--review", str(review_file))
    book = openpyxl.load_workbook(out)
    cells = {c.value: c for c in book["Chronology"]["F"]}
    cell = cells['=HYPERLINK("http://x")']
    assert cell.data_type == "s" and cell.hyperlink is None
    action = book["Chronology"].cell(row=cell.row, column=7)
    assert action.value == "-1" and action.data_type == "s"


def test_page_setup_for_printing(review_returns, review_file, tmp_path):
    out = tmp_path / "c.xlsx"
    collate(str(review_returns), "-o", str(out), "--review", str(review_file))
    book = openpyxl.load_workbook(out)
    for name in SHEETS:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 8  # A3 on every sheet
        assert sheet.page_setup.fitToWidth in (1, None) and sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows in ("1:1", "$1:$1")
        assert sheet.freeze_panes == ("C2" if name == "Chronology" else "A2")  # Ref and Date stay
        assert sheet.auto_filter.ref is not None
        assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.left.text
        assert "SAR-TEST-1" in sheet.oddHeader.center.text
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert book["Chronology"]["A1"].font.bold


def test_row_conservation(review_returns, review_file, tmp_path):
    """Every data row of every input is in Chronology or in Findings, none twice."""
    out = tmp_path / "c.xlsx"
    collate(str(review_returns), "-o", str(out), "--review", str(review_file))
    placed = [(Path(r["Source File"]).name, int(r["Source Row"]))
              for r in sheet_rows(out, "Chronology")]
    rejected = [(Path(f["File"]).name, f["Row"]) for f in sheet_rows(out, "Findings")
                if f["Severity"] == "error" and f["Original Values"]]
    expected = {("police.xlsx", r) for r in range(4, 8)} | {("asc.xlsx", r) for r in (2, 3, 4)} | {
        ("gp.csv", r) for r in (2, 3, 4)}
    assert len(placed) + len(rejected) == len(expected)
    assert set(placed) | set(rejected) == expected
    assert not set(placed) & set(rejected)


def test_inputs_unchanged_and_output_safety(review_returns, review_file, tmp_path):
    def hashes() -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in review_returns.iterdir()}

    before = hashes()
    out = tmp_path / "c.xlsx"
    assert collate(str(review_returns), "-o", str(out), "--review", str(review_file)).exit_code == 1
    assert out.exists() and hashes() == before
    again = collate(str(review_returns), "-o", str(out), "--review", str(review_file))
    assert again.exit_code == 2 and "already exists" in again.stderr
    forced = collate(str(review_returns), "-o", str(out), "--review", str(review_file), "--force")
    assert forced.exit_code == 1 and "Wrote" in forced.stderr
    police = review_returns / "police.xlsx"
    onto_input = collate(str(police), "-o", str(police), "--force", "--agency", "Police")
    assert onto_input.exit_code == 2 and "one of the inputs" in onto_input.stderr
    assert hashes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".c-")]


def test_strict_writes_nothing_on_error(review_returns, review_file, tmp_path):
    out = tmp_path / "strict.xlsx"
    result = collate(str(review_returns), "-o", str(out), "--review", str(review_file), "--strict")
    assert result.exit_code == 1 and not out.exists()
    assert "Nothing written" in result.stderr


def test_csv_and_json_outputs(review_returns, review_file, tmp_path):
    out = tmp_path / "c.csv"
    assert collate(str(review_returns), "-o", str(out), "--review", str(review_file)).exit_code == 1
    with open(out, encoding="utf-8-sig", newline="") as handle:
        assert handle.readline().startswith("# Made by sarkit ")  # sarkit's mark
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8
    assert rows[-1]["Event / Contact Details"] == "'=HYPERLINK(\"http://x\")"
    assert rows[-1]["Practitioner / Role"] == "'@PC"
    out_json = tmp_path / "c.json"
    assert collate(str(review_returns), "-o", str(out_json), "--review",
                   str(review_file)).exit_code == 1
    data = json.loads(out_json.read_text())
    assert data["generator"].startswith("sarkit ")
    assert data["account"]["complete"] is False and data["account"]["entries"] == 8
    entries = data["entries"]
    assert entries[0]["Ref"] == "C0001" and entries[-1]["Event / Contact Details"].startswith("=")


def test_pseudonyms_applied_to_every_text_cell(tmp_path, review_file):
    review_file.write_text(review_file.read_text() + '\n[pseudonyms]\n"Jane Example" = "Adult T"\n')
    path = write_return(tmp_path / "returns" / "police.xlsx", [
        row(event="Visited jane example at home", action="Told Jane Example's son",
            practitioner="PC"),
    ])
    out = tmp_path / "c.xlsx"
    collate(str(path), "-o", str(out), "--review", str(review_file))
    book = openpyxl.load_workbook(out)
    text = " ".join(str(c) for ws in book for r in ws.iter_rows(values_only=True) for c in r)
    assert "jane" not in text.lower()
    assert "Visited Adult T at home" in text and "Told Adult T's son" in text


def test_missing_and_nil_returns_in_agencies(tmp_path, review_file):
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [row()])
    write_return(folder / "asc.xlsx", [])
    out = tmp_path / "c.xlsx"
    result = collate(str(folder), "-o", str(out), "--review", str(review_file))
    assert result.exit_code == 1  # written; GP's return is missing
    assert "GP: missing — no return was received. Ask the agency for it." in result.stderr
    agencies = {a["Short Name"]: a for a in sheet_rows(out, "Agencies")}
    assert (agencies["ASC"]["Nil Return"], agencies["ASC"]["Entries"]) == ("yes", 0)
    assert agencies["GP"]["Missing Return"] == "yes"
    gaps = sheet_rows(out, "Gaps")
    assert ("missing-return", "GP") in {(g["Kind"], g["Agency"]) for g in gaps}


def test_output_extension_must_be_known(tmp_path, review_returns):
    result = collate(str(review_returns), "-o", str(tmp_path / "c.pdf"), "--agency", "X")
    assert result.exit_code == 2 and ".xlsx, .docx, .csv or .json" in result.stderr


def test_extra_columns_carried(tmp_path):
    path = write_return(tmp_path / "r" / "p.xlsx", [[*row(), "High"]], header=[*HEADER, "Risk"])
    out = tmp_path / "c.xlsx"
    assert collate(str(path), "-o", str(out), "--agency", "Police").exit_code == 0
    [entry] = sheet_rows(out, "Chronology")
    assert entry["Risk"] == "High"


def test_returns_in_an_email_and_a_word_table_collate_like_xlsx(tmp_path):
    from corpus import docx_bytes, eml_bytes, entries, good_xlsx

    rows = entries(3)
    (tmp_path / "plain").mkdir()
    plain = good_xlsx(tmp_path / "plain" / "police.xlsx", rows)
    folder = tmp_path / "returns"
    folder.mkdir()
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    (folder / "mail.eml").write_bytes(eml_bytes([("police.xlsx", xlsx_type, plain.read_bytes())]))
    (folder / "gp.docx").write_bytes(docx_bytes(rows, agency="Riverside GP"))
    out = tmp_path / "c.xlsx"
    result = collate(str(folder), "-o", str(out), "--agency", "Northshire Police")
    assert result.exit_code == 0, result.output
    chronology = sheet_rows(out, "Chronology")
    by_agency: dict[str, list] = {}
    for r in chronology:
        by_agency.setdefault(r["Agency"], []).append(
            (r["Date"], r["Source of Information"], r["Event / Contact Details"]))
    assert set(by_agency) == {"Northshire Police", "Riverside GP"}
    assert by_agency["Northshire Police"] == by_agency["Riverside GP"]
    assert len(by_agency["Riverside GP"]) == 3
    assert {r["Source File"] for r in chronology} == {"mail.eml › police.xlsx", "gp.docx"}
    agencies = {a["Agency"]: a for a in sheet_rows(out, "Agencies")}
    received = agencies["Northshire Police"]["Received"]
    assert received.startswith("Email from Police SAR Team") and "SAR return: Police" in received


@pytest.mark.libreoffice
def test_libreoffice_opens_the_combined_workbook(review_returns, review_file, tmp_path):
    """The workbook opens in LibreOffice with every sheet (converted to ODS and read back)."""
    import shutil
    import subprocess

    import python_calamine

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "combined.xlsx"
    collate(str(review_returns), "-o", str(out), "--review", str(review_file))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
         "ods", "--outdir", str(tmp_path / "lo-out"), str(out)],
        check=True, capture_output=True, timeout=180,
    )
    book = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "lo-out" / "combined.ods"))
    assert book.sheet_names == list(SHEETS)
    rows = book.get_sheet_by_name("Chronology").to_python()
    assert rows[0][:4] == ["Ref", "Date", "Time", "Agency"] and len(rows) == 9


# ---- slips an administrator makes: the closing account and the exit code say what happened

@pytest.fixture
def three_returns(tmp_path, review_file):
    """A clean return from each of review_file's three agencies (file names match its globs)."""
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [row(day="03/03/2025", event="Welfare check"),
                                          row(day="10/03/2025", event="Patrol visit")])
    write_return(folder / "asc.xlsx", [row(day="04/03/2025", event="Concern received")])
    write_return(folder / "gp.csv", [row(day="05/03/2025", event="Appointment")])
    return folder


def test_run_from_inside_returns_finds_the_review_one_folder_up(three_returns, tmp_path, monkeypatch):
    monkeypatch.chdir(three_returns)
    result = collate(".", "-o", "../out/combined.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-3:] == [
        "Review: ../review.toml",
        "All 4 rows accounted for: 4 entries in the chronology.",
        "Wrote ../out/combined.xlsx (4 entries).",
    ]
    agencies = sheet_rows(tmp_path / "out" / "combined.xlsx", "Agencies")
    assert [(a["Short Name"], a["Entries"]) for a in agencies] == [
        ("Police", 2), ("ASC", 1), ("GP", 1)]  # names from review.toml's file patterns


def test_default_output_is_next_to_review_toml_never_among_the_returns(
        three_returns, tmp_path, monkeypatch):
    monkeypatch.chdir(three_returns)
    result = collate(".")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "combined.xlsx").is_file()
    assert not (three_returns / "out").exists()
    (tmp_path / "review.toml").unlink()
    refused = collate(".")  # no review.toml: out/ would be inside the returns folder
    assert refused.exit_code == 2
    assert "The output out/combined.xlsx is inside the returns folder ." in refused.stderr
    assert not (three_returns / "out").exists()
    assert "No review.toml: agencies taken from the files, no period checks." in collate(
        ".", "-o", "../elsewhere.xlsx", "--agency", "Police").stderr


def test_own_outputs_among_the_returns_are_skipped(three_returns, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert collate("returns", "-o", "out/combined.xlsx").exit_code == 0
    assert collate("returns", "-o", "out/combined.csv").exit_code == 0
    assert collate("returns", "-o", "out/combined.json").exit_code == 0
    assert runner.invoke(app, ["gaps", "returns", "--html", "out/pack.html"]).exit_code == 0
    for imr in ("out/imr.md", "out/imr.docx"):
        assert runner.invoke(app, ["new-imr", "--agency", "Police", "--chronology",
                                   "out/combined.xlsx", "-o", imr]).exit_code == 0
    properties = openpyxl.load_workbook(tmp_path / "out" / "combined.xlsx").properties
    assert properties.creator.startswith("sarkit ")
    assert properties.description.startswith("Made by sarkit ")
    made_by_sarkit = ("combined.xlsx", "combined.csv", "combined.json", "pack.html", "imr.md",
                      "imr.docx")
    for made in made_by_sarkit:
        (three_returns / made).write_bytes((tmp_path / "out" / made).read_bytes())
    result = collate("returns", "-o", "out/again.xlsx")
    assert result.exit_code == 0, result.output
    assert "All 4 rows accounted for: 4 entries in the chronology." in result.stderr
    findings = [(Path(f["File"]).name, f["Code"]) for f in sheet_rows(tmp_path / "out" / "again.xlsx",
                                                                       "Findings")]
    assert sorted(findings) == sorted((name, "sarkit-output") for name in made_by_sarkit)
    assert [a["Entries"] for a in sheet_rows(tmp_path / "out" / "again.xlsx", "Agencies")] == [
        2, 1, 1]


def test_a_copy_of_the_combined_chronology_among_the_returns_is_not_read_again(
        three_returns, tmp_path, monkeypatch):
    """Values pasted into a new workbook for the panel, or the sheet saved as CSV, and then saved
    among the returns: without sarkit's mark, its headings say what it is."""
    import csv

    monkeypatch.chdir(tmp_path)
    assert collate("returns", "-o", "out/combined.xlsx").exit_code == 0
    rows = list(openpyxl.load_workbook(tmp_path / "out" / "combined.xlsx")["Chronology"]
                .iter_rows(values_only=True))
    book = openpyxl.Workbook()
    book.active.title = "For the panel"
    for cells in rows:
        book.active.append(cells)
    book.save(three_returns / "Chronology for panel.xlsx")
    with open(three_returns / "panel.csv", "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    result = collate("returns", "-o", "out/again.xlsx")
    assert result.exit_code == 0, result.output
    assert "All 4 rows accounted for: 4 entries in the chronology." in result.stderr
    findings = {(Path(f["File"]).name, f["Code"], f["Sheet"] or "", f["Message"])
                for f in sheet_rows(tmp_path / "out" / "again.xlsx", "Findings")}
    copy = ("is a copy of a combined chronology made by sarkit collate (its headings are sarkit's, "
            "Ref, Source File and Source Row included), so the file was not read as a return: its "
            "entries came from the returns themselves.")
    assert findings == {
        ("Chronology for panel.xlsx", "sarkit-output", "For the panel", f"The sheet For the panel {copy}"),
        ("panel.csv", "sarkit-output", "", f"The file {copy}")}


def test_unusable_return_is_named_not_missing(three_returns, tmp_path, monkeypatch):
    write_return(three_returns / "asc.xlsx", [["Concern received", "Case notes"]],
                 header=["Event / Contact Details", "Source of Information"])
    monkeypatch.chdir(tmp_path)
    result = collate("returns", "-o", "out/c.xlsx")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert ("ASC: unusable — returns/asc.xlsx (its 1 row under the header in row 1 of sheet "
            "Chronology is not in the chronology): The chronology has no Date column (row 1 has: "
            "Event / Contact Details, Source of Information). Fix: Add the column with the heading "
            "from the Appendix 8b template, or map an existing heading with --map "
            "\"HEADING=field\".") in lines
    assert not [line for line in lines if "missing —" in line]
    assert lines[-2] == ("Not complete: 3 entries in the chronology, 1 of 4 rows rejected (1 in 1 "
                         "unusable file), 0 agencies missing, 1 agency without a usable return, "
                         "1 unusable file.")
    out = tmp_path / "out" / "c.xlsx"
    asc = {a["Short Name"]: a for a in sheet_rows(out, "Agencies")}["ASC"]
    assert (asc["Missing Return"], asc["Unusable Return"], asc["Returns"]) == ("no", "yes", 1)
    assert ("unusable-return", "ASC") in {(g["Kind"], g["Agency"]) for g in sheet_rows(out, "Gaps")}
    about = {r["Item"]: r["Value"] for r in sheet_rows(out, "About")}
    assert about["Complete"] == (
        "NO: The return asc.xlsx from ASC could not be used (its 1 row under the header in row 1 of "
        "sheet Chronology is not in this chronology): The chronology has no Date column (row 1 has: "
        "Event / Contact Details, Source of Information).")
    assert about["Not complete"] == ("1 row was rejected and is not in this chronology: 1 row of "
                                     "asc.xlsx, a return that could not be used.")
    gaps_run = runner.invoke(app, ["gaps", "out/c.xlsx", "--format", "json", "--html", "out/p.html"])
    assert gaps_run.exit_code == 1
    data = json.loads(gaps_run.stdout)
    assert data["missing_returns"] == [] and data["unusable_returns"] == [
        "Testshire Adult Social Care"]
    assert data["account"]["unusable"] == [{
        "agency": "Testshire Adult Social Care", "file": "returns/asc.xlsx",
        "reason": data["account"]["unusable"][0]["reason"], "fix": data["account"]["unusable"][0]["fix"],
        "rows": 1, "rows_not_listed": 1, "rows_repeated": False, "sheet": "Chronology", "header_row": 1}]
    pack = (tmp_path / "out" / "p.html").read_text("utf-8")
    assert "This chronology is not complete" in pack
    assert "The return asc.xlsx from ASC could not be used" in pack
    assert '<span class="badge silent">unusable</span>' in pack


def test_missing_agency_is_named_and_strict_writes_nothing(three_returns, tmp_path, monkeypatch):
    (three_returns / "gp.csv").unlink()
    monkeypatch.chdir(tmp_path)
    strict = collate("returns", "-o", "out/c.xlsx", "--strict")
    assert strict.exit_code == 1 and not (tmp_path / "out" / "c.xlsx").exists()
    assert "GP: missing — no return was received. Ask the agency for it." in strict.stderr
    assert "Nothing written" in strict.stderr
    result = collate("returns", "-o", "out/c.xlsx")
    assert result.exit_code == 1 and (tmp_path / "out" / "c.xlsx").exists()
    assert result.stderr.splitlines()[-3:] == [
        "GP: missing — no return was received. Ask the agency for it.",
        "Not complete: 3 entries in the chronology, 0 of 3 rows rejected, 1 agency missing, "
        "0 agencies without a usable return, 0 unusable files.",
        "Wrote out/c.xlsx (3 entries).",
    ]
    imr = runner.invoke(app, ["new-imr", "--agency", "Police", "--chronology", "out/c.xlsx",
                              "-o", "out/imr.md"])
    assert imr.exit_code == 0, imr.output
    assert "> - No return was received from GP." in (tmp_path / "out" / "imr.md").read_text("utf-8")


def test_rejected_rows_are_named_with_their_cells(three_returns, tmp_path, monkeypatch):
    write_return(three_returns / "police.xlsx", [row(day="03/03/2025"), row(day="31/02/2025"),
                                                 row(day="", source="")])
    monkeypatch.chdir(tmp_path)
    result = collate("returns", "-o", "out/c.xlsx")
    assert result.exit_code == 1
    assert ("Police: 2 rows rejected — returns/police.xlsx, sheet Chronology: row 3 (A3: "
            "date-invalid); row 4 (A4, C4: date-missing, source-missing). Fix these cells and "
            "send the return again.") in result.stderr.splitlines()


def test_resubmission_counts_agree_everywhere(three_returns, tmp_path, monkeypatch):
    write_return(three_returns / "police-resubmitted.xlsx", [
        row(day="03/03/2025", event="Welfare check"), row(day="10/03/2025", event="Patrol visit"),
        row(day="12/03/2025", event="Follow-up call")])
    monkeypatch.chdir(tmp_path)
    result = collate("returns", "-o", "out/c.xlsx")
    assert result.exit_code == 0, result.output
    assert ("All 7 rows accounted for: 5 entries in the chronology, 2 repeated rows collated "
            "once.") in result.stderr
    assert "Wrote out/c.xlsx (5 entries)." in result.stderr
    assert re.search(r"[│|] Entries +[│|] +5 [│|]", result.stderr)  # ASCII boxes on cp1252
    assert len(sheet_rows(tmp_path / "out" / "c.xlsx", "Chronology")) == 5
    checked = runner.invoke(app, ["validate", "returns", "--format", "json"])
    data = json.loads(checked.stdout)
    assert data["summary"]["entries"] == 5 and data["account"]["entries"] == 5
    repeats = [(Path(f["path"]).name, x["row"]) for f in data["files"] for x in f["findings"]
               if x["code"] == "duplicate-row"]
    assert repeats == [("police.xlsx", 2), ("police.xlsx", 3)] or repeats == [
        ("police-resubmitted.xlsx", 2), ("police-resubmitted.xlsx", 3)]
    collated = [(Path(f["File"]).name, f["Row"]) for f in sheet_rows(tmp_path / "out" / "c.xlsx",
                                                                     "Findings")
                if f["Code"] == "duplicate-row"]
    assert collated == repeats  # validate and collate report the same findings


def test_file_text_is_printed_as_written(tmp_path, monkeypatch):
    folder = tmp_path / "returns"
    write_return(folder / "police[/]x.csv", [[*row(), "High"]],
                 header=[*HEADER, "[link=http://x]Risk[/link] \x1b[2J"])
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "returns", "--agency", "Po[/]lice"])
    assert result.exit_code == 0, result.output
    assert "police[/]x.csv — Po[/]lice" in result.stdout
    shown = "\ufffd" if not SIMULATED_WINDOWS else "?"  # a cp1252 console has no U+FFFD
    assert f"[link=http://x]Risk[/link] {shown}[2J" in result.stdout
    assert "\x1b" not in result.stdout
    made = collate("returns", "-o", "out/c.xlsx", "--agency", "Po[/]lice")
    assert made.exit_code == 0, made.output
    assert "All 1 row accounted for" in made.stderr


def test_a_filled_template_is_a_return_not_sarkit_output(tmp_path, review_file, monkeypatch):
    """sarkit's blank template goes to agencies and comes back filled: it must be read."""
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["template", "--agency", "Police", "-o", "returns/police.xlsx"])
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(tmp_path / "returns" / "police.xlsx")
    for column, value in enumerate(["1", "03/03/2025", "10:00", "", "", "Case notes",
                                    "Home visit", "Referred", "PC 1"], start=1):
        book["Chronology"].cell(row=2, column=column, value=value)
    book.save(tmp_path / "returns" / "police.xlsx")
    checked = runner.invoke(app, ["validate", "returns", "--format", "json"])
    [only] = json.loads(checked.stdout)["files"]
    assert (only["skipped"], only["entries"]) == (False, 1)


def test_the_same_file_twice_is_accounted_for_once(three_returns, tmp_path, monkeypatch):
    write_return(three_returns / "police.xlsx", [row(day="03/03/2025"), row(day="31/02/2025")])
    (three_returns / "copy-of-police.xlsx").write_bytes((three_returns / "police.xlsx").read_bytes())
    monkeypatch.chdir(tmp_path)
    result = collate("returns", "-o", "out/c.xlsx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2] == (
        "Not complete: 3 entries in the chronology, 1 of 6 rows rejected, 2 repeated rows "
        "collated once, 0 agencies missing, 0 agencies without a usable return, 0 unusable files.")


def test_return_columns_named_like_sarkits_own_never_overwrite_them(tmp_path, monkeypatch):
    """Issue 15: 'Flags', 'Source File', 'sort date' in a return are kept beside sarkit's own."""
    folder = tmp_path / "returns"
    header = [*HEADER, "Flags", "Source File", "sort date", "=1+1"]
    write_return(folder / "police.csv", [[*row(), "RED", "case system", "yesterday", "x"]],
                 header=header)
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["collate", "returns", "--agency", "Police", "-o", "out/c.json"])
    assert made.exit_code == 0, made.output
    [entry] = json.loads((tmp_path / "out" / "c.json").read_text("utf-8"))["entries"]
    assert entry["Source File"].endswith("police.csv")
    assert (entry["Flags (return)"], entry["Source File (return)"], entry["sort date (return)"]) == (
        "RED", "case system", "yesterday")
    made = runner.invoke(app, ["collate", "returns", "--agency", "Police", "-o", "out/c.csv"])
    header_row = next(csv.reader((tmp_path / "out" / "c.csv").read_text("utf-8-sig").splitlines()[1:]))
    assert len(header_row) == len(set(header_row))
    assert "'=1+1" in header_row and "Flags (return)" in header_row
