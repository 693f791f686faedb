"""Word returns: no entry read twice, and none lost in silence (text boxes, other tables, dated
paragraphs between tables, several events in one cell, dated continuation rows, date pickers,
layout tables, comments, page text)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from corpus import HEADER, entries, good_xlsx
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.findings import Severity
from sarkit.intake import read_workbook
from sarkit.returns import ReadOptions, validate_workbook

OPTIONS = ReadOptions(agency="Northshire Police", today=dt.date(2025, 6, 1))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')
runner = CliRunner()


def _document(*blocks: tuple[str, object]):
    """A document of ('p', text) paragraphs and ('t', rows) tables; rows[0] is the header."""
    from docx import Document

    document = Document()
    for kind, value in blocks:
        if kind == "p":
            document.add_paragraph(value)
        else:
            table = document.add_table(rows=0, cols=len(value[0]))
            for values in value:
                for cell, text in zip(table.add_row().cells, values, strict=True):
                    cell.text = text
    return document


def _save(document, tmp_path: Path, name: str = "police.docx") -> Path:
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def _validate(path: Path):
    return validate_workbook(read_workbook(path), OPTIONS)


def _cli(path: Path) -> tuple[int, dict]:
    result = runner.invoke(app, ["validate", "--agency", "Northshire Police", "--format", "json",
                                 str(path)])
    return result.exit_code, json.loads(result.stdout)


def _found(result) -> list[tuple[str, str, str | None, int | None]]:
    return [(f.code, f.severity.value, f.sheet, f.row) for f in result.findings]


# 1. a table in a text box -------------------------------------------------------------------

def _text_box(inner: str) -> str:
    """A paragraph anchoring a text box as Word writes it: the choice and a VML fallback copy."""
    return (f'<w:p {NS}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
            f'wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>{inner}<w:p/></w:txbxContent>'
            '</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{inner}<w:p/></w:txbxContent>'
            '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')


def _table_xml(rows: list[list[str]]) -> str:
    cells = "".join("<w:tr>" + "".join(f'<w:tc><w:p><w:r><w:t xml:space="preserve">{v}</w:t></w:r>'
                                       "</w:p></w:tc>" for v in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr/><w:tblGrid>{'<w:gridCol/>' * len(rows[0])}</w:tblGrid>{cells}</w:tbl>"


def test_a_chronology_in_a_text_box_is_read_once_not_twice(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    rows = entries(2)
    document = _document(("p", "Agency: Northshire Police"), ("p", "Dated 01/06/2025 by the author"))
    document.element.body.insert(2, parse_xml(_text_box(
        _table_xml([HEADER, *rows]) + '<w:p><w:r><w:t>Author: A. Writer</w:t></w:r></w:p>')))
    result = _validate(_save(document, tmp_path))
    assert [(e.event, e.sheet, e.row) for e in result.entries] == [
        (rows[0][3], "Table 1", 2), (rows[1][3], "Table 1", 3)]
    assert result.findings == []
    assert (result.data_rows, result.rejected_rows) == (2, 0)


# 2. other tables with dated, entry-like rows ---------------------------------------------------

def test_other_dated_tables_are_named_as_sheets_are_never_dropped(tmp_path: Path) -> None:
    document = _document(
        ("p", "Agency: Northshire Police"), ("t", [HEADER, *entries(2)]),
        ("p", "Missed appointments"),
        ("t", [["Date", "Appointment with", "Outcome"], ["12/04/2024", "Practice nurse", "DNA - letter sent"],
               ["19/04/2024", "GP", "DNA - no action"]]),
        ("p", "Key dates"),
        ("t", [["Date", "Significant Event"], ["01/05/2024", "Admitted to hospital after a fall."],
               ["20/05/2024", "Discharged home."]]),
        ("t", [["Signed", "A. Officer"], ["Date", "12/06/2025"]]))
    path = _save(document, tmp_path)
    result = _validate(path)
    assert len(result.entries) == 2
    assert _found(result) == [("sheet-not-read", "error", "Table 2", 1),
                              ("sheet-not-read", "error", "Table 3", 1),
                              ("dates-on-other-sheet", "info", "Table 4", 2)]
    assert result.findings[0].message == (
        "Table 2 has chronology headings in row 1 but no Source of Information and Event / Contact "
        "Details column, so it was not read, but it has 2 rows with a date and words beside it, "
        "like chronology entries (rows 2-3): its 2 rows under the headings (rows 2-3) are counted "
        "as rejected rows.")
    assert result.findings[2].message == (
        "Table 4 is not the chronology and was not read, but it has 1 row with a date (row 2), "
        "with no words beside the date, like a summary or a sign-off.")
    assert result.unread_rows == [("Table 2", 2), ("Table 2", 3), ("Table 3", 2), ("Table 3", 3)]
    code, report = _cli(path)
    assert code == 1 and report["files"][0]["rejected_rows"] == 4


# 3. a dated paragraph between the parts of a split table ------------------------------------------

def test_a_dated_paragraph_between_tables_is_named_never_lost(tmp_path: Path) -> None:
    rows = entries(3)
    document = _document(
        ("p", "Agency: Northshire Police"), ("p", "Chronology from 01/03/2024"),  # not an entry
        ("t", [HEADER, *rows[:2]]),
        ("p", "05/03/2024  Housing system  Emergency repair: boiler failed.  Engineer sent"),
        ("t", [rows[2]]),
        ("p", "07/03/2024 - Phone call from the bank."), ("p", "12/06/2025"))  # a bare date: no entry
    path = _save(document, tmp_path)
    result = _validate(path)
    assert len(result.entries) == 3
    assert _found(result) == [("paragraph-not-read", "warning", None, None),
                              ("paragraph-not-read", "warning", None, None),
                              ("table-continued", "info", "Table 2", 4)]
    assert [f.message for f in result.findings[:2]] == [
        "Paragraph 3 of the document's text (outside the tables), between Table 1 and Table 2, "
        "starts with a date followed by words, like a chronology entry; only tables are read, so "
        "it is not in the chronology.",
        "Paragraph 4 of the document's text (outside the tables), after Table 2, the last table, "
        "starts with a date followed by words, like a chronology entry; only tables are read, so "
        "it is not in the chronology."]
    code, report = _cli(path)
    assert code == 0 and report["summary"]["warnings"] == 2  # never silent


def test_a_paragraph_about_a_date_or_signing_the_document_off_is_no_entry(tmp_path: Path) -> None:
    document = _document(
        ("p", "01/03/2024 is the start of the review period set by the Board."),
        ("t", [HEADER, *entries(2)]),
        ("p", "12/02/2026 - checked and approved by Head of Service."),
        ("p", "13/02/2026 Signed off by the safeguarding lead."))
    result = _validate(_save(document, tmp_path))
    assert len(result.entries) == 2
    assert "paragraph-not-read" not in [f.code for f in result.findings]


# 4. several dated events in one Event cell -------------------------------------------------------

def test_several_dated_events_in_one_cell_are_a_warning_naming_the_cell(tmp_path: Path) -> None:
    rows = entries(3)
    rows[0][3] = "01/05/2024 Seen by GP, leg ulcer.\n08/05/2024 DNA nurse appointment."
    rows[1][3] = "Home visit:\nkitchen unsafe\n13/02/2024 follow-up agreed"  # one dated line: a plan
    rows[2][3] = "Seen at home.\n- 12/06/2024 Referral to district nurses.\n20/06/2024 - No answer."
    result = _validate(_save(_document(("t", [HEADER, *rows])), tmp_path))
    assert len(result.entries) == 3
    assert _found(result) == [("several-events-in-cell", "warning", "Table 1", 2),
                              ("several-events-in-cell", "warning", "Table 1", 4)]
    assert result.findings[1].column == "Event / Contact Details"
    assert result.findings[1].message == (
        "The Event / Contact Details cell of row 4 holds several dated events (2 of its 3 lines "
        "start with a date of their own); only the row's date is used for all of them — split "
        "them into rows, one event each.")


def test_several_dated_events_in_a_workbook_cell_get_the_same_warning_with_the_cell(tmp_path: Path) -> None:
    rows = entries(2)
    rows[1][3] = "03/05/2024 Home visit.\n10/05/2024 Phone call made to her."
    result = _validate(good_xlsx(tmp_path / "police.xlsx", rows))
    assert [(f.code, f.row, f.cell) for f in result.findings] == [("several-events-in-cell", 3, "D3")]


# 5. a row with no date or source whose event starts with its own date ------------------------------

def test_a_continuation_row_with_its_own_date_is_not_joined_to_the_entry_above(tmp_path: Path) -> None:
    rows = entries(2)
    lines = [rows[0], ["", "", "", "and a call to the GP", "", ""],  # joined, as before
             ["", "", "", "", "20/03/2024 review booked with her", ""],  # an Action's plan: joined
             rows[1], ["", "", "", "14/03/2024 Phone call from bank: account frozen.", "", ""]]
    path = _save(_document(("t", [HEADER, *lines])), tmp_path)
    result = _validate(path)
    assert [e.event for e in result.entries] == [rows[0][3] + "\nand a call to the GP", rows[1][3]]
    assert result.entries[0].action == rows[0][4] + "\n20/03/2024 review booked with her"
    assert _found(result) == [("continuation-row", "info", "Table 1", 3),
                              ("continuation-row", "info", "Table 1", 4),
                              ("dated-row-not-joined", "error", "Table 1", 6)]
    assert result.findings[2].message == (
        "Row 6 has no date and no source, but its Event / Contact Details starts with a date of "
        "its own, like an entry of its own: it was not added to the entry in row 5, and without "
        "a date and a source it is rejected.")
    assert (result.data_rows, result.rejected_rows) == (3, 1)
    code, report = _cli(path)
    assert code == 1 and report["account"]["rejected_rows"][0]["row"] == 6


def test_a_joined_line_starting_with_a_day_and_month_is_joined_with_a_warning(tmp_path: Path) -> None:
    rows = entries(2)
    lines = [rows[0], ["", "", "", "12/03 update: dressing changed", "", ""],
             rows[1], ["", "", "", "3 visits a week agreed", "", ""]]  # no day and month: as before
    result = _validate(_save(_document(("t", [HEADER, *lines])), tmp_path))
    assert [e.event for e in result.entries] == [rows[0][3] + "\n12/03 update: dressing changed",
                                                 rows[1][3] + "\n3 visits a week agreed"]
    assert _found(result) == [("continuation-day-month", "warning", "Table 1", 3),
                              ("continuation-row", "info", "Table 1", 5)]
    assert result.findings[0].message == (
        "Row 3 has no date and no source, only more Event / Contact Details: its text was added "
        "to the entry in row 2, but it starts with what may be a day and a month without a year, "
        "like another day's event.")


def test_lines_starting_with_days_and_months_are_several_events_too(tmp_path: Path) -> None:
    rows = entries(1)
    rows[0][3] = "14/03 dressing changed\n15/03 no answer at door\n16/03 seen, settled"
    result = _validate(_save(_document(("t", [HEADER, *rows])), tmp_path))
    assert _found(result) == [("several-events-in-cell", "warning", "Table 1", 2)]
    assert "(3 of its 3 lines start with a date of their own)" in result.findings[0].message


# 6. Word date pickers ------------------------------------------------------------------------------

def _picker(stored: str, shown: str, form: str) -> str:
    return (f'<w:sdt {NS}><w:sdtPr><w:date w:fullDate="{stored}T00:00:00Z"><w:dateFormat '
            f'w:val="{form}"/><w:lid w:val="en-US"/></w:date></w:sdtPr><w:sdtContent><w:r><w:t>'
            f"{shown}</w:t></w:r></w:sdtContent></w:sdt>")


def test_a_month_first_date_picker_gives_its_stored_date_and_a_typed_over_one_a_warning(
        tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    rows = entries(4)
    for row in rows:
        row[0] = ""
    document = _document(("t", [HEADER, *rows]))
    table = document.tables[0]
    for row, (stored, shown, form) in enumerate([
            ("2024-03-04", "3/4/2024", "M/d/yyyy"),  # 4 March, shown month first
            ("2024-05-06", "06/05/2024", "dd/MM/yyyy"),  # day first: no note
            ("2024-07-08", "9/7/2024", "d/M/yyyy"),  # typed over: the text is read, with a warning
            ("2024-07-10", "10 July 2024", "d MMMM yyyy")], start=1):
        table.cell(row, 0).paragraphs[0]._p.append(parse_xml(_picker(stored, shown, form)))
    result = _validate(_save(document, tmp_path))
    assert [e.date.start for e in result.entries] == [
        dt.date(2024, 3, 4), dt.date(2024, 5, 6), dt.date(2024, 7, 9), dt.date(2024, 7, 10)]
    assert _found(result) == [("date-picker", "warning", "Table 1", 4),
                              ("date-picker", "info", "Table 1", 2)]
    assert result.findings[0].message == (
        "In the cell at row 4 column 1 of Table 1, a date picker shows a date other than the one "
        "it stores (its text typed over, or its date format changed); the date shown was read: "
        "check that it is right.")
    assert result.findings[1].message.startswith(
        "In the cell at row 2 column 1 of Table 1, a date picker shows its date with the month first")


# 7. .doc and .odt: save as .docx ---------------------------------------------------------------------

def test_a_doc_or_odt_file_is_told_to_be_saved_as_docx_not_xlsx(tmp_path: Path) -> None:
    from extract_msg import OleWriter

    writer = OleWriter()
    writer.addEntry("WordDocument", b"\0" * 64)
    out = io.BytesIO()
    writer.write(out)
    (tmp_path / "police.doc").write_bytes(out.getvalue())
    with zipfile.ZipFile(tmp_path / "police.odt", "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", "<office:document-content/>")
    for name in ("police.doc", "police.odt"):
        book = read_workbook(tmp_path / name)
        [found] = book.findings
        assert found.code == "file-unreadable"
        assert "save it as a Word Document (.docx)" in found.hint and ".xlsx" not in found.hint
        assert "LibreOffice Writer" in found.hint


# 8. a chronology in a one-cell layout table ----------------------------------------------------------

def test_a_chronology_inside_a_layout_table_is_read_with_a_note(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "Northshire Police - chronology"
    inner = frame.add_table(rows=0, cols=len(HEADER))
    for values in [HEADER, *entries(2)]:
        for cell, text in zip(inner.add_row().cells, values, strict=True):
            cell.text = text
    result = _validate(_save(document, tmp_path))
    assert [(e.sheet, e.row) for e in result.entries] == [("Table 1", 2), ("Table 1", 3)]
    assert _found(result) == [("table-in-layout", "info", "Table 1", None)]
    assert result.findings[0].message == (
        "Table 1 is set inside a table of one column (a letterhead or a frame around the page); it "
        "was read as a table of its own, and the frame's own text was not read.")
    assert (result.data_rows, result.rejected_rows) == (2, 0)


# 9. comments on cells ------------------------------------------------------------------------------

def test_a_comment_on_a_cell_is_a_warning_naming_it(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    document = _document(("t", [HEADER, *entries(2)]))
    p = document.tables[0].cell(2, 3).paragraphs[0]._p
    p.insert(0, parse_xml(f'<w:commentRangeStart {NS} w:id="0"/>'))
    p.append(parse_xml(f'<w:commentRangeEnd {NS} w:id="0"/>'))
    p.append(parse_xml(f'<w:r {NS}><w:commentReference w:id="0"/></w:r>'))
    result = _validate(_save(document, tmp_path))
    assert len(result.entries) == 2
    assert _found(result) == [("cell-comment", "warning", "Table 1", 3)]
    assert result.findings[0].message == (
        "A comment is attached to the text of the cell at row 3 column 4 of Table 1; comments are "
        "not read into the chronology.")
    assert result.findings[0].severity == Severity.WARNING


# 10. page text and rows under the table ------------------------------------------------------------

def test_continued_on_next_page_is_page_text_and_rows_under_the_table_get_no_merge_warning(
        tmp_path: Path) -> None:
    rows = entries(2)
    blank = [""] * len(HEADER)
    document = _document(("t", [HEADER, rows[0], ["Continued on next page", *blank[1:]], rows[1],
                                ["End of chronology", *blank[1:]], ["Signed: A. Officer", *blank[1:]],
                                ["Date: 12/06/2025", *blank[1:]]]))
    table = document.tables[0]
    for row in (4, 5, 6):
        first = table.cell(row, 0)
        text = first.text
        first.merge(table.cell(row, len(HEADER) - 1)).text = text
    result = _validate(_save(document, tmp_path))
    assert len(result.entries) == 2
    assert _found(result) == [("page-text", "info", "Table 1", 3),
                              ("text-after-table", "info", "Table 1", 5)]
