"""Word returns: a cell's text is what Word shows in it (tracked changes accepted, field results,
content controls, text boxes, symbols, nested tables), never text Word hides."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from corpus import HEADER, entries

from sarkit.findings import Severity
from sarkit.intake import read_workbook
from sarkit.returns import ReadOptions, validate_workbook

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
OPTIONS = ReadOptions(agency="Northshire Police", today=dt.date(2025, 6, 1))


def _xml(text: str):
    """One element from XML text that may use the w: and mc: prefixes."""
    from docx.oxml import parse_xml

    return parse_xml(f"<w:wrap {NS} {MC}>{text}</w:wrap>")[0]


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


class Return:
    """A Word return with the template's headings and `rows` entries; cells edited as XML."""

    def __init__(self, rows: int = 3, *, before: list[str] = ()) -> None:
        from docx import Document

        self.document = Document()
        for line in before:
            self.document.add_paragraph(line)
        self.table = self.document.add_table(rows=0, cols=len(HEADER))
        for values in [HEADER, *entries(rows)]:
            for cell, value in zip(self.table.add_row().cells, values, strict=True):
                cell.text = value

    def cell(self, row: int, col: int):
        """The w:tc of the table's `row` (1-based, the header is row 1) and column (1-based)."""
        return self.table.cell(row - 1, col - 1)

    def append(self, row: int, col: int, xml: str, *, clear: bool = False) -> None:
        """Add `xml` (inline content) to the first paragraph of a cell."""
        p = self.cell(row, col).paragraphs[0]._p
        if clear:
            for r in p.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r"):
                p.remove(r)
        from docx.oxml import parse_xml

        for element in list(parse_xml(f"<w:wrap {NS} {MC}>{xml}</w:wrap>")):
            p.append(element)

    def read(self, tmp_path: Path):
        out = io.BytesIO()
        self.document.save(out)
        path = tmp_path / "police.docx"
        path.write_bytes(out.getvalue())
        return read_workbook(path)


def _text(book, row: int, col: int):
    return book.sheets[0].rows[row - 1][col - 1]


def _codes(book) -> list[str]:
    return [f.code for f in book.findings]


EVENT = 4  # the Event / Contact Details column
INS = '<w:ins w:id="1" w:author="A" w:date="2025-03-05T00:00:00Z">{}</w:ins>'
DEL = '<w:del w:id="2" w:author="A" w:date="2025-03-05T00:00:00Z">{}</w:del>'


def test_a_tracked_insertion_is_read_and_a_deletion_is_not_with_one_warning(tmp_path: Path) -> None:
    word = Return(3)
    word.append(2, EVENT, INS.format(_run(" Adult X said her carer hit her.")))
    word.append(3, EVENT, DEL.format('<w:r><w:delText xml:space="preserve"> struck out</w:delText></w:r>'))
    word.append(4, 1, INS.format(_run("")))  # an insertion with no text still changes the cell
    book = word.read(tmp_path)
    assert _text(book, 2, EVENT) == entries(3)[0][3] + " Adult X said her carer hit her."
    assert _text(book, 3, EVENT) == "Home visit 2"
    assert _codes(book) == ["tracked-changes"]
    found = book.findings[0]
    assert found.severity == Severity.WARNING
    assert (found.sheet, found.row, found.cell) == ("Table 1", 2, None)
    assert found.message == (
        "The document has tracked changes (text typed or deleted with Track Changes on) in the "
        "cells at row 2 column 4, row 3 column 4 and row 4 column 1 of Table 1; the text was read "
        "as it reads with every change accepted: inserted text kept, deleted text left out.")
    assert "Accept All Changes" in found.hint


def test_a_whole_event_typed_with_track_changes_on_is_an_entry(tmp_path: Path) -> None:
    word = Return(1)
    word.append(2, EVENT, INS.format(_run("Whole event typed with Track Changes on")), clear=True)
    result = validate_workbook(word.read(tmp_path), OPTIONS)
    assert [e.event for e in result.entries] == ["Whole event typed with Track Changes on"]
    assert [f.code for f in result.findings] == ["tracked-changes"]


def test_a_moved_text_is_read_where_it_went(tmp_path: Path) -> None:
    word = Return(1)
    word.append(2, EVENT, '<w:moveFrom w:id="3" w:author="A"><w:r><w:t>moved</w:t></w:r></w:moveFrom>')
    word.append(2, EVENT, f'<w:moveTo w:id="4" w:author="A">{_run(" (moved)")}</w:moveTo>')
    book = word.read(tmp_path)
    assert _text(book, 2, EVENT) == entries(1)[0][3] + " (moved)"
    assert _codes(book) == ["tracked-changes"]


