"""The values part of a combined workbook: the cells sarkit reads back, kept inside the .xlsx.

Read from the part, a workbook gives exactly what reading its sheets gives (entries and settings,
compared whole); a workbook changed in any way after collate wrote it (a cell edited at the zip
level with the part left in, saved again by a spreadsheet program, the part damaged) is read
from its sheets, so a stale copy is never used."""

from __future__ import annotations

import io
import json
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.formats import values_part
from sarkit.formats.values_part import PART, read_values_part
from sarkit.intake.combined import read_combined_columns, read_combined_values
from sarkit.pipeline import chronology

runner = CliRunner()
MAX = 300 * 2**20

LONG = "Long entry. " * 3500  # over a cell's 32,767 characters: cut, with a mark
ODD_TEXTS = [
    "Control \x01 character and _x0041_ written literally",
    "Emoji 😀 and signs & < > \" '",
    "  spaces before and after  ",
    "Tab\tand\nnew line, non-breaking\u00a0space",
    LONG,
    "=SUM(A1:A2) typed as text",
    "0012 with its leading zeros",
]


def review_with_everything(tmp_path: Path) -> Path:
    """A review folder whose combined workbook has each kind of cell sarkit writes: dates of a
    day, a month, a year, uncertain; end dates; ages; a return's own column; odd texts; two
    agencies, a rejected row and an unusable file."""
    (tmp_path / "review.toml").write_text(
        '[review]\nreference = "SAR-VAL-1"\nsubject = "Adult V"\nperiod_start = 2024-01-01\n'
        'period_end = 2025-12-31\nsubject_birth_date = 1950-06-15\n\n'
        '[[agencies]]\nname = "Northshire Police"\nshort = "Police"\nfiles = ["police*"]\n\n'
        '[[agencies]]\nname = "Adult Social Care"\nshort = "ASC"\nfiles = ["asc*"]\n\n'
        '[[agencies]]\nname = "Housing"\nfiles = ["housing*"]\n', encoding="utf-8")
    returns = tmp_path / "returns"
    police = [row("03/03/2025", event=text) for text in ODD_TEXTS]
    police += [row("March 2025", event="Month only"), row("2025", event="Year only"),
               row("c. 12/03/2025", event="About that day"), row("", event="No date at all"),
               row("05/03/2025", "", event="No time")]
    write_return(returns / "police.csv", [[*r, "High" if i % 2 else ""] for i, r in enumerate(police)],
                 header=[*HEADER, "Risk Level"])
    write_return(returns / "asc.xlsx", [[*row("01/02/2025", event="Placement"), "28/02/2025"],
                                        [*row("03/03/2025", event="Home visit"), ""]],
                 header=[*HEADER, "End Date"])
    (returns / "housing.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return tmp_path


def collate(folder: Path, *extra: str) -> Path:
    out = folder / "out" / "combined.xlsx"
    made = runner.invoke(app, ["collate", str(folder / "returns"), "-o", str(out),
                               "--review", str(folder / "review.toml"), "-q", *extra])
    assert made.exit_code in (0, 1), made.output
    return out


def assert_read_alike(path: Path) -> None:
    fast = read_combined_values(path, MAX)
    assert fast is not None
    slow = read_combined_columns(path)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]


def test_the_part_gives_what_the_sheets_give(tmp_path: Path) -> None:
    out = collate(review_with_everything(tmp_path))
    assert_read_alike(out)
    entries, about = read_combined_values(out, MAX)
    assert len(entries) == 13  # 12 police rows but the one without a date, and 2 of ASC
    assert set(entries.agency) == {"Northshire Police", "Adult Social Care"}
    assert LONG not in entries.event and any(e.startswith("Long entry.") for e in entries.event)
    assert "Risk Level" in entries.extras
    assert any(d is not None for d in entries.end_date)
    assert [a["name"] for a in about["agencies"] if a.get("unusable")] == ["Housing"]


