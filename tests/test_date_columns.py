"""Which column is the Date, and which way round a typed date is: a return with a Date of Event
and a Date of Entry, one with two columns naming the date equally, and a return whose typed dates
show it writes month first. Every case asserts the exact findings and the dates read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import TODAY, row, write_return

from sarkit.dates import PartialDate as D
from sarkit.dates import reads_month_first_too
from sarkit.returns import ReadOptions, read_returns
from sarkit.review import Review
from sarkit.schema import normalise_header

TAIL = ["Source of Information", "Event / Contact Details", "Action Taken / Outcome",
        "Practitioner / Role"]


def read(paths: list[Path], **options: object):
    options.setdefault("agency", "Police")
    options.setdefault("today", TODAY)
    return read_returns(paths, ReadOptions(**options))  # type: ignore[arg-type]


def found(result) -> list[tuple[str, int | None, str | None, str]]:
    return [(f.code, f.row, f.cell, str(f.severity)) for f in result.findings]


def entries(result) -> list[tuple[int, D, dict[str, str]]]:
    return [(e.row, e.date, e.extras) for e in result.entries]


def dated(first: str, second: str, rows: list[list[object]]) -> tuple[list[str], list[list[object]]]:
    """A header with two date columns, then the four text columns; rows give the two dates."""
    return [first, second, *TAIL], [[a, b, "Case notes", f"Visit {i}", "None", "Nurse"]
                                   for i, (a, b) in enumerate(rows, start=1)]


# --- a Date of Event and a Date of Entry: the event's date orders the chronology -------------

def test_date_of_event_wins_over_date_of_entry_with_a_warning(make_return):
    header, rows = dated("Date of Entry", "Date of Event", [
        ("20/05/2025", "01/05/2025"),
        ("", "03/06/2025"),  # recorded on the day: no Date of Entry
        ("21/05/2025", ""),  # no date of the event: rejected, never the date it was recorded
    ])
    [result] = read([make_return("gp.xlsx", rows, header=header)])
    assert entries(result) == [(2, D(2025, 5, 1), {"Date of Entry": "20/05/2025"}),
                               (3, D(2025, 6, 3), {"Date of Entry": ""})]
    assert found(result) == [("date-column-chosen", 1, "B1", "warning"),
                             ("date-missing", 4, "B4", "error")]
    chosen = result.findings[0]
    assert chosen.message == (
        "The columns Date of Event (B1) and Date of Entry (A1) both look like the Date: Date of "
        "Event (B1) names the date of the event and is used; Date of Entry (A1), which names when "
        "the entry was recorded, is kept as an extra column.")
    assert chosen.column == "Date of Event"
    assert result.findings[1].message == "Row 4 has no date in the Date of Event column."


@pytest.mark.parametrize(("event", "recorded"), [
    ("Event Date", "Date Recorded"),
    ("Date of Incident", "Entry Date"),
    ("Date of Contact", "Date Input"),
    ("Date", "Date of Entry"),
])
@pytest.mark.parametrize("event_first", [True, False])
def test_a_column_naming_the_event_wins_in_either_order(make_return, event, recorded, event_first):
    pair = (event, recorded) if event_first else (recorded, event)
    days = ("02/04/2025", "09/04/2025") if event_first else ("09/04/2025", "02/04/2025")
    header, rows = dated(*pair, [days])
    [result] = read([make_return("gp.xlsx", rows, header=header)])
    used, aside = ("A1", "B1") if event_first else ("B1", "A1")
    assert entries(result) == [(2, D(2025, 4, 2), {recorded: "09/04/2025"})]
    assert found(result) == [("date-column-chosen", 1, used, "warning")]
    assert f"{recorded} ({aside}), which names when the entry was recorded" in (
        result.findings[0].message)


def test_a_date_of_entry_alone_is_the_date(make_return):
    rows = [["11/03/2025", "Case notes", "Visit", "None", "Nurse"]]
    [result] = read([make_return("gp.xlsx", rows, header=["Date of Entry", *TAIL])])
    assert entries(result) == [(2, D(2025, 3, 11), {})]
    assert found(result) == []


# --- two columns naming the date equally: an error, never a guess --------------------------

@pytest.mark.parametrize(("first", "second"), [
    ("Date", "Date of Event"),
    ("Event Date", "Date of Contact"),
    ("Date of Entry", "Date Recorded"),
])
def test_two_columns_naming_the_date_equally_are_an_error(make_return, first, second):
    header, rows = dated(first, second, [("01/05/2025", "02/05/2025"), ("03/05/2025", "")])
    [result] = read([make_return("gp.xlsx", rows, header=header)])
    assert result.entries == [] and (result.data_rows, result.rejected_rows) == (2, 2)
    assert found(result) == [("date-column-ambiguous", 1, "A1", "error")]
    assert result.findings[0].message == (
        f"The columns {first} (A1) and {second} (B1) both name the Date equally, so it cannot be "
        "told which gives the date of each event; no row of the return was read rather than guess.")


def test_three_columns_naming_the_date_equally_are_listed(make_return):
    header = ["Date", "Event Date", "Date of Entry", "Date of Contact", *TAIL]
    rows = [["01/05/2025", "01/05/2025", "02/05/2025", "01/05/2025", "Notes", "Visit", "None", "GP"]]
    [result] = read([make_return("gp.xlsx", rows, header=header)])
    assert found(result) == [("date-column-ambiguous", 1, "A1", "error"),
                             ("unknown-column", 1, "C1", "warning")]
    assert result.findings[0].message.startswith(
        "The columns Date (A1), Event Date (B1) and Date of Contact (D1) all name the Date equally")


def test_an_ambiguous_return_is_unusable_with_its_reason(make_return):
    from sarkit.account import account_for

    header, rows = dated("Date", "Date of Event", [("01/05/2025", "01/05/2025")])
    results = read([make_return("gp.xlsx", rows, header=header)])
    account = account_for(results, Review(), 0)
    [unusable] = account.unusable
    assert unusable.reason == results[0].findings[0].message and account.rejected == []
    assert account.rejected_rows == 1


@pytest.mark.parametrize("where", ["options", "review"])
def test_a_map_says_which_column_is_the_date(make_return, where):
    header, rows = dated("Date", "Date of Event", [("10/05/2025", "01/05/2025")])
    path = make_return("gp.xlsx", rows, header=header)
    if where == "options":
        [result] = read([path], mapping={normalise_header("Date of Event"): "date"})
    else:
        [result] = read([path], review=Review(mapping={"Date of Event": "date"}))
    assert entries(result) == [(2, D(2025, 5, 1), {"Date (return)": "10/05/2025"})]
    assert found(result) == [("unknown-column", 1, "A1", "warning")]


# --- a return that writes month first: dates read day first are flagged --------------------

US_ROWS = [
    row(day="01/13/2025", event="Visit 1"),  # 2: only month first (13 January)
    row(day="02/03/2025", event="Visit 2"),  # 3: 2 March or 3 February
    row(day="03/03/2025", event="Visit 3"),  # 4: the same both ways
    row(day="13/03/2025", event="Visit 4"),  # 5: only day first
    row(day=dt.datetime(2025, 3, 20), event="Visit 5"),  # 6: a date cell, never ambiguous
    row(day="21 Mar 2025", event="Visit 6"),  # 7: the month in words
    row(day="?05/06/2025 14:30", time="", event="Visit 7"),  # 8: 5 June or 6 May, uncertain
]


@pytest.mark.parametrize("name", ["gp-us.xlsx", "gp-us.csv"])
def test_dates_read_day_first_in_a_month_first_return_are_flagged(make_return, name):
    [result] = read([make_return(name, US_ROWS)])
    assert [(e.row, e.date, e.time) for e in result.entries] == [
        (3, D(2025, 3, 2), dt.time(10)), (4, D(2025, 3, 3), dt.time(10)),
        (5, D(2025, 3, 13), dt.time(10)), (6, D(2025, 3, 20), dt.time(10)),
        (7, D(2025, 3, 21), dt.time(10)), (8, D(2025, 6, 5, uncertain=True), dt.time(14, 30))]
    assert found(result) == [("date-invalid", 2, "A2", "error"),
                             ("date-maybe-month-first", 3, "A3", "warning"),
                             ("date-maybe-month-first", 8, "A8", "warning")]
    assert result.findings[1].message == (
        "The Date in row 3 was read day first, but this return appears to write dates month "
        "first: the date in row 2 can only be read month first. If this date is month first "
        "too, the entry is on the wrong day.")


def test_the_reading_is_shown_only_with_show_values(make_return):
    rows = [row(day="01/13/2025"), row(day="02/03/2025"), row(day="12/31/2025")]
    [result] = read([make_return("gp.xlsx", rows)], show_values=True)
    [flag] = [f for f in result.findings if f.code == "date-maybe-month-first"]
    assert flag.message == (
        "The Date in row 3 was read day first (as 2 March 2025), but this return appears to write "
        "dates month first: the dates in rows 2 and 4 can only be read month first. If this date "
        "is month first too, the entry is on the wrong day.")


def test_month_first_evidence_in_the_end_date_counts(make_return):
    header = ["Date", "End Date", *TAIL]
    rows = [["02/03/2025", "", "Notes", "Visit", "None", "GP"],
            ["14/03/2025", "04/15/2025", "Notes", "Stay", "None", "GP"],
            ["15/03/2025", "05/04/2025", "Notes", "Stay", "None", "GP"]]
    [result] = read([make_return("gp.xlsx", rows, header=header)])
    assert found(result) == [("date-invalid", 3, "B3", "error"),
                             ("date-maybe-month-first", 2, "A2", "warning"),
                             ("date-maybe-month-first", 4, "B4", "warning")]
    assert result.findings[2].message.startswith("The End Date in row 4 was read day first")


def test_without_month_first_evidence_nothing_is_flagged(make_return):
    [result] = read([make_return("gp.xlsx", US_ROWS[1:])])
    assert [e.row for e in result.entries] == [2, 3, 4, 5, 6, 7] and result.entries[0].date == (
        D(2025, 3, 2))
    assert found(result) == []


def test_evidence_counts_only_in_its_own_return(make_return):
    us = make_return("gp-us.xlsx", [row(day="01/13/2025")])
    uk = make_return("police.xlsx", [row(day="02/03/2025")])
    by_file = {Path(r.path).name: found(r) for r in read([us, uk])}
    assert by_file == {"gp-us.xlsx": [("date-invalid", 2, "A2", "error")], "police.xlsx": []}


@pytest.mark.parametrize(("value", "both_ways"), [
    ("02/03/2025", True), ("1/2/25", True), (" 02.03.25 ", True), ("?02/03/2025", True),
    ("c. 02/03/2025", True), ("'02/03/2025", True), ("02/03/2025 14:30", True),
    ("03/03/2025", False), ("13/03/2025", False), ("2 Mar 2025", False), ("2025-03-02", False),
    ("Mon 03/02/2025", False), ("", False), (dt.date(2025, 3, 2), False), (45689, False),
])
def test_reads_month_first_too(value, both_ways):
    assert reads_month_first_too(value) is both_ways


# --- a bare number typed as the date; a time in the Date cell and another in the Time column -

def test_a_date_typed_as_a_bare_number_is_read_with_a_warning(make_return):
    rows = [row(day="45689", event="Visit 1"), row(day="2025", event="Visit 2")]
    [result] = read([make_return("gp.csv", rows)])
    assert [(e.row, e.date) for e in result.entries] == [(2, D(2025, 2, 1)), (3, D(2025))]
    assert found(result) == [("date-from-number", 2, "A2", "warning")]
    assert result.findings[0].message == (
        "The Date in row 2 holds a number, not a date; it was read as a spreadsheet date number "
        "(days counted from 1900). Check that it is the date of the entry.")
    [shown] = read([make_return("gp.csv", rows)], show_values=True)
    assert "(days counted from 1900, 1 February 2025)" in shown.findings[0].message


def test_numbers_in_a_date_column_of_a_workbook_get_one_warning(make_return):
    [result] = read([make_return("gp.xlsx", [row(day=45689), row(day=45690), row(day=45692)])])
    assert [(e.row, e.date) for e in result.entries] == [
        (2, D(2025, 2, 1)), (3, D(2025, 2, 2)), (4, D(2025, 2, 4))]
    assert found(result) == [("date-from-number", 2, "A2", "warning")]
    assert result.findings[0].message == (
        "The Date cells in rows 2-4 hold numbers the spreadsheet shows as numbers (such as 45689), not "
        "as dates; they were read as spreadsheet date numbers (days counted from 1900). Check "
        "that the column holds the dates of the entries.")


@pytest.mark.parametrize(("day", "time", "expected", "codes"), [
    (dt.datetime(2025, 3, 3, 9, 30), "15:00", dt.time(15), [("time-conflict", 2, "B2", "warning")]),
    (dt.datetime(2025, 3, 3, 9, 30), "09:30", dt.time(9, 30), []),
    (dt.datetime(2025, 3, 3, 9, 30), "", dt.time(9, 30), []),
    ("03/03/2025 14:30", "?16:00", dt.time(16), [("time-conflict", 2, "B2", "warning")]),
    ("03/03/2025", "15:00", dt.time(15), []),
])
def test_a_time_in_the_date_cell_and_another_in_the_time_column(make_return, day, time, expected,
                                                                codes):
    [result] = read([make_return("gp.xlsx", [row(day=day, time=time)])])
    assert [(e.date, e.time) for e in result.entries] == [(D(2025, 3, 3), expected)]
    assert found(result) == codes
    if codes:
        assert result.findings[0].message == (
            "Row 2 has a time in its Date cell that is not the time in its Time column; the Time "
            "column's time is used.")


def test_a_word_table_names_the_columns_by_number(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("Agency: Northshire Police")
    header, rows = dated("Date of Entry", "Date of Event", [("20/05/2025", "01/05/2025")])
    table = document.add_table(rows=0, cols=len(header))
    for values in [header, *rows]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    path = tmp_path / "police.docx"
    document.save(path)
    [result] = read([path])
    assert [(e.row, e.date) for e in result.entries] == [(2, D(2025, 5, 1))]
    assert found(result) == [("date-column-chosen", 1, None, "warning")]
    assert result.findings[0].message.startswith(
        "The columns Date of Event (column 2) and Date of Entry (column 1) both look like the Date")


MIDNIGHT_HEADER = ["Date/Time", *TAIL]


@pytest.mark.parametrize(("days", "read_as"), [
    # a log with its times: the 00:00 typed is a time, not a date without one
    (["04/01/2025 00:00", "04/01/2025 00:30"], [(4, dt.time(0)), (4, dt.time(0, 30))]),
    (["4/1/2025 12:00 AM", "4/1/2025 2:30 PM"], [(4, dt.time(0)), (4, dt.time(14, 30))]),  # US Excel
    (["2025-01-04 00:00:00", "2025-01-05 09:15:00"], [(4, dt.time(0)), (5, dt.time(9, 15))]),
    # a date-only export writes 00:00 for every date: no times
    (["2025-01-04 00:00:00", "2025-01-05 00:00:00"], [(4, None), (5, None)]),
    # 00:00 typed on one row beside dates with no time shown is a time (a date-only export
    # writes it on every row)
    (["04/01/2025 00:00", "05/01/2025"], [(4, dt.time(0)), (5, None)]),
    # a date without a time beside dates with times stays without one
    (["04/01/2025", "04/01/2025 00:30"], [(4, None), (4, dt.time(0, 30))]),
])
def test_a_typed_midnight_is_kept_when_the_column_holds_real_times(tmp_path, days, read_as):
    path = write_return(tmp_path / "police.csv", [[day, "Incident log", f"Call {i}", "Attended", "PC"]
                                                 for i, day in enumerate(days)], header=MIDNIGHT_HEADER)
    [result] = read([path])
    assert [(e.date, e.time) for e in result.entries] == [(D(2025, 1, d), t) for d, t in read_as]
    midnights = [number for number, (_, t) in enumerate(read_as, start=2) if t == dt.time(0)]
    assert found(result) == ([("midnight-as-time", midnights[0], f"A{midnights[0]}", "info")]
                             if midnights else [])  # a midnight read as a time is said


@pytest.mark.parametrize(("formats", "read_as"), [
    # a police log whose Date cells show their times: the call at 00:00 is at midnight
    (["dd/mm/yyyy hh:mm", "dd/mm/yyyy hh:mm", "dd/mm/yyyy"],
     [(6, dt.time(14, 30)), (8, dt.time(0)), (10, None)]),
    (["dd/mm/yyyy h:mm AM/PM", "d mmm yyyy \"at\" hh:mm", "dd/mm/yyyy"],
     [(6, dt.time(14, 30)), (8, dt.time(0)), (10, None)]),
    # the same cells shown without their times: no time to keep ('h' in quotes is not an hour)
    (["dd/mm/yyyy", "dd/mm/yyyy \"hrs\"", "dd/mm/yyyy"], [(6, dt.time(14, 30)), (8, None), (10, None)]),
])
def test_a_date_cell_formatted_to_show_its_time_keeps_a_midnight(tmp_path, formats, read_as):
    """A date cell at exactly 00:00 comes from the reader as a date: its number format says
    whether it shows the time (dd/mm/yyyy hh:mm, beside cells with real times)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(MIDNIGHT_HEADER)
    days = [dt.datetime(2025, 1, 6, 14, 30), dt.datetime(2025, 1, 8), dt.datetime(2025, 1, 10)]
    for number, (day, shown) in enumerate(zip(days, formats, strict=True), start=2):
        sheet.append([day, "Incident log", f"Call {number}", "Attended", "PC"])
        sheet.cell(number, 1).number_format = shown
    book.save(tmp_path / "police.xlsx")
    [result] = read([tmp_path / "police.xlsx"])
    assert [(e.date, e.time) for e in result.entries] == [(D(2025, 1, d), t) for d, t in read_as]
    kept = read_as[1][1] == dt.time(0)
    assert found(result) == ([("midnight-as-time", 3, "A3", "info")] if kept else [])


def test_a_time_columns_own_midnight_is_a_time(make_return):
    [result] = read([make_return("gp.xlsx", [row(time="00:00"), row(time="", event="Letter")])])
    assert [(e.event, e.time) for e in result.entries] == [("Home visit", dt.time(0)), ("Letter", None)]
