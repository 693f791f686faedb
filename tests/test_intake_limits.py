"""Safety limits: measured by streaming, from the real bytes and cells, before any reader runs."""

from __future__ import annotations

import faulthandler
import io
import struct
import zipfile

import pytest
from corpus import HEADER, Sheet, entries, lie_about_sizes, ods_content, rows_xml, sheet_xml, write_xlsx

from sarkit.intake import read_workbooks
from sarkit.intake.limits import (
    BrokenPackage,
    LimitExceeded,
    Limits,
    PrologCheck,
    SheetScan,
    XlsbSheetScanner,
    ZipPackage,
    column_number,
    parse_range,
)
from sarkit.intake.xml_scan import OdsContentScanner, XlsxSheetScanner
from sarkit.returns import ReadOptions, read_returns


def scan_xlsx(xml: str, *, chunk: int = 7, limits: Limits | None = None) -> SheetScan:
    """Feed sheet XML in small chunks, so tags are cut at every possible place."""
    scan = SheetScan(part="sheet1.xml", name="Chronology")
    scanner = XlsxSheetScanner(scan, limits or Limits())
    data = xml.encode()
    for pos in range(0, len(data), chunk):
        scanner.feed(data[pos : pos + chunk])
    scanner.close()
    return scan


def test_limits_parse_names_and_units() -> None:
    limits = Limits.parse(["max-cells=30000000", "max_total_size=1GB", "max-ratio = 500"])
    assert limits.max_cells == 30_000_000
    assert limits.max_total_size == 1024**3
    assert limits.max_ratio == 500
    assert Limits().max_rows == 1_048_576
    with pytest.raises(ValueError, match="no limit called"):
        Limits.parse(["max-bananas=3"])
    with pytest.raises(ValueError, match="needs a number"):
        Limits.parse(["max-cells=lots"])


def test_limits_describe_every_limit() -> None:
    lines = Limits().describe()
    assert "max-cells=20000000: most cells a sheet's used range may span (rows x columns)" in lines
    assert any(line.startswith("max-total-size=500MB") for line in lines)
    assert len(lines) == 12


def test_columns_and_ranges() -> None:
    assert column_number("A") == 1
    assert column_number(b"XFD") == 16_384
    assert parse_range("B3:D9") == (3, 1, 9, 3)
    assert parse_range("$D$9:B3") == (3, 1, 9, 3)
    assert parse_range("C7") == (7, 2, 7, 2)
    assert parse_range("nonsense") is None


def test_real_extent_not_the_declared_dimension() -> None:
    xml = sheet_xml(rows_xml([HEADER, *entries(40)]), dimension="A1")
    scan = scan_xlsx(xml)
    assert (scan.rows, scan.columns) == (41, 6)


def test_a_far_cell_is_refused_whatever_the_chunking() -> None:
    xml = sheet_xml(rows_xml([HEADER]) + '<row r="900000"><c r="ZZ900000"><v>1</v></c></row>')
    for chunk in (1, 5, 13, 4096):
        with pytest.raises(LimitExceeded) as caught:
            scan_xlsx(xml, chunk=chunk)
        assert caught.value.limit == "max-cells"
        assert "900,000 rows x 702 columns" in caught.value.reason