def test_a_deleted_paragraph_mark_joins_the_two_lines_as_accepting_it_would(tmp_path: Path) -> None:
    word = Return(1)
    cell = word.cell(2, EVENT)
    cell.paragraphs[0]._p.get_or_add_pPr().append(
        _xml('<w:rPr><w:del w:id="5" w:author="A" w:date="2025-03-05T00:00:00Z"/></w:rPr>'))
    cell.add_paragraph(" and a second line")
    cell.add_paragraph("third line")
    book = word.read(tmp_path)
    assert _text(book, 2, EVENT) == entries(1)[0][3] + " and a second line\nthird line"
    assert _codes(book) == ["tracked-changes"]


def test_a_tracked_deleted_row_is_named_in_the_warning(tmp_path: Path) -> None:
    word = Return(2)
    tr = word.table.rows[2]._tr
    tr.get_or_add_trPr().append(_xml('<w:del w:id="6" w:author="A" w:date="2025-03-05T00:00:00Z"/>'))
    book = word.read(tmp_path)
    assert book.findings[0].message.startswith(
        "The document has tracked changes (text typed or deleted with Track Changes on) in the "
        "place at row 3 of Table 1;")


def test_many_changed_cells_are_counted_after_twenty(tmp_path: Path) -> None:
    word = Return(25)
    for row in range(2, 27):
        word.append(row, EVENT, INS.format(_run(" more")))
    book = word.read(tmp_path)
    listed = ", ".join(f"row {row} column 4" for row in range(2, 22))
    assert book.findings[0].message.startswith(
        f"The document has tracked changes (text typed or deleted with Track Changes on) in the "
        f"cells at {listed} and 5 more of Table 1;")