def test_a_review_of_one_entry_reads_alike(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    (folder / "returns").mkdir(parents=True)
    (folder / "review.toml").write_text('[review]\nreference = "SAR-VAL-2"\nsubject = "Adult W"\n')
    write_return(folder / "returns" / "police.xlsx", [row()])
    assert_read_alike(collate(folder, "--agency", "Police"))


@pytest.mark.parametrize("from_part", [True, False], ids=["from-the-part", "from-the-sheets"])
def test_a_combined_workbook_without_entries_is_read_as_none(tmp_path: Path, from_part: bool) -> None:
    # only a nil return: collate writes "(no entries)" in row 2, which is no entry (before, gaps
    # on the workbook stopped: "A row of the Chronology sheet has no date", cell B2)
    (tmp_path / "returns").mkdir()
    (tmp_path / "review.toml").write_text('[review]\nreference = "SAR-VAL-3"\nsubject = "Adult X"\n')
    write_return(tmp_path / "returns" / "police.xlsx", [])
    out = collate(tmp_path, "--agency", "Police")
    with zipfile.ZipFile(out) as archive:
        assert b"(no entries)" in archive.read("xl/worksheets/sheet1.xml")
    if from_part:
        assert_read_alike(out)
    else:
        rezip(out, {})
        assert read_values_part(out, MAX) is None
    result = runner.invoke(app, ["gaps", str(out), "--review", str(tmp_path / "review.toml"),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["account"]["entries"] == 0
    assert report["gaps"] == [] and report["overlaps"] == [] and report["trails"] == []


def test_the_part_is_well_formed_xml_with_a_content_type(tmp_path: Path) -> None:
    out = collate(review_with_everything(tmp_path))
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist()[-1] == PART
        part = archive.read(PART)
        types = archive.read("[Content_Types].xml")
    root = ET.fromstring(part)  # no < > & in the text: the JSON escapes them
    assert root.tag == "{urn:sarkit:values}values"
    assert json.loads(root.text)["version"] == values_part.VERSION
    assert b'Extension="xml"' in types


def rezip(path: Path, change: dict[str, bytes]) -> None:
    """The package again with some members' bytes changed, the others (the part too) kept."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info.filename, change.get(info.filename, data))
    path.write_bytes(buffer.getvalue())


def test_a_cell_edited_with_the_part_left_in_is_read_from_the_sheet(tmp_path: Path) -> None:
    out = collate(review_with_everything(tmp_path))
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"Home visit" in sheet
    rezip(out, {"xl/worksheets/sheet1.xml": sheet.replace(b"Home visit", b"Home visjt")})
    assert read_values_part(out, MAX) is None
    entries, _ = chronology.read_combined(out)
    assert "Home visjt" in [e.event for e in entries]


def test_a_package_zipped_again_unchanged_is_read_from_its_sheets(tmp_path: Path) -> None:
    out = collate(review_with_everything(tmp_path))
    before = read_combined_columns(out)
    rezip(out, {})  # the same members, compressed again: other bytes, the digest differs
    assert read_values_part(out, MAX) is None
    assert read_combined_columns(out) == before


def test_a_workbook_saved_again_by_a_spreadsheet_program_has_no_part(tmp_path: Path) -> None:
    out = collate(review_with_everything(tmp_path))
    book = openpyxl.load_workbook(out)
    book["Chronology"]["F2"] = "Changed by an analyst"
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        assert PART not in archive.namelist()
    entries, _ = chronology.read_combined(out)
    assert "Changed by an analyst" in [e.event for e in entries]


@pytest.mark.parametrize("damage", [
    lambda body: body.replace(b'"version":1', b'"version":2'),
    lambda body: body.replace(b'"rows":[[', b'"rows":[[true,'),
    lambda body: body.replace(b"</values>", b""),
    lambda body: body[: len(body) // 2],
    lambda body: body.replace(b'"names":[', b'"names":' + b"[" * 2000),
    lambda body: body.replace(b'"sheets":{', b'"sheets":[{').replace(b"}}</values>", b"}]}</values>"),
    lambda body: body.replace(b'"header":[', b'"header":[1,'),
], ids=["version", "a-cell-of-another-kind", "no-end", "cut", "nested", "sheets-a-list", "header"])
def test_a_damaged_part_is_not_used_and_nothing_breaks(tmp_path: Path, damage, monkeypatch) -> None:
    from sarkit.output import combined_workbook

    def keep_before(path: Path, record) -> None:  # the package as it was before the part
        shutil.copy(path, tmp_path / "before.xlsx")
        values_part.add_values_part(path, record)

    monkeypatch.setattr(combined_workbook, "add_values_part", keep_before)
    out = collate(review_with_everything(tmp_path))
    with zipfile.ZipFile(out) as archive:
        part = archive.read(PART)
    # the other members' bytes kept exactly (the digest still matches them), the part damaged
    damaged = tmp_path / "damaged.xlsx"
    shutil.copy(tmp_path / "before.xlsx", damaged)
    with zipfile.ZipFile(damaged, "a") as archive:
        archive.writestr(PART, damage(part))
    assert read_values_part(damaged, MAX) is None
    assert chronology.read_combined(damaged)[0] == chronology.read_combined(out)[0]
    # the part undamaged, appended the same way, is used
    shutil.copy(tmp_path / "before.xlsx", damaged)
    with zipfile.ZipFile(damaged, "a") as archive:
        archive.writestr(PART, part)
    assert read_values_part(damaged, MAX) is not None


def test_a_part_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    out = collate(review_with_everything(tmp_path))
    assert read_values_part(out, MAX) is not None
    assert read_values_part(out, 1000) is None


def test_key_events_workbook_has_no_part(tmp_path: Path) -> None:
    folder = review_with_everything(tmp_path)
    out = folder / "out" / "key.xlsx"
    made = runner.invoke(app, ["collate", str(folder / "returns"), "-o", str(out), "--key-events",
                               "--review", str(folder / "review.toml"), "-q"])
    assert made.exit_code in (0, 1), made.output
    with zipfile.ZipFile(out) as archive:
        assert PART not in archive.namelist()


def test_gaps_says_the_same_from_the_part_and_from_the_sheets(tmp_path: Path) -> None:
    folder = review_with_everything(tmp_path)
    out = collate(folder)
    quick = runner.invoke(app, ["gaps", str(out), "--review", str(folder / "review.toml"),
                                "--format", "json"])
    rezip(out, {})
    assert read_values_part(out, MAX) is None
    slow = runner.invoke(app, ["gaps", str(out), "--review", str(folder / "review.toml"),
                               "--format", "json"])
    assert quick.exit_code == slow.exit_code
    assert quick.stdout == slow.stdout


@pytest.mark.libreoffice
def test_libreoffice_opens_the_workbook_and_saves_it_without_the_part(tmp_path: Path) -> None:
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = collate(review_with_everything(tmp_path))
    kept = read_combined_values(out, MAX)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "saved"), str(out)],
        check=True, capture_output=True, timeout=180)
    saved = tmp_path / "saved" / "combined.xlsx"
    with zipfile.ZipFile(saved) as archive:
        assert PART not in archive.namelist()  # saved again: the part is gone with the save
    assert read_values_part(saved, MAX) is None
    entries, _ = chronology.read_combined(saved)  # read from the sheets LibreOffice wrote
    assert [e.event for e in entries] == kept[0].event
    assert [e.date for e in entries] == kept[0].date
