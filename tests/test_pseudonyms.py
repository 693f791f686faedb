"""Pseudonyms reach every string a return gave, not only its cell text (issue 15 point 8)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from sarkit.cli import app

REAL = "Jane Example"  # a fictional 'real' name the review replaces with its pseudonym
runner = CliRunner()


def review(tmp_path: Path) -> Path:
    path = tmp_path / "review.toml"
    path.write_text(f"""
[review]
reference = "SAR-TEST-9"
subject = "Adult T"
period_start = 2025-01-01
period_end = 2025-12-31

[pseudonyms]
"{REAL}" = "Adult T"
""", encoding="utf-8")
    return path


def planted_return(tmp_path: Path) -> Path:
    """A real name as the sheet's name, in an extra heading, typed as the agency, in the Details."""
    book = openpyxl.Workbook()
    details = book.active
    details.title = "Details"
    details.append(["Agency:", f"{REAL} Home Care"])
    details.append(["Author:", f"Carer of {REAL}"])
    sheet = book.create_sheet(f"{REAL} chronology")
    sheet.append(["Date", "Source of Information", "Event / Contact Details",
                  "Action Taken / Outcome", "Practitioner / Role", f"Notes about {REAL}"])
    sheet.append(["03/03/2025", "Care log", "Visit", "None", "Carer", "None"])
    sheet.append(["31/02/2025", "Care log", "Visit", "None", "Carer", "None"])  # rejected
    path = tmp_path / "returns" / "care.xlsx"
    path.parent.mkdir()
    book.save(path)
    return path


def everything_in(path: Path) -> str:
    if path.suffix in {".xlsx", ".docx"}:
        with zipfile.ZipFile(path) as package:
            return " ".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
    return path.read_text(encoding="utf-8-sig")


def test_no_real_name_in_any_output(tmp_path: Path) -> None:
    review_file = review(tmp_path)
    returned = planted_return(tmp_path)
    checked = runner.invoke(app, ["validate", str(returned), "--review", str(review_file),
                                  "--format", "json"])
    report = json.loads(checked.stdout)
    assert REAL not in checked.stdout
    assert report["files"][0]["agency"] == "Adult T Home Care"
    assert report["files"][0]["sheet"] == "Adult T chronology"
    outputs = [tmp_path / "out" / name for name in ("c.xlsx", "c.csv", "c.json", "c.docx")]
    for output in outputs:
        made = runner.invoke(app, ["collate", str(returned), "--review", str(review_file),
                                   "-o", str(output), "-q"])
        assert made.exit_code == 1, made.output  # a rejected row: written, not complete
        assert REAL not in made.output
    pack = tmp_path / "out" / "pack.html"
    runner.invoke(app, ["gaps", str(returned), "--review", str(review_file), "--html", str(pack)])
    feedback = tmp_path / "feedback"
    runner.invoke(app, ["validate", str(returned), "--review", str(review_file),
                        "--feedback", str(feedback)])
    written = [*outputs, pack, *sorted(feedback.iterdir())]
    assert len(written) == 7
    for path in written:
        assert REAL not in everything_in(path), path.name
    assert "Adult T chronology" in everything_in(outputs[2])  # the pseudonym took its place
