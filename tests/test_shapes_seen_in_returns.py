"""Shapes of table a second round of realistic returns showed: a divider padded with '-' or
'n/a', a month typed under Event, a sign-off in the table's own columns, an Event of only 'n/a',
a day-first date range in a return with ambiguous dates, and month or year date cells (Excel's
'mmm-yy' for "Mar 2025" typed in a cell). Each must never become an entry or a wrong date."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import row
from test_table_shapes import (
    BLANK,
    conserved,
    convert,
    entries,
    found,
    non_blank,
    read_one,
    write_csv,
    write_docx,
    write_xlsx,
)

from sarkit.dates import Precision
from sarkit.intake.shown_dates import as_shown, style_meanings

PADDED = [
    row(day="05/01/2025", event="Welfare check"),
    ["February 2025", "-", "-", "-", "-", "-"],
    ["March 2025", None, "n/a", "n/a", "n/a", "N/A"],
    ["April 2025", None, None, "No contact", None, None],
    ["2025", "", "—", "—", "—", "—"],
    row(day="10/03/2025", event="Call from neighbour"),
]


@pytest.mark.parametrize("kind", ["xlsx", "csv", "docx"])
def test_a_divider_padded_with_dashes_or_n_a_is_no_entry(tmp_path, kind):
    writer = {"xlsx": write_xlsx, "csv": write_csv, "docx": write_docx}[kind]
    result = read_one(writer(tmp_path / f"police.{kind}", PADDED))
    assert [e[0] for e in entries(result)] == ["05/01/2025", "10/03/2025"]
    cell = (lambda r: None) if kind == "docx" else (lambda r: f"A{r}")
    assert found(result) == [("divider-row", r, cell(r)) for r in (3, 4, 5, 6)]
    assert [f.message.split(" (")[1].split(")")[0] for f in result.findings] == [
        "a month", "a month", "a month", "a year"]
    conserved(result, non_blank(PADDED))


def test_rows_saying_nothing_are_template_rows(tmp_path):
    rows = [row(day="05/01/2025"), ["n/a", None, None, "n/a", None, None],
            ["0", None, None, "0", None, None], ["nil", None, "nil", "nil", None, None],
            row(day="07/01/2025")]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[0] for e in entries(result)] == ["05/01/2025", "07/01/2025"]
    assert found(result) == [("template-rows", 3, None)]
    assert "(rows 3-5)" in result.findings[0].message
    conserved(result, non_blank(rows))


@pytest.mark.parametrize("value, kind", [("March 2025", "a month"), ("--- 2026 ---", "a year"),
                                         ("Apr-25", "a month")])
def test_a_month_under_event_is_a_divider_not_a_line_of_the_entry_above(tmp_path, value, kind):
    rows = [row(day="05/01/2025", event="Call from neighbour"),
            [None, None, None, value, None, None], row(day="10/03/2025", event="Arrest")]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[2] for e in entries(result)] == ["Call from neighbour", "Arrest"]
    assert found(result) == [("divider-row", 3, "D3")]
    assert f"a divider ({kind})" in result.findings[0].message


def test_none_under_event_is_not_joined_to_the_entry_above(tmp_path):
    rows = [row(day="05/01/2025", event="Call from neighbour"),
            [None, None, None, "None", None, None], row(day="10/03/2025", event="Arrest")]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[2] for e in entries(result)] == ["Call from neighbour", "Arrest"]
    assert found(result) == [("template-rows", 3, None)]


def test_a_wrapped_line_under_an_entry_is_still_joined(tmp_path):
    rows = [row(day="05/01/2025", event="Call from neighbour"),
            [None, None, None, "who was worried about the adult", None, None]]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[2] for e in entries(result)] == ["Call from neighbour\nwho was worried about the adult"]
    assert found(result) == [("continuation-row", 3, "D3")]


SIGNED = [
    row(day="05/01/2025", event="Welfare check"),
    row(day="10/03/2025", event="Call from neighbour"),
    BLANK,
    ["30/06/2025", None, "Author", "A Officer, Detective Sergeant", None, None],
    ["30/06/2025", None, "Reviewed by", "DI B Officer", None, None],
    ["30/06/2025", None, "Name: A Officer", "Designation: DS", None, None],
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_sign_off_typed_into_the_tables_columns_is_no_entry(tmp_path, kind):
    writer = write_xlsx if kind == "xlsx" else write_csv
    result = read_one(writer(tmp_path / f"police.{kind}", SIGNED))
    assert [e[0] for e in entries(result)] == ["05/01/2025", "10/03/2025"]
    assert found(result) == [("text-after-table", 5, "A5")]
    assert result.findings[0].message.startswith(
        "The chronology table ends before row 5: rows 5-7 under it")


def test_author_notes_as_a_source_is_still_an_entry(tmp_path):
    rows = [row(day="05/01/2025"), row(day="06/01/2025", source="Author notes", event="Review")]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[2] for e in entries(result)] == ["Home visit", "Review"]


@pytest.mark.parametrize("event", ["n/a", "-", "N/A", "None"])
def test_an_event_of_only_a_placeholder_is_event_missing(tmp_path, event):
    rows = [row(day="05/01/2025"), row(day="06/01/2025", event=event)]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[0] for e in entries(result)] == ["05/01/2025"]
    assert found(result, "event-missing") == [("event-missing", 3, "D3")]
    missing = next(f for f in result.findings if f.code == "event-missing")
    assert missing.message == ("Row 3 has no Event / Contact Details (only a placeholder such as "
                               "'n/a' or '-').")
    assert (result.data_rows, result.rejected_rows) == (2, 1)


def test_a_day_first_range_is_no_sign_of_month_first_dates(tmp_path):
    rows = [row(day="04/03/2025"), row(day="12-14/03/2025", event="Respite stay"),
            row(day="05/04/2025")]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    assert [(e[0]) for e in entries(result)] == ["04/03/2025", "12/03/2025", "05/04/2025"]
    assert found(result) == [("date-range-split", 3, "A3")]


def test_a_month_first_date_still_flags_the_ambiguous_ones(tmp_path):
    rows = [row(day="04/03/2025"), row(day="03/25/2025"), row(day="05/04/2025")]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    codes = sorted(found(result, "date-maybe-month-first", "date-invalid"), key=lambda f: f[1])
    assert codes == [("date-maybe-month-first", 2, "A2"), ("date-invalid", 3, "A3"),
                     ("date-maybe-month-first", 4, "A4")]


# ---- date cells shown as a month or a year ----------------------------------------------------

def month_and_year_cells(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["Date", "Time", "Source of Information", "Event / Contact Details",
                  "Action Taken / Outcome", "Practitioner / Role"])
    cells = [(dt.datetime(2025, 3, 1), "mmm-yy"), (dt.datetime(2025, 4, 1), "mmmm yyyy"),
             (dt.datetime(2025, 1, 1), "yyyy"), (dt.datetime(2025, 5, 12), "mmm-yy"),
             (dt.datetime(2025, 6, 1), "dd/mm/yyyy"), (dt.datetime(2025, 7, 1), '"?"mmmm yyyy')]
    for number, (value, number_format) in enumerate(cells, start=2):
        sheet.append([value, None, "Record", f"Event {number}", "Advice", "PC"])
        sheet.cell(number, 1).number_format = number_format
    book.save(path)
    return path


def test_a_date_cell_shown_as_a_month_or_year_is_that_month_or_year(tmp_path):
    result = read_one(month_and_year_cells(tmp_path / "police.xlsx"))
    dates = [(e.date.display(), e.date.precision, e.date.uncertain) for e in result.entries]
    assert dates == [
        ("March 2025", Precision.MONTH, False), ("April 2025", Precision.MONTH, False),
        ("2025", Precision.YEAR, False),
        ("12/05/2025", Precision.DAY, False),  # it holds a day beyond the 1st: kept
        ("01/06/2025", Precision.DAY, False), ("?July 2025", Precision.MONTH, True)]
    assert found(result, "date-invalid", "date-missing") == []


def test_style_meanings_read_the_workbooks_formats():
    styles = (b'<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="mmm\\-yy"/>'
              b'<numFmt numFmtId="165" formatCode="[$-809]dd\\ mmmm\\ yyyy"/></numFmts>'
              b'<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/>'
              b'<xf numFmtId="17"/></cellXfs></styleSheet>')
    assert style_meanings(styles) == {b"1": ("month", False), b"3": ("month", False)}


@pytest.mark.parametrize("value, precision, uncertain, shown", [
    (dt.date(2025, 3, 1), "month", False, "March 2025"),
    (dt.date(2025, 3, 2), "month", False, None),
    (dt.date(2025, 1, 1), "year", False, "2025"),
    (dt.date(2025, 2, 1), "year", False, None),
    (dt.date(2025, 3, 1), "month", True, "? March 2025"),
])
def test_as_shown(value, precision, uncertain, shown):
    assert as_shown(value, precision, uncertain) == shown


def test_headings_quoted_in_a_message_hide_possible_identifiers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Log"
    for values in (["When", "Who", "What happened to Mrs Janet Fictional", "NHS 943 476 5919"],
                   ["03/02/2025", "PC 1", "Found on floor", "Flat 2"]):
        sheet.append(values)
    book.save(tmp_path / "police.xlsx")
    result = read_one(tmp_path / "police.xlsx")
    [missing] = [f for f in result.findings if f.code == "no-chronology-sheet"]
    assert missing.message.endswith(
        "The rows that look like headings are: sheet Log row 1: When, Who, What happened to Mrs "
        "[name], NHS [NHS number]. Row 1 of the sheet Log has no heading naming the Date, Source "
        "of Information and Event / Contact Details columns, which a chronology must have; the 1 "
        "row under it was not read and is counted as rejected.")
    shown = read_one(tmp_path / "police.xlsx", show_values=True)
    assert "Mrs Janet Fictional, NHS 943 476 5919." in shown.findings[-1].message


def test_a_key_and_notes_under_the_table_are_text_after_it(tmp_path):
    rows = [row(day="06/01/2025"), row(day="20/01/2025"), BLANK,
            ["Key:", None, None, None, None, None], ["DNA", "Did not attend", None, None, None, None],
            ["EMIS", "GP records system", None, None, None, None], BLANK,
            ["Notes: times not recorded for routine consultations.", None, None, None, None, None],
            ["Signed:", "Dr A Partner", None, None, None, None]]
    result = read_one(write_csv(tmp_path / "gp.csv", rows))
    assert [e[0] for e in entries(result)] == ["06/01/2025", "20/01/2025"]
    assert found(result) == [("text-after-table", 5, "A5")]
    assert result.findings[0].message == (
        "The chronology table ends before row 5: rows 5-7 and 9-10 under it (a sign-off, a total, "
        "a key or notes) are not read as entries.")
    assert (result.data_rows, result.rejected_rows) == (2, 0)


def test_a_second_table_is_read_with_its_own_headings(tmp_path):
    rows = [row(day="05/02/2025", event="Medication review"), row(day="19/02/2025", event="DNA"),
            BLANK, ["Contacts with family", None, None, None, None, None],
            ["Date", "Family member", "Method", "Summary", "Outcome", None],
            ["07/02/2025", "Sister", "Phone", "Sister worried about weight loss", "Advised", None]]
    result = read_one(write_xlsx(tmp_path / "gp.xlsx", rows))
    assert [e[2] for e in entries(result)] == ["Medication review", "DNA"]
    assert found(result) == [("text-after-table", 5, "A5"), ("second-table", 6, None),
                             ("source-missing", 7, None)]
    second = result.findings[1]
    assert second.message == (
        "Row 6 holds the headings of a second table (Date, Family member, Method, Summary, "
        "Outcome); the rows under it were read with its own headings, not the first table's.")
    assert (result.data_rows, result.rejected_rows) == (3, 1)


def test_the_same_headings_again_are_a_page_break_not_a_second_table(tmp_path):
    from conftest import HEADER

    rows = [row(day="05/02/2025"), list(HEADER), row(day="06/02/2025")]
    result = read_one(write_xlsx(tmp_path / "gp.xlsx", rows))
    assert [e[0] for e in entries(result)] == ["05/02/2025", "06/02/2025"]
    assert found(result) == [("repeated-header", 3, "A3")]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_xls_workbook_shows_its_month_cells_and_formulas_as_the_xlsx_does(tmp_path):
    book = openpyxl.load_workbook(month_and_year_cells(tmp_path / "police.xlsx"))
    sheet = book.active
    sheet["G1"] = "Days"
    for number in range(2, 10):
        sheet.cell(number, 7, f"=IF(A{number}=\"\",0,1)")
    book.save(tmp_path / "police.xlsx")
    result = read_one(convert(tmp_path / "police.xlsx", "xls", tmp_path))
    assert [e.date.display() for e in result.entries] == [
        "March 2025", "April 2025", "2025", "12/05/2025", "01/06/2025", "?July 2025"]
    assert found(result, "formula-cell") == [("formula-cell", n, f"G{n}") for n in range(2, 8)]
    assert found(result, "template-rows") == [("template-rows", 8, None)]
    assert (result.data_rows, result.rejected_rows) == (6, 0)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_ods_workbook_saved_by_libreoffice_shows_its_month_cells_as_the_xlsx_does(tmp_path):
    result = read_one(convert(month_and_year_cells(tmp_path / "police.xlsx"), "ods", tmp_path))
    dates = [(e.date.display(), e.date.precision, e.date.uncertain) for e in result.entries]
    assert dates == [
        ("March 2025", Precision.MONTH, False), ("April 2025", Precision.MONTH, False),
        ("2025", Precision.YEAR, False), ("12/05/2025", Precision.DAY, False),
        ("01/06/2025", Precision.DAY, False), ("?July 2025", Precision.MONTH, True)]
    assert found(result, "date-invalid", "date-missing") == []


ODS_STYLES = (  # styles.xml: a named cell style whose data style shows '?' month year
    '<?xml version="1.0" encoding="UTF-8"?><office:document-styles '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"><office:styles>'
    '<number:date-style style:name="N90"><number:text>?</number:text>'
    '<number:month number:style="long" number:textual="true"/><number:text> </number:text>'
    '<number:year number:style="long"/></number:date-style>'
    '<style:style style:name="Maybe" style:family="table-cell" style:data-style-name="N90"/>'
    '</office:styles></office:document-styles>')


def ods_with_styles(path: Path) -> Path:
    """An .ods written in code: month-year and year data styles in content.xml (on a cell, on a
    column's default, through a parent style), a named '?' style in styles.xml, a day style."""
    import zipfile

    from corpus import ODS_MIME

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    styles = (
        '<office:automatic-styles>'
        '<number:date-style style:name="N1"><number:month number:textual="true"/>'
        '<number:text>-</number:text><number:year/></number:date-style>'
        '<number:date-style style:name="N2"><number:year number:style="long"/></number:date-style>'
        '<number:date-style style:name="N3"><number:day number:style="long"/><number:text>/'
        '</number:text><number:month number:style="long"/><number:text>/</number:text>'
        '<number:year number:style="long"/></number:date-style>'
        '<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>'
        '<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>'
        '<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N3"/>'
        '<style:style style:name="ce4" style:family="table-cell" style:parent-style-name="ce1"/>'
        '</office:automatic-styles>')
    headings = ["Date", "Time", "Source of Information", "Event / Contact Details",
                "Action Taken / Outcome", "Practitioner / Role"]

    def text(value: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    def dated(day: str, style: str | None) -> str:
        styled = f' table:style-name="{style}"' if style else ""
        return (f'<table:table-cell{styled} office:value-type="date" office:date-value="{day}">'
                '<text:p>x</text:p></table:table-cell>')

    cells = [("2025-03-01", "ce1"), ("2025-01-01", "ce2"), ("2025-04-01", None),  # column default
             ("2025-05-01", "ce4"), ("2025-07-01", "Maybe"), ("2025-06-01", "ce3"),
             ("2025-05-12", "ce1")]
    rows = "".join(f"<table:table-row>{dated(day, style)}{text('')}{text('Record')}"
                   f"{text(f'Event {n}')}{text('Advice')}{text('PC')}</table:table-row>"
                   for n, (day, style) in enumerate(cells, start=2))
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>{styles}'
               '<office:body><office:spreadsheet><table:table table:name="Chronology">'
               '<table:table-column table:default-cell-style-name="ce1"/>'
               '<table:table-column table:number-columns-repeated="5"/>'
               f'<table:table-row>{"".join(text(h) for h in headings)}</table:table-row>{rows}'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("mimetype", ODS_MIME, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", content)
        package.writestr("styles.xml", ODS_STYLES)
        package.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
            'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
            f'manifest:media-type="{ODS_MIME}"/><manifest:file-entry manifest:full-path='
            '"content.xml" manifest:media-type="text/xml"/><manifest:file-entry '
            'manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>'))
    return path


def test_an_ods_date_style_of_month_and_year_or_year_is_read_as_it_shows(tmp_path):
    result = read_one(ods_with_styles(tmp_path / "police.ods"))
    dates = [(e.row, e.date.display(), e.date.precision, e.date.uncertain) for e in result.entries]
    assert dates == [
        (2, "March 2025", Precision.MONTH, False), (3, "2025", Precision.YEAR, False),
        (4, "April 2025", Precision.MONTH, False),  # the column's default style
        (5, "May 2025", Precision.MONTH, False),  # its parent style's data style
        (6, "?July 2025", Precision.MONTH, True),  # a named style of styles.xml
        (7, "01/06/2025", Precision.DAY, False),  # a day style: the day
        (8, "12/05/2025", Precision.DAY, False)]  # holds a day beyond the 1st: kept
    assert found(result, "date-invalid", "date-missing") == []


def test_a_wrapped_line_beside_a_row_number_is_joined(tmp_path):
    from conftest import HEADER

    rows = [[0, *row(day="05/01/2025", event="Call from neighbour")],
            [1, None, None, None, "and officers returned at 11pm", None, None],
            [2, *row(day="03/02/2025", event="Theft reported")]]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows, header=[None, *HEADER]))
    assert [e[2] for e in entries(result)] == [
        "Call from neighbour\nand officers returned at 11pm", "Theft reported"]
    assert found(result) == [("row-number-column", 1, "A1"), ("continuation-row", 3, "E3")]


