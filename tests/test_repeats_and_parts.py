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
