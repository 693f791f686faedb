"""Returns written by programs other than Excel, or by Excel features a form rarely uses: a
table's totals row, cells showing a spreadsheet error (#N/A), cells that do not name their
place, and styles whose attributes come in another order or quoting. None may become an
invented entry, a silently blank cell or a wrong date."""

from __future__ import annotations

from pathlib import Path

from corpus import HEADER, MAIN_NS, REL_NS, Sheet, rows_xml, sheet_xml, write_xlsx
from test_table_shapes import conserved, entries, found, read_one

from sarkit.findings import Severity
from sarkit.intake.shown_dates import style_meanings, styled_cells

TABLE = f"{REL_NS}/table"
DAYS = [45748, 45750, 45752]  # 01/04/2025, 03/04/2025, 05/04/2025 as date serials


def _rows(days: list[int] = DAYS) -> str:
    """Three entries whose dates are serials (styled as a day by s="1") from row 2."""
    out = [rows_xml([HEADER])]
    for i, day in enumerate(days, start=2):
        out.append(f'<row r="{i}"><c r="A{i}" s="1"><v>{day}</v></c>' + rows_xml(
            [[None, "10:00", "Case notes", f"Home visit {i}", "Advice", "PC 6"]], first_row=i)[
            len(f'<row r="{i}">'):])
    return "".join(out)


STYLES = (f'<styleSheet xmlns="{MAIN_NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/>'
          "</cellXfs></styleSheet>")


def _book(path: Path, data: str, *, table: str | None = None) -> Path:
    extra: dict[str, bytes | str] = {"xl/styles.xml": STYLES}
    rels = []
    if table is not None:
        extra["xl/tables/table1.xml"] = table
        rels = [(TABLE, "../tables/table1.xml", "")]
    return write_xlsx(path, [Sheet("Chronology", sheet_xml(data), rels=rels)], extra=extra,
                      workbook_rels=[(f"{REL_NS}/styles", "styles.xml")])


def _totals(label: str = "Total", date: str = "SUBTOTAL(104,Table1[Date])", shown: int = 45752) -> str:
    return (f'<row r="5"><c r="A5" s="1"><f>{date}</f><v>{shown}</v></c>'
            f'<c r="C5" t="inlineStr"><is><t>{label}</t></is></c>'
            '<c r="D5"><f>SUBTOTAL(103,Table1[Event])</f><v>3</v></c></row>')


def _table(count: str = "1") -> str:
    return (f'<table xmlns="{MAIN_NS}" id="1" name="Table1" displayName="Table1" ref="A1:F5" '
            f'totalsRowCount="{count}"><autoFilter ref="A1:F4"/></table>')


DAY_ENTRIES = [("01/04/2025", "10:00", "Home visit 2", "Advice"),
               ("03/04/2025", "10:00", "Home visit 3", "Advice"),
               ("05/04/2025", "10:00", "Home visit 4", "Advice")]


def test_a_tables_totals_row_is_no_entry_whatever_its_date_cell_shows(tmp_path):
    for name, date, shown in (("max", "SUBTOTAL(104,Table1[Date])", 45752),
                              ("count", "SUBTOTAL(103,Table1[Date])", 3)):
        result = read_one(_book(tmp_path / f"{name}.xlsx", _rows() + _totals("Total", date, shown),
                                table=_table()))
        assert entries(result) == DAY_ENTRIES, name
        assert found(result, "text-after-table") == [("text-after-table", 5, "A5")], name
        assert not found(result, "out-of-order", "date-from-number", "date-outside-period")
        assert result.rejected_rows == 0
        conserved(result, 4)


def test_the_tables_definition_alone_says_which_row_totals(tmp_path):
    """Excel's totals row with no label at all (a count under Event only, a typed date kept)."""
    data = _rows() + ('<row r="5"><c r="A5" s="1"><v>45752</v></c><c r="C5" t="inlineStr"><is><t>'
                      'Case notes</t></is></c><c r="D5"><f>SUBTOTAL(103,Table1[Event])</f><v>3</v></c></row>')
    result = read_one(_book(tmp_path / "t.xlsx", data, table=_table()))
    assert entries(result) == DAY_ENTRIES
    assert found(result, "text-after-table") == [("text-after-table", 5, "A5")]
    # the same row in a table without a totals row is an entry (with its Event a number)
    result = read_one(_book(tmp_path / "n.xlsx", data, table=_table("0")))
    assert len(result.entries) == 4


def test_a_totals_row_without_a_table_object_is_no_entry(tmp_path):
    for label in ("Total", "Totals:", "Grand total", "Count", "TOTAL"):
        result = read_one(_book(tmp_path / "t.xlsx", _rows() + _totals(label)))
        assert entries(result) == DAY_ENTRIES, label
        assert found(result, "text-after-table") == [("text-after-table", 5, "A5")], label
    # numbers typed rather than formulas: still a total
    typed = ('<row r="5"><c r="A5"><v>3</v></c><c r="C5" t="inlineStr"><is><t>Total</t></is></c>'
             '<c r="D5"><v>3</v></c></row>')
    result = read_one(_book(tmp_path / "typed.xlsx", _rows() + typed))
    assert entries(result) == DAY_ENTRIES


