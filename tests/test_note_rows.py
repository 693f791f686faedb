"""A sentence written (or merged) across the table under a record (a case-note export's note)
joins the entry above it, with a note-row warning naming both rows; with no entry above it, it
is said and kept out of the chronology, as before; a heading across the table stays a divider."""

from __future__ import annotations

import json

import pytest
from conftest import HEADER, row
from test_table_shapes import BLANK, WIDTH, divider, read_one, write_csv, write_docx, write_xlsx
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()

NOTE = ("Adult Z was found on the floor by her son, who says he takes her money for her and that "
        "she has not eaten for two days.")
SECOND = "Son told the worker that Adult Z did not want further visits."
REVIEW = """[review]
reference = "SAR-TEST-1"
subject = "Adult Z"
period_start = 2025-01-01
period_end = 2025-12-31

[[agencies]]
name = "Testshire Adult Social Care"
short = "ASC"
files = ["*asc*"]
"""


def joined(row_number: int, entry_row: int) -> str:
    return (f"Row {row_number} is a note written across the table, a sentence rather than a heading, "
            f"under the entry in row {entry_row}: its text was added to that entry's Event / Contact "
            "Details. Check that the note belongs to that entry.")


def not_joined(row_number: int) -> str:
    return (f"Row {row_number} is a note written across the table, a sentence rather than a "
            "heading, not an entry: its text is not in the chronology.")


def said(result) -> list[tuple[str, str, str, int | None, str | None]]:
    return [(f.code, f.severity.value, f.sheet, f.row, f.cell) for f in result.findings]


def case_notes(tmp_path, kind: str):
    rows = [row(day="03/03/2025"), divider(NOTE), row(day="04/03/2025", event="Phone call"),
            divider(SECOND)]
    if kind == "csv":  # a merged range exported with its value in every cell
        rows = [[cells[0]] * WIDTH if cells[1] is None else cells for cells in rows]
        return write_csv(tmp_path / "asc.csv", rows)
    writer = write_docx if kind == "docx" else write_xlsx
    return writer(tmp_path / f"asc.{kind}", rows, merged_rows=(3, 5))


@pytest.mark.parametrize("kind", ["xlsx", "csv", "docx"])
def test_a_note_under_its_record_joins_that_entrys_event(tmp_path, kind):
    result = read_one(case_notes(tmp_path, kind))
    assert [(e.row, e.event) for e in result.entries] == [
        (2, f"Home visit\n{NOTE}"), (4, f"Phone call\n{SECOND}")]
    sheet = {"xlsx": "Chronology", "csv": "CSV", "docx": "Table 1"}[kind]
    cells = ("A3", "A5") if kind != "docx" else (None, None)
    assert said(result) == [("note-row", "warning", sheet, 3, cells[0]),
                            ("note-row", "warning", sheet, 5, cells[1])]
    assert [f.message for f in result.findings] == [joined(3, 2), joined(5, 4)]
    assert (result.data_rows, result.rejected_rows) == (2, 0)


def test_validate_and_collate_keep_the_note_and_exit_0(tmp_path):
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    path = case_notes(tmp_path, "xlsx")
    review = str(tmp_path / "review.toml")
    checked = runner.invoke(app, ["validate", "--review", review, "--format", "json", str(path)])
    assert checked.exit_code == 0, checked.output
    [file] = json.loads(checked.stdout)["files"]
    assert [(f["code"], f["severity"], f["row"]) for f in file["findings"]] == [
        ("note-row", "warning", 3), ("note-row", "warning", 5)]
    out = tmp_path / "combined.json"
    made = runner.invoke(app, ["collate", "--review", review, "--format", "json", "-o", str(out),
                               str(path)])
    assert made.exit_code == 0, made.output
    combined = json.loads(out.read_text(encoding="utf-8"))
    assert [(e["Source Row"], e["Event / Contact Details"]) for e in combined["entries"]] == [
        ("2", f"Home visit\n{NOTE}"), ("4", f"Phone call\n{SECOND}")]
    assert combined["account"]["complete"] is True


