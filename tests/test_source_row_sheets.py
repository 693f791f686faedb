"""The Source Row names the sheet when a return's entries came from more than one sheet (row
numbers repeat across sheets); the usual one-sheet return keeps a plain row number."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
from conftest import HEADER, row
from docx import Document
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.entries import Entry, read_source_row, several_sheets, source_row
from sarkit.intake.combined import read_combined_workbook

runner = CliRunner()


def monthly(path: Path) -> Path:
    """March with headings and one row (row 2); April without headings, rows 1-2."""
    book = openpyxl.Workbook()
    march = book.active
    march.title = "March"
    for cells in (HEADER, row(day="05/03/2025")):
        march.append(cells)
    april = book.create_sheet("April")
    for cells in (row(day="01/04/2025", event="Found on floor"), row(day="02/04/2025")):
        april.append(cells)
    book.save(path)
    return path


def collate(path: Path, out: Path) -> None:
    done = runner.invoke(app, ["collate", str(path), "--agency", "Police", "-o", str(out), "-q",
                               "--force"])
    assert done.exit_code == 0, done.stderr


def column(path: Path, name: str) -> list[object]:
    rows = list(openpyxl.load_workbook(path)["Chronology"].iter_rows(values_only=True))
    return [r[rows[0].index(name)] for r in rows[1:]]


def test_source_row_is_the_row_and_the_sheet_only_for_returns_of_several_sheets():
    one = Entry("Police", None, "", "", file="a.xlsx", sheet="Chronology", row=4)  # type: ignore[arg-type]
    march = Entry("ASC", None, "", "", file="b.xlsx", sheet="March", row=2)  # type: ignore[arg-type]
    april = Entry("ASC", None, "", "", file="b.xlsx", sheet="April", row=2)  # type: ignore[arg-type]
    several = several_sheets([one, march, april])
    assert several == {"b.xlsx"}
    assert [source_row(e, several) for e in (one, march, april)] == [4, "2 (March)", "2 (April)"]
    assert read_source_row("2 (April)") == ("April", 2)
    assert read_source_row("12 (Contacts (family))") == ("Contacts (family)", 12)
    assert [read_source_row(t) for t in ("2", "April", "(April) 2", "x2 (April)")] == [None] * 4


def test_every_output_names_the_sheet_for_a_return_of_several_sheets(tmp_path):
    path = monthly(tmp_path / "police.xlsx")
    shown = ["2 (March)", "1 (April)", "2 (April)"]
    collate(path, tmp_path / "c.xlsx")
    assert column(tmp_path / "c.xlsx", "Source Row") == shown
    collate(path, tmp_path / "c.json")
    entries = json.loads((tmp_path / "c.json").read_text("utf-8"))["entries"]
    assert [e["Source Row"] for e in entries] == shown
    collate(path, tmp_path / "c.csv")
    with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    assert [r["Source Row"] for r in records] == shown
    collate(path, tmp_path / "c.docx")
    table = next(t for t in Document(str(tmp_path / "c.docx")).tables
                 if t.rows[0].cells[0].text == "Ref")
    at = [c.text for c in table.rows[0].cells].index("Source Row")
    assert [r.cells[at].text for r in table.rows[1:]] == shown


def test_a_one_sheet_return_keeps_a_plain_row_number(make_return, tmp_path):
    path = make_return("police.xlsx", [row(), row(day="04/03/2025")])
    collate(path, tmp_path / "c.xlsx")
    assert column(tmp_path / "c.xlsx", "Source Row") == [2, 3]


def test_the_combined_workbook_reads_back_each_entrys_sheet_and_row(tmp_path):
    collate(monthly(tmp_path / "police.xlsx"), tmp_path / "c.xlsx")
    entries, _ = read_combined_workbook(tmp_path / "c.xlsx")
    assert [(e.sheet, e.row, e.ref) for e in entries] == [
        ("March", 2, "C0001"), ("April", 1, "C0002"), ("April", 2, "C0003")]


def test_a_recollate_keeps_the_refs_and_diff_finds_only_the_new_entry(tmp_path):
    path = monthly(tmp_path / "police.xlsx")
    collate(path, tmp_path / "c.xlsx")
    first = column(tmp_path / "c.xlsx", "Ref")
    shutil.copy(tmp_path / "c.xlsx", tmp_path / "old.xlsx")
    book = openpyxl.load_workbook(path)  # a fourth entry, dated first, on the April sheet
    book["April"].append(row(day="01/03/2025", event="Fall at home"))
    book.save(path)
    collate(path, tmp_path / "c.xlsx")
    assert column(tmp_path / "c.xlsx", "Ref") == ["C0004", *first]
    assert column(tmp_path / "c.xlsx", "Source Row") == ["3 (April)", "2 (March)", "1 (April)",
                                                         "2 (April)"]
    done = runner.invoke(app, ["diff", str(tmp_path / "old.xlsx"), str(tmp_path / "c.xlsx"),
                               "--format", "json"])
    assert done.exit_code == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["added"], report["removed"], report["changed"]) == (
        [{"ref": "C0004", "agency": "Police", "file": "police.xlsx", "row": 3, "sheet": "April"}],
        [], [])
    done = runner.invoke(app, ["diff", str(tmp_path / "old.xlsx"), str(tmp_path / "c.xlsx")])
    assert done.stdout.splitlines()[1] == "Added: C0004 (Police, row 3 (April) of police.xlsx)"
