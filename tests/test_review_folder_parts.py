"""Whose rows are whose in a review folder: a README or the Terms of Reference among the returns is
skipped, not an unusable return; a joint-visit row naming its own agency and another is the
return's agency's entry; an agency's return in two files numbered alike is two parts, not two
versions, with distinct stable refs."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import HEADER, row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.intake.sniff import named_not_a_return
from sarkit.refs import entry_keys

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
aliases = ["Adult Social Care"]
files = ["*asc*"]

[[agencies]]
name = "Hill Surgery"
short = "GP"
files = ["*gp*"]
"""

SKIPPED = ("The file was skipped: its name says it is not a return (a read-me, terms of reference, "
           "guidance, covering letter or notes) and no chronology table could be read from it.")


@pytest.fixture
def returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    folder = tmp_path / "returns"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    return folder


def _validate() -> tuple[int, dict]:
    result = runner.invoke(app, ["validate", "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _file(data: dict, path: str) -> dict:
    return next(f for f in data["files"] if f["path"] == path)


def _findings(data: dict, path: str) -> list[tuple]:
    return [(f["code"], f["severity"], f["sheet"], f["row"], f["cell"])
            for f in _file(data, path)["findings"]]


def _collate(*extra: str):
    return runner.invoke(app, ["collate", "-o", "out/combined.xlsx", "--force", *extra])


def _chronology(path: Path = Path("out/combined.xlsx")) -> list[dict]:
    rows = list(openpyxl.load_workbook(path)["Chronology"].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _three_clean_returns(folder: Path) -> None:
    for name in ("police", "asc", "gp"):
        write_return(folder / f"{name}.xlsx", [row(event=f"Contact by {name}")])


def _terms_of_reference(path: Path, title: str = "Terms of Reference") -> None:
    document = docx.Document()
    document.add_heading(title, 1)
    document.add_paragraph("How well did agencies share information?")
    document.save(path)


# ---- item 5: a README or the Terms of Reference in returns/ ----


@pytest.mark.parametrize("name", ["README.txt", "ReadMe.md", "read me.docx", "Terms of Reference.docx",
                                  "TermsOfReference.pdf", "SAR-2026-01 ToR v2.docx", "SAR_ToR.docx",
                                  "Guidance for agencies.pdf", "Instructions.txt", "Covering letter.docx",
                                  "CoveringEmail.msg", "email.txt", "Meeting notes.docx"])
def test_names_that_say_not_a_return(name):
    assert named_not_a_return(name)


@pytest.mark.parametrize("name", ["police.xlsx", "Tornado.xlsx", "history.xlsx", "storage.csv",
                                  "Mentor.xlsx", "Director's chronology.docx", "readmission.xlsx",
                                  "emails-log.xlsx", "notebook.xlsx"])
def test_names_that_do_not(name):
    assert not named_not_a_return(name)


def test_a_timetable_in_a_document_so_named_is_skipped_an_example_chronology_is_not(returns):
    """Terms of Reference with a timetable (Date | Milestone | Action | Lead: no Source, no Event):
    no chronology read, skipped. Guidance with an example chronology table (no agency): its row
    cannot be told from a real one, so it is a return without its agency (tests/test_skip_by_name.py)."""
    _three_clean_returns(returns)
    document = docx.Document()
    document.add_paragraph("Terms of Reference")
    table = document.add_table(rows=3, cols=4)
    for cells, values in zip(table.rows, (["Date", "Milestone", "Action", "Lead"],
                                          ["01/10/2025", "Returns due", "Send chronology", "Chair"],
                                          ["01/11/2025", "Workshop", "Attend", "Chair"]), strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    document.save(returns / "Terms of Reference.docx")
    example = docx.Document()
    example.add_paragraph("How to fill in the chronology")
    table = example.add_table(rows=2, cols=len(HEADER))
    for cells, values in zip(table.rows, (HEADER, row(source="e.g. GP record")), strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = str(value)
    example.save(returns / "Guidance for agencies.docx")
    code, data = _validate()
    assert code == 1
    assert _findings(data, "returns/Terms of Reference.docx") == [("skipped-file", "info", None, None, None)]
    assert [f[0] for f in _findings(data, "returns/Guidance for agencies.docx")] == [
        "agency-unknown", "rows-not-used"]
    assert [(u["file"], u["rows"]) for u in data["account"]["unusable"]] == [
        ("returns/Guidance for agencies.docx", 1)]
    assert (data["account"]["complete"], data["account"]["entries"]) == (False, 3)


def test_a_file_of_another_name_with_no_chronology_is_still_an_error(returns):
    _three_clean_returns(returns)
    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for cells, values in zip(table.rows, (["Date", "Milestone", "Action", "Lead"],
                                          ["01/10/2025", "Returns due", "Send chronology", "Chair"]),
                             strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    document.save(returns / "timetable.docx")
    code, data = _validate()
    assert code == 1
    assert "missing-column" in [f[0] for f in _findings(data, "returns/timetable.docx")]


def test_a_readme_and_the_terms_of_reference_are_skipped_and_the_review_is_complete(returns):
    _three_clean_returns(returns)
    (returns / "README.txt").write_text("Returns received for SAR-TEST-1.\nPolice return arrived.\n",
                                        encoding="utf-8")
    _terms_of_reference(returns / "Terms of Reference.docx")
    (returns / "ToR.pdf").write_bytes(b"%PDF-1.4\n%fictional terms of reference\n%%EOF\n")
    code, data = _validate()
    assert code == 0
    for path in ("returns/README.txt", "returns/Terms of Reference.docx", "returns/ToR.pdf"):
        assert _findings(data, path) == [("skipped-file", "info", None, None, None)]
        assert _file(data, path)["findings"][0]["message"] == SKIPPED
        assert (_file(data, path)["agency"], _file(data, path)["entries"]) == (None, 0)
    assert data["account"]["complete"] is True
    assert data["account"]["unusable"] == []
    assert data["account"]["entries"] == 3
    collated = _collate()
    assert collated.exit_code == 0, collated.output
    assert len(_chronology()) == 3
    found = [r for r in openpyxl.load_workbook("out/combined.xlsx")["Findings"].iter_rows(values_only=True)
             if r[5] == "skipped-file"]
    assert [(r[0], r[6], r[7]) for r in found] == [
        ("returns/README.txt", "info", SKIPPED), ("returns/Terms of Reference.docx", "info", SKIPPED),
        ("returns/ToR.pdf", "info", SKIPPED)]
    gaps = runner.invoke(app, ["gaps", "returns", "--format", "json"])
    assert gaps.exit_code == 0, gaps.output


def test_a_notes_file_holding_a_chronology_is_read_as_a_return(returns):
    _three_clean_returns(returns)
    write_return(returns / "Notes.xlsx", [[*row(event="Phone call"), "GP"]], header=[*HEADER, "Agency"])
    code, data = _validate()
    assert code == 0
    notes = _file(data, "returns/Notes.xlsx")
    assert (notes["agency"], notes["entries"], notes["findings"][0]["code"]) == (
        "Hill Surgery", 1, "several-returns")


def test_a_file_of_another_name_or_an_agencys_name_without_a_table_stays_an_error(returns):
    _three_clean_returns(returns)
    _terms_of_reference(returns / "summary.docx")
    _terms_of_reference(returns / "police notes.docx", "Notes")  # an agency's files pattern: its return
    code, data = _validate()
    assert code == 1
    for path in ("returns/summary.docx", "returns/police notes.docx"):
        assert _findings(data, path) == [("no-chronology-sheet", "error", None, None, None)]
    assert sorted(u["file"] for u in data["account"]["unusable"]) == [
        "returns/police notes.docx", "returns/summary.docx"]
    assert data["account"]["complete"] is False


# ---- item 3: a joint-visit row naming its own agency and another ----


def _asc_with_agency_column(folder: Path, cells: list[str]) -> None:
    write_return(folder / "asc.xlsx", [[*row(day=f"{n:02d}/04/2025", event=f"Visit {n}"), cell]
                                       for n, cell in enumerate(cells, 1)],
                 header=[*HEADER, "Agency"])


def test_a_joint_visit_naming_the_returns_own_agency_is_its_entry(returns):
    write_return(returns / "police.xlsx", [row(event="Joint visit")])
    write_return(returns / "gp.xlsx", [row(event="Appointment")])
    _asc_with_agency_column(returns, ["ASC and Police", "ASC & Police", "ASC/Police", "Police, ASC",
                                      "Adult Social Care + GP"])
    code, data = _validate()
    assert code == 0
    assert _findings(data, "returns/asc.xlsx") == [
        ("agency-joint-entry", "info", "Chronology", n, f"G{n}") for n in range(2, 7)]
    assert _file(data, "returns/asc.xlsx")["findings"][0]["message"] == (
        "The Agency in row 2 names several agencies of the review: the row is kept as ASC's entry, "
        "whose return this is (a joint contact with Police).")
    assert _file(data, "returns/asc.xlsx")["findings"][4]["message"].endswith(
        "(a joint contact with GP).")
    assert (_file(data, "returns/asc.xlsx")["entries"], data["account"]["rejected_rows"]) == (5, [])
    assert _collate().exit_code == 0
    agencies = [r["Agency"] for r in _chronology() if str(r["Event / Contact Details"]).startswith("Visit")]
    assert agencies == ["ASC"] * 5


def test_an_agency_cell_naming_other_agencies_only_is_an_error_not_not_listed(returns):
    write_return(returns / "police.xlsx", [row(event="Joint visit")])
    write_return(returns / "gp.xlsx", [row(event="Appointment")])
    _asc_with_agency_column(returns, ["ASC", "Police and GP", "ASC and Fire Service", "Fire Service"])
    code, data = _validate()
    assert code == 1
    assert _findings(data, "returns/asc.xlsx") == [
        ("agency-several", "error", "Chronology", 3, "G3"),
        ("agency-joint-entry", "info", "Chronology", 4, "G4"),
        ("agency-not-listed", "error", "Chronology", 5, "G5")]
    messages = [f["message"] for f in _file(data, "returns/asc.xlsx")["findings"]]
    assert messages[0] == (
        "The Agency in row 3 names several agencies of the review (Police and GP), none of them ASC, "
        "whose return this is, so the row is not put under any agency.")
    assert messages[1] == (
        "The Agency in row 4 names ASC, whose return this is, with others not in review.toml: the row "
        "is kept as ASC's entry (a joint contact).")
    assert (_file(data, "returns/asc.xlsx")["entries"], _file(data, "returns/asc.xlsx")["rejected_rows"]
            ) == (2, 2)
    assert [(r["row"], r["codes"]) for r in data["account"]["rejected_rows"]] == [
        (3, ["agency-several"]), (5, ["agency-not-listed"])]
    assert _collate().exit_code == 1


# ---- item 9: an agency's return in two files numbered alike ----

REF_HEADER = ["Ref", *HEADER]
ED = [["1", *row(day="14/03/2025", time="02:10", event="Attended ED after a fall")],
      ["2", *row(day="02/06/2025", time="19:40", event="Attended ED with UTI symptoms")],
      ["3", *row(day="30/11/2025", time="13:05", event="Attended ED: found on floor")]]
WARDS = [["1", *row(day="15/03/2025", event="Ward round")],
         ["2", *row(day="28/03/2025", event="Discharged home with reablement")],
         ["3", *row(day="19/12/2025", event="Discharged to nursing home")]]


def test_two_parts_numbered_alike_are_parts_not_versions_with_stable_refs(returns):
    write_return(returns / "police.xlsx", [row(event="Welfare check")])
    write_return(returns / "asc.xlsx", [row(event="Assessment")])
    write_return(returns / "gp-ED.xlsx", ED, header=REF_HEADER)
    write_return(returns / "gp-wards.xlsx", WARDS, header=REF_HEADER)
    code, data = _validate()
    assert code == 0
    # parts of one return: no several-returns (whose advice is to remove one of them)
    assert _findings(data, "returns/gp-ED.xlsx") == []
    assert _findings(data, "returns/gp-wards.xlsx") == [("agency-ref-parts", "info", "Chronology", 2, None)]
    assert _file(data, "returns/gp-wards.xlsx")["findings"][0]["message"] == (
        "Hill Surgery's return came in more than one file: this return and returns/gp-ED.xlsx use the "
        "same Ref numbers (rows 2, 3 and 4 here, 2, 3 and 4 there) for entries with other dates and "
        "events, so they were read as parts of one return, not as versions: every row of both is in "
        "the chronology, told apart by Source File.")
    assert [_file(data, p)["entries"] for p in ("returns/gp-ED.xlsx", "returns/gp-wards.xlsx")] == [3, 3]
    first = _collate()
    assert first.exit_code == 0, first.output
    refs = {(r["Source File"], r["Agency Ref"]): r["Ref"] for r in _chronology() if r["Agency"] == "GP"}
    assert len(refs) == 6 and len(set(refs.values())) == 6
    again = _collate()
    assert "no entry added, removed or changed" in again.stderr
    assert {(r["Source File"], r["Agency Ref"]): r["Ref"] for r in _chronology()
            if r["Agency"] == "GP"} == refs
    # a ward entry corrected: only it changes; every ref stays with its own entry
    write_return(returns / "gp-wards.xlsx", [WARDS[0], [*WARDS[1][:4], "Discharged home", *WARDS[1][5:]],
                                             WARDS[2]], header=REF_HEADER)
    third = _collate()
    assert "GP: 1 changed." in third.stderr
    assert {(r["Source File"], r["Agency Ref"]): r["Ref"] for r in _chronology()
            if r["Agency"] == "GP"} == refs


def test_a_resubmission_numbered_afresh_is_still_versions(returns):
    write_return(returns / "gp.xlsx", ED, header=REF_HEADER)
    renumbered = [["1", *row(day="01/03/2025", event="Telephone triage")],
                  *[[str(int(cells[0]) + 1), *cells[1:]] for cells in ED]]
    write_return(returns / "gp v2.xlsx", renumbered, header=REF_HEADER)
    _, data = _validate()
    codes = [f[0] for f in _findings(data, "returns/gp.xlsx")]
    assert codes[:2] == ["several-returns", "agency-ref-versions"]  # then the shared rows' duplicate-row
    assert "agency-ref-parts" not in codes + [f[0] for f in _findings(data, "returns/gp v2.xlsx")]


def test_parts_keep_distinct_identities():
    def entry(ref: str, part: str) -> Entry:
        return Entry("GP", PartialDate(2025, 3, 14), "Notes", "Seen", agency_ref=ref, ref_part=part)

    keys, _ = entry_keys([entry("1", "gp-ED.xlsx"), entry("1", "gp-wards.xlsx")])
    assert keys[0] != keys[1]
    swapped, _ = entry_keys([entry("1", "gp-wards.xlsx"), entry("1", "gp-ED.xlsx")])
    assert swapped == keys[::-1]  # known by file, not by order
    plain, _ = entry_keys([entry("1", "")])
    assert plain[0] not in keys


def test_a_reworded_resubmission_with_an_entry_put_in_is_versions_not_parts(returns):
    """v2 rewords every event and puts a missed entry in at Ref 2, so the Refs move on: the
    shared Refs name other dates and words, but the days are the same: versions (a warning)."""
    write_return(returns / "police.xlsx", [row(event="Welfare check")])
    write_return(returns / "asc.xlsx", [row(event="Assessment")])
    days = ["03/03/2025", "10/03/2025", "17/03/2025", "24/03/2025", "31/03/2025"]
    first = [[str(n), *row(day=day, event=f"Visit {n}")] for n, day in enumerate(days, start=1)]
    second = [[str(n), *row(day=day, event=f"Home visit number {n} by the practice nurse")]
              for n, day in enumerate([days[0], "05/03/2025", *days[1:]], start=1)]
    write_return(returns / "gp-v1.xlsx", first, header=REF_HEADER)
    write_return(returns / "gp-v2.xlsx", second, header=REF_HEADER)
    code, data = _validate()
    codes = [f[0] for f in _findings(data, "returns/gp-v2.xlsx")]
    assert "agency-ref-versions" in codes and "agency-ref-parts" not in codes