def test_a_number_in_a_date_cell_is_read_with_a_warning(tmp_path):
    rows = [[45689, "10:00", "Log", "Visit", "Advice", "PC"],
            ["45690", "10:00", "Log", "Visit 2", "Advice", "PC"],
            [2025, "10:00", "Log", "Visit 3", "Advice", "PC"],
            [dt.datetime(2025, 2, 4), "10:00", "Log", "Visit 4", "Advice", "PC"]]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[0] for e in entries(result)] == ["01/02/2025", "02/02/2025", "2025", "04/02/2025"]
    assert sorted(found(result, "date-from-number")) == [("date-from-number", 2, "A2"),
                                                         ("date-from-number", 3, "A3")]
    numbers = [f for f in result.findings if f.code == "date-from-number" and f.row == 2]
    assert numbers[0].message.startswith("The Date cell in row 2 holds a number the spreadsheet shows "
                                         "as a number (such as 45689), not as a date; it was read")


def test_a_system_export_s_dates_in_figures_and_weeks_are_read(tmp_path):
    """20250303 (a number or text) is 3 March 2025, with no spreadsheet-date-number warning;
    'w/c 10/03/2025' and 'mid-April 2025' are uncertain dates, not errors."""
    rows = [[20250303, "10:00", "Log", "Visit", "Advice", "PC"],
            ["20250304", "10:00", "Log", "Visit 2", "Advice", "PC"],
            ["w/c 10/03/2025", None, "Log", "Visit 3", "Advice", "PC"],
            ["mid-April 2025", None, "Log", "Visit 4", "Advice", "PC"]]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[0] for e in entries(result)] == ["03/03/2025", "04/03/2025", "?10/03/2025", "?April 2025"]
    assert found(result) == []
    assert (result.data_rows, result.rejected_rows) == (4, 0)


