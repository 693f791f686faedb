"""Issue 10, the row part: dividers, template filler, the end of the table and wrapped lines are
read as a person reads them, in every format a return arrives in."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from conftest import HEADER, TODAY, row
from hypothesis import given, settings
from hypothesis import strategies as st

from sarkit.collate import collate
from sarkit.dates import Precision, format_time
from sarkit.raw_tables import RawSheet, RawWorkbook
from sarkit.returns import ReadOptions, read_returns, validate_workbook
from sarkit.review import load_review

WIDTH = len(HEADER)
BLANK = [None] * WIDTH


def divider(value: object) -> list[object]:
    """A divider as typed: the value in the first cell (merged across when the writer merges)."""
    return [value] + [None] * (WIDTH - 1)


def write_xlsx(path: Path, rows: list[list[object]], merged_rows: tuple[int, ...] = (),
               header: list[str] = HEADER) -> Path:
    """An .xlsx with `header` in row 1 and each row of `merged_rows` merged across the table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    for cells in (header, *rows):
        sheet.append(list(cells))
    for number in merged_rows:
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(header))
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        for cells in (header, *rows):
            writer.writerow(["" if v is None else v for v in cells])
    return path


def write_docx(path: Path, rows: list[list[object]], merged_rows: tuple[int, ...] = (),
               header: list[str] = HEADER) -> Path:
    """A Word return: 'Agency:' paragraph and one table; `merged_rows` merged with cell.merge."""
    from docx import Document

    document = Document()
    document.add_paragraph("Agency: Testshire Police")
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for r, cells in enumerate((header, *rows)):
        if r + 1 in merged_rows:
            merged = table.cell(r, 0).merge(table.cell(r, len(header) - 1))
            merged.text = str(cells[0])
            continue
        for c, value in enumerate(cells):
            if value is not None:
                table.cell(r, c).text = str(value)
    document.save(path)
    return path


def convert(path: Path, target: str, tmp_path: Path) -> Path:
    """The same workbook saved by LibreOffice as .ods or .xls."""
    out = tmp_path / "converted"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", target, "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    return out / f"{path.stem}.{target}"


def read_one(path: Path, **options: object):
    options.setdefault("agency", "Police")
    options.setdefault("today", TODAY)
    [result] = read_returns([path], ReadOptions(**options))  # type: ignore[arg-type]
    return result


def found(result, *codes: str) -> list[tuple[str, int | None, str | None]]:
    """(code, row, cell) of the findings, all of them or those of `codes`."""
    return [(f.code, f.row, f.cell) for f in result.findings if not codes or f.code in codes]


def entries(result) -> list[tuple[str, str | None, str, str]]:
    return [(e.date.display(), e.time.strftime("%H:%M") if e.time else None, e.event, e.action)
            for e in result.entries]


def conserved(result, input_rows: int) -> None:
    """Every non-blank row under the header is an entry, a rejected row or an info finding."""
    shapes = {"divider-row": 0, "continuation-row": 0, "instruction-row": 0, "page-text": 0,
              "repeated-header": 0, "second-table": 0, "total-row": 0}
    for f in result.findings:
        if f.code in shapes:
            shapes[f.code] += 1
    listed = sum(_listed(f.message) for f in result.findings
                 if f.code in {"template-rows", "text-after-table"})
    assert result.data_rows == len(result.entries) + result.rejected_rows
    assert result.data_rows + sum(shapes.values()) + listed == input_rows


def _listed(message: str) -> int:
    return len(listed_rows(message))


def listed_rows(message: str) -> set[int]:
    """The rows a template-rows or text-after-table message lists ('rows 4-9 and 11-14')."""
    spans = re.search(r"rows? ([\d, and-]+?)(?: under| \(|\))", message)
    assert spans, message
    rows: set[int] = set()
    for part in re.split(r", | and ", spans.group(1)):
        a, _, b = part.partition("-")
        rows |= set(range(int(a), int(b or a) + 1))
    return rows


def non_blank(rows: list[list[object]]) -> int:
    return sum(1 for cells in rows if any(v not in (None, "") for v in cells))


# ---- the worst case: year dividers merged across the table ---------------------------

YEARS = [
    divider(2024),
    row(day="05/02/2024", event="Welfare check"),
    row(day="20/03/2024", event="Arrest for theft"),
    divider(2025),
    row(day="14/01/2025", event="Concern for welfare"),
    row(day="28/02/2025", event="Missing person report"),
]
YEAR_ENTRIES = [
    ("05/02/2024", "10:00", "Welfare check", "Referred to ASC"),
    ("20/03/2024", "10:00", "Arrest for theft", "Referred to ASC"),
    ("14/01/2025", "10:00", "Concern for welfare", "Referred to ASC"),
    ("28/02/2025", "10:00", "Missing person report", "Referred to ASC"),
]