def test_total_words_in_an_entry_keep_it_an_entry(tmp_path):
    """'Total hip replacement' as the event, or 'Total' as a source beside an event's text."""
    for source, event in (("Hospital", "Total hip replacement"), ("Total", "Total care package reviewed"),
                          ("Total", "Home visit")):
        row = ('<row r="5"><c r="A5" s="1"><f>A4+1</f><v>45753</v></c>'
               f'<c r="C5" t="inlineStr"><is><t>{source}</t></is></c>'
               f'<c r="D5" t="inlineStr"><is><t>{event}</t></is></c></row>')
        result = read_one(_book(tmp_path / "e.xlsx", _rows() + row))
        assert entries(result)[-1] == ("06/04/2025", None, event, ""), (source, event)
        assert not found(result, "text-after-table")


def _error_sheet() -> str:
    """Row 2: #REF! under Date (no formula); 3: a lookup's #N/A under Date; 4: #N/A under Time;
    5: #VALUE! under Event; 6: a formula's #DIV/0! under Action."""
    def line(r: int, cells: dict[str, str]) -> str:
        base = {"A": f'<c r="A{r}" t="inlineStr"><is><t>0{r}/03/2025</t></is></c>',
                "B": f'<c r="B{r}" t="inlineStr"><is><t>10:00</t></is></c>',
                "C": f'<c r="C{r}" t="inlineStr"><is><t>Case notes</t></is></c>',
                "D": f'<c r="D{r}" t="inlineStr"><is><t>Visit {r}</t></is></c>',
                "E": f'<c r="E{r}" t="inlineStr"><is><t>Advice</t></is></c>'}
        base.update(cells)
        return f'<row r="{r}">{"".join(base.values())}</row>'
    return rows_xml([HEADER[:5]]) + "".join([
        line(2, {"A": '<c r="A2" t="e"><v>#REF!</v></c>'}),
        line(3, {"A": '<c r="A3" t="e"><f>VLOOKUP(X1,Y:Y,1,0)</f><v>#N/A</v></c>'}),
        line(4, {"B": '<c r="B4" t="e"><v>#N/A</v></c>'}),
        line(5, {"D": '<c r="D5" t="e"><v>#VALUE!</v></c>'}),
        line(6, {"E": '<c r="E6" t="e"><f>1/0</f><v>#DIV/0!</v></c>'}),
    ])


def test_cells_showing_a_spreadsheet_error_are_named_not_read_as_blank(tmp_path):
    result = read_one(_book(tmp_path / "e.xlsx", _error_sheet()))
    errors = [(f.cell, f.severity, f.message) for f in result.findings if f.code == "cell-error"]
    assert errors == [
        ("A2", Severity.ERROR, "The cell A2 (Date) of row 2 shows a spreadsheet error (#REF!) from "
         "a formula or lookup, not a value; it was read as blank, so the row was not added."),
        ("A3", Severity.ERROR, "The cell A3 (Date) of row 3 shows a spreadsheet error (#N/A) from "
         "a formula or lookup, not a value; it was read as blank, so the row was not added."),
        ("B4", Severity.WARNING, "The cell B4 (Time) of row 4 shows a spreadsheet error (#N/A) from "
         "a formula or lookup, not a value; it was read as blank."),
        ("D5", Severity.ERROR, "The cell D5 (Event / Contact Details) of row 5 shows a "
         "spreadsheet error (#VALUE!) from a formula or lookup, not a value; it was read as "
         "blank, so the row was not added."),
        ("E6", Severity.WARNING, "The cell E6 (Action Taken / Outcome) of row 6 shows a "
         "spreadsheet error (#DIV/0!) from a formula or lookup, not a value; it was read as blank."),
    ]
    assert not found(result, "date-missing", "event-missing", "action-missing", "formula-cell")
    assert entries(result) == [("04/03/2025", None, "Visit 4", "Advice"),
                               ("06/03/2025", "10:00", "Visit 6", "")]
    assert result.rejected_rows == 3


def test_month_formats_are_found_in_cells_that_do_not_name_their_place():
    xml = (b'<sheetData><row><c t="s"><v>0</v></c><c s="2"><v>45748</v></c></row>'
           b'<row r="5"><c r="C5" s="2"><v>1</v></c><c s="2"><v>2</v></c><c s="1"><v>3</v></c></row>'
           b'<row><c s="2"/></row></sheetData>')
    assert styled_cells(xml, {b"2"}) == {(1, 1): b"2", (5, 2): b"2", (5, 3): b"2", (6, 0): b"2"}
    named = b'<row r="2"><c r="B2" s="2"><v>1</v></c><c r="C2" s="1"><v>1</v></c></row>'
    assert styled_cells(named, {b"2"}) == {(2, 1): b"2"}