def test_two_note_rows_under_one_record_both_join_it_in_order(tmp_path):
    rows = [row(), divider(NOTE), divider(SECOND), row(day="04/03/2025")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(3, 4)))
    assert [e.event for e in result.entries] == [f"Home visit\n{NOTE}\n{SECOND}", "Home visit"]
    assert [f.message for f in result.findings] == [joined(3, 2), joined(4, 2)]


def test_a_note_under_a_wrapped_line_joins_the_entry_after_that_line(tmp_path):
    rows = [row(), [None, None, None, "More of the visit", None, None], divider(NOTE)]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(4,)))
    assert [e.event for e in result.entries] == [f"Home visit\nMore of the visit\n{NOTE}"]
    assert said(result) == [("continuation-row", "info", "Chronology", 3, "D3"),
                            ("note-row", "warning", "Chronology", 4, "A4")]
    assert result.findings[1].message == joined(4, 2)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_note_with_no_entry_above_is_said_and_never_joined(tmp_path, kind):
    """First row of the table; under a rejected row; under a heading; after a blank row."""
    rows = [divider(NOTE), row(day="03/03/2025"),
            row(day="31/02/2025", event="Rejected visit"), divider(SECOND),
            divider("Hospital admission"), divider("Adult Z was admitted to the ward."),
            row(day="05/03/2025"), BLANK, divider("Discharge was agreed with the family."),
            row(day="06/03/2025")]
    if kind == "csv":
        rows = [[cells[0]] * WIDTH if cells[0] is not None and cells[1] is None else cells
                for cells in rows]
        path = write_csv(tmp_path / "asc.csv", rows)
    else:
        path = write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(2, 5, 6, 7, 10))
    result = read_one(path)
    assert [(e.row, e.event) for e in result.entries] == [
        (3, "Home visit"), (8, "Home visit"), (11, "Home visit")]
    notes = [(f.row, f.severity.value, f.message) for f in result.findings if f.code == "note-row"]
    assert notes == [(2, "warning", not_joined(2)), (5, "warning", not_joined(5)),
                     (7, "warning", not_joined(7)), (10, "warning", not_joined(10))]
    assert [(f.code, f.row) for f in result.findings if f.code in ("divider-row", "date-invalid")] == [
        ("date-invalid", 4), ("divider-row", 6)]
    assert (result.data_rows, result.rejected_rows) == (4, 1)


@pytest.mark.parametrize("heading", ["Hospital admission", "2025", "Period 2: April 2025 onwards",
                                     "Contacts after discharge"])
def test_a_heading_merged_across_under_an_entry_stays_a_divider(tmp_path, heading):
    rows = [row(), divider(heading), row(day="04/03/2025", event="Phone call")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(3,)))
    assert [e.event for e in result.entries] == ["Home visit", "Phone call"]
    assert said(result) == [("divider-row", "info", "Chronology", 3, "A3")]


def test_a_joined_note_is_shown_only_with_its_entry(tmp_path):
    """The message never holds the note's words, even with --show-values (the entry does)."""
    path = write_xlsx(tmp_path / "asc.xlsx", [row(), divider(NOTE)], merged_rows=(3,))
    for show in (False, True):
        result = read_one(path, show_values=show)
        assert [f.message for f in result.findings] == [joined(3, 2)]
    assert HEADER[3] == "Event / Contact Details"


def test_a_remark_about_the_chronology_is_not_joined(tmp_path):
    remark = "This chronology was completed from the EMIS record by the practice safeguarding lead."
    rows = [row(day="03/03/2025"), row(day="04/03/2025", event="Phone call"), divider(remark)]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(4,)))
    assert [(e.row, e.event) for e in result.entries] == [(2, "Home visit"), (3, "Phone call")]
    assert said(result) == [("note-row", "warning", "Chronology", 4, "A4")]
    assert [f.message for f in result.findings] == [not_joined(4)]