def year_return(kind: str, tmp_path: Path) -> Path:
    if kind == "csv":
        return write_csv(tmp_path / "police.csv", YEARS)
    if kind == "csv-repeated":  # a merged range filled in every cell by whatever exported it
        rows = [[c[0]] * WIDTH if c[1] is None else c for c in YEARS]
        return write_csv(tmp_path / "police.csv", rows)
    if kind == "docx":
        return write_docx(tmp_path / "police.docx", YEARS, merged_rows=(2, 5))
    return write_xlsx(tmp_path / "police.xlsx", YEARS, merged_rows=(2, 5))


@pytest.mark.parametrize("kind", ["xlsx", "csv", "csv-repeated", "docx"])
def test_year_dividers_are_not_entries(tmp_path, kind):
    result = read_one(year_return(kind, tmp_path))
    assert entries(result) == YEAR_ENTRIES
    cells = (None, None) if kind == "docx" else ("A2", "A5")
    assert found(result) == [("divider-row", 2, cells[0]), ("divider-row", 5, cells[1])]
    assert result.findings[0].message == (
        "Row 2 is a divider (a year), not an entry; it was skipped, and it gives no date to the "
        "rows under it.")
    assert (result.data_rows, result.rejected_rows, result.nil) == (4, 0, False)
    conserved(result, non_blank(YEARS))


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("target", ["ods", "xls"])
def test_year_dividers_in_libreoffice_formats(tmp_path, target):
    path = convert(year_return("xlsx", tmp_path), target, tmp_path)
    result = read_one(path)
    assert entries(result) == YEAR_ENTRIES
    assert found(result) == [("divider-row", 2, "A2"), ("divider-row", 5, "A5")]
    assert (result.data_rows, result.rejected_rows) == (4, 0)


def test_year_dividers_leave_the_real_gaps_to_the_analysis(tmp_path, review_file):
    review = load_review(review_file)
    result = read_one(year_return("xlsx", tmp_path), review=review)
    collation = collate([result], review)
    gaps = [(g.start, g.end, g.days) for g in collation.analysis.gaps if g.kind == "all-agency"]
    assert gaps == [(dt.date(2025, 1, 15), dt.date(2025, 2, 27), 44),
                    (dt.date(2025, 3, 1), dt.date(2025, 12, 31), 306)]
    assert all(e.time != dt.time(20, 24) for e in collation.entries)
    assert {e.date.precision for e in collation.entries} == {Precision.DAY}


# ---- dividers of every kind ------------------------------------------------------------------

def test_month_and_heading_dividers_typed_in_the_first_cell(tmp_path):
    rows = [
        divider("March 2025"),
        row(day="03/03/2025"),
        divider("Contacts after discharge"),
        row(day="12/03/2025", event="Discharge follow-up"),
        divider("03/04/2025"),  # a full date alone is a half-filled entry, not a divider
    ]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    assert found(result) == [
        ("divider-row", 2, "A2"), ("divider-row", 4, "A4"),
        ("source-missing", 6, "C6"), ("event-missing", 6, "D6"), ("action-missing", 6, "E6"),
        ("practitioner-missing", 6, "F6"),
    ]
    assert [f.message for f in result.findings[:2]] == [
        "Row 2 is a divider (a month), not an entry; it was skipped, and it gives no date to "
        "the rows under it.",
        "Row 4 is a divider (a heading), not an entry; it was skipped, and it gives no date to "
        "the rows under it.",
    ]
    assert [e.date.display() for e in result.entries] == ["03/03/2025", "12/03/2025"]
    assert (result.data_rows, result.rejected_rows) == (3, 1)
    conserved(result, non_blank(rows))


def test_a_divider_value_is_shown_only_with_show_values(tmp_path):
    path = write_xlsx(tmp_path / "police.xlsx", [divider("Contacts after discharge"), row()],
                      merged_rows=(2,))
    assert "Contacts" not in read_one(path).findings[0].message
    assert read_one(path, show_values=True).findings[0].message.startswith(
        'Row 2 is a divider (a heading: "Contacts after discharge"), not an entry')


def test_an_event_of_markup_only_is_no_event(tmp_path):
    """What a case system's export leaves of an empty note ('&nbsp;', '<p></p>') is no event:
    the row gets event-missing, as a blank Event does; markup among words is read as the text it
    shows (tests/test_markup_text.py)."""
    rows = [row(day="03/03/2025", event="&nbsp;"), row(day="04/03/2025", event="<p></p><br/>"),
            row(day="05/03/2025", event="Home visit<br>Adult Z and daughter present")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows))
    assert [e.event for e in result.entries] == ["Home visit\nAdult Z and daughter present"]
    assert found(result, "event-missing") == [("event-missing", 2, "D2"), ("event-missing", 3, "D3")]
    assert result.findings[0].message == (
        "Row 2 has no Event / Contact Details (only markup such as '<br>' or '&nbsp;' left by a "
        "case system's export).")


