"""Cells that are not what they look like: formulas saved with no value at all (a program that does
not calculate wrote the workbook, or a dynamic-array spill saved without its values) are never
unused template rows and never make a nil return (red team V, item 1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from conftest import row, write_return
from corpus import HEADER, rows_xml
from test_other_producers import DAY_ENTRIES, _book, _rows
from test_table_shapes import conserved, entries, found, read_one
from typer.testing import CliRunner

from sarkit.account import account_for
from sarkit.cli import app
from sarkit.findings import Severity
from sarkit.review import Review
from sarkit.wording import CALCULATE_HINT

runner = CliRunner()


def _plain(first: int, last: int) -> str:
    """Rows `first`..`last` whose six cells are `=Data!..` formulas with no <v> at all."""
    return "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><f>Data!{col}{r}</f></c>'
                                              for col in "ABCDEF") + "</row>"
                   for r in range(first, last + 1))


def _spill(last: int) -> str:
    """A SORT spill anchored in A2 over A2:F`last`, saved with no values (no other cell)."""
    return (f'<row r="2"><c r="A2" s="1" cm="1"><f t="array" ref="A2:F{last}" aca="0">'
            "_xlfn._xlws.SORT(Data!A2:F9)</f></c></row>")


def _message(row: int) -> str:
    return (f"Row {row} of the sheet Chronology holds formulas that were saved with no value (the "
            "program that wrote the workbook did not calculate them), so what the row shows is not "
            "known; it was not read as an entry.")


def _rejected(result) -> list[tuple[str, int | None, str | None, Severity]]:
    return [(f.code, f.row, f.cell, f.severity) for f in result.findings
            if f.code in {"formula-cell", "template-rows", "nil-return"}]


def test_rows_of_formulas_never_calculated_are_rejected_rows_not_a_nil_return(tmp_path):
    result = read_one(_book(tmp_path / "plain.xlsx", rows_xml([HEADER]) + _plain(2, 5)))
    assert result.entries == []
    assert not result.nil
    assert (result.data_rows, result.rejected_rows) == (4, 4)
    assert _rejected(result) == [("formula-cell", r, f"A{r}", Severity.ERROR) for r in range(2, 6)]
    first = next(f for f in result.findings if f.code == "formula-cell")
    assert (first.message, first.hint, first.sheet) == (_message(2), CALCULATE_HINT, "Chronology")
    conserved(result, 4)
    account = account_for([result], Review(), entries=0)
    assert [(r.row, r.codes, r.cells) for r in account.rejected] == [
        (r, ("formula-cell",), (f"A{r}",)) for r in range(2, 6)]


def test_a_spill_saved_with_no_values_names_every_row_it_fills(tmp_path):
    result = read_one(_book(tmp_path / "spill.xlsx", rows_xml([HEADER]) + _spill(5)))
    assert not result.nil
    assert (result.data_rows, result.rejected_rows) == (4, 4)
    assert _rejected(result) == [("formula-cell", r, f"A{r}", Severity.ERROR) for r in range(2, 6)]


def test_uncalculated_rows_under_entries_are_rejected_not_template_rows(tmp_path):
    result = read_one(_book(tmp_path / "under.xlsx", _rows() + _plain(5, 6)))
    assert entries(result) == DAY_ENTRIES
    assert (result.data_rows, result.rejected_rows) == (5, 2)
    assert _rejected(result) == [("formula-cell", 5, "A5", Severity.ERROR),
                                 ("formula-cell", 6, "A6", Severity.ERROR)]
    conserved(result, 5)


def test_formulas_calculated_to_nothing_stay_template_rows_and_a_nil_return(tmp_path):
    """Excel and LibreOffice save a formula showing "" as t="str" with an empty value."""
    shown = "".join(f'<row r="{r}">' + "".join(
        f'<c r="{col}{r}" t="str"><f>IF(Data!A{r}="","",Data!A{r})</f><v></v></c>' for col in "ABCDEF")
        + "</row>" for r in range(2, 6))
    result = read_one(_book(tmp_path / "nil.xlsx", rows_xml([HEADER]) + shown))
    assert result.nil
    assert found(result, "formula-cell", "template-rows", "nil-return") == [
        ("template-rows", 2, None), ("nil-return", 1, None)]
    assert not any(f.severity == Severity.ERROR for f in result.findings)


def test_an_empty_untyped_value_is_no_nil_return_on_its_own(tmp_path):
    """openpyxl saves every formula as <f>..</f><v></v>, calculated or not: a table holding only
    such rows cannot be told from a workbook nobody calculated, so it is not taken as nil."""
    rows = "".join(f'<row r="{r}">' + "".join(
        f'<c r="{col}{r}"><f>Data!{col}{r}</f><v></v></c>' for col in "ABCDEF") + "</row>"
        for r in range(2, 4))
    result = read_one(_book(tmp_path / "openpyxl.xlsx", rows_xml([HEADER]) + rows))
    assert not result.nil
    assert _rejected(result) == [("formula-cell", 2, "A2", Severity.ERROR),
                                 ("formula-cell", 3, "A3", Severity.ERROR)]


def _uncalculated_return(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    built = _book(path.with_suffix(".tmp.xlsx"), rows_xml([HEADER]) + _plain(2, 4))
    shutil.move(built, path)
    return path


def test_validate_and_collate_exit_1_and_the_agency_is_no_nil_return(tmp_path, review_file):
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [row()])
    write_return(folder / "gp.xlsx", [row(day="04/03/2025")])
    _uncalculated_return(folder / "asc.xlsx")
    checked = runner.invoke(app, ["validate", str(folder), "--review", str(review_file),
                                  "--format", "json"])
    assert checked.exit_code == 1
    [asc] = [f for f in json.loads(checked.stdout)["files"] if f["path"].endswith("asc.xlsx")]
    assert (asc["entries"], asc["rejected_rows"]) == (0, 3)
    assert [(f["code"], f["severity"], f["cell"]) for f in asc["findings"]
            if f["code"] in {"formula-cell", "nil-return", "template-rows"}] == [
        ("formula-cell", "error", "A2"), ("formula-cell", "error", "A3"), ("formula-cell", "error", "A4")]
    out = tmp_path / "c.xlsx"
    collated = runner.invoke(app, ["collate", str(folder), "-o", str(out), "--review", str(review_file)])
    assert collated.exit_code == 1
    book = openpyxl.load_workbook(out)
    agencies = list(book["Agencies"].iter_rows(values_only=True))
    header = agencies[0]
    asc_row = next(dict(zip(header, r, strict=False)) for r in agencies[1:] if r[1] == "ASC")
    assert asc_row["Nil Return"] == "no"
    assert asc_row["Entries"] == 0


# --- Excel 365's newer error values (t="e") are a cell-error on their cell (red team V, item 2) ---

NEWER_ERRORS = ["#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
                "#GETTING_DATA"]


def _with_error(date_cell: str, time_cell: str = "") -> str:
    """The three day entries, row 3's Date (and Time) cell replaced."""
    out = _rows()
    start = out.index('<c r="A3"')
    end = out.index("</c>", start) + 4
    out = out[:start] + date_cell + out[end:]
    if time_cell:
        start = out.index('<c r="B4"')
        end = out.index("</c>", start) + 4
        out = out[:start] + time_cell + out[end:]
    return out


