"""Issue 10, the row part: dividers, template filler, the end of the table and wrapped lines are
read as a person reads them, in every format a return arrives in."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from conftest import HEADER, TODAY, row

from sarkit.collate import collate
from sarkit.dates import Precision
from sarkit.returns import ReadOptions, read_returns
from sarkit.review import load_review

WIDTH = len(HEADER)
BLANK = [None] * WIDTH


def divider(value: object) -> list[object]:
    """A divider as typed: the value in the first cell (merged across when the writer merges)."""
    return [value] + [None] * (WIDTH - 1)


def write_xlsx(path: Path, rows: list[list[object]], merged_rows: tuple[int, ...] = ()) -> Path:
    """An .xlsx with HEADER in row 1 and each row of `merged_rows` merged across the table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    for cells in (HEADER, *rows):
        sheet.append(list(cells))
    for number in merged_rows:
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=WIDTH)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        for cells in (HEADER, *rows):
            writer.writerow(["" if v is None else v for v in cells])
    return path


def write_docx(path: Path, rows: list[list[object]], merged_rows: tuple[int, ...] = ()) -> Path:
    """A Word return: 'Agency:' paragraph and one table; `merged_rows` merged with cell.merge."""
    from docx import Document

    document = Document()
    document.add_paragraph("Agency: Testshire Police")
    table = document.add_table(rows=len(rows) + 1, cols=WIDTH)
    for r, cells in enumerate((HEADER, *rows)):
        if r + 1 in merged_rows:
            merged = table.cell(r, 0).merge(table.cell(r, WIDTH - 1))
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
    shapes = {"divider-row": 0, "continuation-row": 0}
    for f in result.findings:
        if f.code in shapes:
            shapes[f.code] += 1
    listed = sum(_listed(f.message) for f in result.findings
                 if f.code in {"template-rows", "text-after-table"})
    assert result.data_rows == len(result.entries) + result.rejected_rows
    assert result.data_rows + sum(shapes.values()) + listed == input_rows


def _listed(message: str) -> int:
    import re

    spans = re.search(r"rows? ([\d, and-]+?)(?: under| \(|\)| hold)", message)
    assert spans, message
    total = 0
    for part in re.split(r", | and ", spans.group(1)):
        a, _, b = part.partition("-")
        total += int(b or a) - int(a) + 1
    return total


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
