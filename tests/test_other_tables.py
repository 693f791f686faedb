"""A second table on the chronology's sheet under headings that are not the chronology's
('Date changed | Medication | Change | Prescriber | Reason'): its rows are never read with the
first table's columns (Source = 'Started', Event = 'GP'); each is named and kept with its values."""

from __future__ import annotations

import datetime as dt

from conftest import HEADER, row
from test_table_shapes import BLANK, entries, found, read_one, write_xlsx
from typer.testing import CliRunner

from sarkit.cli import app

MEDICATION = ["Date changed", "Medication", "Change", "Prescriber", "Reason", None]
CHANGES = [[dt.datetime(2025, 3, 10), "Morphine sulfate MR 10mg bd", "Started", "GP", "Pain after fall",
            None],
           [dt.datetime(2025, 3, 24), "Morphine sulfate MR", "Increased to 20mg bd", "CNS",
            "Breakthrough pain", None]]
CONTACTS = [row(day="03/03/2025", event="Nurse visit after fall"),
            row(day="10/03/2025", event="Joint visit with GP")]


def hospice(tmp_path, *, heading=MEDICATION, gap=(BLANK, BLANK, ["Medication changes"] + [None] * 5)):
    return write_xlsx(tmp_path / "hospice.xlsx", [*CONTACTS, *gap, heading, *CHANGES])


def test_a_second_table_with_other_headings_is_not_read_as_entries(tmp_path):
    result = read_one(hospice(tmp_path))
    assert [e[2] for e in entries(result)] == ["Nurse visit after fall", "Joint visit with GP"]
    assert found(result) == [("second-table", 7, None), ("second-table", 8, None), ("second-table", 9, None),
                             ("text-after-table", 6, "A6")]
    heading, first, second = result.findings[:3]
    assert heading.severity == "warning" and heading.message == (
        "Row 7 holds the headings of a second table (Date changed, Medication, Change, Prescriber, "
        "Reason), not the chronology's; its 2 rows (rows 8-9) were not read as entries and are counted "
        "as rejected rows.")
    assert first.severity == second.severity == "error"
    assert first.message == ("Row 8 is in the second table under the headings in row 7; it was not "
                             "read as an entry (its values are kept with this finding).")
    assert first.values == {"Date changed": "10/03/2025", "Medication": "Morphine sulfate MR 10mg bd",
                            "Change": "Started", "Prescriber": "GP", "Reason": "Pain after fall"}
    assert second.values["Change"] == "Increased to 20mg bd"
    assert (result.data_rows, result.rejected_rows, result.unread_rows) == (
        4, 2, [("Chronology", 8), ("Chronology", 9)])


def test_a_second_heading_row_starting_date_right_under_the_table(tmp_path):
    heading = ["Date", "Medication", "Change", "Prescriber", "Reason", None]
    result = read_one(hospice(tmp_path, heading=heading, gap=()))
    assert [e[2] for e in entries(result)] == ["Nurse visit after fall", "Joint visit with GP"]
    assert found(result) == [("second-table", 4, None), ("second-table", 5, None), ("second-table", 6, None)]
    assert result.findings[1].values["Date"] == "10/03/2025"
    assert (result.data_rows, result.rejected_rows) == (4, 2)


def test_headings_saying_when_with_two_known_words_start_a_second_table(tmp_path):
    heading = ["When", "Staff member", "Outcome", "Notes", None, None]
    rows = [*CONTACTS, BLANK, heading, ["Weekly", "Carer", "Settled", "No concerns", None, None]]
    result = read_one(write_xlsx(tmp_path / "hospice.xlsx", rows))
    assert found(result) == [("second-table", 5, None), ("second-table", 6, None)]
    assert result.findings[0].message.endswith(
        "its 1 row (row 6) was not read as an entry and is counted as a rejected row.")
    assert result.findings[1].values == {"When": "Weekly", "Staff member": "Carer", "Outcome": "Settled",
                                         "Notes": "No concerns"}


def test_a_sign_off_under_the_table_is_no_second_table(tmp_path):
    rows = [*CONTACTS, BLANK, ["Completed by", "Role", "Date signed", None, None, None],
            ["A Smith", "Manager", "01/04/2025", None, None, None]]
    result = read_one(write_xlsx(tmp_path / "hospice.xlsx", rows))
    assert found(result) == [("text-after-table", 5, "A5")]
    assert (result.data_rows, result.rejected_rows) == (2, 0)


def test_the_same_headings_after_blank_rows_are_still_a_page_break(tmp_path):
    rows = [CONTACTS[0], BLANK, list(HEADER), CONTACTS[1]]
    result = read_one(write_xlsx(tmp_path / "hospice.xlsx", rows))
    assert [e[0] for e in entries(result)] == ["03/03/2025", "10/03/2025"]
    assert found(result) == [("repeated-header", 4, "A4")]


def test_an_entry_without_its_date_is_no_second_table(tmp_path):
    # short text in every cell and a dated row under it, but no blank row above and no 'Date'
    undated = ["Unknown", "Phone", "Call from GP", "No answer", "Left message", "Nurse"]
    result = read_one(write_xlsx(tmp_path / "hospice.xlsx", [CONTACTS[0], undated, CONTACTS[1]]))
    assert [e[0] for e in entries(result)] == ["03/03/2025", "10/03/2025"]
    assert found(result, "second-table") == []
    assert found(result, "date-invalid") == [("date-invalid", 3, "A3")]
    # nor after a blank row, when its Date cell says the date is not known
    result = read_one(write_xlsx(tmp_path / "hospice.xlsx", [CONTACTS[0], BLANK, undated, CONTACTS[1]]))
    assert [e[0] for e in entries(result)] == ["03/03/2025", "10/03/2025"]
    assert found(result, "second-table") == []


def test_validate_names_the_rows_of_the_second_table_and_the_return_is_not_complete(tmp_path):
    path = hospice(tmp_path)
    done = CliRunner().invoke(app, ["validate", "--agency", "Hospice", str(path)])
    assert done.exit_code == 1, done.output
    assert "row 8 (second-table); row 9 (second-table)" in done.output
    assert "2 entries in the chronology, 2 of 4 rows rejected" in done.output
    assert "Morphine" not in done.output and "Started" not in done.output
