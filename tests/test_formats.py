"""The same return as xlsx, xls and ods (made by LibreOffice), csv and tsv reads the same."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY, row, write_return

from sarkit.returns import ReadOptions, read_returns

ROWS = [
    row(day="03/03/2025", time="09:15"),
    row(day="?12/03/2025", time="", event="Neighbour reported concern"),
    row(day="March 2025", time="", source="# author note", event="Records sparse this month"),
    row(day="31/02/2025", event="Impossible date"),
    row(day="20/03/2025", action=""),
]
EXPECTED_FINDINGS = [("date-invalid", "A8"), ("action-missing", "E9")]


def summary(result) -> tuple:
    return (
        [(f.code, f.cell) for f in result.findings],
        [(e.date.display(), e.time.strftime("%H:%M") if e.time else "", e.event, e.row)
         for e in result.entries],
    )


def make_source(tmp_path: Path) -> Path:
    return write_return(tmp_path / "src" / "police.xlsx", ROWS,
                        title_rows=[["Police chronology"], ["Author:", "DS Example"], []])


def test_csv_and_tsv_read_like_xlsx(tmp_path):
    xlsx = make_source(tmp_path)
    csv_path = write_return(tmp_path / "src" / "police.csv", ROWS,
                            title_rows=[["Police chronology"], ["Author:", "DS Example"], []])
    tsv = tmp_path / "src" / "police.tsv"
    tsv.write_text(csv_path.read_text(encoding="utf-8-sig").replace(",", "\t"), encoding="utf-8")
    options = ReadOptions(agency="Police", today=TODAY)
    results = read_returns([xlsx, csv_path, tsv], options)
    expected = summary(results[0])
    assert [(c, cell) for c, cell in expected[0] if c != "several-returns"] == EXPECTED_FINDINGS
    for result in results[1:]:
        assert summary(result)[1] == expected[1]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("target", ["xls", "ods"])
def test_libreoffice_made_return_reads_like_xlsx(tmp_path, target):
    xlsx = make_source(tmp_path)
    out = tmp_path / "converted"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", target, "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )
    converted = out / f"police.{target}"
    renamed = out / "police-return.xlsx"  # a wrong extension: the bytes decide the format
    shutil.copy(converted, renamed)
    options = ReadOptions(agency="Police", today=TODAY)
    [original] = read_returns([xlsx], options)
    [result] = read_returns([converted], options)
    [misnamed] = read_returns([renamed], options)
    assert summary(result) == summary(original) == summary(misnamed)
    assert [(f.code, f.cell) for f in result.findings] == EXPECTED_FINDINGS
