"""The streaming scanner reads sheet XML as XML is read, checked against calamine itself.

Every legal spelling of a cell (any whitespace, either quote, spaces around `=`, other
attributes before `r`, a `>` inside a value, a namespace prefix, comments) is generated; on a
small file the scanner must measure exactly what calamine places, and the same spelling with a
far cell must be refused before calamine ever sees it.
"""

from __future__ import annotations

import io
import zipfile

import pytest
import python_calamine as calamine
from corpus import MAIN_NS, Sheet, ods_bytes, ods_content, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarkit.intake.limits import BrokenPackage, LimitExceeded, Limits, SheetScan
from sarkit.intake.xml_scan import DocxScanner, OdsContentScanner, XlsxSheetScanner

SPACE = st.text(alphabet=" \t\n\r", min_size=1, max_size=3)
OPTIONAL_SPACE = st.text(alphabet=" \t\n\r", max_size=2)


@st.composite
def attribute(draw, name: str, value: str) -> str:
    quote = draw(st.sampled_from(['"', "'"]))
    return f"{name}{draw(OPTIONAL_SPACE)}={draw(OPTIONAL_SPACE)}{quote}{value}{quote}"


@st.composite
def cell_xml(draw, ref: str, prefix: str) -> str:
    """One cell holding 1, spelt any legal way."""
    attrs = [draw(attribute("r", ref))]
    if draw(st.booleans()):
        attrs.append(draw(attribute("s", "1")))
    if draw(st.booleans()):
        attrs.append(draw(attribute("t", "n")))
    if draw(st.booleans()):
        attrs.append(draw(attribute("zz", draw(st.sampled_from([">", "/>", "a&gt;b", "&quot;"])))))
    order = draw(st.permutations(attrs))
    spaced = "".join(draw(SPACE) + a for a in order) + draw(OPTIONAL_SPACE)
    return f"<{prefix}c{spaced}><{prefix}v>1</{prefix}v></{prefix}c>"


@st.composite
def sheet_with_cell(draw, ref: str) -> tuple[str, int]:
    """(sheet XML with A1 and one more cell at `ref`, the chunk size to feed it in)."""
    prefix = draw(st.sampled_from(["", "x:"]))
    declare = f'xmlns:x="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    comment = draw(st.sampled_from(["", "<!-- <c r=\"B2\"><v>1</v></c> -->", "<?pi x?>"]))
    row_r = draw(attribute("r", "1"))
    first = f'<{prefix}row {row_r}><{prefix}c r="A1"><{prefix}v>1</{prefix}v></{prefix}c></{prefix}row>'
    cell = draw(cell_xml(ref, prefix))
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<{prefix}worksheet {declare}>'
           f"<{prefix}sheetData>{first}{comment}<{prefix}row>{cell}</{prefix}row>"
           f"</{prefix}sheetData></{prefix}worksheet>")
    return xml, draw(st.sampled_from([1, 3, 64, 1 << 20]))


def scan(xml: str, chunk: int, limits: Limits | None = None) -> SheetScan:
    measured = SheetScan(part="xl/worksheets/sheet1.xml", name="S")
    scanner = XlsxSheetScanner(measured, limits or Limits())
    data = xml.encode()
    for pos in range(0, len(data), chunk):
        scanner.feed(data[pos : pos + chunk])
    scanner.close()
    return measured


def calamine_extent(xml: str, tmp_path) -> tuple[int, int]:
    """(rows, columns) calamine allocates for the sheet: its last cell, counted from A1."""
    path = write_xlsx(tmp_path / "s.xlsx", [Sheet("S", xml)])
    book = calamine.CalamineWorkbook.from_path(str(path))
    try:
        sheet = book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
        return len(rows), max((len(r) for r in rows), default=0)
    finally:
        book.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), row=st.integers(2, 40), col=st.integers(0, 25))
def test_every_spelling_is_measured_as_calamine_reads_it(data, row, col, tmp_path) -> None:
    letters = chr(65 + col)
    xml, chunk = data.draw(sheet_with_cell(f"{letters}{row}"))
    assert calamine_extent(xml, tmp_path) == (row, col + 1)
    measured = scan(xml, chunk)
    assert (measured.rows, measured.columns) == (row, col + 1)
    far = xml.replace(f"{letters}{row}", "XFD1048576")
    with pytest.raises(LimitExceeded) as caught:
        scan(far, chunk)
    assert caught.value.limit in {"max-cells", "max-rows", "max-columns"}


