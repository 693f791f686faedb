"""A sign-off block under the chronology table ('Name | Designation | Date' over 'A Smith | Manager |
01/04/2025', 'Completed by: A Smith', labels down column A with values in column B, a declaration)
is text under the table in every format: no entry is invented from it (least of all one dated the
day it was signed), no row is rejected. A last entry that only mentions signing stays an entry."""

from __future__ import annotations

import json

import pytest
from conftest import row
from test_other_tables import CHANGES, CONTACTS, MEDICATION
from test_table_shapes import (
    BLANK,
    conserved,
    entries,
    found,
    listed_rows,
    non_blank,
    read_one,
    write_csv,
    write_docx,
    write_xlsx,
)
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.sign_off import sign_off_start


def pad(*cells: object) -> list[object]:
    return [*cells, *[None] * (6 - len(cells))]


N = None
# the table's columns: Date | Time | Source | Event | Action | Practitioner
LAYOUTS = {
    # the helper's return: 'A Smith' under Date, 'Manager' under Time, the date under Source
    "labels-over-values": [pad("Name", "Designation", "Date"), pad("A Smith", "Manager", "01/04/2025")],
    "labels-over-values-date-under-date": [pad("Date", N, "Completed by", "Designation"),
                                           pad("01/04/2025", N, "A Smith", "Manager")],
    # the dangerous one: the day it was signed under Date, a name under Event
    "date-under-date-name-under-event": [pad("Date", N, N, "Signed"), pad("01/04/2025", N, N, "A Smith")],
    "date-completed-author-job-title": [pad("Date completed", N, "Author", "Job title"),
                                        pad("01/04/2025", N, "A Smith", "Team manager")],
    "four-labels": [pad("Completed by", "Job title", "Signature", "Date completed"),
                    pad("A Smith", "Social worker", "A Smith", "01/04/2025")],
    "authorised-by": [pad("Authorised by", N, "Role", "Date"),
                      pad("B Jones", N, "Head of service", "02/04/2025")],
    "approved-by-two-signatories": [pad("Approved by", "Position", "Date"),
                                    pad("B Jones", "Manager", "02/04/2025"),
                                    pad("C Brown", "Director", "03/04/2025")],
    "manager-countersigned": [pad("Manager", "Countersigned", "Date"),
                              pad("B Jones", "B Jones", "02/04/2025")],
    "label-and-value-in-one-cell": [pad("Completed by: A Smith"), pad("Designation: Manager"),
                                    pad("Date: 01/04/2025"), pad("Signed ____________")],
    "one-cell-date-first": [pad("Date: 01/04/2025"), pad("Name: A Smith"), pad("Role: Manager")],
    "vertical": [pad("Name", "A Smith"), pad("Designation", "Manager"), pad("Date", "01/04/2025"),
                 pad("Signature", "A Smith")],
    "vertical-with-colons": [pad("Prepared by:", "A Smith"), pad("Job title:", "Manager"),
                             pad("Date completed:", "01/04/2025")],
    "vertical-date-first": [pad("Date", "01/04/2025"), pad("Name", "A Smith")],
    "declaration": [pad("I confirm this chronology is accurate"), pad("Signed", N, "A Smith"),
                    pad("Date", N, "01/04/2025")],
    "quality-assured": [pad("Quality assured by: B Jones", N, N, "Date: 02/04/2025")],
    "two-blocks": [pad("Completed by", "Designation", "Date"), pad("A Smith", "Social worker", "01/04/2025"),
                   BLANK, pad("Quality assured by", "Role", "Date"), pad("B Jones", "Manager", "02/04/2025")],
}
WRITERS = {"xlsx": write_xlsx, "csv": write_csv, "docx": write_docx}


@pytest.mark.parametrize("gap", [0, 1, 3])
@pytest.mark.parametrize("kind", list(WRITERS))
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_sign_off_block_is_text_under_the_table(tmp_path, layout, kind, gap):
    rows = [*CONTACTS, *[BLANK] * gap, *LAYOUTS[layout]]
    result = read_one(WRITERS[kind](tmp_path / f"hospice.{kind}", rows))
    first = 2 + 2 + gap  # the header, two entries, the blank rows
    assert found(result) == [("text-after-table", first, None if kind == "docx" else f"A{first}")]
    assert f"ends before row {first}:" in result.findings[0].message
    assert listed_rows(result.findings[0].message) == {
        number for number, cells in enumerate(rows, start=2) if number >= first and any(cells)}
    assert [e[0] for e in entries(result)] == ["03/03/2025", "10/03/2025"]
    assert (result.data_rows, result.rejected_rows) == (2, 0)
    conserved(result, non_blank(rows))


