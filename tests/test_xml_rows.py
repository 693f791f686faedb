"""The Chronology sheet's rows written as ready-made XML (output/xml_rows.py) hold exactly the cells
xlsxwriter's public per-cell calls write: the same XML, read back the same by openpyxl and by
python-calamine, and LibreOffice opens it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import xlsxwriter
from conftest import row, write_return
from python_calamine import CalamineWorkbook

from sarkit.dates import PartialDate
from sarkit.output import xml_rows
from sarkit.output.combined_workbook import write_combined_workbook
from sarkit.output.xml_rows import RowWriter, escaped, utf16_fit
from sarkit.pipeline.chronology import Settings, from_returns
from sarkit.returns import ReadOptions
from sarkit.review import load_review

D = PartialDate
LONG = "Visit. " * 6_000  # 42,000 characters: cut with a mark
HOSTILE = [
    "line one\r\nline two\rthree",  # \r passes the cleaner: written as _x000D_
    "\ttab first", "tab last\t", "  spaces both sides  ", " ", "\n", "trailing newline\n",
    "_x0041_ is not A", "_x005F_x0041_ twice", "_X00a1_ and _x00A_", "_xZZZZ_",
    "a\x01b\x0bc\x1fd\ufffe\uffff",  # the cleaner makes these U+FFFD
    "& < > \" ' &amp; &lt; <b>bold</b> ]]> <![CDATA[x]]>",
    "emoji 👩‍⚕️ 😀 and ✓ and ﬁ and é",
    "😀" * 20_000,  # 20,000 characters, 40,000 UTF-16 units: over a cell's limit
    LONG, "=SUM(A1)", "+44 1234", "-1", "@cmd", "0042", "1e5", "TRUE", "#N/A",
    "Ünïcödé ünder 1900", "x" * 32_767,
    "<r><t>looks rich</t></r>",  # xlsxwriter would write this unescaped
]
# where xlsxwriter's own escaping loses the text (see xml_rows.escaped): the fast rows keep it
XLSXWRITER_LOSES = ("_x005F_x0041_ twice", "<r><t>looks rich</t></r>")
DATES = [D(2025), D(2025, uncertain=True), D(2025, 5), D(2025, 5, uncertain=True), D(2025, 5, 3),
         D(2025, 5, 3, True), D(1899, 5), D(1899), D(1900, 1, 1, True), D(1900, 2, 28),
         D(1900, 3, 1), D(1900, 3, 1, True), D(9999, 12, 31)]


@pytest.fixture
def collation(tmp_path, review_file):
    """A collation of two returns whose entries are then given every hostile text and date."""
    return hostile(tmp_path, review_file, HOSTILE)


def hostile(tmp_path, review_file, texts):
    review_file.write_text(review_file.read_text().replace(
        'marking = "OFFICIAL-SENSITIVE"',
        'marking = "OFFICIAL-SENSITIVE"\nsubject_birth_date = 1977-06-15'))
    folder = tmp_path / "returns"
    header = ["Date", "Time", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role", "End Date", "Risk & <Level>"]
    write_return(folder / "police.xlsx", [[*row(), "05/03/2025", "High"]] * 3, header=header,
                 details={"Agency:": "Testshire Police"})
    write_return(folder / "asc.xlsx", [[*row(), "", ""]] * 3, header=header,
                 details={"Agency:": "ASC"})
    made = from_returns([folder], ReadOptions(review=load_review(review_file)), Settings()).collation
    templates = made.entries
    entries = []
    for number in range(max(len(texts), len(DATES))):
        text = texts[number % len(texts)]
        other = texts[(number * 7 + 3) % len(texts)]
        entries.append(dataclasses.replace(
            templates[number % len(templates)], date=DATES[number % len(DATES)], source=other,
            event=text, action=other, practitioner=text[:50], analysis=text,
            time=dt.time(number % 24, 5) if number % 3 else None,
            end_date=DATES[(number + 4) % len(DATES)] if number % 2 else None,
            end_time=dt.time(23, 59) if number % 4 == 1 else None,
            key_event=(True, False, None)[number % 3], agency_ref=other[:40],
            extras={"Risk & <Level>": text} if number % 2 else {},
            flags=["possible duplicate of C0001", other[:10]] if number % 5 == 0 else [],
            row=number + 2, ref=f"C{number + 1:04d}"))
    made.entries = entries
    return made


def written(collation, path: Path, monkeypatch, *, fast: bool, key_events: bool = False) -> Path:
    with monkeypatch.context() as patch:
        if not fast:  # what a future xlsxwriter without the private names gets: the public calls
            patch.setattr(xml_rows, "_SHEET_NAMES", (*xml_rows._SHEET_NAMES, "no_such_name"))
        write_combined_workbook(collation, path, key_events=key_events)
    return path


def sheet_xml(path: Path) -> str:
    """The Chronology's XML with each style index (s="7") replaced by what that style is: the
    indexes follow the order xlsxwriter first meets the formats, which may differ."""
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

    def part(name: str) -> list[str]:
        return [ElementTree.tostring(e, "unicode") for e in styles.find(f"m:{name}", ns)]

    fonts, fills, borders = part("fonts"), part("fills"), part("borders")
    formats = {e.get("numFmtId"): e.get("formatCode") for e in styles.iterfind("m:numFmts/m:numFmt", ns)}
    xfs = [" ".join((fonts[int(x.get("fontId"))], fills[int(x.get("fillId"))],
                     borders[int(x.get("borderId"))], formats.get(x.get("numFmtId"), x.get("numFmtId")),
                     ElementTree.tostring(x, "unicode").split(">", 1)[1]))
           for x in styles.find("m:cellXfs", ns)]
    return re.sub(r' s="(\d+)"', lambda m: f' s="{xfs[int(m.group(1))]}"', sheet)


def openpyxl_cells(path: Path) -> list:
    sheet = openpyxl.load_workbook(path)["Chronology"]
    cells = [[(c.coordinate, c.value, c.data_type, c.number_format, c.fill.fgColor.rgb, c.font.b,
               c.alignment.wrap_text) for c in line] for line in sheet.iter_rows()]
    heights = {n: (d.height, d.customHeight) for n, d in sheet.row_dimensions.items()}
    return [cells, heights, sheet.auto_filter.ref, sheet.freeze_panes, sheet.dimensions]


def calamine_cells(path: Path) -> list:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Chronology").to_python()


@pytest.mark.parametrize("key_events", [False, True])
def test_fast_rows_are_the_public_path_cells(tmp_path, review_file, monkeypatch, key_events):
    collation = hostile(tmp_path, review_file, [t for t in HOSTILE if t not in XLSXWRITER_LOSES])
    fast = written(collation, tmp_path / "fast.xlsx", monkeypatch, fast=True, key_events=key_events)
    public = written(collation, tmp_path / "public.xlsx", monkeypatch, fast=False,
                     key_events=key_events)
    assert sheet_xml(fast) == sheet_xml(public)  # what xlsxwriter writes, style numbers aside
    assert openpyxl_cells(fast) == openpyxl_cells(public)
    assert calamine_cells(fast) == calamine_cells(public)
    with zipfile.ZipFile(fast) as archive:
        assert b"customFormat" in archive.read("xl/worksheets/sheet1.xml")


def test_what_the_fast_rows_hold(collation, tmp_path, monkeypatch):
    path = written(collation, tmp_path / "fast.xlsx", monkeypatch, fast=True)
    sheet = openpyxl.load_workbook(path)["Chronology"]
    header = [c.value for c in sheet[1]]
    assert header[-5:] == ["End Date", "End Time", "Age", "Days Since Previous", "Risk & <Level>"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(collation.entries) == 27
    event = header.index("Event / Contact Details")
    texts = [r[event] for r in calamine_cells(path)[1:]]  # openpyxl leaves _x000D_ undecoded
    assert texts[0] == "line one\r\nline two\rthree"
    assert texts[1:11] == HOSTILE[1:11]  # _x0041_ and _x005F_x0041_ are kept as written
    assert texts[26] == "<r><t>looks rich</t></r>"
    assert texts[11] == "a\ufffdb\ufffdc\ufffdd\ufffd\ufffd"
    assert texts[12] == HOSTILE[12] and texts[13] == HOSTILE[13] and texts[16] == "=SUM(A1)"
    assert rows[16][event].data_type == "s"  # a formula-looking text stays text
    emoji = texts[14]
    mark = " more characters; the JSON and CSV exports hold the whole text]"
    # 32,667 UTF-16 units kept: 16,333 emoji, 3,667 left out
    assert emoji == "😀" * 16_333 + " … [cut here: 3,667" + mark
    assert len(emoji.encode("utf-16-le")) // 2 <= 32_767
    assert texts[15] == LONG[:32_667] + " … [cut here: 9,333" + mark and len(texts[15]) <= 32_767
    assert texts[25] == "x" * 32_767  # exactly a cell's limit: not cut
    dates = [(r[1].value, r[1].number_format) for r in rows[:13]]
    assert dates == [
        (dt.datetime(2025, 1, 1), "yyyy"), (dt.datetime(2025, 1, 1), '"?"yyyy'),
        (dt.datetime(2025, 5, 1), "mmmm yyyy"), (dt.datetime(2025, 5, 1), '"?"mmmm yyyy'),
        (dt.datetime(2025, 5, 3), "dd/mm/yyyy"), (dt.datetime(2025, 5, 3), '"?"dd/mm/yyyy'),
        ("May 1899", "General"), ("1899", "General"), ("?01/01/1900", "General"),
        ("28/02/1900", "General"), (dt.datetime(1900, 3, 1), "dd/mm/yyyy"),
        (dt.datetime(1900, 3, 1), '"?"dd/mm/yyyy'), (dt.datetime(9999, 12, 31), "dd/mm/yyyy")]
    source_row = header.index("Source Row")
    assert [r[source_row].value for r in rows[:3]] == [2, 3, 4]
    assert rows[0][source_row].data_type == "n"
    end = rows[1][header.index("End Date")]
    assert (end.value, end.number_format) == (dt.datetime(2025, 5, 3), '"?"dd/mm/yyyy')
    assert rows[1][header.index("End Time")].value == "23:59"
    assert rows[0][header.index("End Time")].value is None


def test_text_shaped_like_a_rich_string_is_text(tmp_path):
    """xlsxwriter writes a text that starts '<r>' and ends '</r>' unescaped in constant-memory
    mode (its rich strings); the fast rows escape it like any text."""
    path = tmp_path / "rich.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_string(0, 0, "header")
    writer = RowWriter(sheet)
    assert writer.fast
    writer.write(1, 15, None, ["<r><t>x</t></r>", 3, None, "", 2.5])
    writer.close()
    book.close()
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python() == [
        ["header", "", "", "", ""], ["<r><t>x</t></r>", 3.0, "", "", 2.5]]
    assert openpyxl.load_workbook(path).active.dimensions == "A1:E2"


ROW_SHAPES = [  # each a row: the plain row tested once for all, else text by text
    ["plain", "also plain", 1],
    ["tab\tand newline\n are not printable", "no-break\u00a0space", "zero\u200bwidth"],
    ["a_", "x0041_ only across the join"],  # '_x' made by joining: looked at text by text
    ["plain", "a & b"], ["plain", "x < y"], ["plain", "x > y"], ["plain", "_x0041_"],
    ["plain", "bell\x07"], ["plain", "\ufffe"], ["plain", " lead", "trail "],
    [0, -5, 45_000, 2**53 - 1, -(2**53 - 1), 2**53, -(2**53), 2**53 + 1, 10**17, 1.5, -0.25, 1e-7, True],
]


def sheet_of(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_rows_looked_at_whole_are_written_as_xlsxwriters_cells(tmp_path):
    """The row-at-once check for text to escape, and ints written as str(), make the XML
    xlsxwriter's public calls make, row shape by row shape."""
    paths = []
    for fast in (True, False):
        paths.append(tmp_path / f"{fast}.xlsx")
        book = xlsxwriter.Workbook(str(paths[-1]), {"constant_memory": True})
        sheet = book.add_worksheet()
        sheet.write_string(0, 0, "header")
        writer = RowWriter(sheet, fast=fast)
        assert writer.fast is fast
        for number, values in enumerate(ROW_SHAPES, start=1):
            writer.write(number, 15, None, values)
        writer.close()
        book.close()
    fast_xml, public_xml = sheet_of(paths[0]), sheet_of(paths[1])
    assert fast_xml == public_xml
    assert "<v>9007199254740991</v>" in fast_xml and "<v>1E+17</v>" in fast_xml
    assert "a &amp; b" in fast_xml and "_x005F_x0041_" in fast_xml and "bell_x0007_" in fast_xml


