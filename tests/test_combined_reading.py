"""Reading a combined workbook quickly: the date cells' formats in one quick pass with the
general expression kept for workbooks another program saved, and the entries sent from the
reader's process as columns."""

from __future__ import annotations

import datetime as dt
import pickle

import openpyxl

from sarkit.dates import PartialDate as D
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS
from sarkit.intake.combined import (
    _styled_cells,
    entries_of,
    read_combined_columns,
    read_combined_workbook,
)


def test_cells_as_xlsxwriter_writes_them_are_found_in_the_quick_pass() -> None:
    xml = (b'<row r="2"><c r="A2" s="2" t="inlineStr"><is><t>C1</t></is></c><c r="B2" s="3">'
           b'<v>44197</v></c><c r="AB2" s="5"><v>1</v></c><c r="Q2" s="4"><v>2</v></c></row>'
           b'<row r="3"><c r="B3" s="6"><v>44198</v></c></row>')
    assert _styled_cells(xml, [b"B", b"Q"]) == [(b"B", b"2", b"3"), (b"B", b"3", b"6"),
                                                (b"Q", b"2", b"4")]


def test_cells_written_otherwise_are_read_with_the_general_expression() -> None:
    xml = (b'<x:c r="B2" s="3"><x:v>44197</x:v></x:c><c t="n" s="4" r="B3"><v>1</v></c>'
           b'<c r="B4"><v>44199</v></c><c r="B5" s="7"><v>1</v></c>')
    assert _styled_cells(xml, [b"B"]) == [(b"B", b"2", b"3"), (b"B", b"3", b"4"),
                                          (b"B", b"5", b"7")]
    # one cell of the second column written otherwise: every cell read the general way, in order
    xml = b'<c r="B2" s="3"/><c r="Q2" s="4"/><c s="5" r="Q3"/><c r="B3" s="6"/>'
    assert _styled_cells(xml, [b"B", b"Q"]) == [(b"B", b"2", b"3"), (b"Q", b"2", b"4"),
                                                (b"Q", b"3", b"5"), (b"B", b"3", b"6")]


def chronology(path, rows, formats):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append([*CHRONOLOGY_COLUMNS, "End Date", "Risk"])
    for number, (values, number_format) in enumerate(zip(rows, formats, strict=True), start=2):
        sheet.append(values)
        sheet.cell(number, 2).number_format = number_format
        sheet.cell(number, 15).number_format = number_format
    book.create_sheet("About").append(["Item", "Value"])
    book.save(path)


def row(ref, day, end="", risk=""):
    return [ref, day, "", "Police", "Log", "Patrols", "", "", "", "Y", "late; repeated", "", "p.xlsx",
            7, end, risk]


def test_date_cells_read_as_their_formats_show(tmp_path) -> None:
    path = tmp_path / "combined.xlsx"
    chronology(path, [row("C1", dt.datetime(2025, 5, 1), dt.datetime(2025, 6, 1), "High"),
                      row("C2", dt.datetime(2025, 6, 3)), row("C3", dt.datetime(2025, 1, 1)),
                      row("C4", dt.datetime(2025, 6, 4), dt.datetime(2025, 6, 9))],
               ["mmmm yyyy", '"?"dd/mm/yyyy', "yyyy", "dd/mm/yyyy"])
    entries, _ = read_combined_workbook(path)
    assert [(e.ref, e.date, e.end_date, e.extras, e.flags) for e in entries] == [
        ("C1", D(2025, 5), D(2025, 6), {"Risk": "High"}, ["late", "repeated"]),
        ("C2", D(2025, 6, 3, True), None, {}, ["late", "repeated"]),
        ("C3", D(2025), None, {}, ["late", "repeated"]),
        ("C4", D(2025, 6, 4), D(2025, 6, 9), {}, ["late", "repeated"]),
    ]


def test_columns_make_the_entries_and_each_entry_has_its_own_lists(tmp_path) -> None:
    path = tmp_path / "combined.xlsx"
    chronology(path, [row("C1", dt.datetime(2025, 5, 1), "", "High"),
                      row("C2", dt.datetime(2025, 5, 1))], ["dd/mm/yyyy", "dd/mm/yyyy"])
    columns, about = read_combined_columns(path)
    sent = pickle.loads(pickle.dumps(columns))
    first, second = entries_of(sent)
    assert (first.agency, first.date, first.key_event, first.row, first.order, first.sheet) == (
        "Police", D(2025, 5, 1), True, 7, 0, "")
    assert first.date is second.date  # one object for a date the sheet repeats
    first.flags.append("x")
    first.extras["Risk"] = "Low"
    assert second.flags == ["late", "repeated"] and second.extras == {}
    assert entries_of(sent)[0].extras == {"Risk": "High"}
    assert about["returned"] == ["Police"]