def test_a_divider_merged_over_two_rows_fills_nothing_and_data_merges_still_fill(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for cells in (HEADER, divider(2025), BLANK, row(), row(day=None, event="Second visit")):
        sheet.append(list(cells))
    sheet.merge_cells("A2:F3")  # the divider, two rows high
    sheet.merge_cells("A4:A5")  # one date for two entries: still filled down
    book.save(tmp_path / "police.xlsx")
    result = read_one(tmp_path / "police.xlsx")
    assert found(result) == [("merged-cells", 4, "A4"), ("divider-row", 2, "A2")]
    assert entries(result) == [("03/03/2025", "10:00", "Home visit", "Referred to ASC"),
                               ("03/03/2025", "10:00", "Second visit", "Referred to ASC")]


def test_two_different_values_in_a_row_are_data_not_a_divider(tmp_path):
    rows = [["2024", None, "Case notes"] + [None] * (WIDTH - 3)]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    assert found(result) == [("event-missing", 2, "D2"), ("action-missing", 2, "E2"),
                             ("practitioner-missing", 2, "F2")]
    assert result.rejected_rows == 1


def test_a_return_of_dividers_only_is_a_nil_return(tmp_path):
    rows = [divider(2024), divider(2025)]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows, merged_rows=(2, 3)))
    assert found(result) == [("divider-row", 2, "A2"), ("divider-row", 3, "A3"),
                             ("nil-return", 1, None)]
    assert (result.nil, result.data_rows, result.entries) == (True, 0, [])


# ---- template filler rows --------------------------------------------------------------------

FILLED_HEADER = ["Ref", *HEADER, "Key Event (Y/N)", "Days Since Previous"]


