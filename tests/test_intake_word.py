"""Word returns: each table a raw sheet, 'Agency: X' lines as details, merged cells as ranges."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from corpus import HEADER, docx_bytes, entries, good_xlsx

from sarkit.intake import read_workbook
from sarkit.returns import ReadOptions, read_returns, validate_workbook


def _docx(tmp_path: Path, data: bytes, name: str = "police.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_word_table_collates_like_the_same_return_as_xlsx(tmp_path: Path) -> None:
    rows = entries(5)
    word = read_workbook(_docx(tmp_path, docx_bytes(rows, agency=None)))
    sheet = good_xlsx(tmp_path / "police.xlsx", rows)
    options = ReadOptions(agency="Northshire Police", today=dt.date(2025, 6, 1))
    from_word = validate_workbook(word, options)
    from_sheet = validate_workbook(read_workbook(sheet), options)
    assert from_word.sheet == "Table 1" and from_word.header_row == 1
    assert [f.code for f in from_word.findings] == []
    key = lambda e: (e.date, e.time, e.source, e.event, e.action, e.practitioner, e.row)  # noqa: E731
    assert [key(e) for e in from_word.entries] == [key(e) for e in from_sheet.entries]


def test_agency_from_a_paragraph(tmp_path: Path) -> None:
    book = read_workbook(_docx(tmp_path, docx_bytes(entries(1), agency="Northshire Police")))
    assert book.details["agency"] == "Northshire Police"
    assert book.details["subject"] == "Adult B"
    result = validate_workbook(book, ReadOptions(today=dt.date(2025, 6, 1)))
    assert result.agency == "Northshire Police"
    assert len(result.entries) == 1


def test_details_table_and_several_tables(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    details = document.add_table(rows=2, cols=2)
    details.cell(0, 0).text, details.cell(0, 1).text = "Agency:", "Northshire Ambulance"
    details.cell(1, 0).text, details.cell(1, 1).text = "Author:", "A. Writer"
    document.add_paragraph("Chronology")
    table = document.add_table(rows=0, cols=len(HEADER))
    for values in [HEADER, *entries(2)]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    nested = table.cell(1, 3).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "inner"
    out = io.BytesIO()
    document.save(out)
    book = read_workbook(_docx(tmp_path, out.getvalue()))
    assert [s.name for s in book.sheets] == ["Table 1", "Table 2"]
    assert book.details["agency"] == "Northshire Ambulance"
    assert book.sheets[1].rows[1][3] == entries(2)[0][3] + "\ninner"  # the nested table's text
    assert [f.code for f in book.findings] == ["table-in-cell"]
    result = validate_workbook(book, ReadOptions(today=dt.date(2025, 6, 1)))
    assert result.sheet == "Table 2" and len(result.entries) == 2
    assert result.agency == "Northshire Ambulance"


def test_merged_cells_keep_text_once_and_are_listed(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    table = document.add_table(rows=0, cols=len(HEADER))
    for values in [HEADER, *entries(3)]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    table.cell(1, 4).text = "Discussed at MARAC"
    table.cell(1, 4).merge(table.cell(3, 4))  # one action for three rows
    table.cell(2, 2).merge(table.cell(2, 3))  # source and event in one wide cell
    out = io.BytesIO()
    document.save(out)
    sheet = read_workbook(_docx(tmp_path, out.getvalue())).sheets[0]
    assert (2, 4, 4, 4) in sheet.merged
    assert (3, 2, 3, 3) in sheet.merged
    assert sheet.rows[2][4] is None and sheet.rows[3][4] is None
    assert sheet.rows[2][3] is None
    assert len(sheet.rows[2]) == len(HEADER)
    result = validate_workbook(read_workbook(_docx(tmp_path, out.getvalue(), "b.docx")),
                               ReadOptions(agency="Police", today=dt.date(2025, 6, 1)))
    assert "merged-cells" in {f.code for f in result.findings}
    assert all(e.action.startswith("Discussed at MARAC") for e in result.entries)


def test_a_document_without_tables(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("We had no involvement.")
    out = io.BytesIO()
    document.save(out)
    book = read_workbook(_docx(tmp_path, out.getvalue()))
    assert book.sheets == [] and book.findings == []
    result = validate_workbook(book, ReadOptions(agency="Police"))
    assert result.entries == []


def test_a_word_document_with_no_table_is_an_error_not_a_valid_empty_return(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("The chronology is attached separately.")
    document.save(tmp_path / "police.docx")
    [result] = read_returns([tmp_path / "police.docx"], ReadOptions(agency="Police"))
    assert [(f.code, f.severity) for f in result.findings] == [("no-chronology-sheet", "error")]
    assert result.findings[0].message == (
        "The document holds no table, so no chronology could be read from it.")
    assert result.entries == [] and not result.nil


def _split_document(*tables: tuple[bool, list[list[str]]], between: str = "page") -> bytes:
    """A Word chronology split into tables: (repeat the headings?, rows) each, with a page break,
    a paragraph or a heading between them."""
    from docx import Document

    document = Document()
    document.add_paragraph("Agency: Northshire Police")
    for number, (headings, rows) in enumerate(tables):
        if number:
            if between == "page":
                document.add_page_break()
            elif between == "heading":
                document.add_heading(f"Chronology continued ({number + 1})", level=2)
            else:
                document.add_paragraph("The chronology carries on below.")
        table = document.add_table(rows=0, cols=len(HEADER))
        for values in ([HEADER] if headings else []) + rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_chronology_split_over_tables_is_read_whole(tmp_path: Path) -> None:
    rows = entries(7)
    data = _split_document((True, rows[:3]), (True, rows[3:5]), (False, rows[5:]))
    result = validate_workbook(read_workbook(_docx(tmp_path, data)),
                               ReadOptions(today=dt.date(2025, 6, 1)))
    assert [e.event for e in result.entries] == [r[3] for r in rows]
    # rows numbered on through the tables: every row of the chronology its own number
    assert [(e.sheet, e.row) for e in result.entries] == [
        ("Table 1", 2), ("Table 1", 3), ("Table 1", 4), ("Table 2", 6), ("Table 2", 7),
        ("Table 3", 8), ("Table 3", 9)]
    assert [e.order for e in result.entries] == list(range(7))
    assert [(f.code, f.sheet, f.row, f.message) for f in result.findings] == [
        ("table-continued", "Table 2", 5, "Table 2 carries on the chronology of Table 1 (the same "
         "headings repeated); its rows were read as part of it, numbered on from the table "
         "before: rows 5-7."),
        ("table-continued", "Table 3", 8, "Table 3 carries on the chronology of Table 1 (no "
         "headings, the same columns); its rows were read as part of it, numbered on from the "
         "table before: rows 8-9."),
    ]
    assert (result.data_rows, result.rejected_rows) == (7, 0)


def test_findings_in_a_continued_table_name_it(tmp_path: Path) -> None:
    rows = entries(4)
    rows[3][0] = "31/02/2024"  # no such day
    rows[2][3] = rows[1][3] = "Same visit"
    rows[2][:3] = rows[1][:3]
    data = _split_document((True, rows[:2]), (False, rows[2:]), between="heading")
    result = validate_workbook(read_workbook(_docx(tmp_path, data)),
                               ReadOptions(today=dt.date(2025, 6, 1)))
    found = [(f.code, f.sheet, f.row) for f in result.findings if f.code != "table-continued"]
    assert found == [("duplicate-row", "Table 2", 4), ("date-invalid", "Table 2", 5)]
    assert (result.data_rows, result.rejected_rows, len(result.entries)) == (4, 1, 3)


def test_a_table_that_does_not_carry_on_the_chronology_ends_it(tmp_path: Path) -> None:
    """A sign-off table (other columns) stops the search; a later table with the same columns
    is then another chronology: an error, and its rows count as rejected."""
    from docx import Document

    document = Document()
    document.add_paragraph("Agency: Northshire Police")
    for block in ("chronology", "sign-off", "chronology"):
        if block == "sign-off":
            table = document.add_table(rows=2, cols=2)
            table.cell(0, 0).text, table.cell(0, 1).text = "Signed", "A. Manager"
            table.cell(1, 0).text, table.cell(1, 1).text = "Date", "01/06/2025"
            continue
        table = document.add_table(rows=0, cols=len(HEADER))
        for values in [HEADER, *entries(2)]:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    result = validate_workbook(read_workbook(_docx(tmp_path, out.getvalue())),
                               ReadOptions(today=dt.date(2025, 6, 1)))
    assert len(result.entries) == 2
    # the sign-off's date is named (information: no words beside it), as on a sheet
    assert [(f.code, f.severity.value, f.sheet) for f in result.findings] == [
        ("other-chronology-sheet", "error", "Table 3"), ("dates-on-other-sheet", "info", "Table 2")]
    assert result.unread_rows == [("Table 3", 2), ("Table 3", 3)]
    assert (result.data_rows, result.rejected_rows) == (4, 2)


def test_a_headerless_table_of_other_width_or_without_dates_is_not_read(tmp_path: Path) -> None:
    rows = entries(2)
    notes = [["Note", "", "", "Written up later", "", ""]]
    data = _split_document((True, rows), (False, notes))
    result = validate_workbook(read_workbook(_docx(tmp_path, data)),
                               ReadOptions(today=dt.date(2025, 6, 1)))
    assert len(result.entries) == 2 and result.findings == []