def test_excel_set_to_us_dates_leaves_a_pattern_that_is_reported(tmp_path):
    """Typed day first on a US computer: 05/03/2025 became the date 3 May, 13/03/2025 stayed text."""
    rows = [[dt.datetime(2025, 5, 3), "10:00", "Log", "Visit", "Advice", "PC"],
            ["13/03/2025", "10:00", "Log", "Visit 2", "Advice", "PC"],
            [dt.datetime(2025, 7, 4), "10:00", "Log", "Visit 3", "Advice", "PC"],
            ["20/04/2025", "10:00", "Log", "Visit 4", "Advice", "PC"]]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    [swapped] = [f for f in result.findings if f.code == "date-maybe-month-first"]
    assert (swapped.row, swapped.cell) == (2, "A2")
    assert swapped.message.startswith(
        "The Date column mixes date cells (rows 2 and 4), every one on a day of 12 or less, with "
        "dates typed as text on days over 12 (rows 3 and 5): what Excel leaves")


def test_date_cells_on_any_day_beside_typed_dates_are_no_sign_of_us_dates(tmp_path):
    rows = [[dt.datetime(2025, 3, 25), "10:00", "Log", "Visit", "Advice", "PC"],
            ["13/03/2025", "10:00", "Log", "Visit 2", "Advice", "PC"],
            [dt.datetime(2025, 4, 5), "10:00", "Log", "Visit 3", "Advice", "PC"]]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert found(result, "date-maybe-month-first") == []


