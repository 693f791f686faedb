"""Files read as the wrong kind: a CSV quotation mark never closed, web pages, Excel 2003 XML,
PDF, RTF and zips under a spreadsheet's name, UTF-16 CSV without a byte-order mark."""

from __future__ import annotations

import json
import zipfile

import pytest
from corpus import HEADER, csv_bytes, entries, good_xlsx
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.intake import read_workbooks
from sarkit.intake.delimited import detect_encoding
from sarkit.intake.sniff import sniff_bytes

LINES = [",".join(HEADER),
         "03/02/2025,10:00,Case note,Visit to the flat,NFA,Social worker",
         '10/02/2025,11:00,Case note,"Adult D said she was fine,NFA,Social worker',
         "17/02/2025,12:00,Case note,Phone call to GP,NFA,Social worker",
         "24/02/2025,13:00,Case note,Strategy meeting,Plan agreed,Team manager",
         "03/03/2025,14:00,Case note,Case closed,Closed,Team manager"]


def _read(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    [book] = read_workbooks(path)
    return book


def _codes(book) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in book.findings]


# ---- a quotation mark that opens a cell and never closes ----------------------------------------

def test_an_unclosed_quote_no_longer_swallows_the_rows_after_it(tmp_path) -> None:
    book = _read(tmp_path, "asc.csv", "\n".join(LINES).encode() + b"\n")
    rows = book.sheets[0].rows
    assert len(rows) == 6
    assert rows[2] == ["10/02/2025", "11:00", "Case note", '"Adult D said she was fine', "NFA",
                       "Social worker"]
    assert [r[0] for r in rows[3:]] == ["17/02/2025", "24/02/2025", "03/03/2025"]
    [stray] = book.findings
    assert (stray.code, stray.severity, stray.sheet, stray.cell, stray.row) == (
        "csv-quote-unclosed", "error", "CSV", "D3", None)
    assert stray.message == (
        "Row 3: a quotation mark opens cell D3 and is not closed at the end of the row, so the 3 "
        "lines after it ran into that one cell. The row was read again with the quotation mark as "
        "a plain character and the lines after it as rows of their own: check that row 3's cells "
        "are in the right columns.")
    assert "Adult D" not in stray.message + stray.hint


def test_an_unclosed_quote_on_the_last_row_but_one(tmp_path) -> None:
    lines = [*LINES[:5], '03/03/2025,14:00,Case note,"Case closed,Closed,Team manager']
    book = _read(tmp_path, "asc.csv", "\r\n".join(lines).encode() + b"\r\n")
    assert [r[0] for r in book.sheets[0].rows[1:]] == [
        "03/02/2025", "10/02/2025", "17/02/2025", "24/02/2025", "03/03/2025"]
    # row 3 swallowed rows 4 to 6 first; once read again, row 6's own quote is found
    assert [(f.code, f.cell) for f in book.findings] == [
        ("csv-quote-unclosed", "D3"), ("csv-quote-unclosed", "D6")]
    assert book.findings[1].message == (
        "Row 6: a quotation mark opens cell D6 and is never closed, so the rest of the row ran into "
        "that one cell. The row was read again with the quotation mark as a plain character: check "
        "that row 6's cells are in the right columns.")


def test_an_unclosed_quote_on_the_last_row_alone(tmp_path) -> None:
    lines = [LINES[0], LINES[1], '03/03/2025,14:00,Case note,"Case closed,Closed,Team manager']
    book = _read(tmp_path, "asc.csv", "\n".join(lines).encode())
    assert book.sheets[0].rows[2] == ["03/03/2025", "14:00", "Case note", '"Case closed', "Closed",
                                      "Team manager"]
    assert [(f.code, f.cell) for f in book.findings] == [("csv-quote-unclosed", "D3")]


def test_a_stray_quote_closed_rows_later_by_another_is_found(tmp_path) -> None:
    """Row 3 opens a quote; row 5 has a 6" measure: rows 3 to 5 would be one cell."""
    lines = [*LINES[:2], LINES[2], LINES[3],
             '24/02/2025,13:00,Case note,Bed raised 6" for safety,Plan agreed,Team manager',
             LINES[5]]
    book = _read(tmp_path, "asc.csv", "\n".join(lines).encode())
    rows = book.sheets[0].rows
    assert [r[0] for r in rows[1:]] == ["03/02/2025", "10/02/2025", "17/02/2025", "24/02/2025",
                                        "03/03/2025"]
    assert rows[4][3] == 'Bed raised 6" for safety'
    assert [(f.code, f.cell) for f in book.findings] == [("csv-quote-unclosed", "D3")]