def test_rows_must_go_down_the_sheet(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_string(3, 0, "held")
    writer = RowWriter(sheet)
    with pytest.raises(ValueError, match="row 2 is above"):
        writer.write(2, 15, None, ["a"])
    writer.write(4, 15, None, ["a"])
    with pytest.raises(ValueError, match="row 4 comes after row 4"):
        writer.write(4, 15, None, ["b"])
    writer.close()
    book.close()


def test_not_constant_memory_or_a_changed_xlsxwriter_takes_the_public_calls(tmp_path, monkeypatch):
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    assert not RowWriter(book.add_worksheet()).fast
    book.close()
    book = xlsxwriter.Workbook(str(tmp_path / "y.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet()
    assert RowWriter(sheet).fast and not RowWriter(sheet, fast=False).fast
    monkeypatch.delattr(type(sheet), "_write_single_row")
    assert not RowWriter(sheet).fast
    monkeypatch.undo()
    book.close()


@pytest.mark.parametrize("text", ["plain", "_x0041_", "_x005f_ and _x0041_", "a&b<c>d\"e'",
                                  "\x00\x1f\x0d\t\n", "\ufffe_xFFFE_", "😀 _x00E9_", "_x004_"])
def test_escaping_is_xlsxwriters(text):
    from xlsxwriter.xmlwriter import XMLwriter

    theirs = XMLwriter()._escape_data(XMLwriter._escape_control_characters(text))
    assert escaped(text) == theirs


@pytest.mark.parametrize(("text", "xml"), [
    ("_x005F_x0041_", "_x005F_x005F_x005F_x0041_"),  # xlsxwriter: _x005F_x005F_x0041_ (reads "_x005FA")
    ("<r>x</r>", "&lt;r&gt;x&lt;/r&gt;"),  # xlsxwriter: unescaped
    ("_x0041__x0042_", "_x005F_x0041__x005F_x0042_"),
])
def test_escaping_where_xlsxwriter_loses_the_text(text, xml):
    assert escaped(text) == xml


def test_utf16_fit_does_not_split_a_character():
    assert utf16_fit("ab😀", 3) == "ab"
    assert utf16_fit("ab😀", 4) == "ab😀"
    text = "x" * 40
    assert utf16_fit(text, 100) is text


@pytest.mark.libreoffice
def test_libreoffice_opens_the_fast_rows(collation, tmp_path, monkeypatch):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    path = written(collation, tmp_path / "fast.xlsx", monkeypatch, fast=True)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir",
                    str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    text = (tmp_path / "fast.csv").read_text("utf-8")
    assert "_x0041_ is not A" in text and "emoji 👩‍⚕️ 😀" in text and "=SUM(A1)" in text
    assert '"& < > "" \' &amp; &lt; <b>bold</b> ]]> <![CDATA[x]]>"' in text
    assert "03/05/2025" in text and "?03/05/2025" in text and "May 1899" in text
