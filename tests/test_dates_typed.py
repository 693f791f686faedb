"""Dates and times typed every way in real returns (red team rt-Q): each is read, or gets a
finding naming its cell; never a silent guess."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import HEADER, TODAY, row
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.dates import (
    DateError,
    PartialDate,
    TimeError,
    parse_date,
    parse_date_words,
    parse_time,
    parse_time_range,
    time_cell_date,
    two_digit_year_month,
    written_midnight,
)
from sarkit.intake.delimited import detect_encoding
from sarkit.returns import ReadOptions, read_returns
from sarkit.review import Review

runner = CliRunner()
T = dt.time


def read(paths: list[Path], **options: object):
    options.setdefault("agency", "Police")
    options.setdefault("today", TODAY)
    return read_returns(paths, ReadOptions(**options))  # type: ignore[arg-type]


def codes(result) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.cell, str(f.severity)) for f in result.findings]


def when(result) -> list[tuple[str, str | None]]:
    return [(e.date.display(), e.time and e.time.strftime("%H:%M")) for e in result.entries]


# -- 1. a time typed 9.30 in a General cell is the number 9.3 ------------------------------------

@pytest.mark.parametrize(("number", "expected"), [
    (9.3, T(9, 30)), (14.45, T(14, 45)), (21.4, T(21, 40)), (9.05, T(9, 5)), (23.59, T(23, 59)),
    (1.5, T(1, 50)), (0.5, T(12)), (0.3958333333, T(9, 30)), (45719.0625, T(1, 30)),
])
def test_a_number_in_a_time_cell_is_hours_and_minutes(number, expected):
    assert parse_time(number) == expected


@pytest.mark.parametrize("number", [25.5, 9.75, 24.3, 9.333, 99.99])
def test_a_number_that_is_not_hours_and_minutes_is_no_time(number):
    with pytest.raises(TimeError):
        parse_time(number)


def test_times_typed_as_numbers_are_read_with_one_warning_naming_the_cells(make_return):
    rows = [row(day="03/03/2025", time=9.3), row(day="04/03/2025", time=14.45),  # type: ignore[arg-type]
            row(day="05/03/2025", time="10:00"), row(day="06/03/2025", time=21.4)]  # type: ignore[arg-type]
    [result] = read([make_return("police.xlsx", rows)])
    assert when(result) == [("03/03/2025", "09:30"), ("04/03/2025", "14:45"),
                            ("05/03/2025", "10:00"), ("06/03/2025", "21:40")]
    assert codes(result) == [("time-from-number", "B2", "warning")]
    assert "B2, B3, B5" in result.findings[0].message


def test_a_number_that_is_no_time_is_a_finding_and_the_entry_kept(make_return):
    rows = [row(time=25.5), row(day="04/03/2025", time=9.75)]  # type: ignore[arg-type]
    [result] = read([make_return("police.xlsx", rows)])
    assert when(result) == [("03/03/2025", None), ("04/03/2025", None)]
    assert codes(result) == [("time-invalid", "B2", "warning"), ("time-invalid", "B3", "warning")]


# -- 2. a Time cell holding another day ----------------------------------------------------------

def test_time_cell_date():
    assert time_cell_date(dt.datetime(2025, 3, 4, 1, 30)) == PartialDate(2025, 3, 4)
    assert time_cell_date("04/03/2025 01:30") == PartialDate(2025, 3, 4)
    assert time_cell_date(45720.0625) == PartialDate(2025, 3, 4)
    for time_only in (dt.time(1, 30), dt.datetime(1899, 12, 30, 1, 30), dt.datetime(1900, 1, 1, 1),
                      "01:30", "14:30 hrs", 0.0625, 9.3):
        assert time_cell_date(time_only) is None


@pytest.mark.parametrize("cell", [dt.datetime(2025, 3, 4, 1, 30), "04/03/2025 01:30", 45720.0625])
def test_a_time_cell_on_another_day_is_a_warning_and_no_time(make_return, cell):
    rows = [[dt.datetime(2025, 3, 3), cell, "Log", "Found in the street", "Taken home", "PC"]]
    [result] = read([make_return("police.xlsx", rows)])
    assert when(result) == [("03/03/2025", None)]
    assert codes(result) == [("time-other-day", "B2", "warning")]


def test_a_time_cell_on_the_same_day_keeps_its_time(make_return):
    rows = [[dt.datetime(2025, 3, 3), dt.datetime(2025, 3, 3, 1, 30), "Log", "Call", "None", "PC"],
            ["04/03/2025", "04/03/2025 02:15", "Log", "Call", "None", "PC"]]
    [result] = read([make_return("police.xlsx", rows)])
    assert when(result) == [("03/03/2025", "01:30"), ("04/03/2025", "02:15")]
    assert codes(result) == []


# -- 3. a Windows-1252 CSV with no-break spaces and an en dash --------------------------------------

CP1252_ROWS = ["Date,Time,Source,Event,Action,Practitioner",
               "01/03/2025,10:00,Log,Welfare check at the flat,Advice given,PC",
               "3\u00a0March\u00a02025,,Log,Adult Q reported missing,Search started,PC",
               "04/03/2025 \u2013 05/03/2025,,Log,Adult Q in custody overnight,Released,PC",
               "06/03/2025,14:30\u00a0hrs,Log,Visit to the flat,Referral to ASC,PC"]


def test_a_cp1252_csv_with_no_break_spaces_is_not_read_as_dos_850(tmp_path):
    data = ("\r\n".join(CP1252_ROWS) + "\r\n").encode("cp1252")
    assert detect_encoding(data) == ("cp1252", True)
    assert detect_encoding(("\r\n".join(CP1252_ROWS[:3])).encode("cp1252")) == ("cp1252", True)
    path = tmp_path / "police.csv"
    path.write_bytes(data)
    [result] = read([path])
    assert when(result) == [("01/03/2025", "10:00"), ("03/03/2025", None), ("04/03/2025", None),
                            ("06/03/2025", "14:30")]
    assert codes(result) == [("date-range-split", "A4", "info")]
    assert result.rejected_rows == 0


def test_no_break_spaces_in_dates_and_times():
    assert parse_date("3\u00a0March\u00a02025 14:30") == (PartialDate(2025, 3, 3), T(14, 30))
    assert parse_time("14:30\u00a0hrs") == T(14, 30)


# -- 4. midnight typed in the Date cell -----------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("03/03/2025 0000", True), ("03/03/2025 midnight", True), ("03/03/2025 at midnight", True),
    ("03/03/2025 12am", True), ("03/03/2025 12 midnight", True), ("03/03/2025 00:00", False),
    ("2025-01-04 00:00:00", False), ("4/1/2025 12:00 AM", False), ("03/03/2025", None),
    ("3 March 2025", None), ("03/03/2025 14:30", None),
])
def test_written_midnight(text, expected):
    assert written_midnight(text) is expected


def test_midnight_in_the_date_cell_is_00_00_like_the_time_column(make_return):
    days = ["03/03/2025 0000", "03/03/2025 midnight", "03/03/2025 at midnight", "03/03/2025 12am"]
    rows = [row(day=day, time="", event=f"Visit {i}") for i, day in enumerate(days)] + [
        row(day="03/03/2025", time="midnight")]
    [result] = read([make_return("police.xlsx", rows)])
    assert when(result) == [("03/03/2025", "00:00")] * 5
    assert codes(result) == []


def test_a_00_00_stamp_on_some_rows_only_is_a_time(make_return):
    rows = [row(day="02/03/2025", time=""), row(day="03/03/2025 00:00", time="")]
    [result] = read([make_return("police.xlsx", rows)])
    assert when(result) == [("02/03/2025", None), ("03/03/2025", "00:00")]


def test_a_00_00_stamp_on_every_row_is_a_date_only_export(make_return):
    rows = [row(day="2025-03-02 00:00:00", time=""), row(day="2025-03-03 00:00:00", time="")]
    [result] = read([make_return("police.xlsx", rows)])
    assert when(result) == [("02/03/2025", None), ("03/03/2025", None)]
    assert codes(result) == []


# -- 5. a date with its time written another way ----------------------------------------------------

@pytest.mark.parametrize(("text", "time", "left_out"), [
    ("14:30 03/03/2025", T(14, 30), ()), ("1430hrs 03/03/2025", T(14, 30), ()),
    ("03/03/2025 (14:30)", T(14, 30), ()), ("03/03/2025 14:30 BST", T(14, 30), ("zone",)),
    ("03/03/2025 09:30 - 10:00", T(9, 30), ("end time",)), ("03/03/2025 evening", None, ("words",)),
    ("early hours of 03/03/2025", None, ("words",)), ("03/03/2025 in the afternoon", None, ("words",)),
])
def test_parse_date_words(text, time, left_out):
    assert parse_date_words(text) == (PartialDate(2025, 3, 3), time, left_out)


@pytest.mark.parametrize("text", ["14.03 2025", "evening", "14:30 March 2025", "hello 03/03/2025",
                                  "03/03/2025 14:30 to 25:00"])
def test_parse_date_words_reads_no_unclear_date(text):
    assert parse_date_words(text) is None


def test_date_cells_with_times_written_other_ways_are_read(make_return):
    days = ["14:30 03/03/2025", "03/03/2025 (14:30)", "03/03/2025 14:30 BST",
            "03/03/2025 09:30 - 10:00", "03/03/2025 evening", "early hours of 03/03/2025"]
    rows = [row(day=day, time="", event=f"Visit {i}") for i, day in enumerate(days)]
    [result] = read([make_return("police.xlsx", rows)])
    assert when(result) == [("03/03/2025", "14:30")] * 3 + [("03/03/2025", "09:30")] + [
        ("03/03/2025", None)] * 2
    assert codes(result) == [("date-extra-text", f"A{r}", "warning") for r in (4, 5, 6, 7)]
    assert "time zone" in result.findings[0].message
    assert "end time" in result.findings[1].message
    assert "part of the day" in result.findings[2].message


def test_a_time_range_in_the_time_column():
    assert parse_time_range("14:30-15:00") == (T(14, 30), T(15))
    assert parse_time_range("9am to 10am") == (T(9), T(10))
    assert parse_time_range("14:30") is None


def test_a_time_range_fills_a_blank_end_time(make_return):
    header = [*HEADER, "End Time"]
    rows = [[*row(time="14:30-15:00"), ""], [*row(day="04/03/2025", time="09:00 - 10:00"), "09:45"]]
    [result] = read([make_return("police.xlsx", rows, header=header)])
    assert [(e.time, e.end_time) for e in result.entries] == [(T(14, 30), T(15)), (T(9), T(9, 45))]
    assert codes(result) == [("time-range-split", "B2", "warning"), ("time-range-split", "B3", "warning")]
    assert "its end as the end time" in result.findings[0].message
    assert "its end is not used" in result.findings[1].message


def test_a_time_range_without_an_end_time_column_keeps_the_start(make_return):
    [result] = read([make_return("police.xlsx", [row(time="14:30-15:00")])])
    assert when(result) == [("03/03/2025", "14:30")]
    assert codes(result) == [("time-range-split", "B2", "warning")]


# -- 6. an unreadable optional End Date; an entry past midnight ------------------------------------

def test_an_unreadable_end_date_warns_and_keeps_the_entry(make_return):
    header = [*HEADER, "End Date"]
    rows = [[*row(), "ongoing"], [*row(day="04/03/2025"), "not known"],
            [*row(day="05/03/2025"), "31/02/2025"]]
    [result] = read([make_return("police.xlsx", rows, header=header)])
    assert [(e.date.display(), e.end_date) for e in result.entries] == [
        ("03/03/2025", None), ("04/03/2025", None)]
    assert codes(result) == [("end-date-invalid", "G2", "warning"), ("end-date-invalid", "G3", "warning"),
                             ("date-invalid", "G4", "error")]  # a date that does not exist: never guessed
    assert "kept without an end date" in result.findings[0].message


def test_an_end_time_past_midnight_without_an_end_date_is_kept(make_return):
    header = [*HEADER, "End Date", "End Time"]
    rows = [[*row(time="23:00"), "", "01:00"], [*row(day="04/03/2025", time="09:00"), "04/03/2025", "08:00"]]
    [result] = read([make_return("police.xlsx", rows, header=header)])
    assert [(e.time, e.end_date, e.end_time) for e in result.entries] == [(T(23), None, T(1))]
    assert codes(result) == [("end-next-day", "H2", "warning"), ("end-before-start", "G3", "error")]


# -- 7. 'Mar-12': a month and two figures ------------------------------------------------------------

def test_month_and_two_figures_is_read_with_a_warning(make_return):
    assert [two_digit_year_month(v) for v in ("Mar-12", "Dec-05", "mar '12", "March 2012", "12-Mar")] == [
        True, True, True, False, False]
    [result] = read([make_return("police.xlsx", [row(day="Mar-12"), row(day="March 2012", event="Call")])])
    assert [e.date for e in result.entries] == [PartialDate(2012, 3), PartialDate(2012, 3)]
    assert codes(result) == [("date-two-digit-year", "A2", "warning")]
    assert result.findings[0].message == (
        "The Date cell in row 2 is a month and two figures; it was read as the month and a "
        "two-digit year, but each could be a day of the month with no year. Check it and write "
        "the year in full.")


def test_a_column_of_months_and_two_figures_is_one_warning(make_return):
    rows = [row(day=f"{month}-25", event=f"Review {month}") for month in ("Jan", "Feb", "Mar", "May")]
    [result] = read([make_return("police.xlsx", [*rows[:3], row(day="03/04/2025"), rows[3]])])
    assert [e.date for e in result.entries][:3] == [PartialDate(2025, m) for m in (1, 2, 3)]
    assert codes(result) == [("date-two-digit-year", "A2", "warning")]
    assert result.findings[0].message.startswith(
        "The Date cells in rows 2-4 and 6 are a month and two figures; they were read as the "
        "month and a two-digit year")


# -- 8. Welsh months and days -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("3 Ionawr 2025", PartialDate(2025, 1, 3)), ("14 Chwefror 2025", PartialDate(2025, 2, 14)),
    ("Mawrth 2025", PartialDate(2025, 3)), ("5 Ebrill 2025", PartialDate(2025, 4, 5)),
    ("1 Mai 2025", PartialDate(2025, 5, 1)), ("2 Mehefin 2025", PartialDate(2025, 6, 2)),
    ("1 Gorffennaf 2025", PartialDate(2025, 7, 1)), ("9 Awst 2025", PartialDate(2025, 8, 9)),
    ("5 Medi 2025", PartialDate(2025, 9, 5)), ("6 Hydref 2025", PartialDate(2025, 10, 6)),
    ("7 Tachwedd 2025", PartialDate(2025, 11, 7)), ("8 Rhagfyr 2025", PartialDate(2025, 12, 8)),
    ("Dydd Llun 3 Mawrth 2025", PartialDate(2025, 3, 3)),
    ("Dydd Mawrth 4 Mawrth 2025", PartialDate(2025, 3, 4)),
])
def test_welsh_dates(text, expected):
    assert parse_date(text) == (expected, None)


def test_a_welsh_day_that_does_not_match_is_an_error():
    with pytest.raises(DateError):
        parse_date("Dydd Sul 3 Mawrth 2025")


# -- 9. before the subject's birth ------------------------------------------------------------------

def test_a_date_before_birth_gets_its_own_warning(make_return):
    review = Review(subject_birth_date=dt.date(1950, 6, 15))
    rows = [row(day="01/01/1940"), row(day="June 1950"), row(day="15/06/1950"), row(day="03/03/2025")]
    [result] = read([make_return("police.xlsx", rows)], review=review)
    assert codes(result) == [("date-before-birth", "A2", "warning")]
    assert len(result.entries) == 4


# -- exit codes ----------------------------------------------------------------------------------------

def test_validate_exits_0_for_what_is_now_read_with_warnings(make_return):
    path = make_return("police.xlsx", [row(day="14:30 03/03/2025", time=""), row(day="04/03/2025", time=9.3)])  # type: ignore[arg-type]
    result = runner.invoke(app, ["validate", str(path), "--agency", "Police", "--format", "json"])
    assert result.exit_code == 0
    found = json.loads(result.stdout)["files"][0]
    assert (found["entries"], found["rejected_rows"]) == (2, 0)
    assert [(f["code"], f["cell"]) for f in found["findings"]] == [("time-from-number", "B3")]


def test_a_date_only_export_with_a_time_column_keeps_its_untimed_rows_untimed(make_return):
    rows = [row(day="2025-03-02 00:00:00", time="09:00"), row(day="2025-03-03 00:00:00", time="")]
    [result] = read([make_return("police.xlsx", rows)])
    assert when(result) == [("02/03/2025", "09:00"), ("03/03/2025", None)]


# -- an .ods time cell: LibreOffice's duration ----------------------------------------------------

@pytest.mark.parametrize(("duration", "read_as", "found"), [
    ("PT16H20M00S", T(16, 20), []),  # a time cell
    # a date and time shown as a time (hours since 30/12/1899): its time on the row's own day
    ("PT1096144H19M59.999998882S", T(16, 20), []),
    # the same on another day than the row's Date: said, no time
    ("PT1096168H19M59.999998882S", None, [("time-other-day", "B2", "warning")]),
])
def test_an_ods_time_cell_is_read_as_the_time_it_shows(tmp_path, duration, read_as, found):
    from corpus import ods_bytes, ods_content, ods_rows

    header = ["Date", "Time", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role"]
    content = ods_content(ods_rows([header, ["15/01/2025", "TIME", "Niche", "Call from daughter",
                                             "Logged", "Call handler"]]))
    content = content.replace(
        '<table:table-cell office:value-type="string"><text:p>TIME</text:p></table:table-cell>',
        f'<table:table-cell office:value-type="time" office:time-value="{duration}">'
        "<text:p>16:20</text:p></table:table-cell>")
    path = tmp_path / "police.ods"
    path.write_bytes(ods_bytes(content))
    [result] = read([path])
    assert [(e.date, e.time) for e in result.entries] == [(PartialDate(2025, 1, 15), read_as)]
    assert codes(result) == found


def test_timestamps_with_a_time_zone_moved_on_the_uk_clock_are_said_once(make_return):
    """'2025-06-01T23:30:00Z' is 00:30 on 02/06 in the UK: read so, and said, once a column."""
    rows = [row(day="2025-03-04T00:30:00+01:00", time=""), row(day="2025-03-10T14:30:00Z", time=""),
            row(day="2025-06-01T23:30:00Z", time="")]  # the second: UTC in winter, as written
    [result] = read([make_return("police.xlsx", rows)])
    assert [(e.date, e.time) for e in result.entries] == [
        (PartialDate(2025, 3, 3), T(23, 30)), (PartialDate(2025, 3, 10), T(14, 30)),
        (PartialDate(2025, 6, 2), T(0, 30))]
    assert codes(result) == [("time-zone-converted", "A2", "warning")]
    assert result.findings[0].message == (
        "The Date cells in rows 2 and 4 are timestamps with a time zone (such as 'Z' or "
        "'+01:00'); read as the UK clock then, the time, and at times the day, is not the one "
        "written.")


def test_a_zoned_timestamp_at_uk_midnight_keeps_its_time(make_return):
    """'2025-06-01T23:00:00Z' is 00:00 on 02/06 in the UK: a time (said as converted), not a
    date alone; '2025-12-01T00:00:00Z' beside real times is midnight, said as such."""
    rows = [row(day="2025-06-01T23:00:00Z", time=""), row(day="2025-06-03T10:15:00+01:00", time=""),
            row(day="2025-12-01T00:00:00Z", time="")]
    [result] = read([make_return("police.xlsx", rows)])
    assert [(e.date, e.time) for e in result.entries] == [
        (PartialDate(2025, 6, 2), T(0, 0)), (PartialDate(2025, 6, 3), T(10, 15)),
        (PartialDate(2025, 12, 1), T(0, 0))]
    assert codes(result) == [("midnight-as-time", "A4", "info"), ("time-zone-converted", "A2", "warning")]
    moved = next(f for f in result.findings if f.code == "time-zone-converted")
    assert moved.message.startswith("The Date cell in row 2 is a timestamp with a time zone")


def test_a_time_range_whose_end_is_the_end_time_cell_says_so(make_return):
    header = [*HEADER, "End Time"]
    [result] = read([make_return("police.xlsx", [[*row(time="09:00-09:20"), "09:20"]], header=header)])
    assert [(e.time, e.end_time) for e in result.entries] == [(T(9), T(9, 20))]
    assert codes(result) == [("time-range-split", "B2", "warning")]
    assert result.findings[0].message == (
        "The Time in row 2 holds a time range: its start is read as the time, and its end is the one "
        "in the End Time column.")