def test_validate_exits_0_and_no_entry_is_dated_the_day_it_was_signed(tmp_path, monkeypatch):
    """'Date | | | Signed' over '01/04/2025 | | | A Smith' gave an entry dated 01/04/2025 (Word) or
    rejected rows (Excel); now it is text under the table and the return is complete."""
    monkeypatch.chdir(tmp_path)
    for kind in WRITERS:
        rows = [*CONTACTS, BLANK, *LAYOUTS["labels-over-values-date-under-date"]]
        path = WRITERS[kind](tmp_path / f"hospice.{kind}", rows)
        done = CliRunner().invoke(app, ["validate", "--agency", "Hospice", "--format", "json", str(path)])
        assert done.exit_code == 0, done.output
        [file] = json.loads(done.stdout)["files"]
        assert [(f["code"], f["severity"], f["row"]) for f in file["findings"]] == [
            ("text-after-table", "info", 5)]
        assert "A Smith" not in done.output and "Manager" not in done.output


@pytest.mark.parametrize("kind", list(WRITERS))
def test_a_last_entry_that_mentions_signing_stays_an_entry(tmp_path, kind):
    rows = [*CONTACTS,
            row(day="20/03/2025", source="Manager", event="Care plan signed by Mr X", action="Filed"),
            row(day="21/03/2025", source="Signed", event="Signature", action="Signed off",
                practitioner="Manager")]
    result = read_one(WRITERS[kind](tmp_path / f"hospice.{kind}", rows))
    assert found(result) == []
    assert [e[2] for e in entries(result)] == ["Nurse visit after fall", "Joint visit with GP",
                                               "Care plan signed by Mr X", "Signature"]


def test_an_entry_under_a_sign_off_is_still_an_entry(tmp_path):
    """The block must run to the foot: a dated entry under 'Name | A Smith' keeps the old reading."""
    rows = [*CONTACTS, BLANK, pad("Name", "A Smith"), pad("Date", "01/04/2025"),
            row(day="20/03/2025", event="Late entry")]
    result = read_one(write_xlsx(tmp_path / "hospice.xlsx", rows))
    assert [e[2] for e in entries(result)] == ["Nurse visit after fall", "Joint visit with GP", "Late entry"]
    assert result.rejected_rows == 2  # as before: the two label rows are errors, not guessed away


def test_a_sign_off_under_a_second_table_ends_it(tmp_path):
    rows = [*CONTACTS, BLANK, MEDICATION, *CHANGES, BLANK,
            pad("Completed by", "Designation", "Date"), pad("A Smith", "Manager", "01/04/2025")]
    result = read_one(write_xlsx(tmp_path / "hospice.xlsx", rows))
    assert found(result) == [("second-table", 5, None), ("second-table", 6, None), ("second-table", 7, None),
                             ("text-after-table", 9, "A9")]
    assert result.findings[0].message.endswith(
        "its 2 rows (rows 6-7) were not read as entries and are counted as rejected rows.")
    assert result.findings[-1].message == (
        "The second table ends before row 9: rows 9-10 under it (a sign-off) are not read as entries.")
    assert (result.data_rows, result.rejected_rows, result.unread_rows) == (
        4, 2, [("Chronology", 6), ("Chronology", 7)])


@pytest.mark.parametrize(("rows", "start"), [
    ([["Name", "Designation", "Date"], ["A Smith", "Manager", "01/04/2025"]], 0),
    ([["03/03/2025", "Home visit"], [], ["Completed by: A Smith"], ["Date: 01/04/2025"]], 2),
    ([["Signed ______", "", "Date ______"]], 0),
    ([["Date", "Role"], ["01/04/2025", "Manager"]], None),  # no label says who signed
    ([["Name", "Role", "Date"], ["A", "B", "1"], ["C", "D", "2"], ["E", "F", "3"]], None),  # a table
    ([["Signed statement taken from Mr X"]], None),
    ([["", "", "Manager", "Supervision", "Advice"]], None),
    ([["Completed by: A Smith"], ["03/03/2025", "10:00", "Case notes", "Home visit"]], None),
    ([["Name", "Role"], ["A Smith", "Manager", "Filed in the folder"]], None),  # a value outside the labels
    ([["", "", "Author", "Letter sent to GP"]], None),  # an entry without its date: a label as its source
    ([["Name", "A Smith"], ["", "", "Author", "Letter sent to GP"]], None),
])
def test_sign_off_start(rows, start):
    assert sign_off_start(rows) == start