def test_a_source_starting_with_a_sign_off_word_is_still_an_entry(tmp_path):
    """'Signed statement' and 'Role: duty sergeant' are sources; only 'Signed:', 'Signed by',
    'Author', 'Name:' beside a date with nothing done are a sign-off."""
    rows = [row(day="03/01/2025"),
            ["04/02/2025", None, "Signed witness statement", "Neighbour's statement", None, None],
            ["11/02/2025", None, "Role: duty sergeant", "Risk assessment reviewed", None, None],
            row(day="20/02/2025", event="File passed to CPS")]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[2] for e in entries(result)] == [
        "Home visit", "Neighbour's statement", "Risk assessment reviewed", "File passed to CPS"]
    assert found(result, "text-after-table") == []


@pytest.mark.parametrize("event", ["No contact", "Nothing to report", "No involvement"])
def test_an_event_saying_no_contact_is_an_entry_not_a_placeholder(tmp_path, event):
    rows = [row(day="05/01/2025"), row(day="12/01/2025", event=event, action="Phone not answered")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows))
    assert [e[2] for e in entries(result)] == ["Home visit", event]
    assert found(result, "event-missing") == []


def test_the_headings_again_in_other_words_are_a_page_break(tmp_path):
    rows = [row(day="05/01/2025"),
            ["Date of Event", "Time of Event", "Source of Info", "Details", "Action", "Staff"],
            row(day="06/01/2025")]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[0] for e in entries(result)] == ["05/01/2025", "06/01/2025"]
    assert found(result) == [("repeated-header", 3, "A3")]


def test_a_line_of_an_entry_that_starts_with_total_or_count_is_not_an_end_line(tmp_path):
    """'Total of three carers attended' and 'Count of tablets showed…' under Event are lines of
    the entry above; 'Total: 3' alone would end the table."""
    rows = [row(day="05/01/2025", event="Visit by nurse"),
            [None, None, None, "Count of tablets showed 5 missing", None, None],
            row(day="06/01/2025", event="Second visit"),
            [None, None, None, "Total of three carers attended", None, None],
            row(day="07/01/2025", event="Third visit"),
            [None, None, None, "Total: 3", None, None]]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e[2] for e in entries(result)] == [
        "Visit by nurse\nCount of tablets showed 5 missing",
        "Second visit\nTotal of three carers attended", "Third visit"]
    assert found(result) == [("continuation-row", 3, "D3"), ("continuation-row", 5, "D5"),
                             ("text-after-table", 7, "D7")]