def test_rows_alike_under_different_notes_are_not_duplicates(tmp_path):
    """The duplicate check sees each entry as read, its notes and wrapped lines joined."""
    rows = [row(), divider(NOTE), row(), divider(SECOND)]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(3, 5)))
    assert [(e.row, e.event) for e in result.entries] == [
        (2, f"Home visit\n{NOTE}"), (4, f"Home visit\n{SECOND}")]
    assert said(result) == [("note-row", "warning", "Chronology", 3, "A3"),
                            ("note-row", "warning", "Chronology", 5, "A5")]
    rows = [row(), divider(NOTE), row()]  # the first with a note, the second without
    result = read_one(write_xlsx(tmp_path / "asc2.xlsx", rows, merged_rows=(3,)))
    assert said(result) == [("note-row", "warning", "Chronology", 3, "A3")]
    more = [None, None, None, "More of the visit", None, None]
    rows = [row(), more, row(), [None, None, None, "Another line", None, None]]
    result = read_one(write_xlsx(tmp_path / "asc3.xlsx", rows))
    assert [e.event for e in result.entries] == ["Home visit\nMore of the visit", "Home visit\nAnother line"]
    assert [f.code for f in result.findings] == ["continuation-row", "continuation-row"]


def test_rows_alike_once_their_notes_are_joined_are_duplicates(tmp_path):
    repeated = "Row {0} repeats the entry in row {1} (the same in every column)."
    rows = [row(), divider(NOTE), row(), divider(NOTE), row(event=f"Home visit\n{NOTE}")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(3, 5)))
    assert [e.row for e in result.entries] == [2, 4, 6]
    assert [(f.code, f.severity.value, f.row, f.cell, f.message) for f in result.findings
            if f.code == "duplicate-row"] == [
        ("duplicate-row", "warning", 4, "D4", repeated.format(4, 2)),
        ("duplicate-row", "warning", 6, "D6", repeated.format(6, 2))]


DATED_NOTES = ["Note: letter from GP received 03/03/2025, filed",
               "NB follow-up booked for 20/03/2025 at 10:30",
               "Adult Z told the nurse at 10:00 on 3 March 2025 that she had fallen and had not told anyone."]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("note", DATED_NOTES)
def test_a_note_with_a_date_in_it_joins_the_entry_above(tmp_path, kind, note):
    rows = [row(), divider(note), row(day="04/03/2025", event="Phone call")]
    if kind == "csv":
        rows = [[note] * WIDTH if cells[1] is None else cells for cells in rows]
        path = write_csv(tmp_path / "asc.csv", rows)
    else:
        path = write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(3,))
    result = read_one(path)
    assert [(e.row, e.event) for e in result.entries] == [(2, f"Home visit\n{note}"), (4, "Phone call")]
    sheet, cell = ("CSV", "A3") if kind == "csv" else ("Chronology", "A3")
    assert said(result) == [("note-row", "warning", sheet, 3, cell)]
    assert [f.message for f in result.findings] == [joined(3, 2)]
    assert (result.data_rows, result.rejected_rows) == (2, 0)


@pytest.mark.parametrize("heading", ["Admission 14/03/2025 - 20/03/2025", "Seen again on 14/03/2025",
                                     "Admission to Ward 7 (14/03/2025 - 28/03/2025)", "Note 14/03/2025"])
def test_a_dated_heading_under_an_entry_stays_a_divider(tmp_path, heading):
    rows = [row(), divider(heading), row(day="04/03/2025", event="Phone call")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(3,)))
    assert [e.event for e in result.entries] == ["Home visit", "Phone call"]
    assert said(result) == [("divider-row", "warning", "Chronology", 3, "A3")]