def test_a_newer_error_value_is_a_cell_error_on_its_cell_not_an_unreadable_file(tmp_path):
    for error in NEWER_ERRORS:
        data = _with_error(f'<c r="A3" t="e"><f>_xlfn.XLOOKUP(K3,L:L,M:M)</f><v>{error}</v></c>',
                           f'<c r="B4" t="e" cm="1"><f t="array" ref="B4">X</f><v>{error}</v></c>')
        result = read_one(_book(tmp_path / "e.xlsx", data))
        assert not found(result, "file-unreadable"), error
        assert entries(result) == [DAY_ENTRIES[0], (DAY_ENTRIES[2][0], None, *DAY_ENTRIES[2][2:])], error
        assert [(f.cell, f.severity, f.message) for f in result.findings if f.code == "cell-error"] == [
            ("A3", Severity.ERROR, f"The cell A3 (Date) of row 3 shows a spreadsheet error ({error}) "
             "from a formula or lookup, not a value; it was read as blank, so the row was not added."),
            ("B4", Severity.WARNING, f"The cell B4 (Time) of row 4 shows a spreadsheet error ({error}) "
             "from a formula or lookup, not a value; it was read as blank."),
        ], error
        assert result.rejected_rows == 1


def test_error_text_no_program_writes_is_named_as_an_error_and_text_cells_are_kept(tmp_path):
    """An unknown error text (single quotes, spaces round '=') is 'an error'; a text cell
    holding the characters of an error is text, not changed."""
    data = _with_error("<c r='A3' t = 'e'><v>#WHATEVER!</v></c>")
    data = data.replace("Home visit 4", "#SPILL! shown in the referral log")
    result = read_one(_book(tmp_path / "odd.xlsx", data))
    assert [(f.cell, f.message) for f in result.findings if f.code == "cell-error"] == [
        ("A3", "The cell A3 (Date) of row 3 shows a spreadsheet error (an error) from a formula or "
               "lookup, not a value; it was read as blank, so the row was not added.")]
    assert [e.event for e in result.entries] == ["Home visit 2", "#SPILL! shown in the referral log"]


def test_a_file_the_reader_cannot_read_is_damaged_without_the_readers_name(tmp_path):
    """A shared-string cell pointing past the strings stops the reader: the message says the file
    may be damaged and never names the reader."""
    broken = _book(tmp_path / "b.xlsx", _rows().replace('<c r="A3" s="1"><v>45750</v>',
                                                         '<c r="A3" t="s"><v>999</v>'))
    result = read_one(broken)
    assert [f.message for f in result.findings if f.code == "file-unreadable"] == [
        "The file looks like an Excel workbook but cannot be read: it may be damaged or incomplete."]


