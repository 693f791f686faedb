"""No dated row left unread without a word, no column dropped, no cell cut short of the limit:
later sheets and Word tables without headings, blank-headed columns, very long cells."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, TODAY, row
from corpus import docx_bytes
from typer.testing import CliRunner

from sarkit.account import account_for
from sarkit.chronology import CELL_TEXT_LIMIT, WORKBOOK_KEEPS
from sarkit.cli import app
from sarkit.returns import ReadOptions, read_returns
from sarkit.review import Review


def read(path: Path, **options: object):
    options.setdefault("agency", "Police")
    options.setdefault("today", TODAY)
    [result] = read_returns([path], ReadOptions(**options))  # type: ignore[arg-type]
    return result


def found(result) -> list[tuple[str, str | None, int | None, str | None, str]]:
    return [(f.code, f.sheet, f.row, f.cell, str(f.severity)) for f in result.findings]


def monthly(path: Path, april: list[list[object]], *, extra_sheets: dict[str, list[list[object]]]
            | None = None) -> Path:
    """March with headings and one row; April with `april` and no heading row."""
    book = openpyxl.Workbook()
    march = book.active
    march.title = "March"
    for cells in (HEADER, row(day="05/03/2025")):
        march.append(cells)
    sheet = book.create_sheet("April")
    for cells in april:
        sheet.append(cells)
    for name, rows in (extra_sheets or {}).items():
        other = book.create_sheet(name)
        for cells in rows:
            other.append(cells)
    book.save(path)
    return path


# --- a later sheet with no heading row -------------------------------------------------------

def test_a_later_sheet_without_headings_and_the_same_columns_is_read(tmp_path):
    path = monthly(tmp_path / "monthly.xlsx", [row(day="01/04/2025", event="Found on floor"),
                                               row(day="02/04/2025", time="", event="Discharged")])
    result = read(path)
    assert [(e.sheet, e.row, e.date.display(), e.event) for e in result.entries] == [
        ("March", 2, "05/03/2025", "Home visit"), ("April", 1, "01/04/2025", "Found on floor"),
        ("April", 2, "02/04/2025", "Discharged")]
    assert found(result) == [("sheet-continued", "April", 1, None, "info")]
    assert result.findings[0].message == (
        "The sheet April has no heading row, but the columns of the chronology on the sheet March "
        "and a date in its Date column in every row that has a date; its rows (rows 1-2) were read "
        "with the headings of the sheet March.")
    assert (result.data_rows, result.rejected_rows, result.unread_rows) == (3, 0, [])


def test_a_later_sheet_without_headings_and_a_column_fewer_is_an_error_and_its_rows_rejected(tmp_path):
    no_time = [[r[0], *r[2:]] for r in (row(day="01/04/2025"), row(day="02/04/2025"))]
    result = read(monthly(tmp_path / "monthly.xlsx", [["April 2025"], *no_time]))
    assert [e.sheet for e in result.entries] == ["March"]
    assert found(result) == [("table-not-read", "April", 2, None, "error")]
    assert result.findings[0].message == (
        "The sheet April has 2 rows with a date (rows 2-3) but no heading row, and it has 5 "
        "columns where the chronology on the sheet March has 6, so which column is which cannot "
        "be told for certain: its 2 rows (rows 2-3) were not read and are counted as rejected rows.")
    assert (result.data_rows, result.rejected_rows) == (3, 2)
    assert result.unread_rows == [("April", 2), ("April", 3)]
    account = account_for([result], Review(), entries=1)
    assert not account.complete
    assert [(r.sheet, r.row, r.codes) for r in account.rejected] == [
        ("April", 2, ("table-not-read",)), ("April", 3, ("table-not-read",))]


def test_a_sheet_as_wide_but_with_its_dates_elsewhere_is_not_read(tmp_path):
    shifted = [["Case notes", "01/04/2025", "10:00", "Visit", "None", "SW"]]
    result = read(monthly(tmp_path / "shifted.xlsx", shifted))
    assert found(result) == [("table-not-read", "April", 1, None, "error")]
    assert "its dates are not all in the column where the chronology on the sheet March has its " \
           "Date column" in result.findings[0].message
    assert (len(result.entries), result.rejected_rows) == (1, 1)


def test_cover_sheets_and_glossaries_are_left_alone_a_dated_sign_off_is_information(tmp_path):
    result = read(monthly(tmp_path / "extras.xlsx", [], extra_sheets={
        "Cover": [["Agency:", "Northshire Police", "Date completed:", "01/05/2025"]],
        "Glossary": [["ASC", "Adult Social Care", "a team"], ["GP", "General practitioner", "x"]],
        "Sign-off": [["Name", "Role", "Date signed"], ["A Author", "Manager", "01/05/2025"]],
    }))
    assert found(result) == [("dates-on-other-sheet", "Sign-off", 2, None, "info")]
    assert result.findings[0].message == (
        "The sheet Sign-off is not the chronology and was not read, but it has 1 row with a date "
        "(row 2), with no words beside the date, like a summary or a sign-off.")
    assert (len(result.entries), result.rejected_rows) == (1, 0)
    assert account_for([result], Review(), entries=1).complete


# --- a sheet with headings that are not the chronology's -----------------------------------------

def test_a_summary_of_totals_by_month_is_information_and_the_return_still_passes(tmp_path):
    import datetime as dt

    result = read(monthly(tmp_path / "summary.xlsx", [], extra_sheets={
        "Summary": [["Month", "Contacts"], ["January 2025", 5], [dt.datetime(2025, 2, 1), 3],
                    ["Total", 8]],
    }))
    assert found(result) == [("dates-on-other-sheet", "Summary", 2, None, "info")]
    assert result.findings[0].message == (
        "The sheet Summary is not the chronology and was not read, but it has 2 rows with a date "
        "(rows 2-3), with no words beside the date, like a summary or a sign-off.")
    assert (len(result.entries), result.data_rows, result.rejected_rows) == (1, 1, 0)
    assert account_for([result], Review(), entries=1).complete


def test_a_sheet_with_its_own_headings_and_dated_entries_is_a_warning_naming_its_rows(tmp_path):
    result = read(monthly(tmp_path / "own.xlsx", [], extra_sheets={
        "Family contacts": [["When", "Who", "What happened"],
                            ["03/04/2025", "Sister", "Rang to say she was worried"],
                            ["04/04/2025", "Son", "Visited"],
                            [None, None, "Notes continue here without a date"]],
    }))
    assert found(result) == [("dates-on-other-sheet", "Family contacts", 2, None, "warning")]
    assert result.findings[0].message == (
        "The sheet Family contacts is not the chronology and was not read, but it has 2 rows with "
        "a date (rows 2-3), with words beside the date, like chronology entries.")
    assert result.findings[0].hint.startswith(
        "If these are chronology entries, move them into the chronology sheet under its headings")
    assert (len(result.entries), result.rejected_rows) == (1, 0)


def test_a_key_dates_sheet_repeating_the_chronologys_days_is_information(tmp_path):
    """Each dated row on a day the chronology has an entry on (March's is 05/03/2025): a summary
    of its key dates, said as information; the return passes with no warning."""
    import datetime as dt

    result = read(monthly(tmp_path / "key.xlsx", [], extra_sheets={
        "Key dates": [["Summary of involvement"], [], ["Key date", "What happened"],
                      [dt.datetime(2025, 3, 5), "Home visit"], ["05/03/2025", "Referred to ASC"]],
    }))
    assert found(result) == [("dates-on-other-sheet", "Key dates", 4, None, "info")]
    assert result.findings[0].message == (
        "The sheet Key dates is not the chronology and was not read, but it has 2 rows with a date "
        "(rows 4-5), with words beside the date, each on a day the chronology has an entry on (like "
        "a summary of its key dates).")


def test_a_key_dates_sheet_with_other_days_warns_of_those_rows(tmp_path):
    """A day the chronology has no entry on, or a date of less than a day, keeps the warning,
    naming those rows."""
    import datetime as dt

    result = read(monthly(tmp_path / "key.xlsx", [], extra_sheets={
        "Summary": [["Key date", "What happened"], [dt.datetime(2025, 3, 5), "Home visit by social worker"],
                    ["06/03/2025", "Admitted to the ward"], ["March 2025", "Assessed by the team"]],
    }))
    assert found(result) == [("dates-on-other-sheet", "Summary", 3, None, "warning")]
    assert result.findings[0].message == (
        "The sheet Summary is not the chronology and was not read, but it has 3 rows with a date "
        "(rows 2-4), with words beside the date, like chronology entries; 2 rows (rows 3-4) are on "
        "a day the chronology has no entry on.")
    result = read(monthly(tmp_path / "key2.xlsx", [], extra_sheets={
        "Summary": [["Key date", "What happened"], ["06/03/2025", "Admitted to the ward"]]}))
    assert [(f.severity.value, f.message) for f in result.findings] == [("warning", (
        "The sheet Summary is not the chronology and was not read, but it has 1 row with a date "
        "(row 2), with words beside the date, like chronology entries."))]


KEY_DATES_SAID = (
    "The sheet Key dates is not the chronology and was not read, but it has 2 rows with a date "
    "(rows 2-3), with words beside the date, each on a day the chronology has an entry on (like "
    "a summary of its key dates).")


@pytest.mark.parametrize("heading", ["Key event", "Event", "Summary", "Notes"])
def test_a_key_dates_sheet_with_chronology_headings_is_information(tmp_path, heading):
    """'Date | Key event' are chronology headings without a Source column; on a sheet named like a
    summary whose rows are all on the chronology's days, it is the same information as 'Date |
    Notes', its rows not rejected."""
    result = read(monthly(tmp_path / "key.xlsx", [], extra_sheets={
        "Key dates": [["Date", heading], ["05/03/2025", "First fall reported"],
                      ["05/03/2025", "Medication review"]]}))
    assert found(result) == [("dates-on-other-sheet", "Key dates", 2, None, "info")]
    assert result.findings[0].message == KEY_DATES_SAID
    assert (result.data_rows, result.rejected_rows) == (1, 0)
    assert (result.unread_rows, result.unread_values) == ([], {})
    assert account_for([result], Review(), entries=1).complete


def test_a_key_dates_sheet_with_chronology_headings_and_other_days_names_them(tmp_path):
    """A row on a day with no entry: the sheet-not-read error stands, naming that row, and every
    row's values are kept for the Findings sheet."""
    result = read(monthly(tmp_path / "key.xlsx", [], extra_sheets={
        "Key dates": [["Date", "Key event"], ["05/03/2025", "First fall reported"],
                      ["09/03/2025", "Medication review"]]}))
    assert found(result) == [("sheet-not-read", "Key dates", 1, None, "error")]
    assert result.findings[0].message.endswith(
        "its 2 rows under the headings (rows 2-3) are counted as rejected rows. 1 row (row 3) is on a "
        "day the chronology has no entry on.")
    assert (result.data_rows, result.rejected_rows) == (3, 2)
    assert result.unread_rows == [("Key dates", 2), ("Key dates", 3)]
    assert sorted(result.unread_values) == [("Key dates", 2), ("Key dates", 3)]
    assert not account_for([result], Review(), entries=1).complete


def test_a_sheet_of_key_events_not_named_like_a_summary_stays_an_error(tmp_path):
    result = read(monthly(tmp_path / "key.xlsx", [], extra_sheets={
        "May": [["Date", "Key event"], ["05/03/2025", "First fall reported"],
                ["05/03/2025", "Medication review"]]}))
    assert found(result) == [("sheet-not-read", "May", 1, None, "error")]
    assert result.rejected_rows == 2


def test_a_chronology_like_sheet_without_a_required_column_is_an_error_its_rows_rejected(tmp_path):
    no_source = [*HEADER[:2], *HEADER[3:]]
    lost = [[*r[:2], *r[3:]] for r in (row(day="01/05/2025", action="Ambulance"),
                                       row(day="02/05/2025"))]
    result = read(monthly(tmp_path / "lost.xlsx", [], extra_sheets={"May": [no_source, *lost]}))
    assert [e.sheet for e in result.entries] == ["March"]
    assert found(result) == [("sheet-not-read", "May", 1, None, "error")]
    assert result.findings[0].message == (
        "The sheet May has chronology headings in row 1 but no Source of Information column, so "
        "it was not read, but it has 1 row with a date and words beside it, like chronology "
        "entries (row 3): its 2 rows under the headings (rows 2-3) are counted as rejected rows.")
    assert (result.data_rows, result.rejected_rows) == (3, 2)
    assert result.unread_rows == [("May", 2), ("May", 3)]
    account = account_for([result], Review(), entries=1)
    assert not account.complete
    assert [(r.sheet, r.row, r.codes) for r in account.rejected] == [
        ("May", 2, ("sheet-not-read",)), ("May", 3, ("sheet-not-read",))]


def test_a_hidden_sheet_is_left_to_the_hidden_sheet_finding(tmp_path):
    path = monthly(tmp_path / "hidden.xlsx", [], extra_sheets={
        "Old": [["When", "What happened"], ["03/04/2025", "Rang to say she was worried"]]})
    book = openpyxl.load_workbook(path)
    book["Old"].sheet_state = "hidden"
    book.save(path)
    assert [f.code for f in read(path).findings] == ["hidden-sheet"]


def test_a_word_table_without_headings_and_a_column_fewer_is_an_error_not_silence(tmp_path):
    from docx import Document

    path = tmp_path / "two_tables.docx"
    path.write_bytes(docx_bytes([row(day="05/03/2025")]))
    document = Document(str(path))
    table = document.add_table(rows=0, cols=5)
    for day in ("01/04/2025", "03/04/2025"):
        values = [day, "Case notes", "Visit", "None", "SW"]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    result = read(path, agency=None)
    assert [e.row for e in result.entries] == [2]
    assert found(result) == [("table-not-read", "Table 2", 1, None, "error")]
    assert result.findings[0].message == (
        "Table 2 has 2 rows with a date (rows 1-2) but no heading row, and it has 5 columns where "
        "the chronology's table has 6, so which column is which cannot be told for certain: its 2 "
        "rows (rows 1-2) were not read and are counted as rejected rows.")
    assert (result.data_rows, result.rejected_rows) == (3, 2)


# --- a column with a blank heading --------------------------------------------------------------

def test_a_blank_headed_column_with_data_is_kept_under_its_letter(make_return):
    path = make_return("blank.xlsx", [[*row(), "Disclosed financial abuse"], [*row(day="04/03/2025"),
                                                                              None]],
                       header=[*HEADER, None])
    result = read(path)
    assert [e.extras for e in result.entries] == [{"Column G": "Disclosed financial abuse"},
                                                  {"Column G": ""}]
    assert [(f.code, f.cell, f.column, str(f.severity)) for f in result.findings] == [
        ("unknown-column", "G1", "Column G", "warning")]
    assert result.findings[0].message == (
        "The column G has no heading in row 1 but holds data under it; it is kept as an extra "
        "column named Column G.")


def test_a_blank_headed_column_in_a_csv_is_kept_too(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("Date,Source of Information,Event / Contact Details,\n"
                    "05/03/2025,note,Visit,Disclosed abuse\n06/03/2025,note,Call,\n", encoding="utf-8")
    result = read(path)
    assert [e.extras for e in result.entries] == [{"Column D": "Disclosed abuse"}, {"Column D": ""}]
    assert [(f.code, f.cell) for f in result.findings if f.code == "unknown-column"] == [
        ("unknown-column", "D1")]


def test_a_blank_headed_empty_column_says_nothing(make_return):
    result = read(make_return("empty.xlsx", [[*row(), None, ""]], header=[*HEADER, None, None]))
    assert (found(result), result.entries[0].extras) == ([], {})


def test_a_pandas_index_column_is_read_as_row_numbers_not_kept(make_return):
    path = make_return("pandas.xlsx", [[0, *row()], [1, *row(day="04/03/2025")],
                                       [2, *row(day="05/03/2025")]], header=[None, *HEADER])
    result = read(path)
    assert [(e.row, e.date.display(), e.extras) for e in result.entries] == [
        (2, "03/03/2025", {}), (3, "04/03/2025", {}), (4, "05/03/2025", {})]
    assert [(f.code, f.cell, f.column, str(f.severity)) for f in result.findings] == [
        ("row-number-column", "A1", "Column A", "info")]
    assert "holds only running numbers" in result.findings[0].message


def test_numbers_that_do_not_run_on_are_data_and_kept(make_return):
    path = make_return("numbers.xlsx", [[1, *row()], [2, *row(day="04/03/2025")],
                                        [5, *row(day="05/03/2025")]], header=[None, *HEADER])
    result = read(path)
    assert [e.extras for e in result.entries] == [{"Column A": "1"}, {"Column A": "2"},
                                                  {"Column A": "5"}]
    assert [(f.code, f.cell) for f in result.findings] == [("unknown-column", "A1")]


def test_a_word_blank_headed_column_is_named_by_its_number(tmp_path):
    path = tmp_path / "blank.docx"
    path.write_bytes(docx_bytes([[*row(), "Extra words"]]))
    from docx import Document

    document = Document(str(path))
    table = document.tables[0]
    table.add_column(table.columns[0].width)
    table.cell(1, 6).text = "Extra words"
    document.save(str(path))
    result = read(path, agency=None)
    assert result.entries[0].extras == {"Column 7": "Extra words"}
    assert [(f.code, f.column, f.cell) for f in result.findings] == [
        ("unknown-column", "Column 7", None)]


# --- a cell longer than a workbook cell holds ----------------------------------------------------

runner = CliRunner()


def test_a_cell_within_excels_limit_is_kept_whole_with_no_finding(make_return):
    text = "x" * (CELL_TEXT_LIMIT - 10) + " END"
    result = read(make_return("long.xlsx", [row(event=text)]))
    assert (found(result), result.entries[0].event) == ([], text)


def test_a_cell_over_the_limit_is_named_kept_whole_in_json_and_cut_visibly_in_the_workbook(
        make_return, tmp_path):
    text = "Case note. " * 4000 + "END OF NOTE"  # a CSV or a Word table can hold it
    path = make_return("long.csv", [row(action=text)])
    result = read(path)
    assert [(f.code, f.cell, f.column, str(f.severity)) for f in result.findings] == [
        ("cell-too-long", "E2", "Action Taken / Outcome", "warning")]
    assert result.findings[0].message == (
        f"The Action Taken / Outcome cell in row 2 holds {len(text):,} characters, more than the "
        f"32,767 a workbook cell can hold: the combined workbook keeps its first {WORKBOOK_KEEPS:,} "
        "and marks the cut there; the JSON and CSV exports and the Word chronology keep the whole "
        "text.")
    assert result.entries[0].action == text
    out = tmp_path / "c.json"
    done = runner.invoke(app, ["collate", str(path), "--agency", "Police", "-o", str(out), "-q"])
    assert done.exit_code == 0, done.stderr
    assert json.loads(out.read_text("utf-8"))["entries"][0]["Action Taken / Outcome"] == text
    book = tmp_path / "c.xlsx"
    done = runner.invoke(app, ["collate", str(path), "--agency", "Police", "-o", str(book), "-q"])
    assert done.exit_code == 0, done.stderr
    cell = openpyxl.load_workbook(book)["Chronology"]["G2"].value
    left_out = len(text) - WORKBOOK_KEEPS
    assert cell == text[:WORKBOOK_KEEPS] + (
        f" … [cut here: {left_out:,} more characters; the JSON and CSV exports hold the whole text]")
    assert len(cell) <= CELL_TEXT_LIMIT


# --- instructions and cover sheets of a good return (red team rt-J) -----------------------------

def test_an_instructions_sheet_with_dated_lines_is_information_not_rejected_rows(tmp_path):
    import datetime as dt

    result = read(monthly(tmp_path / "good.xlsx", [], extra_sheets={
        "Instructions": [["How to complete this return"], ["1", "Enter one contact per row."],
                         ["2", "Please return the chronology by", dt.datetime(2026, 2, 28)],
                         ["3", "The review period runs from", dt.datetime(2025, 1, 1)]],
    }))
    assert found(result) == [("dates-on-other-sheet", "Instructions", 3, None, "info")]
    assert result.findings[0].message == (
        "The sheet Instructions is not the chronology and was not read, but it has 2 rows with a "
        "date (rows 3-4), with a label or a sentence before the date and nothing after it, like "
        "details or instructions.")
    assert (len(result.entries), result.data_rows, result.rejected_rows, result.unread_rows) == (
        1, 1, 0, [])
    assert account_for([result], Review(), entries=1).complete


def test_dated_lines_of_any_sheet_with_the_date_at_the_end_are_not_rejected(tmp_path):
    import datetime as dt

    result = read(monthly(tmp_path / "good.xlsx", [["1", "Please return the chronology by",
                                                    dt.datetime(2026, 2, 28)]]))
    assert found(result) == [("dates-on-other-sheet", "April", 1, None, "info")]
    assert result.rejected_rows == 0


def test_entries_on_a_sheet_named_notes_are_a_warning_never_a_rejection(tmp_path):
    notes = [r[:5] for r in (row(day="01/04/2025"), row(day="02/04/2025"))]
    result = read(monthly(tmp_path / "notes.xlsx", [], extra_sheets={"Notes": notes}))
    assert found(result) == [("dates-on-other-sheet", "Notes", 1, None, "warning")]
    assert (result.rejected_rows, result.unread_rows) == (0, [])


def test_a_cover_sheets_dated_details_are_information(tmp_path):
    import datetime as dt

    result = read(monthly(tmp_path / "cover.xlsx", [], extra_sheets={
        "Cover": [["Safeguarding Adults Review: chronology return"], ["Agency", "Northshire Police"],
                  ["Date completed", dt.datetime(2026, 2, 10)],
                  ["Date sent to the review", dt.datetime(2026, 2, 12)]],
        "Sign-off": [["Quality assured by the team manager", dt.datetime(2026, 2, 11)]],
    }))
    assert found(result) == [("dates-on-other-sheet", "Cover", 3, None, "info"),
                             ("dates-on-other-sheet", "Sign-off", 1, None, "info")]
    assert result.findings[0].message.endswith(
        "it has 2 rows with a date (rows 3-4), with a label or a sentence before the date and "
        "nothing after it, like details or instructions.")
