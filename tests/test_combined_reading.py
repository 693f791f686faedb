"""Reading a combined workbook quickly: the date cells' formats in one quick pass with the
general expression kept for workbooks another program saved, and the entries sent from the
reader's process as columns."""

from __future__ import annotations

import datetime as dt
import pickle

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from sarkit.dates import PartialDate as D
from sarkit.errors import SarkitError
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS
from sarkit.intake import combined
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


def test_every_column_goes_to_its_own_field_of_the_entry() -> None:
    """entries_of builds entries with positional arguments: each column must land on its field."""
    import dataclasses

    from sarkit.intake.combined import EntryColumns

    names = [f.name for f in dataclasses.fields(EntryColumns)]
    columns = EntryColumns(**{name: [f"the {name}"] for name in names if name != "extras"})
    columns.extras = {"Risk": ["High"]}
    [entry] = entries_of(columns)
    for name in names:
        expected = {"extras": {"Risk": "High"}, "flags": ["the flags"]}.get(name, f"the {name}")
        assert getattr(entry, name) == expected, name


HEADER = [*CHRONOLOGY_COLUMNS, "End Date", "End Time", "Days Since Previous", "Risk", "Risk", "Note"]
DAYS = st.sampled_from([dt.date(2025, 5, 1), dt.datetime(2025, 5, 1), dt.datetime(2025, 5, 1, 9),
                        "22/05/2016", "May 2016", "?03/06/2025", "2016", 45000.0])
TIMES = st.sampled_from(["", None, "14:30", "?14:30", dt.time(9, 30), "9.30", 0.5])
CELLS = st.sampled_from(["", None, "Police", " Police ", "ASC", "Y", " n ", "N", "y", 1.0, 1, True,
                         7.0, "7", "x7", 2.5, "late; repeated", ";", dt.time(9, 30),
                         dt.datetime(2025, 5, 1), "C0001 "])
AT = combined._column_places(HEADER)
RARELY = st.sampled_from(["", None, "not a date", "25:99", "x"])  # stops, or a row left out


@st.composite
def sheets(draw):
    width = len(HEADER)
    body = []
    for _ in range(draw(st.integers(0, 6))):
        cells = draw(st.lists(CELLS, min_size=width, max_size=width))
        cells[1] = draw(DAYS)
        cells[2] = draw(TIMES)
        cells[15] = draw(TIMES)
        cells[14] = draw(st.one_of(DAYS, st.sampled_from(["", None])))
        if draw(st.integers(0, 12)) == 0:
            cells[draw(st.sampled_from([1, 2, 14, 15]))] = draw(RARELY)
        if draw(st.integers(0, 12)) == 0:
            cells = cells[: draw(st.integers(1, width))]  # a short row
        body.append(cells)
    return [HEADER, *body]


def read(function, rows, formats):
    try:
        return function(rows, {"Police": "Northshire Police"}, "c.xlsx", formats)
    except SarkitError as error:
        return (str(error), error.cell)


@settings(max_examples=300, deadline=None)
@given(sheets(), st.sampled_from([{}, {(2, 1): ("month", True), (3, 14): ("year", False)}]))
def test_reading_a_column_at_a_time_reads_what_reading_by_row_reads(rows, formats) -> None:
    layout = combined._Layout(width=len(HEADER), at=AT, extras=[(17, "Risk"), (18, "Risk"), (19, "Note")],
                              end_date=14, end_time=15)
    by_row = read(lambda *a: combined._by_row(*a, layout), rows, formats)
    assert read(lambda *a: combined._entries(*a, AT), rows, formats) == by_row
    body = rows[1:]
    if any(len(cells) < layout.width for cells in body):
        return  # _entries reads such a sheet by row, as checked above
    columns = list(zip(*body, strict=False)) if body else [()] * layout.width
    try:
        by_column = combined._by_column(columns, len(body), {"Police": "Northshire Police"}, "c.xlsx",
                                        formats, layout)
    except (SarkitError, ValueError):  # _entries then reads by row, as checked above
        return
    assert by_column == by_row


def test_a_sheet_with_every_date_is_read_a_column_at_a_time() -> None:
    rows = [HEADER, *([f"C{n}", dt.datetime(2025, 5, n), "14:30", "Police", "Log", "Visit", "", "",
                       "", "Y", "", "", "p.xlsx", 7.0, "", "", 3, "High", "", ""]
                      for n in range(1, 4))]
    layout = combined._Layout(width=len(HEADER), at=AT, extras=[(17, "Risk"), (18, "Risk"), (19, "Note")],
                              end_date=14, end_time=15)
    columns = combined._by_column(list(zip(*rows[1:], strict=True)), 3, {}, "c.xlsx", {}, layout)
    assert columns == combined._by_row(rows, {}, "c.xlsx", {}, layout)
    assert columns.row == [7, 7, 7] and columns.extras == {"Risk": ["High"] * 3, "Note": [""] * 3}
    assert [e.extras for e in combined.entries_of(columns)] == [{"Risk": "High"}] * 3