def test_a_file_with_too_many_unclosed_quotes_is_refused(tmp_path) -> None:
    rows = [",".join(HEADER), *(f'{day:02d}/03/2025,10:00,Case note,"Visit {day},NFA,Nurse'
                                for day in range(1, 24))]
    book = _read(tmp_path, "asc.csv", "\n".join(rows).encode())
    assert book.sheets == []
    [only] = book.findings
    assert (only.code, only.message) == ("file-unreadable", (
        "In more than 20 rows a quotation mark opens a cell and is never closed (the first in cell "
        "D2), so the rows of the file cannot be told apart reliably; none was read."))


def test_twenty_unclosed_quotes_are_each_read_again(tmp_path) -> None:
    """Each row's quotation mark would close the one above (two rows as one): each is found."""
    rows = [",".join(HEADER), *(f'{day:02d}/03/2025,10:00,Case note,"Visit {day},NFA,Nurse'
                                for day in range(1, 21))]
    book = _read(tmp_path, "asc.csv", "\n".join(rows).encode())
    assert [row[3] for row in book.sheets[0].rows[1:]] == [f'"Visit {day}' for day in range(1, 21)]
    assert [f.cell for f in book.findings] == [f"D{row}" for row in range(2, 22)]


def test_two_stray_quotes_on_rows_next_to_each_other(tmp_path) -> None:
    lines = [*LINES[:3], '17/02/2025,12:00,Case note,"Phone call to GP,NFA,Social worker', *LINES[4:]]
    book = _read(tmp_path, "asc.csv", "\n".join(lines).encode())
    assert [r[0] for r in book.sheets[0].rows[1:]] == [
        "03/02/2025", "10/02/2025", "17/02/2025", "24/02/2025", "03/03/2025"]
    assert [f.cell for f in book.findings] == ["D3", "D4"]


@pytest.mark.parametrize("event", [
    "First line\nSecond line",
    "Visit, saw Adult D, NFA\nPlan: review, call, write, ring, close",  # as many commas as a row
    "Seen at home\n\n\nThree blank lines later",
])
def test_a_quoted_cell_over_several_lines_is_still_one_cell(tmp_path, event: str) -> None:
    rows = entries(4)
    rows[1][3] = event
    book = _read(tmp_path, "gp.csv", csv_bytes([HEADER, *rows]))
    assert book.sheets[0].rows == [HEADER, *rows]
    assert book.findings == []


def test_a_quoted_cell_over_several_lines_at_the_end_of_the_file(tmp_path) -> None:
    rows = entries(3)
    rows[2][3] = "Last visit\n10/05/2024,10:00,Case notes,Quoted text,Referred,Nurse"
    rows[2][5] = ""
    data = csv_bytes([HEADER, *rows])
    book = _read(tmp_path, "gp.csv", data)
    assert book.sheets[0].rows == [HEADER, *rows]
    assert book.findings == []


def test_the_unclosed_quote_is_an_error_and_every_row_is_in_the_chronology(tmp_path) -> None:
    (tmp_path / "asc.csv").write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "asc.csv"), "--agency", "ASC",
                                      "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    [file] = data["files"]
    assert (file["entries"], file["rejected_rows"]) == (5, 0)
    assert [(f["code"], f["cell"]) for f in file["findings"]] == [("csv-quote-unclosed", "D3")]
    assert (data["account"]["entries"], data["account"]["rows"]) == (5, 5)


# ---- files that are not CSV, whatever their name ------------------------------------------------

ROWS = "".join(f"<tr>{''.join(f'<td>{v}</td>' for v in r)}</tr>" for r in entries(2))
HTML = f"<html><body><table><tr><th>Date</th></tr>{ROWS}</table></body></html>".encode()
XMLSS = (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
         b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
         b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Chronology">'
         b'<Table><Row><Cell><Data ss:Type="String">Date</Data></Cell></Row></Table></Worksheet>'
         b'</Workbook>')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RTF = rb"{\rtf1\ansi Chronology: 03/02/2025 Welfare check\par}"
RESAVE = ("Open it in Excel and save it as an Excel Workbook (.xlsx), check that the chronology looks "
          "right, and read that file; or ask the agency to send the return as .xlsx.")


