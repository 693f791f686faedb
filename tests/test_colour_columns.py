"""A kept column whose meaning is only in its cells' colours (a RAG 'Risk level' with no text) is
said, never read as words and never lost in silence (review Z2, item 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from corpus import HEADER, entries
from openpyxl.styles import PatternFill

from sarkit.colour_columns import colour_only_columns
from sarkit.intake import read_workbook
from sarkit.intake.fills import xlsx_fills
from sarkit.returns import ReadOptions, validate_workbook

OPTIONS = ReadOptions(agency="Northshire Police", today=dt.date(2025, 6, 1))
RED, AMBER, GREEN = (PatternFill("solid", fgColor=c) for c in ("FFFF0000", "FFFFC000", "FF00B050"))
GREY = PatternFill("solid", fgColor="FFD9D9D9")


def _return(tmp_path: Path, fills: list[PatternFill | None], *, risk: list[str] | None = None,
            whole_row: tuple[int, ...] = ()) -> Path:
    """A return with a 'Risk level' column (G) after the template's six; `fills[i]` fills the
    cell of the i-th entry (row i + 2), `risk` gives its text; rows in `whole_row` are filled
    across the table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append([*HEADER, "Risk level"])
    for i, values in enumerate(entries(len(fills))):
        sheet.append([*values, risk[i] if risk else None])
        if fills[i] is not None:
            sheet.cell(i + 2, 7).fill = fills[i]
        if i + 2 in whole_row:
            for col in range(1, 8):
                sheet.cell(i + 2, col).fill = GREY
    path = tmp_path / "police.xlsx"
    book.save(path)
    return path


def _validate(path: Path):
    return validate_workbook(read_workbook(path), OPTIONS)


def _said(result) -> list[tuple[str, str, str | None, int | None, str | None]]:
    return [(f.code, f.severity.value, f.sheet, f.row, f.cell) for f in result.findings]


def test_a_rag_column_with_no_text_is_said_with_its_cells(tmp_path: Path) -> None:
    result = _validate(_return(tmp_path, [RED, RED, AMBER, GREEN]))
    assert _said(result) == [("unknown-column", "warning", "Chronology", 1, "G1"),
                             ("colour-only-column", "warning", "Chronology", 1, "G1")]
    said = result.findings[1]
    assert said.message == (
        "The column Risk level (G1) holds no text under its heading, but its cells in rows 2-5 "
        "(column G) are filled with 3 different colours: the column's meaning is in its colours, "
        "which sarkit does not read, so the column is empty in the chronology.")
    assert said.hint == ("Type the level (or what each colour stands for) in the cells as words, "
                         "and send the return again.")
    assert said.column == "Risk level"
    assert [e.extras["Risk level"] for e in result.entries] == ["", "", "", ""]  # never guessed


def test_one_coloured_cell_among_plain_ones_is_said(tmp_path: Path) -> None:
    result = _validate(_return(tmp_path, [None, RED, None]))
    assert [f.code for f in result.findings] == ["unknown-column", "colour-only-column"]
    assert "its cells in row 3 (column G) are filled with a colour the other rows do not have:" in (
        result.findings[1].message)


def test_a_column_with_text_is_not_said_whatever_its_colours(tmp_path: Path) -> None:
    result = _validate(_return(tmp_path, [RED, AMBER, GREEN], risk=["High", "Medium", "Low"]))
    assert [f.code for f in result.findings] == ["unknown-column"]
    assert [e.extras["Risk level"] for e in result.entries] == ["High", "Medium", "Low"]


def test_a_column_shaded_alike_in_every_row_is_not_said(tmp_path: Path) -> None:
    result = _validate(_return(tmp_path, [GREY, GREY, GREY]))
    assert [f.code for f in result.findings] == ["unknown-column"]


def test_rows_highlighted_across_the_table_say_nothing_of_the_column(tmp_path: Path) -> None:
    result = _validate(_return(tmp_path, [None, None, None, None], whole_row=(3, 5)))
    assert [f.code for f in result.findings] == ["unknown-column"]