def test_a_dated_note_with_no_entry_above_keeps_its_outcome(tmp_path):
    """First under the headings, or under a rejected row: nothing to join; the note word's line
    is a dated heading (warning) and the sentence a row missing its cells (rejected, its text
    kept in the findings), as before; a line starting with its date is never joined."""
    rows = [divider(DATED_NOTES[0]), row(day="31/02/2025"), divider(DATED_NOTES[2]), row(),
            divider("14/03/2025 Phone call from bank about money missing from her account.")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(2, 4, 6)))
    assert [(e.row, e.event) for e in result.entries] == [(5, "Home visit")]
    assert [(f.code, f.severity.value, f.row) for f in result.findings if f.severity.value != "info"] == [
        ("merged-across", "warning", 6), ("merged-across", "warning", 4),
        ("divider-row", "warning", 2), ("date-invalid", "error", 3),
        ("date-invalid", "error", 4), ("source-missing", "error", 4),
        ("event-missing", "error", 4), ("action-missing", "warning", 4),
        ("practitioner-missing", "warning", 4),
        ("date-invalid", "error", 6), ("source-missing", "error", 6),
        ("event-missing", "error", 6), ("action-missing", "warning", 6),
        ("practitioner-missing", "warning", 6)]
    assert (result.data_rows, result.rejected_rows) == (4, 3)


OTHER_DAY = ["Visit 17/03/2025 - SW attended with OT, adult declined equipment and asked them to leave",
             "On 05/04/2025 the carer reported that the adult had fallen twice overnight and refused help",
             "On 5 April 2025 the carer reported that the adult had fallen twice overnight and refused help",
             "Note: letter from GP received 14/03/2025, filed",
             "Note: letter from GP received 31/02/2025, filed"]


@pytest.mark.parametrize("note", OTHER_DAY)
def test_a_note_naming_another_day_is_not_joined(tmp_path, note):
    """An event of its own day is never read under the 03/03 entry above it: the row keeps the
    outcome it had before notes joined (a row missing its cells, rejected, or a dated heading)."""
    rows = [row(), divider(note), row(day="04/04/2025", event="Phone call")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(3,)))
    assert [(e.row, e.event) for e in result.entries] == [(2, "Home visit"), (4, "Phone call")]
    if note.startswith("Note:"):  # a note word and a date: a dated heading, as before
        assert said(result) == [("divider-row", "warning", "Chronology", 3, "A3")]
        assert (result.data_rows, result.rejected_rows) == (2, 0)
    elif "April" in note:  # no figures in its date: a sentence across the table, said and kept out
        assert said(result) == [("note-row", "warning", "Chronology", 3, "A3")]
        assert [f.message for f in result.findings] == [not_joined(3)]
    else:  # a row missing its cells, rejected with its errors, as before
        assert [(f.code, f.row) for f in result.findings if f.severity.value == "error"] == [
            ("date-invalid", 3), ("source-missing", 3), ("event-missing", 3)]
        assert (result.data_rows, result.rejected_rows) == (3, 1)


def test_a_note_about_the_chronology_itself_is_not_joined(tmp_path):
    rows = [row(), divider("Note: chronology updated 03/03/2025"), row(day="04/03/2025", event="Phone call"),
            divider("NB this version of the chronology replaces the one sent in May")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(3, 5)))
    assert [(e.row, e.event) for e in result.entries] == [(2, "Home visit"), (4, "Phone call")]
    assert said(result) == [("divider-row", "warning", "Chronology", 3, "A3"),
                            ("divider-row", "info", "Chronology", 5, "A5")]


def test_a_note_on_the_day_of_an_entry_with_an_end_date_joins(tmp_path):
    """'Visit 17/03/2025' under an entry of 03/03 is its own; under a stay of 10/03 to 20/03 it
    is on a day that entry covers and joins it."""
    header = [*HEADER[:1], "End Date", *HEADER[1:]]
    note = "Visit 17/03/2025 - SW attended the ward and spoke with the adult about going home"
    rows = [["10/03/2025", "20/03/2025", *row()[1:]], [note] + [None] * WIDTH]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(3,), header=header))
    assert [(e.row, e.event) for e in result.entries] == [(2, f"Home visit\n{note}")]
    assert said(result) == [("note-row", "warning", "Chronology", 3, "A3")]