def write_template(path: Path, rows: list[list[object]]) -> Path:
    """A numbered template made with xlsxwriter; a value starting with '=' is written as a formula
    with the saved result 0, as Excel saves an unused row's formula."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Chronology")
    sheet.write_row(0, 0, FILLED_HEADER)
    for r, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells):
            if isinstance(value, str) and value.startswith("="):
                sheet.write_formula(r, c, value, None, 0)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


def test_unused_template_rows_are_one_info_finding(tmp_path):
    rows = [[1, *row(), "Y", None], [2, *row(day="04/03/2025"), "N", 1]]
    rows += [[n, None, None, None, None, None, None, "N", "=IF(B{n}=\"\",0,1)"] for n in range(3, 9)]
    rows += [[9, None, None, None, "Phoned the GP", None, None, "N"]]  # a genuine half-filled row
    rows += [[n, None, "  ", None, None, None, None, "N"] for n in range(10, 13)]
    rows += [[13, None, None, None, None, None, None, "Choose an item."]]
    result = read_one(write_template(tmp_path / "police.xlsx", rows))
    assert found(result, "template-rows", "date-missing", "source-missing") == [
        ("date-missing", 10, "B10"), ("source-missing", 10, "D10"), ("template-rows", 4, None),
    ]
    [template] = [f for f in result.findings if f.code == "template-rows"]
    assert template.message == (
        "10 unused template rows (rows 4-9 and 11-14) hold only a row number, a formula result, "
        "a default value or a placeholder such as 'n/a' or '-'; they are skipped, not read as entries.")
    assert [e.date.display() for e in result.entries] == ["03/03/2025", "04/03/2025"]
    assert found(result, "formula-cell") == []  # the formulas of unused rows are not reported
    assert (result.data_rows, result.rejected_rows) == (3, 1)
    conserved(result, non_blank(rows))


def test_formula_results_without_a_row_number_are_filler(tmp_path):
    rows = [[None, *row(), "N", 0]] + [[None, None, None, None, None, None, None, None, "=1-1"]] * 3
    result = read_one(write_template(tmp_path / "police.xlsx", rows))
    assert found(result, "template-rows") == [("template-rows", 3, None)]
    assert "3 unused template rows (rows 3-5)" in result.findings[-1].message
    assert len(result.entries) == 1


def test_a_template_never_filled_in_is_a_nil_return(tmp_path):
    rows = [[n, None, None, None, None, None, None, "N"] for n in range(1, 21)]
    result = read_one(write_template(tmp_path / "gp.xlsx", rows))
    assert found(result, "template-rows", "nil-return") == [("template-rows", 2, None),
                                                            ("nil-return", 1, None)]
    assert result.nil


# ---- the end of the table --------------------------------------------------------------------

def test_end_line_sign_off_and_totals_end_the_table(tmp_path):
    rows = [
        row(day="03/03/2025"),
        row(day="04/03/2025", event="Phone call"),
        BLANK,
        divider("END OF CHRONOLOGY"),
        ["Signed:", "J Example", "Date:", "04/04/2025", None, None],
        ["Author: DS Example", None, None, None, None, None],
        divider("Total contacts: 2"),
        BLANK,
        row(day="20/03/2025", event="Late entry after the end line"),  # dated: still an entry
        [None, None, "Case notes", "Dateless entry", "Advice", "PC"],  # ambiguous: an error
    ]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert found(result) == [("date-missing", 11, "A11"), ("text-after-table", 5, "A5")]
    assert result.findings[-1].message == (
        "The chronology table ends before row 5: rows 5-8 under it (a sign-off, a total, a key "
        "or notes) are not read as entries.")
    assert [e.event for e in result.entries] == ["Home visit", "Phone call",
                                                 "Late entry after the end line"]
    assert (result.data_rows, result.rejected_rows) == (4, 1)
    conserved(result, non_blank(rows))


def test_notes_after_blank_rows_end_the_table(tmp_path):
    rows = [
        row(day="03/03/2025"),
        BLANK,
        BLANK,
        divider("Notes: records before 2020 were not searched."),
        [None, None, None, "The author was on leave in April."] + [None] * (WIDTH - 4),
    ]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    assert found(result) == [("text-after-table", 5, "A5")]
    assert "rows 5-6 under it" in result.findings[0].message
    assert len(result.entries) == 1
    conserved(result, non_blank(rows))


def test_an_entry_after_one_stray_blank_row_is_kept(tmp_path):
    rows = [row(day="03/03/2025"), BLANK, row(day="05/03/2025", event="Phone call after a gap")]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    assert found(result) == []
    assert [e.event for e in result.entries] == ["Home visit", "Phone call after a gap"]


def test_a_note_followed_by_entries_is_not_the_end(tmp_path):
    rows = [row(day="03/03/2025"), BLANK, ["Note: see below", None, None, "x", None, None],
            row(day="05/03/2025", event="Later visit")]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    assert found(result, "text-after-table") == []
    assert ("date-invalid", 4, "A4") in found(result)
    assert [e.event for e in result.entries] == ["Home visit", "Later visit"]


# ---- continuation rows -----------------------------------------------------------------------

def test_wrapped_lines_join_the_entry_above(tmp_path):
    rows = [
        row(day="03/03/2025", event="Home visit; Adult T was not at home", action="Card left"),
        [None, None, None, "and a neighbour said he had not been seen for a week.", None, None],
        [None, None, None, None, "Welfare check requested", None],
        row(day="04/03/2025", event="Phone call"),
        [None, None, "GP record", "Phoned the surgery", None, None],  # its own source: an error
        [None, None, None, "A wrapped line under a rejected row", None, None],
    ]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    assert found(result) == [
        ("continuation-row", 3, "D3"), ("continuation-row", 4, "E4"),
        ("date-missing", 6, "A6"), ("action-missing", 6, "E6"), ("practitioner-missing", 6, "F6"),
        ("date-missing", 7, "A7"), ("source-missing", 7, "C7"), ("action-missing", 7, "E7"),
        ("practitioner-missing", 7, "F7"),
    ]
    assert result.findings[0].message == (
        "Row 3 has no date and no source, only more Event / Contact Details: it continues the "
        "entry in row 2, and its text was added to that entry.")
    assert entries(result) == [
        ("03/03/2025", "10:00",
         "Home visit; Adult T was not at home\nand a neighbour said he had not been seen for a week.",
         "Card left\nWelfare check requested"),
        ("04/03/2025", "10:00", "Phone call", "Referred to ASC"),
    ]
    assert (result.data_rows, result.rejected_rows) == (4, 2)
    conserved(result, non_blank(rows))


# ---- Word: the same shapes in a table --------------------------------------------------------

def test_word_table_with_every_shape(tmp_path):
    rows = [
        divider("2025"),
        row(day="03/03/2025", event="Home visit"),
        [None, None, None, "Adult T declined support.", None, None],
        divider("Contacts after discharge"),
        row(day="12/03/2025", event="Phone call"),
        BLANK,
        divider("End of chronology"),
        divider("Completed by: DS Example, 04/04/2025"),
    ]
    path = write_docx(tmp_path / "police.docx", rows, merged_rows=(2, 5))
    result = read_one(path)
    assert found(result) == [
        ("divider-row", 2, None), ("continuation-row", 4, None), ("divider-row", 5, None),
        ("text-after-table", 8, None),
    ]
    assert result.findings[-1].message.startswith("The chronology table ends before row 8: rows 8-9")
    assert entries(result) == [
        ("03/03/2025", "10:00", "Home visit\nAdult T declined support.", "Referred to ASC"),
        ("12/03/2025", "10:00", "Phone call", "Referred to ASC"),
    ]
    conserved(result, non_blank(rows))


# ---- what stays as today: ambiguous rows are errors with their cells ---------------------------

@pytest.mark.parametrize("text", [
    "03/03/2025 Home visit by PC Example",  # a whole entry squeezed into the date cell
    "Adult T was seen at home and refused to let officers in.",  # a sentence, not a heading
])
def test_a_lone_first_cell_that_is_not_a_divider_stays_an_error(tmp_path, text):
    result = read_one(write_csv(tmp_path / "police.csv", [row(), divider(text)]))
    assert found(result, "divider-row", "date-invalid", "source-missing") == [
        ("date-invalid", 3, "A3"), ("source-missing", 3, "C3")]
    assert (result.data_rows, result.rejected_rows) == (2, 1)


def test_an_end_word_outside_the_first_column_is_not_an_end_line(tmp_path):
    rows = [row(), BLANK, [None, None, "Total Care Ltd", "Care call", "Seen", "Carer"]]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    assert found(result) == [("date-missing", 4, "A4")]
    assert result.rejected_rows == 1


# ---- the second example review: examples/messy-review ----------------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "messy-review"


def test_the_messy_example_review_reads_every_shape():
    review = load_review(EXAMPLE / "review.toml")
    results = read_returns([EXAMPLE / "returns"], ReadOptions(review=review, today=TODAY))
    by_file = {Path(r.path).name: r for r in results}
    assert {name: found(r) for name, r in by_file.items()} == {
        "asc-chronology.csv": [
            ("divider-row", 2, "A2"), ("continuation-row", 5, "D5"), ("continuation-row", 7, "E7"),
            ("divider-row", 8, "A8"), ("continuation-row", 12, "D12"),
            ("text-after-table", 15, "A15")],
        "gp-chronology.xlsx": [
            ("date-missing", 6, "B6"), ("source-missing", 6, "D6"), ("action-missing", 6, "F6"),
            ("practitioner-missing", 6, "G6"), ("template-rows", 9, None),
            ("text-after-table", 33, "A33")],
        "housing-chronology.xlsx": [
            ("divider-row", 4, "A4"), ("divider-row", 7, "A7"), ("divider-row", 10, "A10")],
        "police-chronology.docx": [
            ("divider-row", 2, None), ("divider-row", 5, None), ("divider-row", 7, None),
            ("text-after-table", 11, None)],
        "mental-health-chronology.xlsx": [("two-row-header", 2, None), ("date-range-split", 4, "A4")],
    }
    assert {name: (len(r.entries), r.rejected_rows, r.data_rows) for name, r in by_file.items()} == {
        "asc-chronology.csv": (7, 0, 7), "gp-chronology.xlsx": (6, 1, 7),
        "housing-chronology.xlsx": (6, 0, 6), "police-chronology.docx": (5, 0, 5),
        "mental-health-chronology.xlsx": (3, 0, 3),
    }
    stay = by_file["mental-health-chronology.xlsx"].entries[1]
    assert (stay.date.display(), stay.end_date.display()) == ("12/02/2025", "26/02/2025")
    assert format_time(by_file["mental-health-chronology.xlsx"].entries[0].time) == "?14:30"
    asc = by_file["asc-chronology.csv"].entries
    assert asc[1].event == ("Carers assessment requested by Adult M's daughter,\n"
                            "who lives 80 miles away and visits monthly.")
    assert asc[2].action == "Eligible needs found; care package offered,\ndeclined by Adult M."
    collation = collate(results, review)
    assert len(collation.entries) == 27
    assert {e.date.precision for e in collation.entries} == {Precision.DAY}
    gaps = [(g.start, g.end, g.days) for g in collation.analysis.gaps if g.kind == "all-agency"]
    assert gaps == [(dt.date(2024, 9, 30), dt.date(2024, 11, 10), 42),
                    (dt.date(2025, 3, 21), dt.date(2025, 5, 11), 52)]


def test_dividers_beside_a_row_number_in_the_date_column_and_as_a_date_cell(tmp_path):
    header = ["Ref", *HEADER]
    book = openpyxl.Workbook()
    sheet = book.active
    for cells in (header, [1, "2024", None, None, None, None, None],  # year typed under Date
                  [2, *row(day="05/02/2024")],
                  [3, "2025", "2025", "2025", "2025", "2025", "2025"],  # repeated beside a Ref
                  [4, *row(day="14/01/2025")],
                  [None, dt.datetime(2025, 3, 1)],  # 'March 2025' that Excel made a date cell
                  [5, *row(day="03/03/2025")]):
        sheet.append(list(cells))
    sheet.merge_cells("B6:G6")
    book.save(tmp_path / "police.xlsx")
    result = read_one(tmp_path / "police.xlsx")
    assert found(result) == [("divider-row", 2, "B2"), ("divider-row", 4, "B4"),
                             ("divider-row", 6, "B6")]
    assert [f.message.split(",")[0] for f in result.findings] == [
        "Row 2 is a divider (a year)", "Row 4 is a divider (a year)", "Row 6 is a divider (a date)"]
    assert [e.date.display() for e in result.entries] == ["05/02/2024", "14/01/2025", "03/03/2025"]
    assert (result.data_rows, result.rejected_rows) == (3, 0)


def test_a_glossary_under_the_end_line_is_not_read_but_a_mistyped_late_entry_is(tmp_path):
    rows = [
        row(day="03/03/2025"),
        BLANK,
        divider("Glossary"),
        ["GP", "General Practitioner", None, None, None, None],
        ["ASC", "Adult Social Care", None, None, None, None],
        row(day="31/02/2025", event="Late entry with a mistyped date"),
    ]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert found(result) == [("date-invalid", 7, "A7"), ("text-after-table", 4, "A4")]
    assert "rows 4-6 under it" in result.findings[-1].message
    assert (len(result.entries), result.data_rows, result.rejected_rows) == (1, 2, 1)
    conserved(result, non_blank(rows))


# ---- no row is lost, whatever the mix of shapes ----------------------------------------------

SHAPES = [
    row(day="03/03/2025"), row(day="04/03/2025", event="Phone call"), BLANK, divider(2025),
    divider("March 2025"), divider("Contacts after discharge"), divider("END OF CHRONOLOGY"),
    divider("Total contacts: 4"), ["Signed:", "J Example", "Date:", "04/04/2025", None, None],
    [None, None, None, "a wrapped line", None, None], [None, None, None, None, "more action", None],
    [None, None, "GP record", "Dateless entry", None, None], divider("03/03/2025"),
    ["2025"] * WIDTH, ["GP", "General Practitioner", None, None, None, None],
    row(day="31/02/2025"), [" ", None, "  ", None, None, None],
    list(HEADER), ["-----", "---", "-----", "----------", "--", "---"],
    [None, None, None, "Page 2 of 3", None, None], [None, None, None, None, "continued overleaf", None],
    ["01/04/2025", None, "Completed by", "DS B Example", None, None],
    [None, None, None, "No further entries", None, None], divider("--- 2025 ---"),
    ["Total attendances", None, None, "5", None, None], divider("Total 2024: 14"),
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(range(len(SHAPES))), max_size=25))
def test_every_row_is_an_entry_or_in_the_findings(picks):
    rows = [list(SHAPES[i]) for i in picks]
    book = RawWorkbook(path="police.csv", format="text",
                       sheets=[RawSheet(name="CSV", rows=[list(HEADER), *rows])])
    result = validate_workbook(book, ReadOptions(agency="Police", today=TODAY))
    named = {f.row for f in result.findings if f.row}
    for f in result.findings:
        if f.code in {"template-rows", "text-after-table"}:
            named |= listed_rows(f.message)
    entry_rows = {e.row for e in result.entries}
    for number, cells in enumerate(rows, start=2):
        if any(str(v or "").strip() for v in cells):
            assert number in entry_rows or number in named, (number, cells)
    conserved(result, sum(1 for cells in rows if any(str(v or "").strip() for v in cells)))
    assert all(e.date.precision == Precision.DAY for e in result.entries)




def test_a_period_merged_across_is_a_divider_but_an_entry_squeezed_across_is_not(tmp_path):
    rows = [divider("01/01/2025 - 31/03/2025"), row(day="03/03/2025"),
            divider("05/03/2025 Home visit by PC Example")]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows, merged_rows=(2, 4)))
    assert found(result, "divider-row", "date-invalid", "merged-across") == [
        ("merged-across", 4, "A4"), ("divider-row", 2, "A2"), ("date-invalid", 4, "A4")]
    assert result.findings[1].message.startswith("Row 2 is a divider (a period), not an entry")
    assert (len(result.entries), result.rejected_rows) == (1, 1)


def test_under_a_total_an_entry_with_unknown_date_stays_an_error(tmp_path):
    rows = [row(day="03/03/2025"), divider("Total contacts: 1"),
            row(day="Unknown", event="Call from a neighbour")]
    result = read_one(write_csv(tmp_path / "police.csv", rows))
    assert found(result) == [("date-invalid", 4, "A4"), ("text-after-table", 3, "A3")]
    assert result.rejected_rows == 1


# ---- every shape in one return, in every format ----------------------------------------------

EVERY_HEADER = ["Ref", *HEADER, "Key Event (Y/N)"]
EVERY = [
    ["2025", None, None, None, None, None, None, None],  # row 2: merged across in xlsx and docx
    [1, *row(day="03/03/2025", event="Home visit"), "Y"],
    [None, None, None, None, "Adult T was not at home.", None, None, None],
    [2, "Contacts after discharge", None, None, None, None, None, None],
    [3, *row(day="12/03/2025", event="Phone call"), "N"],
    [4, None, None, None, "Event with no date", None, None, "N"],
    [5, None, None, None, None, None, None, "N"],
    [6, None, None, None, None, None, None, "N"],
    [None] * 8,
    ["Signed:", "DS Example", None, None, None, None, None, None],
]
EVERY_ENTRIES = [
    ("03/03/2025", "10:00", "Home visit\nAdult T was not at home.", "Referred to ASC"),
    ("12/03/2025", "10:00", "Phone call", "Referred to ASC"),
]


def every_shape(kind: str, tmp_path: Path) -> Path:
    if kind == "csv":
        return write_csv(tmp_path / "police.csv", EVERY, header=EVERY_HEADER)
    if kind == "docx":
        return write_docx(tmp_path / "police.docx", EVERY, merged_rows=(2,), header=EVERY_HEADER)
    path = write_xlsx(tmp_path / "police.xlsx", EVERY, merged_rows=(2,), header=EVERY_HEADER)
    return path if kind == "xlsx" else convert(path, kind, tmp_path)


FORMATS = ["xlsx", "csv", "docx",
           pytest.param("ods", marks=[pytest.mark.libreoffice, pytest.mark.skipif(
               shutil.which("soffice") is None, reason="LibreOffice is not installed")]),
           pytest.param("xls", marks=[pytest.mark.libreoffice, pytest.mark.skipif(
               shutil.which("soffice") is None, reason="LibreOffice is not installed")])]


@pytest.mark.parametrize("kind", FORMATS)
def test_every_shape_reads_the_same_in_every_format(tmp_path, kind):
    result = read_one(every_shape(kind, tmp_path))
    word = kind == "docx"
    assert found(result) == [
        ("divider-row", 2, None if word else "A2"),
        ("continuation-row", 4, None if word else "E4"),
        ("divider-row", 5, None if word else "B5"),
        ("date-missing", 7, None if word else "B7"), ("source-missing", 7, None if word else "D7"),
        ("action-missing", 7, None if word else "F7"),
        ("practitioner-missing", 7, None if word else "G7"),
        ("template-rows", 8, None),
        ("text-after-table", 11, None if word else "A11"),
    ]
    assert entries(result) == EVERY_ENTRIES
    assert (result.data_rows, result.rejected_rows) == (3, 1)
    conserved(result, non_blank(EVERY))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(range(len(SHAPES))), st.sampled_from([None, 7, "2025"]),
                          st.sampled_from([None, "N", "Y"])), max_size=25))
def test_every_row_is_accounted_for_beside_a_ref_and_key_event_column(picks):
    rows = [[ref, *SHAPES[i], key] for i, ref, key in picks]
    book = RawWorkbook(path="police.csv", format="text",
                       sheets=[RawSheet(name="CSV", rows=[list(EVERY_HEADER), *rows])])
    result = validate_workbook(book, ReadOptions(agency="Police", today=TODAY))
    named = {f.row for f in result.findings if f.row}
    for f in result.findings:
        if f.code in {"template-rows", "text-after-table"}:
            named |= listed_rows(f.message)
    entry_rows = {e.row for e in result.entries}
    for number, cells in enumerate(rows, start=2):
        if any(str(v or "").strip() for v in cells):
            assert number in entry_rows or number in named, (number, cells)
    conserved(result, sum(1 for cells in rows if any(str(v or "").strip() for v in cells)))
    assert all(e.date.precision == Precision.DAY for e in result.entries)


@pytest.mark.parametrize("writer", [write_xlsx, write_csv, write_docx])
def test_template_instructions_under_the_headings_are_not_an_entry(tmp_path: Path, writer) -> None:
    """A template's guidance row ('(dd/mm/yyyy)' under Date) is reported and skipped; the same
    words under a real entry are that entry's error, not instructions."""
    guidance = ["(dd/mm/yyyy)", "(24 hour clock)", "e.g. GP record", "What happened",
                "What was done", "Name and role"]
    rows = [guidance, row(day="03/03/2025"), row(day="04/03/2025"),
            ["dd/mm/yyyy", "10:00", "Case notes", "Visit", "None", "Nurse"]]
    path = writer(tmp_path / f"police.{writer.__name__.removeprefix('write_')}", rows)
    result = read_one(path)
    word = writer is write_docx
    assert found(result, "instruction-row", "date-invalid") == [
        ("instruction-row", 2, None if word else "A2"),
        ("date-invalid", 5, None if word else "A5"),
    ]
    assert [f.message for f in result.findings if f.code == "instruction-row"] == [
        "Row 2 gives the template's instructions (how to write a date) under the headings; it is "
        "not read as an entry."]
    assert len(result.entries) == 2 and result.rejected_rows == 1
    conserved(result, len(rows))