@pytest.mark.parametrize(("name", "data", "fmt", "message", "hint"), [
    ("police.xls", HTML, "html",
     "The file is a web page (HTML) named .xls, not a spreadsheet, as some case-management "
     "systems export.", RESAVE),
    ("police.html", b"<!DOCTYPE html>\n" + HTML, "html",
     "The file is a web page (HTML), not a spreadsheet, as some case-management systems export.",
     RESAVE),
    ("police.xls", XMLSS, "spreadsheetml",
     "The file is an Excel 2003 XML spreadsheet named .xls, not a workbook sarkit can read.", RESAVE),
    ("police.xml", b'<?xml version="1.0"?>\n<export><row/></export>', "xml",
     "The file is an XML file, not a spreadsheet.",
     "Ask the agency for the chronology as the Appendix 8b workbook (.xlsx)."),
    ("police.pdf", PDF, "pdf",
     "The file is a PDF document: its table cannot be read reliably as a chronology.",
     "Ask the agency for the spreadsheet the PDF was made from, as the Appendix 8b workbook (.xlsx)."),
    ("police.rtf", RTF, "rtf", "The file is a rich-text (RTF) document, not a spreadsheet.",
     "If the chronology is a table, open the file in Word and save it as a Word Document (.docx); "
     "or ask the agency for the chronology as the Appendix 8b workbook (.xlsx)."),
])
def test_a_file_that_is_not_csv_is_named_for_what_it_is(tmp_path, name, data, fmt, message,
                                                        hint) -> None:
    assert sniff_bytes(data) == fmt
    book = _read(tmp_path, name, data)
    assert (book.format, book.sheets) == (fmt, [])
    [only] = book.findings
    assert (only.code, only.severity, only.message, only.hint) == ("file-unreadable", "error",
                                                                   message, hint)


def test_html_in_utf16_is_a_web_page() -> None:
    assert sniff_bytes(b"\xff\xfe" + HTML.decode().encode("utf-16-le")) == "html"


@pytest.mark.parametrize("first", ["<Unknown> agency export", "Date,Time,<b>", "{Title}"])
def test_text_starting_with_a_bracket_is_still_a_csv(first: str) -> None:
    assert sniff_bytes(csv_bytes([[first], HEADER, *entries(1)])) == "text"


def test_a_zip_of_returns_is_told_to_be_unzipped(tmp_path) -> None:
    inner = good_xlsx(tmp_path / "inner.xlsx")
    with zipfile.ZipFile(tmp_path / "returns.zip", "w") as archive:
        archive.write(inner, "police.xlsx")
    [book] = read_workbooks(tmp_path / "returns.zip")
    [only] = book.findings
    assert (only.code, only.message, only.hint) == (
        "file-unreadable",
        "The file is a zip archive, not a spreadsheet: the returns may be inside it.",
        "Unzip it (right-click, Extract All) into the returns folder, and remove the zip file.")


def test_the_account_gives_the_web_page_as_the_reason(tmp_path) -> None:
    (tmp_path / "police.xls").write_bytes(HTML)
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "police.xls"), "--agency",
                                      "Police", "--format", "json"])
    assert result.exit_code == 1
    [unusable] = json.loads(result.stdout)["account"]["unusable"]
    assert unusable["reason"].startswith("The file is a web page (HTML) named .xls")
    assert unusable["fix"] == RESAVE


# ---- UTF-16 without a byte-order mark ----------------------------------------------------------

@pytest.mark.parametrize(("codec", "named"), [
    ("utf-16-le", "UTF-16 (little-endian) without a byte-order mark"),
    ("utf-16-be", "UTF-16 (big-endian) without a byte-order mark"),
])
def test_utf16_without_a_bom_is_read_and_the_guess_reported(tmp_path, codec: str, named: str) -> None:
    rows = [HEADER, *entries(3)]
    rows[2][3] = "Visit to Zoë at the café"
    data = csv_bytes(rows, encoding=codec)
    assert detect_encoding(data) == (codec, True)
    book = _read(tmp_path, "le.csv", data)
    assert book.sheets[0].rows == rows
    assert [(f.code, f.message) for f in book.findings] == [(
        "encoding-guessed",
        f"The file is not saved as UTF-8; its letters were read as {named}, the most likely of the "
        "encodings tried.")]


def test_utf16_with_a_bom_is_not_a_guess(tmp_path) -> None:
    data = b"\xff\xfe" + csv_bytes([HEADER, *entries(2)], encoding="utf-16-le")
    assert detect_encoding(data) == ("utf-16", False)
    assert _codes(_read(tmp_path, "bom.csv", data)) == []


def test_a_well_formed_cell_quoting_a_row_is_kept_with_a_warning(tmp_path) -> None:
    """A note that quotes a whole row ('06/03/2025, 10:00, phone, …') inside a properly closed
    cell is one cell: no entry is made of it, and a warning says to check it."""
    rows = entries(3)
    rows[1][3] = ("Review meeting.\n06/03/2025, 10:00, phone, follow-up call, no answer, "
                  "voicemail left\nPlan: visit again.")
    book = _read(tmp_path, "gp.csv", csv_bytes([HEADER, *rows]))
    assert book.sheets[0].rows == [HEADER, *rows]
    [warning] = book.findings
    assert (warning.code, warning.severity, warning.cell) == ("csv-row-in-cell", "warning", "D3")
    assert warning.message == (
        "Row 3: the quoted cell D3 runs over several lines, and one of them looks like a row of "
        "its own (a date first, as many commas as a row). The row was read as the file's "
        "quotation marks say, with those lines in cell D3: check that no entry is hidden in it.")
