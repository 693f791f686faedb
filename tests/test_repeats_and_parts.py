"""Two files of one agency: a row is collated once only when a reader would see the same entry in
both (a row changed in any column is kept, as a version); a return in two parts gets no
several-returns advice to remove one of them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.dates import PartialDate
from sarkit.entries import Entry, repeat_key

runner = CliRunner()

REF_HEADER = ["Ref", *HEADER, "Key Event"]
VERSIONS = ("If one of the two returns corrects the other, remove the older one from the returns "
            "folder.")


@pytest.fixture
def returns(review_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(review_file.parent)
    folder = review_file.parent / "returns"
    write_return(folder / "asc.xlsx", [row(event="Assessment")])
    write_return(folder / "gp.xlsx", [row(event="Consultation")])
    return folder


def _validate(*extra: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["validate", "--format", "json", *extra])
    return result.exit_code, json.loads(result.stdout)


def _findings(data: dict, path: str) -> list[tuple]:
    found = next(f for f in data["files"] if f["path"] == path)["findings"]
    return [(f["code"], f["row"], f["message"]) for f in found]


def _chronology() -> list[dict]:
    rows = list(openpyxl.load_workbook("out/c.xlsx")["Chronology"].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


FIRST = [["1", *row(day="14/01/2025", time="03:10", event="Brought in after fall"), "N"],
         ["2", *row(day="15/01/2025", time="09:00", event="Ward round", action="OT referral",
                    practitioner="Dr A"), "N"],
         ["3", *row(day="20/01/2025", time="10:00", event="Discharged"), "N"]]


@pytest.mark.parametrize("column, value", [(5, "Safeguarding concern raised with ASC"),
                                           (6, "Consultant"), (7, "Y")])
def test_a_row_changed_only_in_action_practitioner_or_key_event_is_kept_as_a_version(
        returns, column, value):
    second = [list(cells) for cells in FIRST]
    second[1][column] = value
    write_return(returns / "police-1.xlsx", FIRST, header=REF_HEADER)
    write_return(returns / "police-2.xlsx", second, header=REF_HEADER)
    code, data = _validate()
    assert code == 0
    several = ("several-returns", None, "Testshire Police has 2 returns: returns/police-1.xlsx and "
               "returns/police-2.xlsx. Entries identical in more than one are collated once.")
    assert _findings(data, "returns/police-1.xlsx") == [several]
    assert _findings(data, "returns/police-2.xlsx") == [
        several,
        ("agency-ref-versions", 3,
         "Row 3 of this return has the same Agency Ref as row 3 of returns/police-1.xlsx, another "
         "return of Testshire Police, with other contents (one return correcting the other?): both "
         "versions are in the chronology."),
        ("duplicate-row", 2,
         "Row 2 repeats row 2 of returns/police-1.xlsx (an entry of the same agency, Testshire "
         "Police, in another file); it is collated once."),
        ("duplicate-row", 4,
         "Row 4 repeats row 4 of returns/police-1.xlsx (an entry of the same agency, Testshire "
         "Police, in another file); it is collated once.")]
    files = {Path(f["path"]).name: f["entries"] for f in data["files"]}
    assert (files["police-1.xlsx"], files["police-2.xlsx"]) == (3, 1)
    result = runner.invoke(app, ["collate", "-o", "out/c.xlsx", "--force"])
    assert result.exit_code == 0, result.output
    ward = [r for r in _chronology() if r["Event / Contact Details"] == "Ward round"]
    assert [(r["Source File"], r["Agency Ref"], r[REF_HEADER[column]]) for r in ward] == [
        ("police-1.xlsx", "2", FIRST[1][column]), ("police-2.xlsx", "2", value)]


def test_a_row_changed_only_in_an_extra_column_is_kept_and_a_blank_extra_column_changes_nothing(returns):
    write_return(returns / "police-1.xlsx", [[*row(event="Welfare check"), "Response"],
                                             [*row(day="04/03/2025", event="Patrol"), ""]],
                 header=[*HEADER, "Team"])
    write_return(returns / "police-2.xlsx", [[*row(event="Welfare check"), "Neighbourhood", ""],
                                             [*row(day="04/03/2025", event="Patrol"), "", ""]],
                 header=[*HEADER, "Team", "Unit"])
    code, data = _validate()
    assert code == 0
    assert [f[:2] for f in _findings(data, "returns/police-2.xlsx")] == [
        ("unknown-column", 1), ("unknown-column", 1), ("several-returns", None), ("duplicate-row", 3)]
    files = {Path(f["path"]).name: f["entries"] for f in data["files"]}
    assert (files["police-1.xlsx"], files["police-2.xlsx"]) == (2, 1)


def test_the_repeat_key_is_every_column_a_reader_sees():
    entry = Entry("Testshire Police", PartialDate(2025, 3, 3), "Case notes", "Home visit",
                  action="Advice", practitioner="PC 1", extras={"Team": "", "Unit": "North"})
    same = Entry("Testshire Police", PartialDate(2025, 3, 3), "Case notes", "Home visit",
                 action="Advice", practitioner="PC 1", extras={"Unit": "North"}, agency_ref="7",
                 file="other.xlsx", row=9)
    assert repeat_key(entry) == repeat_key(same)  # a blank column, the ref and the place aside
    for change in ({"action": "advice"}, {"practitioner": "PC 2"}, {"analysis": "Missed"},
                   {"key_event": True}, {"extras": {"Unit": "South"}}, {"end_date": entry.date}):
        other = Entry("Testshire Police", PartialDate(2025, 3, 3), "Case notes", "Home visit",
                      action="Advice", practitioner="PC 1", extras={"Unit": "North"})
        for name, value in change.items():
            setattr(other, name, value)
        assert repeat_key(other) != repeat_key(entry), change


def test_a_repeat_within_one_file_is_the_same_in_every_column(returns):
    write_return(returns / "police.xlsx", [
        row(event="Welfare check"), row(event="Welfare check"),
        row(event="Welfare check", practitioner="PC 2"), row(event="Welfare check", action="None")])
    code, data = _validate()
    assert code == 0
    assert _findings(data, "returns/police.xlsx") == [
        ("duplicate-row", 3, "Row 3 repeats the entry in row 2 (the same in every column).")]
    assert next(f for f in data["files"] if f["path"] == "returns/police.xlsx")["entries"] == 4


ED = [["1", *row(day="14/01/2025", time="03:10", event="Brought in after fall"), ""],
      ["2", *row(day="14/01/2025", time="06:00", event="Transferred to ward"), ""],
      ["3", *row(day="15/01/2025", time="09:00", event="Frailty review"), ""]]
WARD = [["1", *row(day="16/01/2025", event="Ward round"), ""],
        ["2", *row(day="20/01/2025", event="OT assessment"), ""],
        ["3", *row(day="28/01/2025", event="Discharged"), ""]]


def test_parts_of_one_return_get_no_advice_to_remove_one_in_findings_or_letters(returns):
    write_return(returns / "police-ED.xlsx", ED, header=REF_HEADER)
    write_return(returns / "police-ward.xlsx", WARD, header=REF_HEADER)
    code, data = _validate("--feedback", "out/fb", "--reply-by", "15/01/2099")
    assert code == 0
    assert _findings(data, "returns/police-ED.xlsx") == []
    assert [f[:2] for f in _findings(data, "returns/police-ward.xlsx")] == [("agency-ref-parts", 2)]
    ed = Path("out/fb/police-ED-feedback.txt").read_text("utf-8")
    ward = Path("out/fb/police-ward-feedback.txt").read_text("utf-8")
    assert "replaces" not in ed + ward and "returns folder" not in ed + ward
    assert "Nothing needs to be changed." in ed and "Nothing needs to be changed." in ward
    assert ("FOR INFORMATION\n\n- Your return came in several files whose Ref numbers overlap; we "
            "read every file.\n") in ward


def test_a_third_file_beside_two_parts_is_still_several_returns_on_every_file(returns):
    write_return(returns / "police-ED.xlsx", ED, header=REF_HEADER)
    write_return(returns / "police-ward.xlsx", WARD, header=REF_HEADER)
    write_return(returns / "police-ward-v2.xlsx", [*WARD, ["4", *row(day="30/01/2025",
                                                                       event="Follow-up call"), ""]],
                 header=REF_HEADER)
    code, data = _validate()
    assert code == 0
    names = "returns/police-ED.xlsx, returns/police-ward-v2.xlsx and returns/police-ward.xlsx"
    several = ("several-returns", None, f"Testshire Police has 3 returns: {names}. Entries identical "
               "in more than one are collated once.")
    # the ED file is a part beside either ward file: nothing to remove; the two ward files are versions
    assert [f[0] for f in _findings(data, "returns/police-ED.xlsx")] == []
    assert _findings(data, "returns/police-ward-v2.xlsx")[0] == several
    assert _findings(data, "returns/police-ward.xlsx")[0] == several


# ---- a return in two files without a Ref column: parts, versions, or said to be unsure ----

SPRING = [row(day="06/01/2025", event="Welfare check"), row(day="20/02/2025", event="Missing person report"),
          row(day="30/03/2025", event="Concern for welfare call")]
AUTUMN = [row(day="02/09/2025", event="Domestic incident"),
          row(day="15/10/2025", event="Arrest of neighbour"),
          row(day="28/11/2025", event="Safeguarding referral to ASC")]
UNSURE_HINT = ("Check whether these are versions of one return or parts of it before removing either: parts "
               "(other entries, other dates) are both kept; if one file replaces another, remove the older "
               "one from the returns folder.")


def _hints(data: dict, path: str) -> list[str]:
    return [f["hint"] for f in next(f for f in data["files"] if f["path"] == path)["findings"]]


def test_parts_without_refs_are_parts_with_no_advice_to_remove_one(returns):
    write_return(returns / "police 2025 Jan-Mar.xlsx", SPRING)
    write_return(returns / "police 2025 Sep-Nov.xlsx", AUTUMN)
    code, data = _validate("--feedback", "out/fb", "--reply-by", "15/01/2099")
    assert code == 0
    assert _findings(data, "returns/police 2025 Jan-Mar.xlsx") == []
    assert _findings(data, "returns/police 2025 Sep-Nov.xlsx") == [(
        "agency-parts", None, "Testshire Police's return came in more than one file: this return and "
        "returns/police 2025 Jan-Mar.xlsx have no Ref numbers in common, no entry in common, and periods "
        "that do not overlap, so they were read as parts of one return, not as versions: every row of "
        "both is in the chronology, told apart by Source File.")]
    files = {Path(f["path"]).name: f["entries"] for f in data["files"]}
    assert (files["police 2025 Jan-Mar.xlsx"], files["police 2025 Sep-Nov.xlsx"]) == (3, 3)
    first = Path("out/fb/police-2025-Jan-Mar-feedback.txt").read_text("utf-8")
    second = Path("out/fb/police-2025-Sep-Nov-feedback.txt").read_text("utf-8")
    assert "Nothing needs to be changed." in first and "Nothing needs to be changed." in second
    assert "FOR INFORMATION" not in first and "replaces" not in first + second
    assert ("FOR INFORMATION\n\n- Your return came in more than one file (this file and police 2025 "
            "Jan-Mar.xlsx), which hold different entries over different periods, so we read them as "
            "parts of one return and included every entry of both.\n") in second


def test_parts_whose_periods_barely_overlap_and_share_one_entry_are_parts(returns):
    # the first file's last entry is the second's first: one entry in both, inside both periods
    write_return(returns / "police-a.xlsx", [*SPRING, row(day="14/05/2025", event="Anti-social behaviour"),
                                             row(day="02/09/2025", event="Domestic incident")])
    write_return(returns / "police-b.xlsx", [*AUTUMN, row(day="01/12/2025", event="Follow-up visit"),
                                             row(day="19/12/2025", event="Welfare check")])
    _, data = _validate()
    assert [f[0] for f in _findings(data, "returns/police-a.xlsx")] == []
    assert _findings(data, "returns/police-b.xlsx")[0][2].startswith(
        "Testshire Police's return came in more than one file: this return and returns/police-a.xlsx "
        "have no Ref numbers in common, only 1 entry in common, and periods that barely overlap,")


def test_a_resubmission_without_refs_is_versions_as_before(returns):
    write_return(returns / "police v1.xlsx", SPRING)
    write_return(returns / "police v2.xlsx", [*SPRING, row(day="12/04/2025", event="Hate crime report")])
    code, data = _validate("--feedback", "out/fb", "--reply-by", "15/01/2099")
    assert code == 0
    several = ("several-returns", None, "Testshire Police has 2 returns: returns/police v1.xlsx and "
               "returns/police v2.xlsx. Entries identical in more than one are collated once.")
    assert _findings(data, "returns/police v1.xlsx") == [several]
    assert _findings(data, "returns/police v2.xlsx")[0] == several
    assert _hints(data, "returns/police v1.xlsx") == [
        "If one file is a resubmission, remove the older one from the returns folder."]
    letter = Path("out/fb/police-v1-feedback.txt").read_text("utf-8")
    assert ("- The whole file: We received 2 files from you: police v1.xlsx and police v2.xlsx. We "
            "included the entries of each (an entry that is the same in more than one is included once). "
            "If one of these files replaces the other, please tell us which one to use.\n") in letter


def test_a_reworded_resubmission_without_refs_is_versions(returns):
    """Every event reworded, on the same days: no entry in common, but the days say versions."""
    write_return(returns / "police v1.xlsx", SPRING)
    write_return(returns / "police v2.xlsx", [[*cells[:3], f"{cells[3]} (reworded)", *cells[4:]]
                                              for cells in SPRING])
    _, data = _validate()
    assert [(f[0], f[2].endswith("Entries identical in more than one are collated once.")
             and "may be" not in f[2]) for f in _findings(data, "returns/police v1.xlsx")] == [
        ("several-returns", True)]


def test_two_files_over_one_period_with_other_entries_are_said_to_be_unsure(returns):
    write_return(returns / "police-east.xlsx", [row(day="06/01/2025", event="Welfare check"),
                                                row(day="20/03/2025", event="Missing person report"),
                                                row(day="30/06/2025", event="Concern for welfare call")])
    write_return(returns / "police-west.xlsx", [row(day="10/02/2025", event="Domestic incident"),
                                                row(day="15/04/2025", event="Arrest of neighbour"),
                                                row(day="28/05/2025", event="Referral to ASC")])
    code, data = _validate("--feedback", "out/fb", "--annotate", "out/ann", "--reply-by", "15/01/2099")
    assert code == 0
    several = ("several-returns", None, "Testshire Police has 2 returns: returns/police-east.xlsx and "
               "returns/police-west.xlsx. They share few entries but cover overlapping periods, so they "
               "may be versions of one return or parts of it: check which before removing either. "
               "Entries identical in more than one are collated once.")
    for path in ("returns/police-east.xlsx", "returns/police-west.xlsx"):
        assert _findings(data, path) == [several]
        assert _hints(data, path) == [UNSURE_HINT]
    files = {Path(f["path"]).name: f["entries"] for f in data["files"]}
    assert (files["police-east.xlsx"], files["police-west.xlsx"]) == (3, 3)
    said = ("We received 2 files from you: police-east.xlsx and police-west.xlsx. They hold mostly "
            "different entries over the same period, so they may be parts of one return or versions of "
            "it; we included every entry of each (an entry that is the same in more than one is included "
            "once).", "If they are parts of one return, nothing needs to change; if one replaces the "
            "other, please tell us which one to use.")
    letter = Path("out/fb/police-east-feedback.txt").read_text("utf-8")
    assert f"- The whole file: {said[0]} {said[1]}\n" in letter
    sheet = openpyxl.load_workbook("out/ann/police-west-annotated.xlsx")["What to fix"]
    assert [r for r in sheet.iter_rows(values_only=True) if r[0] == "the whole file"] == [
        ("the whole file", "Please check", *said)]