def test_a_plain_return_has_its_styles_never_read(tmp_path: Path) -> None:
    path = _return(tmp_path, [None, None])
    result = _validate(path)
    read: list[tuple[str, str]] = []

    def spy(where: str, sheet: str):
        read.append((where, sheet))
        return xlsx_fills(where, sheet)

    entries_ = list(result.entries)
    for e in entries_:
        e.extras["Risk level"] = "High"  # a column with text: nothing to read
    assert colour_only_columns(str(path), "xlsx", "Chronology", entries_, result.findings, spy) == []
    assert read == []
    assert colour_only_columns(str(path), "csv", "Chronology", result.entries, result.findings, spy) == []
    assert read == []


def test_the_fills_of_a_sheet_are_told_apart_by_their_colours(tmp_path: Path) -> None:
    fills = xlsx_fills(_return(tmp_path, [RED, AMBER, RED]), "Chronology")
    assert fills is not None and sorted((place, fill) for place, fill in fills.items()) == [
        ((2, 6), "pattern=solid fgColor(rgb=FFFF0000)"),
        ((3, 6), "pattern=solid fgColor(rgb=FFFFC000)"),
        ((4, 6), "pattern=solid fgColor(rgb=FFFF0000)"),
    ]
    assert xlsx_fills(tmp_path / "missing.xlsx", "Chronology") is None
    assert xlsx_fills(_return(tmp_path, [RED]), "No such sheet") is None


def _ods(tmp_path: Path, colours: list[str | None]) -> Path:
    """An .ods return with a 'Risk level' column (G) whose cells have the background `colours[i]`
    (a style of content.xml; the green one by its parent style, as LibreOffice may write it)."""
    from xml.sax.saxutils import escape

    from corpus import ods_bytes

    names = {"#ff0000": "ce1", "#ffc000": "ce2", "#00b050": "ce3"}
    styles = ('<style:style style:name="ce1" style:family="table-cell"><style:table-cell-properties '
              'fo:background-color="#ff0000"/></style:style><style:style style:name="ce2" '
              'style:family="table-cell"><style:table-cell-properties fo:background-color="#ffc000"/>'
              '</style:style><style:style style:name="green" style:family="table-cell">'
              '<style:table-cell-properties fo:background-color="#00b050"/></style:style>'
              '<style:style style:name="ce3" style:family="table-cell" style:parent-style-name="green"/>')
    rows = []
    for values in [[*HEADER, "Risk level"], *([*r, None] for r in entries(len(colours)))]:
        cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
                        "</table:table-cell>" for v in values if v is not None)
        colour = colours[len(rows) - 1] if rows else None
        cells += (f'<table:table-cell table:style-name="{names[colour]}"/>' if colour
                  else "<table:table-cell/>")
        rows.append(f"<table:table-row>{cells}</table:table-row>")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
               'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:automatic-styles>{styles}</office:automatic-styles><office:body>'
               f'<office:spreadsheet><table:table table:name="Chronology">{"".join(rows)}'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    path = tmp_path / "police.ods"
    path.write_bytes(ods_bytes(content))
    return path


def test_a_rag_column_of_an_ods_is_said_too(tmp_path: Path) -> None:
    result = _validate(_ods(tmp_path, ["#ff0000", "#ffc000", "#00b050", "#ff0000"]))
    assert _said(result) == [("unknown-column", "warning", "Chronology", 1, "G1"),
                             ("colour-only-column", "warning", "Chronology", 1, "G1")]
    assert "its cells in rows 2-5 (column G) are filled with 3 different colours:" in (
        result.findings[1].message)


def test_an_ods_column_with_no_colours_is_not_said(tmp_path: Path) -> None:
    result = _validate(_ods(tmp_path, [None, None, None]))
    assert [f.code for f in result.findings] == ["unknown-column"]