@pytest.mark.parametrize("cell", [
    '<c\tr="XFD1048576"><v>1</v></c>',
    '<c\nr="XFD1048576"><v>1</v></c>',
    '<c s="1"\r\nr="XFD1048576"><v>1</v></c>',
    "<c r='XFD1048576'><v>1</v></c>",
    '<c r = "XFD1048576"><v>1</v></c>',
    '<c zz=">" r="XFD1048576"><v>1</v></c>',
    '<c r="XFD1048576" zz="/>"><v>1</v></c>',
    '<c r="&#88;FD1048576"><v>1</v></c>',
])
def test_the_whitespace_bypass_is_closed(cell: str) -> None:
    xml = f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">{cell}</row></sheetData></worksheet>'
    for chunk in (1, 5, 1 << 20):
        with pytest.raises(LimitExceeded):
            scan(xml, chunk)


@pytest.mark.parametrize(("data", "after", "limit"), [
    ('<row\tr="1048576"><c><v>1</v></c><c s="1"/><c><v>1</v></c></row>', "", "max-cells"),
    ("<row r = '900000'><c t='n'><v>1</v></c></row><row><c/><c/><c><v>1</v></c></row>", "", "max-cells"),
    ('<row r="1"><c r="A1"><v>1</v></c></row>', "<mergeCells><mergeCell\nref='A3:XFD1048576'/></mergeCells>",
     "max-merged-cells"),
    ('<row r="1"><c r="A1"><v>1</v></c></row>', '<mergeCells><x:mergeCell xmlns:x="u" ref = "B2:ZZ99999"/>'
     "</mergeCells>", "max-merged-cells"),
])
def test_far_rows_and_merges_are_read_as_xml(data: str, after: str, limit: str) -> None:
    xml = (f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>{data}'
           f"</sheetData>{after}</worksheet>")
    for chunk in (1, 5, 1 << 20):
        with pytest.raises(LimitExceeded) as caught:
            scan(xml, chunk, Limits(max_cells=1_000_000))
        assert caught.value.limit == limit


def test_a_comment_hides_no_cell_and_fakes_none() -> None:
    hidden = (f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
              '<!-- </sheetData> --><row r="2"><c\tr="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    with pytest.raises(LimitExceeded, match="17,179,869,184 cells"):
        scan(hidden, 1 << 20)
    fake = (f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="B3"><v>1</v></c>'
            '<!-- <c r="XFD1048576"><v>1</v></c> --></row></sheetData></worksheet>')
    assert (scan(fake, 7).rows, scan(fake, 7).columns) == (3, 2)


def test_duplicate_attributes_and_broken_xml_are_damage() -> None:
    for xml in (f'<worksheet xmlns="{MAIN_NS}"><sheetData><row><c r="A1" r="XFD1"><v>1</v></c>'
                "</row></sheetData></worksheet>",
                f'<worksheet xmlns="{MAIN_NS}"><sheetData><row><c r="A1"><v>1</v></row>'):
        with pytest.raises(BrokenPackage):
            scan(xml, 1 << 20)


def test_a_dtd_inside_a_sheet_is_refused_by_the_scanner_itself() -> None:
    xml = '<!DOCTYPE w [<!ENTITY e "x">]><worksheet><sheetData/></worksheet>'
    with pytest.raises(LimitExceeded, match="DTD or entities"):
        scan(xml, 1 << 20)


def test_canonical_sheets_keep_the_quick_path() -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c>'
                   f'<c r="B{r}"><v>{r}</v></c></row>' for r in range(1, 2001))
    xml = f'<worksheet xmlns="{MAIN_NS}"><dimension ref="A1"/><sheetData>{rows}</sheetData></worksheet>'
    measured = SheetScan(part="p", name="S")
    scanner = XlsxSheetScanner(measured, Limits())
    scanner.feed(xml.encode())
    scanner.close()
    assert (measured.rows, measured.columns) == (2000, 2)
    assert not scanner.precise


