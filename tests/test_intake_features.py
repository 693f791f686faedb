"""Workbook features reported with their cells, never run, copied or quoted."""

from __future__ import annotations

from pathlib import Path

from corpus import (
    HEADER,
    MAIN_NS,
    REL_NS,
    SECRET,
    Sheet,
    entries,
    ods_bytes,
    ods_content,
    rows_xml,
    sheet_xml,
    write_xlsx,
    xls_bytes,
)

from sarkit.findings import Severity
from sarkit.intake import read_workbook


def _codes(book) -> list[str]:
    return [f.code for f in book.findings]


def test_formulas_use_saved_values_and_flag_missing_ones(tmp_path: Path) -> None:
    data = rows_xml([HEADER, *entries(1)])[:-6] + (
        '<c r="G2"><f>1+1</f><v>2</v></c><c r="H2"><f>SECRET()</f></c></row>')
    path = write_xlsx(tmp_path / "f.xlsx", [Sheet("Chronology", sheet_xml(data))])
    book = read_workbook(path)
    sheet = book.sheets[0]
    assert sheet.formulas == {(2, 6), (2, 7)}
    assert sheet.formulas_without_value == {(2, 7)}
    found = {(f.cell, f.severity) for f in book.findings if f.code == "formula-cell"}
    assert found == {("G2", Severity.WARNING), ("H2", Severity.ERROR)}
    assert all(f.sheet == "Chronology" and f.row == 2 for f in book.findings)


def test_many_formula_cells_are_summarised(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><f>ROW()</f><v>{r}</v></c></row>' for r in range(1, 101))
    book = read_workbook(write_xlsx(tmp_path / "f.xlsx", [Sheet("S", sheet_xml(rows))]))
    formula = [f for f in book.findings if f.code == "formula-cell"]
    assert len(formula) == 21
    assert formula[-1].message.startswith("80 more cells of this sheet hold formulas")
    assert formula[-1].cell is None


def test_comments_hidden_rows_and_filters_name_their_cells(tmp_path: Path) -> None:
    sheet = Sheet("Chronology", sheet_xml(
        rows_xml([HEADER, *entries(3)], hidden={3, 4}) + '<row r="9" hidden="1"/>',
        after='<autoFilter ref="A1:F4"><filterColumn colId="0"/></autoFilter>'),
        rels=[(f"{REL_NS}/comments", "../comments1.xml", "")])
    comments = (f'<comments xmlns="{MAIN_NS}"><commentList><comment ref="C3"><text><t>{SECRET}</t>'
                '</text></comment><comment ref="D4"><text><t> </t></text></comment></commentList>'
                "</comments>")
    book = read_workbook(write_xlsx(tmp_path / "c.xlsx", [sheet], extra={"xl/comments1.xml": comments}))
    assert book.sheets[0].hidden_rows == {3, 4}  # row 9 is hidden but empty
    by_code = {}
    for f in book.findings:
        by_code.setdefault(f.code, []).append(f)
    [comment] = by_code["cell-comment"]
    assert comment.cell == "C3" and SECRET not in comment.message
    hidden, filtered = by_code["hidden-row"]
    assert hidden.message == ("Rows 3 to 4 of the sheet Chronology are hidden; they were read like "
                              "every other row.")
    assert filtered.cell == "A1" and "filter on A1:F4" in filtered.message


def test_macros_and_links(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsm", [Sheet("S", sheet_xml(rows_xml([HEADER])))],
                      extra={"xl/vbaProject.bin": b"vba", "xl/externalLinks/externalLink1.xml": "<a/>",
                             "xl/externalLinks/externalLink2.xml": "<a/>"})
    book = read_workbook(path)
    assert book.format == "xlsm"
    assert _codes(book) == ["macros-present", "external-link"]
    assert book.findings[1].message.startswith("The workbook links to 2 other files")
    xls = tmp_path / "m.xls"
    xls.write_bytes(xls_bytes([HEADER], vba=True))
    assert _codes(read_workbook(xls)) == ["macros-present"]


def test_ods_formulas_and_comments(tmp_path: Path) -> None:
    content = ods_content(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Date</text:p>'
        '<office:annotation><text:p>note</text:p></office:annotation></table:table-cell>'
        '<table:table-cell table:formula="of:=1+1" office:value-type="float" office:value="2">'
        "<text:p>2</text:p></table:table-cell></table:table-row>")
    path = tmp_path / "f.ods"
    path.write_bytes(ods_bytes(content))
    book = read_workbook(path)
    assert sorted((f.code, f.cell) for f in book.findings) == [("cell-comment", "A1"), ("formula-cell", "B1")]