# ---- sign-offs inside the table, page text, repeated headings, ruled lines ---------------------

def test_a_sign_off_beside_a_date_is_not_an_entry_and_a_later_entry_still_is(tmp_path):
    """'Completed by' as the Source beside a date closed a real gap as a Police entry; the total
    under it was joined to that 'entry'. A dated entry after the sign-off is still read."""
    rows = [row(day="05/01/2025", event="P01"), row(day="01/02/2025", event="P02"),
            ["01/04/2025", None, "Completed by", "DS B Example, Public Protection Unit", None, None],
            ["02/04/2025", None, "Quality assured by", "DI C Example", None, None],
            [None, None, None, "Total entries: 8", None, None],
            row(day="05/04/2025", event="P09 after the sign-off")]
    result = read_one(write_xlsx(tmp_path / "police.xlsx", rows))
    assert [e.event for e in result.entries] == ["P01", "P02", "P09 after the sign-off"]
    assert found(result) == [("text-after-table", 4, "A4")]
    [after] = [f for f in result.findings if f.code == "text-after-table"]
    assert listed_rows(after.message) == {4, 5, 6}
    conserved(result, non_blank(rows))


def test_closing_lines_under_event_are_not_joined_to_the_last_entry(tmp_path):
    """'No further entries', a total and 'Report completed by …' typed under Event were joined
    to the last entry's text (a named person with them)."""
    rows = [row(day="03/01/2025", event="G01 visit."), row(day="09/01/2025", event="G02 visit."),
            [None, None, None, "No further entries", None, None],
            [None, None, None, "Total entries: 2", None, None],
            [None, None, None, "Report completed by Dr E Example, Named GP, 01/04/2025", None, None]]
    result = read_one(write_xlsx(tmp_path / "gp.xlsx", rows))
    assert [e.event for e in result.entries] == ["G01 visit.", "G02 visit."]
    assert found(result) == [("text-after-table", 4, "D4")]
    assert listed_rows(result.findings[0].message) == {4, 5, 6}
    conserved(result, non_blank(rows))


