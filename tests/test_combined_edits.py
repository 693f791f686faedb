"""A combined workbook after analysts have worked on it: saved again in another format or with a
password, columns inserted, Agency cells, rows and the Agencies sheet edited by hand."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import row, write_return
from corpus import encrypt_office, ods_bytes, ods_rows
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS

runner = CliRunner()


@pytest.fixture
def combined(tmp_path: Path, review_file: Path) -> Path:
    """A combined workbook of Police (3 entries) and ASC (2 entries); the GP sent a nil return.
    Refs by date: C0001 Police 10/01, C0002 ASC 10/01, C0003 Police 03/03, C0004 ASC 05/03,
    C0005 Police 20/03."""
    folder = tmp_path / "returns"
    write_return(folder / "police.xlsx", [
        row(day="10/01/2025", event="Welfare check at home"),
        row(day="03/03/2025", event="Found in the street"),
        row(day="20/03/2025", event="Concern for welfare call"),
    ])
    write_return(folder / "asc.xlsx", [
        row(day="10/01/2025", event="Safeguarding concern received"),
        row(day="05/03/2025", event="Visit by social worker"),
    ])
    write_return(folder / "gp.xlsx", [], details={"Agency:": "GP", "Nil return:": "Yes"})
    out = tmp_path / "out" / "combined.xlsx"
    made = runner.invoke(app, ["collate", str(folder), "-o", str(out), "--review", str(review_file), "-q"])
    assert made.exit_code == 0, made.output
    return out


def gaps_json(path: Path, review_file: Path, **env: str) -> tuple[int, dict | None, str]:
    result = runner.invoke(app, ["gaps", str(path), "--review", str(review_file), "--format", "json"],
                           env=env or None)
    data = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result.exit_code, data, result.stderr


def combined_ods(path: Path) -> Path:
    """A combined workbook saved again as .ods: its Chronology header is sarkit's, and an About sheet."""
    chronology = ods_rows([list(CHRONOLOGY_COLUMNS), ["C0001", "10/01/2025", "", "Police", "Log",
                                                      "Visit", "", "", "", "", "", "", "p.xlsx", "2"]])
    about = ods_rows([["Item", "Value"], ["Reference", "SAR-TEST-1"]])
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="Chronology">{chronology}'
               f'</table:table><table:table table:name="About">{about}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    path.write_bytes(ods_bytes(content))
    return path


def test_a_combined_workbook_saved_as_ods_is_refused_plainly_never_read_as_a_return(
        combined, review_file, tmp_path):
    ods = combined_ods(tmp_path / "combined.ods")
    message = (f"{ods} is a combined workbook made by sarkit collate, saved again as a LibreOffice "
               "spreadsheet (.ods): sarkit reads a combined workbook only as .xlsx")
    code, data, stderr = gaps_json(ods, review_file)
    assert (code, data) == (2, None)
    assert message in " ".join(stderr.split()) and "save it as .xlsx" in stderr
    imr = runner.invoke(app, ["new-imr", "--agency", "Police", "--chronology", str(ods),
                              "--review", str(review_file), "-o", str(tmp_path / "imr.md")])
    assert imr.exit_code == 2 and message in " ".join(imr.stderr.split())
    diff = runner.invoke(app, ["diff", str(combined), str(ods), "--review", str(review_file)])
    assert diff.exit_code == 2 and message in " ".join(diff.stderr.split())
    # among returns, it is skipped as sarkit's output, not read as a return
    folder = tmp_path / "returns"
    (folder / "combined.ods").write_bytes(ods.read_bytes())
    from sarkit.pipeline.chronology import read_checked
    from sarkit.returns import ReadOptions
    from sarkit.review import load_review

    results = read_checked([folder], ReadOptions(review=load_review(review_file)))
    skipped = [r for r in results if r.path.endswith("combined.ods")]
    assert [(r.skipped, r.entries, [f.code for f in r.findings]) for r in skipped] == [
        (True, [], ["sarkit-output"])]
    assert sorted(r.agency for r in results if not r.skipped) == [
        "Hill Surgery", "Testshire Adult Social Care", "Testshire Police"]


def test_a_combined_workbook_saved_with_a_password_is_read_with_its_password(
        combined, review_file, tmp_path):
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(encrypt_office(combined.read_bytes(), "Secret1"))
    plain = gaps_json(combined, review_file)
    assert gaps_json(locked, review_file, SARKIT_PASSWORD="Secret1") == plain
    assert plain[1]["missing_returns"] == []
    diff = runner.invoke(app, ["diff", str(combined), str(locked), "--review", str(review_file)],
                         env={"SARKIT_PASSWORD": "Secret1"})
    assert diff.exit_code == 0 and "0 added, 0 removed, 0 changed" in diff.stdout
    wrong = gaps_json(locked, review_file, SARKIT_PASSWORD="wrong")
    assert wrong[0] != 0 and "password" in wrong[2]


def test_a_column_inserted_in_the_middle_is_kept_as_an_extra(combined, review_file):
    before = gaps_json(combined, review_file)
    book = openpyxl.load_workbook(combined)
    sheet = book["Chronology"]
    sheet.insert_cols(7)
    sheet["G1"] = "Analyst notes"
    sheet["G2"] = "ask about this"
    sheet.insert_cols(1)
    sheet["A1"] = "Question for workshop"
    book.save(combined)
    assert gaps_json(combined, review_file) == before


@pytest.mark.parametrize(("edit", "message"), [
    ("rename", "has no Chronology sheet"), ("about", "has no About sheet"),
    ("heading", "has no column headed Agency:")])
def test_a_combined_workbook_sarkit_cannot_read_is_a_usage_error_naming_what_is_missing(
        combined, review_file, edit, message):
    book = openpyxl.load_workbook(combined)
    if edit == "rename":
        book["Chronology"].title = "Chronology (mine)"
    elif edit == "about":
        del book["About"]
    else:
        book["Chronology"]["D1"] = "Organisation"
    book.save(combined)
    code, data, stderr = gaps_json(combined, review_file)
    assert (code, data) == (2, None)
    assert message in " ".join(stderr.split())
    assert "No returns were found" not in stderr
