"""Each finding code, shown by a workbook built for it: code, cell, severity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import HEADER, TODAY, row

from sarkit.dates import PartialDate as D
from sarkit.dates import UncertainTime, format_time
from sarkit.findings import CATALOGUE, Severity
from sarkit.returns import ReadOptions, read_returns
from sarkit.review import Review, load_review


def read(paths: list[Path], **options: object):
    options.setdefault("agency", "Police")
    options.setdefault("today", TODAY)
    return read_returns(paths, ReadOptions(**options))  # type: ignore[arg-type]


def codes(result) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.cell, str(f.severity)) for f in result.findings]


# (name, rows, expected (code, cell, severity) findings, entries kept)
ROW_CASES = [
    ("date-missing", [row(day="")], [("date-missing", "A2", "error")], 0),
    ("date-invalid", [row(day="31/02/2025")], [("date-invalid", "A2", "error")], 0),
    ("month-first", [row(day="07/23/2025")], [("date-invalid", "A2", "error")], 0),
    ("not-a-date", [row(day="last Tuesday")], [("date-invalid", "A2", "error")], 0),
    ("time-invalid", [row(time="25:61")], [("time-invalid", "B2", "warning")], 1),
    ("source-missing", [row(source="")], [("source-missing", "C2", "error")], 0),
    ("event-missing", [row(event="")], [("event-missing", "D2", "error")], 0),
    ("action-missing", [row(action="")], [("action-missing", "E2", "warning")], 1),
    ("practitioner-missing", [row(practitioner="")],
     [("practitioner-missing", "F2", "warning")], 1),
    ("date-in-future", [row(day="01/01/2027")], [("date-in-future", "A2", "error")], 0),
    ("out-of-order", [row(day="01/03/2025"), row(day="05/03/2025"), row(day="02/03/2025"),
                      row(day="09/03/2025")], [("out-of-order", "A4", "warning")], 4),
    ("duplicate-row", [row(), row(), row(day="04/03/2025")],
     [("duplicate-row", "D3", "warning")], 3),
]


@pytest.mark.parametrize(("name", "rows", "expected", "kept"), ROW_CASES,
                         ids=[c[0] for c in ROW_CASES])
def test_row_finding(make_return, name, rows, expected, kept):
    [result] = read([make_return(f"{name}.xlsx", rows)])
    assert codes(result) == expected
    assert len(result.entries) == kept
    assert result.rejected_rows == len(rows) - kept


def test_end_before_start(make_return):
    header = [*HEADER, "End Date"]
    [result] = read([make_return("end.xlsx", [[*row(day="10/03/2025"), "09/03/2025"]],
                                 header=header)])
    assert codes(result) == [("end-before-start", "G2", "error")]


def test_date_outside_period(make_return, review_file):
    review = load_review(review_file)
    [result] = read([make_return("police.xlsx", [row(day="15/12/2024"), row()])], review=review)
    assert codes(result) == [("date-outside-period", "A2", "warning")]
    assert len(result.entries) == 2


def test_unknown_column_is_kept_with_did_you_mean(make_return):
    header = [*HEADER[:5], "Practioner", "Risk level"]
    [result] = read([make_return("extra.xlsx", [[*row()[:5], "Nurse", "High"]], header=header)])
    unknown = [f for f in result.findings if f.code == "unknown-column"]
    assert [(f.cell, f.severity) for f in unknown] == [("F1", Severity.WARNING),
                                                         ("G1", Severity.WARNING)]
    assert unknown[0].hint == ('Did you mean "Practitioner / Role"? Rename the heading, or use '
                               '--map "Practioner=practitioner".')
    assert unknown[1].hint == CATALOGUE["unknown-column"].hint
    assert result.entries[0].extras == {"Practioner": "Nurse", "Risk level": "High"}


@pytest.mark.parametrize("heading", ["Contact type", "Type of contact", "Nature of contact"])
def test_no_did_you_mean_for_a_heading_that_only_looks_like_a_field(make_return, heading):
    """'Contact type' is not a misspelt 'Contact Date': no --map hint is offered."""
    header = [*HEADER, heading]
    [result] = read([make_return("extra.xlsx", [[*row(), "Phone"]], header=header)])
    [unknown] = [f for f in result.findings if f.code == "unknown-column"]
    assert (unknown.cell, unknown.hint) == ("G1", CATALOGUE["unknown-column"].hint)


def test_no_did_you_mean_towards_a_field_another_column_gives(make_return):
    header = [*HEADER, "Practioner"]
    [result] = read([make_return("extra.xlsx", [[*row(), "Nurse"]], header=header)])
    [unknown] = [f for f in result.findings if f.code == "unknown-column"]
    assert (unknown.cell, unknown.hint) == ("G1", CATALOGUE["unknown-column"].hint)


def test_missing_column_lists_headers_and_rejects_rows(make_return):
    header = ["Date", "Source of Information", "Action Taken / Outcome"]
    [result] = read([make_return("nocol.xlsx", [["03/03/2025", "Notes", "None"]], header=header)])
    [missing] = [f for f in result.findings if f.code == "missing-column"]
    assert missing.severity == Severity.ERROR and missing.row == 1
    assert "Date, Source of Information, Action Taken / Outcome" in missing.message
    assert result.rejected_rows == 1 and result.entries == []


def test_no_chronology_sheet(make_return):
    [result] = read([make_return("nothing.xlsx", [["a", "b"]], header=["Name", "Value"])])
    assert codes(result) == [("no-chronology-sheet", None, "error")]


def test_agency_unknown_without_any_source(make_return):
    [result] = read([make_return("anon.xlsx", [row()])], agency=None)
    assert codes(result) == [("agency-unknown", None, "error")]
    assert result.rejected_rows == 1


def test_agency_from_details_sheet_matches_review_alias(make_return, review_file):
    review = load_review(review_file)
    path = make_return("return-1.xlsx", [row()], details={"Agency:": "police"})
    [result] = read([path], review=review, agency=None)
    assert result.agency == "Testshire Police"
    assert result.entries[0].agency == "Testshire Police"


def test_agency_column_per_row(make_return, review_file):
    review = load_review(review_file)
    header = [*HEADER, "Organisation"]
    path = make_return("multi.xlsx", [[*row(), "ASC"], [*row(day="04/03/2025"), "GP"]],
                       header=header)
    [result] = read([path], review=review, agency=None)
    assert [e.agency for e in result.entries] == ["Testshire Adult Social Care", "Hill Surgery"]


def test_agency_from_files_glob(make_return, review_file):
    [result] = read([make_return("north-gp-return.xlsx", [row()])],
                    review=load_review(review_file), agency=None)
    assert result.agency == "Hill Surgery"


def test_hidden_sheet_reported_not_read(make_return):
    [result] = read([make_return("hidden.xlsx", [row()], hidden_sheets=["Old"])])
    assert codes(result) == [("hidden-sheet", None, "warning")]
    assert result.findings[0].sheet == "Old"


def test_merged_cells_in_table_take_top_left_value(make_return):
    path = make_return("merged.xlsx", [row(), row(day=None, event="Second visit")],
                       merge=["A2:A3"])
    [result] = read([path])
    assert codes(result) == [("merged-cells", "A2", "warning")]
    assert [e.date.display() for e in result.entries] == ["03/03/2025", "03/03/2025"]


def test_nil_return(make_return):
    [result] = read([make_return("nil.xlsx", [])])
    assert codes(result) == [("nil-return", None, "info")]
    assert result.nil and result.entries == []


def test_title_rows_and_blank_rows_are_skipped(make_return):
    path = make_return("title.xlsx", [row(), [None] * 6, row(day="05/03/2025")],
                       title_rows=[["Chronology for SAR"], [], ["Agency:", "Police"]],
                       merge=["A1:D1"])
    [result] = read([path])
    assert result.header_row == 4
    assert [e.row for e in result.entries] == [5, 7]
    assert codes(result) == []


def test_descending_return_is_valid_and_reordered(make_return):
    rows = [row(day="09/03/2025"), row(day="05/03/2025", time=""),
            row(day="05/03/2025", time="", event="Earlier same day")]
    [result] = read([make_return("desc.xlsx", rows)])
    assert codes(result) == []
    orders = {e.event: e.order for e in result.entries}
    assert orders["Earlier same day"] < orders["Home visit"]


@pytest.mark.parametrize(("days", "expected"), [
    (["w/c 03/03/2025", "mid-March 2025", "20/03/2025", "April 2025"], []),
    (["15/03/2025", "March 2025", "20/03/2025", "2025"], []),
    (["01/03/2025", "15/03/2025", "March 2025", "02/03/2025", "20/03/2025"],
     [("out-of-order", "A5", "warning")]),
    (["15/03/2025", "March 2025", "02/03/2025"], []),  # newest first
    (["February 2025", "15/03/2025"], []),
    (["20/03/2025", "March 2025", "05/03/2025", "February 2025"], []),
    (["20/03/2025", "March 2025", "25/03/2025", "01/03/2025"], [("out-of-order", "A4", "warning")]),
])
def test_a_month_or_year_is_in_order_beside_its_own_days(make_return, days, expected):
    """A month covers its days: out of order only when the whole of an entry's period is before
    (in a newest-first return, after) one listed earlier."""
    [result] = read([make_return("order.xlsx", [row(day=d, event=f"E{i}") for i, d in enumerate(days)])])
    assert [c for c in codes(result) if c[0] == "out-of-order"] == expected


def test_author_note_exempt_from_checks_but_date(make_return):
    note = ["June 2025", "", "# note", "", "", ""]
    [result] = read([make_return("note.xlsx", [row(), note])])
    assert codes(result) == []
    assert result.entries[1].is_note and result.entries[1].date.display() == "June 2025"


def test_no_value_in_messages_unless_show_values(make_return):
    path = make_return("values.xlsx", [row(day="Zebra-17")])
    [quiet] = read([path])
    assert all("Zebra" not in f.message + f.hint for f in quiet.findings)
    [loud] = read([path], show_values=True)
    assert any("Zebra-17" in f.message for f in loud.findings)


def test_rejected_row_keeps_original_values(make_return):
    [result] = read([make_return("rej.xlsx", [row(day="31/02/2025")])])
    assert result.findings[0].values["Date"] == "31/02/2025"
    assert result.findings[0].values["Event / Contact Details"] == "Home visit"


def test_skipped_and_duplicate_files(make_return, tmp_path):
    good = make_return("police.xlsx", [row()])
    copy = tmp_path / "returns" / "police copy.xlsx"
    copy.write_bytes(good.read_bytes())
    lock = tmp_path / "returns" / "~$police.xlsx"
    lock.write_bytes(b"junk")
    results = read([tmp_path / "returns"])
    by_name = {Path(r.path).name: r for r in results}
    assert codes(by_name["~$police.xlsx"]) == [("skipped-file", None, "info")]
    assert by_name["~$police.xlsx"].skipped
    # folders are read in name order, so the copy comes first and the original is the repeat
    assert [f.code for f in by_name["police copy.xlsx"].findings] == []
    assert [f.code for f in by_name["police.xlsx"].findings] == ["duplicate-file"]
    assert by_name["police.xlsx"].entries == []


def test_several_returns_for_one_agency(make_return):
    first = make_return("police-v1.xlsx", [row()])
    second = make_return("police-v2.xlsx", [row(), row(day="04/03/2025")])
    results = read([first, second])
    assert [[f.code for f in r.findings] for r in results] == [["several-returns"]] * 2


def test_file_unreadable(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    results = read([bad, empty])
    assert [codes(r) for r in results] == [[("file-unreadable", None, "error")]] * 2


def test_csv_semicolon_cp1252(tmp_path):
    path = tmp_path / "asc.csv"
    text = "Date;Source of Information;Event / Contact Details;Action Taken / Outcome;Practitioner / Role\r\n"
    text += "03/03/2025;Case notes;Visit to Adult T – café;None;Social worker\r\n"
    path.write_bytes(text.encode("cp1252"))
    [result] = read([path])
    assert codes(result) == []
    assert result.entries[0].event == "Visit to Adult T – café"


def test_real_date_cells_and_1904_serial(make_return):
    rows = [[dt.datetime(2025, 3, 3, 9, 15), None, "Notes", "Visit", "None", "Nurse"]]
    [result] = read([make_return("realdates.xlsx", rows)])
    entry = result.entries[0]
    assert entry.date.display() == "03/03/2025" and entry.time == dt.time(9, 15)


def test_catalogue_codes_are_kebab_case_with_hints():
    for code in CATALOGUE.values():
        assert code.code == code.code.lower() and " " not in code.code
        assert code.hint.endswith(".") and code.description


def test_control_characters_replaced_and_reported(tmp_path):
    path = tmp_path / "ctrl.csv"
    path.write_text("Date,Source of Information,Event / Contact Details,Action Taken / Outcome,"
                    "Practitioner / Role\n03/03/2025,Notes,Visit\x07 made,None,Nurse\n",
                    encoding="utf-8")
    [result] = read([path])
    assert codes(result) == [("illegal-character", None, "warning")]
    assert result.findings[0].row == 2
    assert result.entries[0].event == "Visit\ufffd made"


def test_second_chronology_sheet_is_not_silently_lost(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Chronology"
    first.append(HEADER)
    first.append(row(day="03/03/2025"))
    first.append(row(day="04/03/2025"))
    second = book.create_sheet("Chronology (2)")  # a copy: its dates overlap
    second.append(HEADER)
    second.append(row(day="04/03/2025"))
    path = tmp_path / "split.xlsx"
    book.save(path)
    [result] = read([path])
    assert result.sheet == "Chronology" and len(result.entries) == 2
    assert codes(result) == [("other-chronology-sheet", None, "error")]
    # the row it holds is counted as rejected, and listed: no "every row accounted for"
    assert (result.data_rows, result.rejected_rows) == (3, 1)
    assert result.unread_rows == [("Chronology (2)", 2)]
    from sarkit.account import account_for
    from sarkit.review import Review

    account = account_for([result], Review(), len(result.entries))
    assert not account.complete and account.rejected_rows == 1 and account.unaccounted == 0
    assert [(r.sheet, r.row, r.codes) for r in account.rejected] == [
        ("Chronology (2)", 2, ("other-chronology-sheet",))]
    assert result.findings[0].sheet == "Chronology (2)"
    assert "(1 row under its header in row 1)" in result.findings[0].message


# --------------------------------------------------------------------------------------------
# A date range in one Date cell; uncertain times


def test_date_range_in_the_date_cell_is_a_span(make_return):
    [result] = read([make_return("police.xlsx", [row(day="12/05/2025 - 30/06/2025", time=""),
                                                 row(day="12-14 March 2025", time="")])])
    assert codes(result) == [("date-range-split", "A2", "info"), ("date-range-split", "A3", "info")]
    assert [(e.date, e.end_date, e.last_day) for e in result.entries] == [
        (D(2025, 5, 12), D(2025, 6, 30), dt.date(2025, 6, 30)),
        (D(2025, 3, 12), D(2025, 3, 14), dt.date(2025, 3, 14)),
    ]
    assert result.findings[0].message == (
        "The Date in row 2 holds a date range: its first date is read as the date and its last "
        "as the end date, so the entry covers the whole period.")


def test_date_range_values_shown_only_with_show_values(make_return):
    [result] = read([make_return("police.xlsx", [row(day="from 3/3/25 until 5/3/25")])],
                    show_values=True)
    assert "(03/03/2025 to 05/03/2025)" in result.findings[0].message


@pytest.mark.parametrize(("day", "expected"), [
    ("12-05-2025", []),  # one date written with dashes: not a range
    ("2024-2025", [("date-invalid", "A2", "error")]),  # a range of years, or a financial year?
    ("12/05/2025 and 14/05/2025", [("date-invalid", "A2", "error")]),  # two events?
    ("14-12 March 2025", [("date-range-split", "A2", "info"), ("end-before-start", "A2", "error")]),
])
def test_ambiguous_or_wrong_ranges_are_errors_never_guesses(make_return, day, expected):
    [result] = read([make_return("police.xlsx", [row(day=day)])])
    assert codes(result) == expected
    assert len(result.entries) == (1 if day == "12-05-2025" else 0)


def test_date_range_and_an_end_date_column_that_disagree(make_return):
    header = [*HEADER, "End Date"]
    rows = [[*row(day="12/05/2025 - 30/06/2025"), "01/07/2025"],
            [*row(day="12/05/2025 - 30/06/2025"), "30/06/2025"]]
    [result] = read([make_return("police.xlsx", rows, header=header)])
    assert codes(result) == [("date-invalid", "A2", "error"), ("date-range-split", "A3", "info")]
    assert "the End Date column gives another end" in result.findings[0].message
    assert [(e.row, e.end_date) for e in result.entries] == [(3, D(2025, 6, 30))]


def test_uncertain_time_keeps_its_mark_to_the_csv(make_return, tmp_path):
    from sarkit.collate import collate
    from sarkit.output.chronology_export import chronology_rows

    [result] = read([make_return("police.xlsx", [row(time="?14:30"), row(day="04/03/2025")])])
    assert codes(result) == []
    assert [format_time(e.time) for e in result.entries] == ["?14:30", "10:00"]
    assert isinstance(result.entries[0].time, UncertainTime)
    _, rows = chronology_rows(collate([result], Review()))
    assert [r[:3] for r in rows] == [["C0001", "03/03/2025", "?14:30"],
                                     ["C0002", "04/03/2025", "10:00"]]


def test_agency_map_applies_by_details_sheet_and_by_agency_option(make_return):
    from sarkit.review import Agency

    review = Review(mapping={"When": "date"}, agencies=[
        Agency("Testshire Police", short="Police", mapping={"Log": "source"}),
        Agency("Hill Surgery", short="GP")])
    header = ["When", "Log", "Event / Contact Details", "Action Taken / Outcome", "Staff"]
    rows = [["03/03/2025", "Case notes", "Home visit", "None", "PC"]]
    by_details = make_return("a.xlsx", rows, header=header, details={"Agency:": "Police"})
    [result] = read([by_details], review=review, agency=None)
    assert (codes(result), result.agency) == ([], "Testshire Police")
    [result] = read([make_return("b.xlsx", rows, header=header)], review=review, agency="Police")
    assert codes(result) == []
    [result] = read([make_return("c.xlsx", rows, header=header)], review=review, agency="GP")
    assert codes(result) == [("missing-column", None, "error"), ("unknown-column", "B1", "warning")]


def test_same_entry_of_two_agencies_in_one_return_is_not_a_duplicate(tmp_path) -> None:
    """A return with an Agency column (a multi-agency export): the same words on the same day by
    two agencies are two entries, not a repeat."""
    from conftest import write_return

    header = ["Date", "Agency", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role"]
    rows = [["03/03/2025", "Police", "Log", "Visit", "Advice", "Officer"],
            ["03/03/2025", "GP", "Log", "Visit", "Advice", "Officer"],
            ["03/03/2025", "GP", "Log", "Visit", "Advice", "Officer"]]
    path = write_return(tmp_path / "export.csv", rows, header=header)
    [result] = read_returns([path], ReadOptions())
    assert [e.agency for e in result.entries] == ["Police", "GP", "GP"]
    assert [(f.code, f.row) for f in result.findings if f.code == "duplicate-row"] == [("duplicate-row", 4)]
