"""Red team U item 1: text struck through. A row struck through in full was withdrawn by its author
(`struck-through`, no entry); struck words in a cell are read as written and named (`struck-text`).
In .xlsx (cell fonts, rich text in inline and shared strings), .ods and .xls (LibreOffice's) and
Word tables (w:strike, w:dstrike, a struck character style)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from conftest import HEADER, TODAY, row
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.findings import Severity
from sarkit.returns import ReadOptions, read_returns

ROWS = [row(day="03/03/2025", event="Welfare check"),
        row(day="04/03/2025", event="Report of assault"),
        row(day="05/03/2025", event="Call about noise"),
        row(day="06/03/2025", event="Referral to ASC")]
WITHDRAWN = ("Row 3 is struck through (all its text has a line through it): its author withdrew it, "
             "so it was kept out of the chronology and is not an entry.")
PART_D4 = ("Part of the text in cell D4 (Event / Contact Details) is struck through (a line through "
           "it); it is read as written, struck words included.")
NOISE = "Call about noise; officers attended no attendance"
SOFFICE = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def read_one(path: Path):
    [result] = read_returns([path], ReadOptions(agency="Police", today=TODAY))
    return result


def struck(result) -> list[tuple[str, Severity, str | None, int | None, str | None]]:
    return [(f.code, f.severity, f.sheet, f.row, f.cell) for f in result.findings
            if f.code.startswith("struck")]


def events(result) -> list[tuple[int, str]]:
    return [(e.row, e.event) for e in result.entries]


def openpyxl_return(path: Path, *, strike_row: bool = True, font: Font | None = None) -> Path:
    """Row 3 struck through in full (a cell font), part of D4 struck (an inline rich string)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    for cells in (HEADER, *ROWS):
        sheet.append(cells)
    if strike_row:
        for cell in sheet[3]:
            cell.font = font or Font(strike=True)
    sheet["D4"] = CellRichText(["Call about noise; ", TextBlock(InlineFont(strike=True), "officers attended"),
                                " no attendance"])
    book.save(path)
    return path


def xlsxwriter_return(path: Path) -> Path:
    """As Excel writes it: shared strings, a struck cell format on row 3, a rich string in D4,
    and in D5 a rich string wholly struck (its row not)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Chronology")
    line = book.add_format({"font_strikeout": True})
    sheet.write_row(0, 0, HEADER)
    for number, cells in enumerate(ROWS, start=1):
        sheet.write_row(number, 0, cells, line if number == 2 else None)
    sheet.write_rich_string("D4", "Call about noise; ", line, "officers attended", " no attendance")
    sheet.write_rich_string("D5", line, "Referral ", line, "to ASC")
    book.close()
    return path


def test_xlsx_struck_row_is_kept_out_and_part_struck_text_is_named(tmp_path):
    result = read_one(openpyxl_return(tmp_path / "police.xlsx"))
    assert struck(result) == [("struck-through", Severity.WARNING, "Chronology", 3, "D3"),
                              ("struck-text", Severity.WARNING, "Chronology", 4, "D4")]
    messages = [f.message for f in result.findings if f.code.startswith("struck")]
    assert messages == [WITHDRAWN, PART_D4]
    assert events(result) == [(2, "Welfare check"), (4, NOISE), (5, "Referral to ASC")]
    # the withdrawn row is named by a finding, not a data row: rows read = entries + rejected
    assert (result.data_rows, result.rejected_rows) == (3, 0)


def test_xlsx_shared_strings_as_excel_writes_them(tmp_path):
    result = read_one(xlsxwriter_return(tmp_path / "police.xlsx"))
    assert struck(result) == [("struck-through", Severity.WARNING, "Chronology", 3, "D3"),
                              ("struck-text", Severity.WARNING, "Chronology", 4, "D4"),
                              ("struck-text", Severity.WARNING, "Chronology", 5, "D5")]
    whole = next(f for f in result.findings if f.code == "struck-text" and f.row == 5)
    assert whole.message.startswith("The text in cell D5 (Event / Contact Details) is struck through")
    assert events(result) == [(2, "Welfare check"), (4, NOISE), (5, "Referral to ASC")]


def test_a_strike_switched_off_is_no_strike(tmp_path):
    result = read_one(openpyxl_return(tmp_path / "police.xlsx", font=Font(strike=False)))
    assert struck(result) == [("struck-text", Severity.WARNING, "Chronology", 4, "D4")]
    assert [r for r, _ in events(result)] == [2, 3, 4, 5]


def test_a_row_with_its_event_not_struck_is_an_entry_with_its_struck_cells_named(tmp_path):
    path = openpyxl_return(tmp_path / "police.xlsx", strike_row=False)
    book = openpyxl.load_workbook(path, rich_text=True)
    for cell in ("A3", "B3", "C3", "E3", "F3"):  # all but the Event
        book.active[cell].font = Font(strike=True)
    book.save(path)
    result = read_one(path)
    codes = struck(result)
    assert codes[:5] == [("struck-text", Severity.WARNING, "Chronology", 3, cell)
                         for cell in ("A3", "B3", "C3", "E3", "F3")]
    assert codes[5:] == [("struck-text", Severity.WARNING, "Chronology", 4, "D4")]
    assert [r for r, _ in events(result)] == [2, 3, 4, 5]


def test_no_cell_text_in_any_message(tmp_path):
    result = read_one(xlsxwriter_return(tmp_path / "police.xlsx"))
    assert {f.code for f in result.findings} >= {"struck-through", "struck-text"}
    said = " ".join(f.message for f in result.findings)
    for words in ("assault", "officers", "noise", "Referral"):
        assert words not in said


def test_validate_and_collate_keep_the_account_and_exit_codes(tmp_path):
    path = openpyxl_return(tmp_path / "police.xlsx")
    runner = CliRunner()
    checked = runner.invoke(app, ["validate", "--agency", "Police", "--format", "json", str(path)])
    assert checked.exit_code == 0, checked.output
    [report] = json.loads(checked.stdout)["files"]
    assert [(f["code"], f["severity"], f["row"]) for f in report["findings"]
            if f["code"].startswith("struck")] == [("struck-through", "warning", 3),
                                                   ("struck-text", "warning", 4)]
    out = tmp_path / "combined.xlsx"
    made = runner.invoke(app, ["collate", "--agency", "Police", "-o", str(out), str(path)])
    assert made.exit_code == 0, made.output
    sheet = openpyxl.load_workbook(out)["Chronology"]
    heads = [c.value for c in sheet[1]]
    rows = [r[heads.index("Source Row")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == [2, 4, 5]
    found = openpyxl.load_workbook(out)["Findings"]
    heads = [c.value for c in found[1]]
    listed = [(r[heads.index("Code")], r[heads.index("Row")])
              for r in found.iter_rows(min_row=2, values_only=True)]
    assert ("struck-through", 3) in listed and ("struck-text", 4) in listed


def word_return(path: Path) -> Path:
    """Row 3 struck through (w:strike on every run), part of row 4's Event struck (w:dstrike),
    row 5's Event wholly in a character style that strikes its text."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_paragraph("Agency: Police")
    withdrawn = document.styles.add_style("Withdrawn", WD_STYLE_TYPE.CHARACTER)
    withdrawn.font.strike = True
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, heading in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = heading
    for cells in ROWS:
        for cell, value in zip(table.add_row().cells, cells, strict=True):
            cell.text = value
    for cell in table.rows[2].cells:
        for run in cell.paragraphs[0].runs:
            run.font.strike = True
    table.rows[3].cells[3].paragraphs[0].add_run(" officers attended").font.double_strike = True
    event = table.rows[4].cells[3].paragraphs[0]
    for run in event.runs:
        run.style = withdrawn
    document.save(path)
    return path