def test_a_dated_end_line_without_a_source_ends_the_table(tmp_path):
    rows = [row(day="20/01/2025", event="A03 visit."),
            ["01/04/2025", None, None, "END OF CHRONOLOGY", None, None]]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows))
    assert [e.event for e in result.entries] == ["A03 visit."]
    assert found(result) == [("text-after-table", 3, "A3")]


def test_page_text_repeated_headings_and_ruled_lines_are_skipped(tmp_path):
    """A printed table pasted back: 'Page 2 of 3', 'continued overleaf', the headings again, a
    ruled line and a framed year. None is an entry or joined to one; a wrapped line under page
    text still joins the entry above the page break."""
    rows = [row(day="03/01/2025", event="A01 visit."),            # row 2
            [None, None, None, "Page 2 of 3", None, None],         # 3
            [None, None, None, "and a wrapped line", None, None],  # 4: joins row 2
            list(HEADER),                                          # 5
            row(day="09/01/2025", event="A02 visit."),             # 6
            [None, None, None, None, "Continued on next page", None],  # 7
            ["-----", "---", "-----", "----------", "--", "---"],  # 8
            divider("--- 2025 ---"),                               # 9, merged across
            row(day="20/01/2025", event="A03 visit.")]             # 10
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows, merged_rows=(9,)))
    assert [e.event for e in result.entries] == ["A01 visit.\nand a wrapped line", "A02 visit.",
                                                 "A03 visit."]
    assert found(result) == [("page-text", 3, "D3"), ("continuation-row", 4, "D4"),
                             ("repeated-header", 5, "A5"), ("page-text", 7, "E7"),
                             ("divider-row", 8, "A8"), ("divider-row", 9, "A9")]
    kinds = [f.message for f in result.findings if f.code == "divider-row"]
    assert "(a ruled line)" in kinds[0] and "(a year)" in kinds[1]
    assert result.rejected_rows == 0
    conserved(result, non_blank(rows))