def test_only_error_cells_values_the_reader_cannot_read_are_made_na():
    from sarkit.intake.package import _CELL, _known_error

    xml = (b'<x:row><x:c r="A1" t="e"><x:f>A</x:f><x:v>#SPILL!</x:v></x:c><x:c r="B1" t="e"/>'
           b'<x:c r="C1" t="str"><x:v>#SPILL!</x:v></x:c><x:c r="D1" t="e"><x:v>#REF!</x:v></x:c>'
           b"<c r='E1' cm='1' t='e'><v> #CALC! </v></c></x:row>")
    assert _CELL.sub(_known_error, xml) == (
        b'<x:row><x:c r="A1" t="e"><x:f>A</x:f><x:v>#N/A</x:v></x:c><x:c r="B1" t="e"/>'
        b'<x:c r="C1" t="str"><x:v>#SPILL!</x:v></x:c><x:c r="D1" t="e"><x:v>#REF!</x:v></x:c>'
        b"<c r='E1' cm='1' t='e'><v>#N/A</v></c></x:row>")


# --- a 0 with no time format in a Time cell is no time (red team V, item 6) ---------------------

TIME_STYLES = ('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="20"/>'
               "</cellXfs></styleSheet>")


def _time_cells(cells: dict[int, str]) -> str:
    """The three day entries with row -> Time cell XML replaced."""
    out = _rows()
    for r, cell in cells.items():
        start = out.index(f'<c r="B{r}"')
        end = out.index("</c>", start) + 4
        out = out[:start] + cell + out[end:]
    return out


def _time_book(path: Path, data: str) -> Path:
    from corpus import REL_NS, Sheet, sheet_xml, write_xlsx

    return write_xlsx(path, [Sheet("Chronology", sheet_xml(data))], extra={"xl/styles.xml": TIME_STYLES},
                      workbook_rels=[(f"{REL_NS}/styles", "styles.xml")])


def test_a_general_zero_is_no_time_and_an_h_mm_zero_is_midnight(tmp_path):
    data = _time_cells({2: '<c r="B2"><f>Data!B4</f><v>0</v></c>', 3: '<c r="B3" s="2"><v>0</v></c>',
                        4: '<c r="B4"><v>0</v></c>'})
    result = read_one(_time_book(tmp_path / "zero.xlsx", data))
    assert [e.time.strftime("%H:%M") if e.time else None for e in result.entries] == [None, "00:00", None]
    zero = [(f.code, f.severity, f.row, f.cell, f.message) for f in result.findings
            if f.code == "time-from-number"]
    assert zero == [("time-from-number", Severity.WARNING, 2, "B2",
                     "The Time cells B2, B4 hold the number 0 with no time format (what a formula "
                     "copying a blank cell shows), not a time, so the entries were kept without a "
                     "time. If an entry was at midnight, type 00:00.")]
    assert not found(result, "time-invalid", "midnight-as-time")


def test_one_general_zero_is_said_once(tmp_path):
    result = read_one(_time_book(tmp_path / "one.xlsx", _time_cells({3: '<c r="B3"><v>0</v></c>'})))
    assert [f.message for f in result.findings if f.code == "time-from-number"] == [
        "The Time cell B3 holds the number 0 with no time format (what a formula copying a blank "
        "cell shows), not a time, so the entry was kept without a time. If it was at midnight, "
        "type 00:00."]


def test_libreoffice_formulas_worked_out_to_nothing_are_not_unsaved(tmp_path):
    """LibreOffice writes a formula whose result is "" with no value type and an empty paragraph:
    calculated, so neither a cell error in an entry nor rows of formulas never calculated."""
    from corpus import ods_bytes, ods_content, ods_rows

    empty = ('<table:table-cell table:formula="of:=IF([.H3]=&quot;Y&quot;;&quot;Noted&quot;;&quot;&quot;)">'
             "<text:p/></table:table-cell>")
    body = ods_rows([HEADER, row(day="03/03/2025", event="Home visit"),
                     row(day="04/03/2025", event="Phone call")]).replace(
        "</table:table-row>", empty + "</table:table-row>", 3)
    unused = f"<table:table-row><table:table-cell/>{empty}</table:table-row>" * 3
    body = body.replace('<table:table-row table:number-rows-repeated', unused
                        + '<table:table-row table:number-rows-repeated', 1)
    path = tmp_path / "police.ods"
    path.write_bytes(ods_bytes(ods_content(body)))
    result = read_one(path)
    assert [e.event for e in result.entries] == ["Home visit", "Phone call"]
    assert (result.rejected_rows, [f for f in result.findings if f.severity == Severity.ERROR]) == (0, [])
    assert [f.code for f in result.findings] == ["formula-cell"] * 3 + ["template-rows"]  # warnings