def test_word_struck_row_part_and_character_style(tmp_path):
    result = read_one(word_return(tmp_path / "police.docx"))
    assert struck(result) == [("struck-through", Severity.WARNING, "Table 1", 3, None),
                              ("struck-text", Severity.WARNING, "Table 1", 4, None),
                              ("struck-text", Severity.WARNING, "Table 1", 5, None)]
    messages = [f.message for f in result.findings if f.code == "struck-text"]
    assert messages == [
        "Part of the text in the Event / Contact Details cell of row 4 is struck through (a line "
        "through it); it is read as written, struck words included.",
        "The text in the Event / Contact Details cell of row 5 is struck through (a line through "
        "it); it is read as written, struck words included."]
    assert events(result) == [(2, "Welfare check"), (4, "Call about noise officers attended"),
                              (5, "Referral to ASC")]


def convert(path: Path, target: str, tmp_path: Path) -> Path:
    out = tmp_path / "converted"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", target, "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    return out / f"{path.stem}.{target}"


@pytest.mark.libreoffice
@SOFFICE
def test_ods_and_xls_saved_by_libreoffice(tmp_path):
    source = openpyxl_return(tmp_path / "police.xlsx")
    ods = read_one(convert(source, "ods", tmp_path))
    assert struck(ods) == [("struck-through", Severity.WARNING, "Chronology", 3, "D3"),
                           ("struck-text", Severity.WARNING, "Chronology", 4, "D4")]
    assert events(ods) == [(2, "Welfare check"), (4, NOISE), (5, "Referral to ASC")]
    xls = read_one(convert(source, "xls", tmp_path))
    # .xls: a cell's font is read; struck words inside a cell's rich text are not looked at
    assert struck(xls) == [("struck-through", Severity.WARNING, "Chronology", 3, "D3")]
    assert events(xls) == [(2, "Welfare check"), (4, NOISE), (5, "Referral to ASC")]


def test_the_word_strike_in_a_cell_is_no_strikethrough(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "police.xlsx"))
    sheet = book.add_worksheet("Chronology")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, row(event="Strike action: visit moved"))
    book.close()
    result = read_one(tmp_path / "police.xlsx")
    assert struck(result) == [] and events(result) == [(2, "Strike action: visit moved")]


def test_cell_fonts_alone_are_found_without_rich_text(tmp_path):
    """No rich text anywhere: the struck cells are found by their style alone (the quick path)."""
    book = xlsxwriter.Workbook(str(tmp_path / "police.xlsx"))
    sheet = book.add_worksheet("Chronology")
    line = book.add_format({"font_strikeout": True})
    sheet.write_row(0, 0, HEADER)
    for number, cells in enumerate(ROWS, start=1):
        sheet.write_row(number, 0, cells, line if number == 2 else None)
    sheet.write("E5", ROWS[3][4], line)
    book.close()
    result = read_one(tmp_path / "police.xlsx")
    assert struck(result) == [("struck-through", Severity.WARNING, "Chronology", 3, "D3"),
                              ("struck-text", Severity.WARNING, "Chronology", 5, "E5")]
    assert [r for r, _ in events(result)] == [2, 4, 5]