def test_page_text_in_a_word_table_and_a_csv(tmp_path):
    rows = [row(day="03/01/2025", event="A01"), list(HEADER),
            [None, None, None, "continued overleaf", None, None], row(day="04/01/2025", event="A02")]
    for path in (write_docx(tmp_path / "police.docx", rows), write_csv(tmp_path / "police.csv", rows)):
        result = read_one(path)
        assert [e.event for e in result.entries] == ["A01", "A02"], path
        assert [(code, r) for code, r, _ in found(result)] == [("repeated-header", 3),
                                                               ("page-text", 4)], path


def test_words_that_only_start_like_page_text_stay_what_they_were(tmp_path):
    """'Continued to refuse care' under Event is a wrapped line of the entry, not page text;
    'Page' as a heading word is no page number."""
    rows = [row(day="03/01/2025", event="Visit."),
            [None, None, None, "Continued to refuse care.", None, None],
            row(day="04/01/2025", event="Page 2 of the care plan was missing")]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows))
    assert [e.event for e in result.entries] == ["Visit.\nContinued to refuse care.",
                                                 "Page 2 of the care plan was missing"]
    assert found(result) == [("continuation-row", 3, "D3")]


def test_a_source_that_only_starts_like_an_end_word_stays_an_entry(tmp_path):
    """'Author notes' or 'Totals sheet' beside a date is a source of information; only a sign-off
    ('Signed', 'Checked by') in the Source column ends the table."""
    rows = [row(day="03/01/2025", event="A01"),
            ["04/01/2025", None, "Author notes", "Visit by the author", None, None],
            ["05/01/2025", None, "Totals sheet", "Care hours counted", None, None],
            ["06/01/2025", None, "Checked by", "J Example", None, None]]
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows))
    assert [e.event for e in result.entries] == ["A01", "Visit by the author", "Care hours counted"]
    assert found(result, "text-after-table") == [("text-after-table", 5, "A5")]


def test_headings_repeated_in_capitals_or_with_other_spaces_are_still_the_headings(tmp_path):
    rows = [row(day="03/01/2025", event="A01"), [h.upper() for h in HEADER],
            [f"  {h.replace(' ', '  ')}" for h in HEADER], row(day="04/01/2025", event="A02"),
            ["Date", "03/01/2025", "Time", "Visit", None, None]]  # two headings, not most of it
    result = read_one(write_xlsx(tmp_path / "asc.xlsx", rows))
    assert [e.event for e in result.entries] == ["A01", "A02"]
    assert found(result, "repeated-header") == [("repeated-header", 3, "A3"),
                                                ("repeated-header", 4, "A4")]
    assert result.rejected_rows == 1  # the last row: a data row with a bad date, as before