def test_empty_far_cells_are_ignored_as_calamine_ignores_them() -> None:
    xml = sheet_xml(rows_xml([HEADER]) + '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    scan = scan_xlsx(xml)
    assert (scan.rows, scan.columns) == (1, 6)


def test_cells_without_references_are_counted_in_order() -> None:
    xml = sheet_xml(rows_xml([HEADER, *entries(3)], with_r=False))
    scan = scan_xlsx(xml)
    assert (scan.rows, scan.columns) == (4, 6)
    wide = sheet_xml("<row>" + "<c><v>1</v></c>" * 17_000 + "</row>")
    with pytest.raises(LimitExceeded, match="column 17,000"):
        scan_xlsx(wide, chunk=65536)


def test_prefixed_namespaces_are_measured() -> None:
    xml = ('<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
           '<x:c r="C5000"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    scan = scan_xlsx(xml)
    assert (scan.rows, scan.columns) == (5000, 3)


def test_formulas_with_and_without_saved_values() -> None:
    xml = sheet_xml(
        '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f>A1*2</f></c>'
        '<c r="C1"><f>A1</f><v></v></c><c r="D1" t="str"><f>""</f><v></v></c>'
        '<c r="E1"><f t="shared" si="0"/><v>3</v></c></row>')
    for chunk in (3, 1000):
        scan = scan_xlsx(xml, chunk=chunk)
        assert scan.formulas == [(1, 0), (1, 1), (1, 2), (1, 3), (1, 4)]
        assert scan.formulas_without_value == [(1, 1), (1, 2)]


def test_hidden_rows_merges_and_filters() -> None:
    xml = sheet_xml(rows_xml([HEADER, *entries(4)], hidden={3, 4}),
                    after='<autoFilter ref="A1:F5"><filterColumn colId="1"/></autoFilter>'
                    '<mergeCells count="2"><mergeCell ref="A2:B3"/><mergeCell ref="C4:C5"/></mergeCells>')
    scan = scan_xlsx(xml, chunk=50)
    assert scan.hidden_rows == [3, 4]
    assert scan.merged == [(2, 0, 3, 1), (4, 2, 5, 2)]
    assert scan.merged_cells == 6
    assert scan.autofilter == "A1:F5" and scan.filtered


def test_a_merge_bomb_is_refused() -> None:
    xml = sheet_xml(rows_xml([HEADER]), after='<mergeCells><mergeCell ref="A3:XFD1048576"/></mergeCells>')
    with pytest.raises(LimitExceeded) as caught:
        scan_xlsx(xml, chunk=4096)
    assert caught.value.limit == "max-merged-cells"


def test_prolog_check_refuses_dtds_and_entities() -> None:
    PrologCheck("ok.xml").feed(b'<?xml version="1.0"?><a><b/></a>')
    for bad in (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
                b'<!DOCTYPE a SYSTEM "http://example.org/a.dtd"><a/>'):
        with pytest.raises(LimitExceeded, match="DTD or entities"):
            PrologCheck("bad.xml").feed(bad)
    check = PrologCheck("late.xml")
    check.feed(b"<a>")
    with pytest.raises(LimitExceeded):
        check.feed(b'<!ENTITY e "x">')


def test_ods_padding_is_not_data_but_repeats_are_counted() -> None:
    padded = ods_content(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>A</text:p>'
        '</table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="float" '
        'table:number-columns-repeated="4" table:formula="of:=1"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>')
    scanner = OdsContentScanner(Limits())
    scanner.feed(padded.encode())
    scanner.close()
    [sheet] = scanner.sheets
    assert (sheet.name, sheet.rows, sheet.columns) == ("Chronology", 4, 4)
    assert (2, 0) in sheet.formulas
    bomb = ods_content('<table:table-row table:number-rows-repeated="5000"><table:table-cell '
                       'office:value-type="string" table:number-columns-repeated="5000"><text:p>X'
                       "</text:p></table:table-cell></table:table-row>")
    with pytest.raises(LimitExceeded, match="25,000,000 cells"):
        OdsContentScanner(Limits()).feed(bomb.encode())


def _record(kind: int, body: bytes) -> bytes:
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size = len(body)
    sizes = bytearray()
    while True:
        byte = size & 0x7F
        size >>= 7
        sizes.append(byte | (0x80 if size else 0))
        if not size:
            break
    return head + bytes(sizes) + body


def test_xlsb_records_are_measured() -> None:
    sheet = (_record(0x0000, struct.pack("<I", 4) + b"\0" * 8)
             + _record(0x0005, struct.pack("<II", 2, 0) + struct.pack("<d", 1.0))
             + _record(0x0009, struct.pack("<II", 3, 0) + b"\0" * 14)
             + _record(0x00B0, struct.pack("<IIII", 0, 1, 0, 1)))
    scan = SheetScan(part="sheet1.bin", name="S")
    scanner = XlsbSheetScanner(scan, Limits())
    for pos in range(0, len(sheet), 3):
        scanner.feed(sheet[pos : pos + 3])
    scanner.close()
    assert (scan.rows, scan.columns, scan.formulas, scan.merged_cells) == (5, 4, [(5, 3)], 4)
    far = _record(0x0000, struct.pack("<I", 1_000_000) + b"\0" * 8) + _record(
        0x0005, struct.pack("<II", 16_000, 0) + b"\0" * 8)
    with pytest.raises(LimitExceeded):
        XlsbSheetScanner(SheetScan(part="x", name="S"), Limits()).feed(far)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_declared_sizes_are_checked_before_anything_is_inflated() -> None:
    data = _zip({"a.xml": b" " * (3 * 1024 * 1024)})
    with pytest.raises(LimitExceeded) as caught:
        ZipPackage(data, Limits()).check_declared()
    assert caught.value.limit == "max-ratio"
    with pytest.raises(LimitExceeded, match="more than 1 MB"):
        ZipPackage(data, Limits(max_member_size=1024 * 1024)).check_declared()
    with pytest.raises(LimitExceeded, match="holds 3 files"):
        ZipPackage(_zip({"a": b"", "b": b"", "c": b""}), Limits(max_members=2))


def test_a_header_claiming_a_small_size_cannot_hide_a_large_member() -> None:
    data = lie_about_sizes(_zip({"a.xml": b" " * (5 * 1024 * 1024)}), "a.xml", 100)
    package = ZipPackage(data, Limits())
    package.check_declared()
    with pytest.raises(LimitExceeded, match="compressed more than 200 times"):
        for _ in package.stream(package.find("a.xml")):
            pass
    small_lie = lie_about_sizes(_zip({"a.xml": b"<a/>" * 10}), "a.xml", 5)
    package = ZipPackage(small_lie, Limits())
    with pytest.raises(BrokenPackage):
        list(package.stream(package.find("a.xml")))


def test_total_size_counts_real_bytes() -> None:
    data = _zip({f"m{i}.xml": bytes(range(256)) * 4096 for i in range(3)})
    package = ZipPackage(data, Limits(max_total_size=2 * 1024 * 1024))
    with pytest.raises(LimitExceeded) as caught:
        for info in package.infos:
            list(package.stream(info))
    assert caught.value.limit == "max-total-size"


def test_read_workbooks_refuses_with_configured_limits(tmp_path) -> None:
    path = write_xlsx(tmp_path / "big.xlsx", [Sheet("Chronology", sheet_xml(
        rows_xml([HEADER, *entries(30)])))])
    [book] = read_workbooks(path, limits=Limits(max_rows=10))
    assert [f.code for f in book.findings] == ["file-refused"]
    assert "row 31, beyond the limit of 10 rows" in book.findings[0].message
    assert "--limit max-rows=NUMBER" in book.findings[0].hint
    [book] = read_workbooks(path, limits=Limits(max_file_size=100))
    assert "over the limit of 0 MB" in book.findings[0].message or "limit" in book.findings[0].message
    [book] = read_workbooks(path)
    assert len(book.sheets[0].rows) == 31


def test_csv_rows_and_cells_are_bounded(tmp_path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Date,Source,Event\n" + "01/01/2024,a,b\n" * 50)
    [book] = read_workbooks(path, limits=Limits(max_rows=20))
    assert book.findings[0].code == "file-refused"
    [book] = read_workbooks(path, limits=Limits(max_cells=100))
    assert "more than 100 cells" in book.findings[0].message


def test_a_native_crash_costs_one_file(tmp_path) -> None:
    """With the limits lifted, calamine aborts on a far cell: the worker dies, the run goes on."""
    lifted = Limits(max_rows=10**9, max_columns=10**9, max_cells=10**15)
    far = write_xlsx(tmp_path / "far.xlsx", [Sheet("Chronology", sheet_xml(
        rows_xml([HEADER]) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))])
    good = write_xlsx(tmp_path / "good.xlsx", [Sheet("Chronology", sheet_xml(
        rows_xml([HEADER, *entries(2)])))])
    was_enabled = faulthandler.is_enabled()
    faulthandler.disable()  # the worker's abort would otherwise print pytest's fault dump
    try:
        results = read_returns([far, good], ReadOptions(agency="Police", memory_limit=1024**3,
                                                        limits=lifted))
    finally:
        if was_enabled:
            faulthandler.enable()
    assert [f.code for f in results[0].findings] == ["file-refused"]
    assert "stopped abnormally" in results[0].findings[0].message
    assert len(results[1].entries) == 2


def test_prolog_check_without_a_parser_only_for_the_plain_office_prolog() -> None:
    """The plain prolog (BOM, declaration, root) needs no parser; anything else before the root
    (a comment, a processing instruction, a DTD) still goes through defusedxml."""
    for plain in (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet>',
                  b"\xef\xbb\xbf<?xml version='1.0'?><a/>", b"<a>", b"  \n<x:a xmlns:x='u'>"):
        check = PrologCheck("plain.xml")
        check.feed(plain)
        assert check.done and check.parser is None
    for other in (b'<?xml version="1.0"?><!-- a note --><a/>', b"<?xml version='1.0'?><?pi x?><a/>",
                  b'<?xml version="1.0"?>'):
        check = PrologCheck("other.xml")
        check.feed(other)
        assert check.parser is not None
    hidden = b'<?xml version="1.0"?><!-- x --><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'
    with pytest.raises(LimitExceeded, match="DTD or entities"):
        PrologCheck("hidden.xml").feed(hidden)
    split = PrologCheck("split.xml")  # a declaration cut by the chunk's end is parsed
    split.feed(b'<?xml version="1.0"')
    with pytest.raises(LimitExceeded, match="DTD or entities"):
        split.feed(b'?><!DOCTYPE a [<!ENTITY e "x">]><a/>')