def test_a_tracked_change_in_the_agency_line_is_read_and_named(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    p = document.add_paragraph("Agency: ")
    p._p.append(_xml(INS.format(_run("Northshire Police"))))
    table = document.add_table(rows=0, cols=len(HEADER))
    for values in [HEADER, *entries(1)]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "return.docx"
    path.write_bytes(out.getvalue())
    book = read_workbook(path)
    assert book.details["agency"] == "Northshire Police"
    assert book.findings[0].message.startswith(
        "The document has tracked changes (text typed or deleted with Track Changes on) in a "
        "'Label: value' line outside the tables;")
    assert book.findings[0].sheet is None


def test_a_simple_field_shows_its_result_never_its_code(tmp_path: Path) -> None:
    word = Return(1)
    word.append(2, EVENT, f'<w:fldSimple w:instr=" MERGEFIELD Outcome ">{_run(" Referred to MASH.")}'
                          "</w:fldSimple>")
    book = word.read(tmp_path)
    assert _text(book, 2, EVENT) == entries(1)[0][3] + " Referred to MASH."
    assert _codes(book) == []


def _field(instruction: str, result: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + result + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def test_a_complex_field_shows_its_result_and_a_field_inside_its_code_shows_nothing(tmp_path: Path) -> None:
    word = Return(3)
    word.append(2, 1, _field(" DATE \\@ dd/MM/yyyy ", _run("08/03/2025")), clear=True)
    inner = _field(" MERGEFIELD Kind ", _run("inner result"))
    nested = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
              '<w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>' + inner
              + '<w:r><w:instrText xml:space="preserve"> = "x" "yes" "no" </w:instrText></w:r>'
              '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _run("yes")
              + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    word.append(3, EVENT, f'<w:r><w:t xml:space="preserve"> [</w:t></w:r>{nested}<w:r><w:t>]</w:t></w:r>')
    # a field with no result (no 'separate') shows nothing; the text after it shows again
    word.append(4, EVENT, '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
                + _run(" after"))
    book = word.read(tmp_path)
    assert _text(book, 2, 1) == "08/03/2025"
    assert _text(book, 3, EVENT) == "Home visit 2 [yes]"
    assert _text(book, 4, EVENT) == "Home visit 3 after"
    assert _codes(book) == []


def test_a_date_picker_gives_the_entry_its_date(tmp_path: Path) -> None:
    word = Return(1)
    word.append(2, 1, '<w:sdt><w:sdtPr><w:date w:fullDate="2025-03-08T00:00:00Z"/></w:sdtPr>'
                      '<w:sdtContent><w:r><w:t>08/03/2025</w:t></w:r></w:sdtContent></w:sdt>', clear=True)
    result = validate_workbook(word.read(tmp_path), OPTIONS)
    assert [f.code for f in result.findings] == []
    assert [(e.date.year, e.date.month, e.date.day) for e in result.entries] == [(2025, 3, 8)]


def test_an_empty_content_control_shows_no_prompt_as_text(tmp_path: Path) -> None:
    word = Return(1)
    word.append(2, 1, '<w:sdt><w:sdtPr><w:showingPlcHdr/><w:date/></w:sdtPr><w:sdtContent>'
                      + _run("Click or tap to enter a date.") + "</w:sdtContent></w:sdt>", clear=True)
    book = word.read(tmp_path)
    assert _text(book, 2, 1) is None
    result = validate_workbook(book, OPTIONS)
    assert [f.code for f in result.findings] == ["date-missing"]


def test_a_drop_down_and_a_block_content_control_show_their_text(tmp_path: Path) -> None:
    word = Return(1)
    word.append(2, 3, '<w:sdt><w:sdtPr><w:dropDownList><w:listItem w:displayText="GP record" '
                      'w:value="gp"/><w:listItem w:displayText="Case notes" w:value="cn"/>'
                      '</w:dropDownList></w:sdtPr><w:sdtContent><w:r><w:t>GP record</w:t></w:r>'
                      '</w:sdtContent></w:sdt>', clear=True)
    tc = word.cell(2, EVENT)._tc
    tc.append(_xml(f'<w:sdt><w:sdtPr/><w:sdtContent><w:p>{_run("Block text")}</w:p>'
                   "</w:sdtContent></w:sdt>"))
    book = word.read(tmp_path)
    assert _text(book, 2, 3) == "GP record"
    assert _text(book, 2, EVENT) == entries(1)[0][3] + "\nBlock text"


def test_a_table_inside_a_cell_is_read_row_by_row_with_a_note(tmp_path: Path) -> None:
    word = Return(2)
    nested = word.cell(3, EVENT).add_table(rows=3, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "Insulin", "refused for 3 days"
    nested.cell(1, 0).text = "Metformin"  # an empty cell is left out of its row's line
    nested.cell(2, 1).paragraphs[0]._p.append(_xml(INS.format(_run("taken"))))
    book = word.read(tmp_path)
    assert _text(book, 3, EVENT) == "Home visit 2\nInsulin | refused for 3 days\nMetformin\ntaken"
    assert [s.name for s in book.sheets] == ["Table 1"]
    assert _codes(book) == ["tracked-changes", "table-in-cell"]
    note = book.findings[1]
    assert note.severity == Severity.INFO and (note.sheet, note.row) == ("Table 1", 3)
    assert note.message == ("A table is set inside the cell at row 3 column 4 of Table 1; its text "
                            "was read into the cell, one line a row, the row's cells joined by ' | '.")
    assert "row 3 column 4 of Table 1" in book.findings[0].message


def test_tabs_breaks_hyphens_and_symbols(tmp_path: Path) -> None:
    word = Return(1)
    word.append(2, EVENT, '<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/>'
                          '<w:t>x</w:t><w:noBreakHyphen/><w:t>ray</w:t><w:softHyphen/><w:t>s </w:t>'
                          '<w:sym w:font="Wingdings" w:char="F0FE"/><w:sym w:font="Symbol" w:char="F0B0"/>'
                          '<w:sym w:font="Arial" w:char="00E9"/><w:sym w:font="Webdings" w:char="F021"/>'
                          '</w:r>', clear=True)
    book = word.read(tmp_path)
    assert _text(book, 2, EVENT) == "a\tb\nc\nx-rays ☑°é\ufffd"


def test_a_text_box_saved_with_a_fallback_is_read_once(tmp_path: Path) -> None:
    word = Return(1)
    box = (f'<w:txbxContent><w:p>{_run("In the box")}</w:p></w:txbxContent>')
    word.append(2, EVENT, f'<w:r><mc:AlternateContent {MC}><mc:Choice Requires="wps"><w:drawing>'
                          f'<w:txbxContent><w:p>{_run("In the box")}</w:p></w:txbxContent></w:drawing>'
                          f'</mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>'
                          "</mc:AlternateContent></w:r>")
    book = word.read(tmp_path)
    assert _text(book, 2, EVENT) == entries(1)[0][3] + "\nIn the box"


def test_hyperlinks_smart_tags_and_merged_cells_read_as_before(tmp_path: Path) -> None:
    word = Return(3)
    word.append(2, EVENT, f'<w:hyperlink w:history="1">{_run(" (link)")}</w:hyperlink>'
                          f'<w:smartTag w:uri="u" w:element="e">{_run(" tag")}</w:smartTag>')
    word.cell(2, 5).merge(word.cell(4, 5))
    book = word.read(tmp_path)
    assert _text(book, 2, EVENT) == entries(3)[0][3] + " (link) tag"
    assert _text(book, 3, 5) is None and (2, 4, 4, 4) in book.sheets[0].merged
    assert _codes(book) == []


def test_a_return_with_every_kind_of_hidden_text_loses_none(tmp_path: Path) -> None:
    """A tracked insertion, a field result, a nested table and a date picker, all dropped or
    reported as 'no date' before."""
    word = Return(4)
    word.append(2, EVENT, INS.format(_run(" Adult X said her carer hit her.")))
    word.append(3, EVENT, f'<w:fldSimple w:instr=" MERGEFIELD Outcome ">{_run(" Referred to MASH.")}'
                          "</w:fldSimple>")
    nested = word.cell(4, EVENT).add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "Insulin", "refused for 3 days"
    word.append(5, 1, '<w:sdt><w:sdtPr><w:date w:fullDate="2025-03-08T00:00:00Z"/></w:sdtPr>'
                      '<w:sdtContent><w:r><w:t>08/03/2025</w:t></w:r></w:sdtContent></w:sdt>', clear=True)
    result = validate_workbook(word.read(tmp_path), OPTIONS)
    assert [(e.row, e.event) for e in result.entries] == [
        (2, entries(1)[0][3] + " Adult X said her carer hit her."),
        (3, "Home visit 2 Referred to MASH."),
        (4, "Home visit 3\nInsulin | refused for 3 days"),
        (5, "Home visit 4"),
    ]
    assert (result.entries[3].date.year, result.entries[3].date.month, result.entries[3].date.day) \
        == (2025, 3, 8)
    assert sorted(f.code for f in result.findings) == ["table-in-cell", "tracked-changes"]
    for found in result.findings:  # no cell value in a message
        assert "carer" not in found.message and "Insulin" not in found.message


# --- hidden text and notes -----------------------------------------------------------------------

HIDDEN = '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>'


def test_hidden_text_is_read_as_hidden_rows_are_with_a_warning_naming_the_cells(tmp_path: Path) -> None:
    word = Return(3)
    word.append(2, EVENT, HIDDEN.format(" Disclosed abuse by carer."))
    word.append(4, 5, HIDDEN.format(" Follow-up call booked."))
    word.append(3, EVENT, '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t> shown</w:t></w:r>')
    word.append(3, 5, HIDDEN.format(" "))  # a hidden space hides nothing
    book = word.read(tmp_path)
    assert _text(book, 2, EVENT) == entries(3)[0][3] + " Disclosed abuse by carer."
    assert _text(book, 3, EVENT) == "Home visit 2 shown"
    assert _codes(book) == ["hidden-text"]
    found = book.findings[0]
    assert (found.severity, found.sheet, found.row) == (Severity.WARNING, "Table 1", 2)
    assert found.message == (
        "Text formatted as hidden (which Word shows only with Show/Hide on) is in the cells at "
        "row 2 column 4 and row 4 column 5 of Table 1; it was read like the text around it.")
    result = validate_workbook(book, OPTIONS)
    assert [e.event for e in result.entries][0] == entries(3)[0][3] + " Disclosed abuse by carer."
    assert "carer" not in found.message


def test_a_footnote_or_endnote_reference_is_a_warning_that_the_note_is_not_read(tmp_path: Path) -> None:
    word = Return(3)
    word.append(2, EVENT, '<w:r><w:footnoteReference w:id="1"/></w:r>')
    word.append(4, 6, '<w:r><w:endnoteReference w:id="2"/></w:r>')
    book = word.read(tmp_path)
    assert _text(book, 2, EVENT) == entries(3)[0][3]
    assert _codes(book) == ["note-not-read"]
    found = book.findings[0]
    assert (found.severity, found.sheet, found.row) == (Severity.WARNING, "Table 1", 2)
    assert found.message == (
        "A footnote or endnote is referenced in the cells at row 2 column 4 and row 4 column 6 "
        "of Table 1; the note's text is not in the chronology.")