@pytest.mark.parametrize("cell", [
    '<table:table-cell\ttable:number-columns-repeated="20000" office:value-type="float"/>',
    "<table:table-cell table:number-columns-repeated = '20000'\noffice:value-type='float'/>",
    '<table:table-cell zz=">" table:number-columns-repeated="20000" office:value-type="float"/>',
    '<table:table-cell table:number-columns-repeated="&#50;0000"><text:p>x</text:p></table:table-cell>',
])
def test_ods_repeats_are_read_as_xml(cell: str) -> None:
    content = ('<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x">'
               f'<table:table table:name="S"><table:table-row>{cell}</table:table-row></table:table>'
               "</office:document-content>")
    with pytest.raises(LimitExceeded, match="column 20,000"):
        scanner = OdsContentScanner(Limits())
        scanner.feed(content.encode())
        scanner.close()
    hidden = content.replace("<table:table-row>", '<!-- <table:table name="x"> --><table:table-row>')
    with pytest.raises(LimitExceeded, match="column 20,000"):
        scanner = OdsContentScanner(Limits())
        scanner.feed(hidden.encode())
        scanner.close()


def test_word_rows_are_counted_whatever_the_spelling() -> None:
    body = "".join(f"<w:tr{space}><w:tc><w:p/></w:tc></w:tr>" for space in ("", "\t", "\n", " "))
    xml = f'<w:document xmlns:w="w"><w:body><w:tbl>{body}<tr><tc/></tr></w:tbl></w:body></w:document>'
    scanner = DocxScanner(Limits(max_rows=4))
    with pytest.raises(LimitExceeded, match="more than 4 rows"):
        scanner.feed(xml.encode())
        scanner.close()


def test_the_benchmark_spelling_is_measured(tmp_path) -> None:
    """xlsxwriter's own output (the benchmark's) takes the quick path and is measured exactly."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "w.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Chronology")
    for r in range(300):
        sheet.write_row(r, 0, [f"text {r}", r, "more"])
    book.close()
    xml = zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("xl/worksheets/sheet1.xml").decode()
    measured = SheetScan(part="p", name="S")
    scanner = XlsxSheetScanner(measured, Limits())
    scanner.feed(xml.encode())
    scanner.close()
    assert (measured.rows, measured.columns) == (300, 3)
    assert not scanner.precise


@st.composite
def ods_row_with_repeats(draw, rows: int) -> str:
    """A row whose second cell repeats COLUMNS times, the row itself `rows` times, the
    attributes spelt any legal way (namespace prefixes as LibreOffice writes them)."""
    attrs = [draw(attribute("table:number-columns-repeated", "COLUMNS")),
             draw(attribute("office:value-type", "float")), draw(attribute("office:value", "1"))]
    if draw(st.booleans()):
        attrs.append(draw(attribute("table:style-name", draw(st.sampled_from([">", "/>", "a&gt;b"])))))
    spaced = "".join(draw(SPACE) + a for a in draw(st.permutations(attrs))) + draw(OPTIONAL_SPACE)
    body = draw(st.sampled_from(["/>", "><text:p>1</text:p></table:table-cell>"]))
    row_attr = draw(attribute("table:number-rows-repeated", str(rows)))
    comment = draw(st.sampled_from(["", "<!-- <table:table-row> -->", "<?pi x?>"]))
    return (f"<table:table-row{draw(SPACE)}{row_attr}>{comment}"
            '<table:table-cell office:value-type="float" office:value="1"/>'
            f"<table:table-cell{spaced}{body}</table:table-row>")


def scan_ods(content: str, chunk: int) -> SheetScan:
    scanner = OdsContentScanner(Limits())
    data = content.encode()
    for pos in range(0, len(data), chunk):
        scanner.feed(data[pos : pos + chunk])
    scanner.close()
    return scanner.sheets[0]


@settings(max_examples=100, deadline=None)
@given(data=st.data(), columns=st.integers(1, 30), rows=st.integers(1, 30),
       chunk=st.sampled_from([1, 7, 1 << 20]))
def test_every_spelling_of_an_ods_repeat_is_measured_as_calamine_reads_it(
        data, columns, rows, chunk) -> None:
    template = ods_content(data.draw(ods_row_with_repeats(rows)))
    content = template.replace("COLUMNS", str(columns))
    try:  # calamine refuses some legal spellings (a comment among the rows): it reads nothing
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(ods_bytes(content)))
    except calamine.CalamineError:
        book = None
    if book is not None:
        table = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        assert (len(table), max(len(r) for r in table)) == (rows, columns + 1)
    measured = scan_ods(content, chunk)
    assert (measured.rows, measured.columns) == (rows, columns + 1)
    with pytest.raises(LimitExceeded, match="column 20,001"):
        scan_ods(template.replace("COLUMNS", "20000"), chunk)
