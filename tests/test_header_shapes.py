"""Table shapes read as a person reads them: two-row and merged headers, a date range in one
cell, uncertain times; built in xlsx, csv, docx and (LibreOffice) ods/xls."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import TODAY

from sarkit.dates import PartialDate, UncertainTime
from sarkit.returns import ReadOptions, read_returns

D = PartialDate

# "Contact" over "Date | Time"; the other headings stand in both rows (merged down in xlsx).
UPPER = ["Contact", None, "Source of Information", "Event / Contact Details", "Outcome",
         "Staff member and role"]
LOWER = ["Date", "Time", None, None, None, None]
DATA = [
    ["03/03/2025", "10:00", "Case notes", "Home visit", "Referred to ASC", "Social worker"],
    ["12/05/2025 - 30/06/2025", None, "Ward record", "Inpatient stay", "Discharged", "Nurse"],
    ["14/07/2025", "?14:30", "Case notes", "Phone call", "None", "Social worker"],
]
EXPECTED = [  # (row, date, end date, time, source)
    (3, D(2025, 3, 3), None, dt.time(10), "Case notes"),
    (4, D(2025, 5, 12), D(2025, 6, 30), None, "Ward record"),
    (5, D(2025, 7, 14), None, dt.time(14, 30), "Case notes"),
]
# what was understood, with the cells: the two-row header, the range split
EXPECTED_FINDINGS = [("two-row-header", 2, None, "info"), ("date-range-split", 4, "A4", "info")]


def read(paths: list[Path], **options: object):
    options.setdefault("agency", "Police")
    options.setdefault("today", TODAY)
    return read_returns(paths, ReadOptions(**options))  # type: ignore[arg-type]


def summary(result) -> tuple[list, list]:
    entries = [(e.row, e.date, e.end_date, e.time, e.source) for e in result.entries]
    found = [(f.code, f.row, f.cell, str(f.severity)) for f in result.findings]
    return entries, found


def two_row_xlsx(path: Path, upper=UPPER, lower=LOWER, rows=DATA) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Chronology"
    for values in (upper, lower, *rows):
        ws.append(list(values))
    ws.merge_cells("A1:B1")  # the group title over Date and Time
    for col in "CDEF":
        ws.merge_cells(f"{col}1:{col}2")  # headings standing in both rows
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_merged_group_title_over_date_and_time_xlsx(tmp_path):
    [result] = read([two_row_xlsx(tmp_path / "police.xlsx")])
    assert result.header_row == 2
    entries, found = summary(result)
    assert entries == EXPECTED
    assert found == EXPECTED_FINDINGS
    [two_rows] = [f for f in result.findings if f.code == "two-row-header"]
    assert two_rows.message == (
        "The headings are spread over rows 1 and 2; read together they are: Contact Date, "
        "Contact Time, Source of Information, Event / Contact Details, Outcome, Staff member and "
        "role. The data starts below row 2.")
    assert isinstance(result.entries[2].time, UncertainTime)
    assert result.entries[1].last_day == dt.date(2025, 6, 30)


def test_group_title_without_merge_in_csv(tmp_path):
    path = tmp_path / "police.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [["" if v is None else v for v in r] for r in (UPPER, LOWER, *DATA)])
    [result] = read([path])
    assert result.header_row == 2
    assert summary(result) == (EXPECTED, EXPECTED_FINDINGS)


def test_words_split_over_two_rows(tmp_path):
    upper = ["Date of", "Time", "Source of", "Event /", "Action Taken /", "Practitioner /"]
    lower = ["contact", None, "Information", "Contact Details", "Outcome", "Role"]
    path = tmp_path / "police.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Chronology"
    for values in (["Northshire Police chronology"], upper, lower, *DATA):
        ws.append(values)
    book.save(path)
    [result] = read([path])
    assert result.header_row == 3
    entries, found = summary(result)
    assert entries == [(row + 1, *rest) for row, *rest in EXPECTED]
    assert found == [("two-row-header", 3, None, "info"), ("date-range-split", 5, "A5", "info")]


def test_a_group_title_over_headings_that_match_alone_is_left_out(tmp_path):
    """'Police chronology' merged over the whole header is a title, not part of each heading."""
    path = tmp_path / "police.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Chronology"
    for values in (["Police chronology"], ["Date", "Time", "Source of Information",
                                           "Event / Contact Details", "Outcome", "Staff"],
                   DATA[0]):
        ws.append(values)
    ws.merge_cells("A1:F1")
    book.save(path)
    [result] = read([path])
    assert (result.header_row, summary(result)) == (2, ([EXPECTED[0][:1] + (D(2025, 3, 3), None,
                                                         dt.time(10), "Case notes")], []))


def test_a_first_data_row_without_a_date_is_not_taken_for_headings(tmp_path):
    """A text-only row under the header stays a data row (an error), never part of the header."""
    path = tmp_path / "police.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([
            ["Date", "Time", "Source of Information", "Event / Contact Details", "Outcome", "Staff"],
            ["", "", "Case notes", "Home visit", "Referred to ASC", "Social worker"],
            DATA[0],
        ])
    [result] = read([path])
    assert result.header_row == 1
    assert [(f.code, f.cell) for f in result.findings] == [("date-missing", "A2")]
    assert [e.row for e in result.entries] == [3]


def test_word_table_with_a_merged_group_title(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("Agency: Police")
    table = document.add_table(rows=0, cols=6)
    for values in (UPPER, LOWER, *DATA):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else value
    table.cell(0, 0).merge(table.cell(0, 1))
    for col in range(2, 6):
        table.cell(0, col).merge(table.cell(1, col))
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "police.docx"
    path.write_bytes(out.getvalue())
    [result] = read([path])
    assert result.header_row == 2
    entries, found = summary(result)
    assert entries == EXPECTED
    assert found == [("two-row-header", 2, None, "info"), ("date-range-split", 4, None, "info")]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("target", ["ods", "xls"])
def test_two_row_header_made_by_libreoffice(tmp_path, target):
    xlsx = two_row_xlsx(tmp_path / "src" / "police.xlsx")
    out = tmp_path / "converted"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", target, "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )
    [result] = read([out / f"police.{target}"])
    assert result.header_row == 2
    assert summary(result) == (EXPECTED, EXPECTED_FINDINGS)


def test_no_table_lists_the_headings_found_row_by_row_and_no_data(tmp_path):
    path = tmp_path / "police.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Chronology"
    for values in (["Chronology of Adult T"], ["Agency:", "Police"], ["Name", "Secret Person"],
                   ["Born", "Secret Place", dt.datetime(1950, 1, 1)],
                   ["When", "Who", "What happened"], ["", "", "(brief)"],
                   ["03/03/2025", "PC Secret", "Visited Secret Street"],
                   ["Later notes", "More secret", "Secret text"]):
        ws.append(values)
    book.save(path)
    [result] = read([path])
    [missing] = result.findings
    assert missing.code == "no-chronology-sheet"
    assert missing.message == (
        "No sheet has a chronology header row in its first 30 rows (visible sheets: Chronology). "
        "The rows that look like headings are: sheet Chronology row 5: When, Who, What happened. "
        "Row 5 of the sheet Chronology has no heading naming the Date and Source of Information "
        "columns, which a chronology must have; the 3 rows under it were not read and are counted "
        "as rejected.")
    assert "ecret" not in missing.message
    assert (result.data_rows, result.rejected_rows) == (3, 3)  # never '0 of 0 rows'


def test_missing_column_lists_both_header_rows(tmp_path):
    upper = ["Contact", None, "Source of Information", "Notes"]
    lower = ["Date", "Time", None, None]
    path = two_row_xlsx(tmp_path / "police.xlsx", upper, lower,
                        [["03/03/2025", "10:00", "Case notes", "Visit"]])
    [result] = read([path])
    assert [(f.code, f.row) for f in result.findings] == [("two-row-header", 2),
                                                          ("missing-column", 2),
                                                          ("unknown-column", 2)]
    assert result.findings[1].message == (
        "The chronology has no Event / Contact Details column (rows 1 and 2 have: Contact Date, "
        "Contact Time, Source of Information, Notes).")
    assert result.rejected_rows == 1


def test_uncertain_time_shown_with_its_mark_in_every_output(tmp_path, review_file):
    """Combined workbook, CSV, JSON, and read back from the combined workbook into the IMR."""
    from conftest import row, write_return
    from typer.testing import CliRunner

    from sarkit.cli import app

    returns = tmp_path / "returns"
    write_return(returns / "police.xlsx", [row(time="?14:30"), row(day="04/03/2025")])
    runner = CliRunner()
    out = tmp_path / "out"
    for name in ("combined.xlsx", "combined.csv", "combined.json"):
        done = runner.invoke(app, ["collate", str(returns), "--review", str(review_file),
                                   "-o", str(out / name), "-q"])
        assert done.exit_code == 1, done.output  # written, but the review's ASC and GP sent nothing
        assert "ASC: missing" in done.output
    sheet = openpyxl.load_workbook(out / "combined.xlsx")["Chronology"]
    assert [sheet["C2"].value, sheet["C3"].value] == ["?14:30", "10:00"]
    assert (out / "combined.csv").read_text(encoding="utf-8-sig").splitlines()[2].startswith(
        "C0001,03/03/2025,?14:30,")
    assert '"Time": "?14:30"' in (out / "combined.json").read_text()
    imr = out / "imr.md"
    done = runner.invoke(app, ["new-imr", "--agency", "Police", "--review", str(review_file),
                               "--chronology", str(out / "combined.xlsx"), "-o", str(imr)])
    assert done.exit_code == 0, done.output
    line = next(t for t in imr.read_text().splitlines() if t.startswith("| C0001 |"))
    assert "| 03/03/2025 | ?14:30 |" in line  # after the combined and the agency's own ref


def test_missing_column_lists_other_rows_that_look_like_headings(tmp_path):
    path = tmp_path / "police.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Chronology"
    for values in (["Date", "Source", "Reviewed by"], ["Born", dt.datetime(1950, 1, 1)],
                   ["When", "Who", "What happened", "Outcome"],
                   [dt.datetime(2025, 3, 3), "PC Secret", "Visited Secret Street", "None"]):
        ws.append(values)
    book.save(path)
    [result] = read([path])
    [missing] = [f for f in result.findings if f.code == "missing-column"]
    assert missing.message == (
        "The chronology has no Event / Contact Details column (row 1 has: Date, Source, Reviewed "
        "by). Other rows that look like headings: row 3: When, Who, What happened, Outcome.")