def test_number_formats_are_read_in_any_attribute_order_and_quoting():
    for numfmt in ('<numFmt numFmtId="164" formatCode="mmm yyyy"/>',
                   '<numFmt formatCode="mmm yyyy" numFmtId="164"/>',
                   "<numFmt numFmtId='164' formatCode='mmm yyyy'/>",
                   '<x:numFmt  formatCode = "mmm yyyy"\n numFmtId="164" />'):
        styles = (f'<styleSheet><numFmts count="1">{numfmt}</numFmts><cellXfs count="3">'
                  "<xf numFmtId='0'/><xf applyNumberFormat=\"1\" numFmtId=\"164\"/>"
                  '<xf numFmtId="17"/></cellXfs></styleSheet>').encode()
        assert style_meanings(styles) == {b"1": ("month", False), b"2": ("month", False)}, numfmt


# --- formula template rows and error cells in extra columns (red team rt-J) ----------------------

def _template_formulas(count: int, typed: str) -> str:
    """`count` rows from row 5 whose six cells hold a formula showing nothing: `typed` is ''
    (xlsxwriter: an empty <v> and no type, as a formula never calculated is also stored) or
    ' t="str"' (Excel: a formula returning "")."""
    return "".join(f'<row r="{r}">' + "".join(
        f'<c r="{col}{r}"{typed}><f>IF(Raw!A{r}="","",Raw!A{r})</f><v></v></c>' for col in "ABCDEF")
        + "</row>" for r in range(5, 5 + count))


def test_formula_rows_showing_nothing_are_template_rows_and_the_account_balances(tmp_path):
    from sarkit.account import account_for
    from sarkit.review import Review

    result = read_one(_book(tmp_path / "xw.xlsx", _rows() + _template_formulas(40, "")))
    assert entries(result) == DAY_ENTRIES
    assert found(result, "formula-cell", "template-rows") == [
        ("formula-cell", 5, "A5"), ("template-rows", 5, None)]
    [formula] = [f for f in result.findings if f.code == "formula-cell"]
    assert formula.severity == Severity.WARNING
    assert formula.message == (
        "240 cells of the unused template rows (rows 5-44) of the sheet Chronology hold formulas "
        "with no saved value, so they read as blank; the rows were taken as unused template rows.")
    assert not any(f.severity == Severity.ERROR for f in result.findings)
    assert (result.data_rows, result.rejected_rows) == (3, 0)
    account = account_for([result], Review(), entries=3)
    assert (account.unaccounted, account.unlisted, account.rejected) == (0, 0, [])


def test_formula_rows_excel_saved_as_empty_text_give_no_finding_per_cell(tmp_path):
    result = read_one(_book(tmp_path / "excel.xlsx", _rows() + _template_formulas(40, ' t="str"')))
    assert entries(result) == DAY_ENTRIES
    assert found(result, "formula-cell", "template-rows") == [("template-rows", 5, None)]
    assert [f.severity for f in result.findings].count(Severity.WARNING) == 0


def test_a_formula_with_no_saved_value_in_an_entry_is_still_an_error(tmp_path):
    row = ('<row r="5"><c r="A5" s="1"><v>45753</v></c><c r="C5" t="inlineStr"><is><t>Visit</t>'
           '</is></c><c r="D5"><f>Raw!A5</f></c></row>')
    result = read_one(_book(tmp_path / "e.xlsx", _rows() + row))
    assert [(f.code, f.cell, f.severity) for f in result.findings if f.code == "formula-cell"] == [
        ("formula-cell", "D5", Severity.ERROR)]


def test_an_error_cell_in_an_extra_column_is_named_not_blanked_in_silence(tmp_path):
    lookup = rows_xml([[*HEADER, "Lookup"]]) + "".join(
        rows_xml([["0" + str(r) + "/03/2025", "10:00", "Case notes", f"Visit {r}", "Advice", "PC 6"]],
                 first_row=r)[:-6] + f'<c r="G{r}" t="e"><f>VLOOKUP(C{r},Codes!A:B,2,FALSE)</f>'
        "<v>#N/A</v></c></row>" for r in (2, 3))
    result = read_one(_book(tmp_path / "lookup.xlsx", lookup))
    assert [e.extras for e in result.entries] == [{"Lookup": ""}, {"Lookup": ""}]
    errors = [(f.cell, f.severity, f.column, f.message) for f in result.findings if f.code == "cell-error"]
    assert errors == [
        (f"G{r}", Severity.WARNING, "Lookup", f"The cell G{r} (Lookup) of row {r} shows a spreadsheet "
         "error (#N/A) from a formula or lookup, not a value; it was read as blank.") for r in (2, 3)]
    assert not found(result, "formula-cell")
