"""corrections.toml (issue 14 point 4): applied on reading, flagged in the chronology, listed in
the Corrections sheet with the original and the reason; the agency's file never touched; a stale
correction reported, not applied; a broken file or two corrections of one cell stop the run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl
from conftest import row, write_return
from typer.testing import CliRunner

from sarkit.cli import app

runner = CliRunner()


def correction(cell: str, original: str, value: str, *, file: str = "police.xlsx",
               sheet: str = "Chronology") -> str:
    return (f'[[corrections]]\nfile = "{file}"\nsheet = "{sheet}"\ncell = "{cell}"\n'
            f'original = "{original}"\nvalue = "{value}"\nreason = "Typo confirmed by email"\n'
            'who = "A. Administrator"\nwhen = 2025-04-02\n\n')


def rows_of(path: Path, sheet: str) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def collate(tmp_path: Path, *extra: str):
    return runner.invoke(app, ["collate", str(tmp_path / "returns"), "-o",
                               str(tmp_path / "out" / "combined.xlsx"), "--review",
                               str(tmp_path / "review.toml"), *extra])


def setup(tmp_path: Path, review_file: Path, corrections: str) -> Path:
    police = write_return(tmp_path / "returns" / "police.xlsx", [
        row(day="03/03/2025", event="Home vist"),           # row 2: a typo in D2
        row(day="31/02/2025", event="Welfare check"),       # row 3: an impossible date in A3
        row(day="05/03/2025", event="Call from neighbour"),  # row 4
    ])
    (tmp_path / "corrections.toml").write_text(corrections, encoding="utf-8")
    return police


def test_corrections_applied_flagged_and_listed(tmp_path, review_file):
    police = setup(tmp_path, review_file, correction("D2", "Home vist", "Home visit")
                   + correction("A3", "31/02/2025", "04/03/2025")
                   + correction("D4", "Call from neighbor", "Call from a neighbour"))
    before = hashlib.sha256(police.read_bytes()).hexdigest()
    result = collate(tmp_path)
    assert hashlib.sha256(police.read_bytes()).hexdigest() == before  # the agency's file as sent
    out = tmp_path / "out" / "combined.xlsx"
    chronology = rows_of(out, "Chronology")
    assert [(r["Ref"], r["Date"], r["Event / Contact Details"], r["Flags"]) for r in chronology] == [
        ("C0001", dt.datetime(2025, 3, 3), "Home visit",
         "all-agency gap of 61 days before; corrected D2 (see Corrections)"),
        ("C0002", dt.datetime(2025, 3, 4), "Welfare check", "corrected A3 (see Corrections)"),
        ("C0003", dt.datetime(2025, 3, 5), "Call from neighbour", "all-agency gap of 301 days after"),
    ]
    corrections = rows_of(out, "Corrections")
    assert [(c["Ref"], c["Cell"], c["Original"], c["Corrected To"], c["Reason"], c["Who"],
             c["When"], c["Applied"]) for c in corrections] == [
        ("C0001", "D2", "Home vist", "Home visit", "Typo confirmed by email", "A. Administrator",
         "02/04/2025", "yes"),
        ("C0002", "A3", "31/02/2025", "04/03/2025", "Typo confirmed by email", "A. Administrator",
         "02/04/2025", "yes"),
        (None, "D4", "Call from neighbor", "Call from a neighbour", "Typo confirmed by email",
         "A. Administrator", "02/04/2025",
         "no: the cell no longer holds the original value (was the return sent again, or "
         "corrected already?)."),
    ]
    assert openpyxl.load_workbook(out).sheetnames[-2:] == ["Corrections", "About"]
    assert result.exit_code == 1  # GP and ASC missing; nothing rejected
    validate = runner.invoke(app, ["validate", str(tmp_path / "returns"), "--format", "json",
                                   "--review", str(tmp_path / "review.toml")])
    found = json.loads(validate.stdout)["files"][0]["findings"]
    assert [(f["code"], f["cell"]) for f in found] == [
        ("corrected-cell", "D2"), ("corrected-cell", "A3"), ("correction-stale", "D4")]
    assert found[2]["message"] == (
        "The correction of cell D4 (line 21 of corrections.toml) was not applied: the cell no "
        "longer holds the original value (was the return sent again, or corrected already?).")
    assert "values" not in found[0]  # no cell value without --show-values
    assert validate.exit_code == 0  # the impossible date was corrected


def test_no_corrections_sheet_without_corrections(tmp_path, review_file):
    write_return(tmp_path / "returns" / "police.xlsx", [row()])
    collate(tmp_path)
    assert "Corrections" not in openpyxl.load_workbook(tmp_path / "out" / "combined.xlsx").sheetnames


def test_two_corrections_of_one_cell_stop_before_writing(tmp_path, review_file):
    setup(tmp_path, review_file, correction("D2", "Home vist", "Home visit")
          + correction("d2", "Home vist", "Home visits"))
    result = collate(tmp_path)
    assert result.exit_code == 2  # a mistake in corrections.toml, as in review.toml: nothing done
    assert result.stderr.strip().startswith(
        f"Error: In {tmp_path / 'corrections.toml'}, the correction at line 11 corrects the same "
        "cell as the one at line 1 (police.xlsx D2); keep one of them.")
    assert not (tmp_path / "out").exists()


def test_a_broken_corrections_file_names_the_line(tmp_path, review_file):
    setup(tmp_path, review_file, correction("D2", "Home vist", "Home visit").replace(
        'who = "A. Administrator"\n', ""))
    missing = collate(tmp_path)
    assert missing.exit_code == 2
    assert f"Error: In {tmp_path / 'corrections.toml'}, the correction at line 1 has no who." in (
        missing.stderr)
    (tmp_path / "corrections.toml").write_text('[[corrections]]\nfile = "police.xlsx\n')
    broken = collate(tmp_path)
    assert broken.exit_code == 2
    assert f"The corrections file {tmp_path / 'corrections.toml'} is not valid TOML at line 2." in (
        broken.stderr)
    assert "Traceback" not in broken.output
    assert not (tmp_path / "out").exists()


def test_a_corrected_entry_keeps_its_ref(tmp_path, review_file):
    setup(tmp_path, review_file, "")
    collate(tmp_path)
    out = tmp_path / "out" / "combined.xlsx"
    before = [(r["Ref"], r["Event / Contact Details"]) for r in rows_of(out, "Chronology")]
    assert before == [("C0001", "Home vist"), ("C0002", "Call from neighbour")]
    (tmp_path / "corrections.toml").write_text(correction("D2", "Home vist", "Home visit"),
                                               encoding="utf-8")
    result = collate(tmp_path, "--force")
    assert "Since the previous run: Police: 1 changed." in result.stderr
    assert [(r["Ref"], r["Event / Contact Details"]) for r in rows_of(out, "Chronology")] == [
        ("C0001", "Home visit"), ("C0002", "Call from neighbour")]
