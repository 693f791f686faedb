"""Shared fixtures: a factory that writes chronology returns the way agencies send them."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest

HEADER = ["Date", "Time", "Source of Information", "Event / Contact Details",
          "Action Taken / Outcome", "Practitioner / Role"]

Row = Sequence[object]

SIMULATED_WINDOWS = os.environ.get("SARKIT_SIMULATE_WINDOWS") == "1"

if SIMULATED_WINDOWS:
    # the simulated-Windows lane (tests/windows/sitecustomize.py): CLI output goes to a console
    # that writes cp1252, where a character it cannot show is an error unless sarkit handles it
    import typer.testing

    _runner_init = typer.testing.CliRunner.__init__

    def _cp1252_runner(self, *args, charset: str = "cp1252", **kwargs) -> None:
        _runner_init(self, *args, charset=charset, **kwargs)

    typer.testing.CliRunner.__init__ = _cp1252_runner


def write_return(
    path: Path,
    rows: Sequence[Row],
    *,
    header: Sequence[str] = HEADER,
    title_rows: Sequence[Row] = (),
    details: dict[str, str] | None = None,
    sheet: str = "Chronology",
    hidden_sheets: Sequence[str] = (),
    merge: Sequence[str] = (),
) -> Path:
    """Write an .xlsx (or .csv by extension) return: title rows, header, rows; optional Details."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            for row in (*title_rows, header, *rows):
                writer.writerow(["" if v is None else v for v in row])
        return path
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in (*title_rows, header, *rows):
        ws.append(list(row))
    for cells in merge:
        ws.merge_cells(cells)
    if details is not None:
        info = book.create_sheet("Details", 0)
        for label, value in details.items():
            info.append([label, value])
    for name in hidden_sheets:
        hidden = book.create_sheet(name)
        hidden.append(["secret"])
        hidden.sheet_state = "hidden"
    book.save(path)
    return path


def row(day: str = "03/03/2025", time: str = "10:00", source: str = "Case notes",
        event: str = "Home visit", action: str = "Referred to ASC",
        practitioner: str = "Social worker") -> list[object]:
    """One complete, valid row in HEADER's order."""
    return [day, time, source, event, action, practitioner]


@pytest.fixture
def make_return(tmp_path: Path) -> Callable[..., Path]:
    """make_return('police.xlsx', rows, **options) -> path inside tmp_path/returns."""
    def make(name: str, rows: Sequence[Row], **options: object) -> Path:
        return write_return(tmp_path / "returns" / name, rows, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def review_file(tmp_path: Path) -> Path:
    """A review.toml with a period and three agencies."""
    path = tmp_path / "review.toml"
    path.write_text(
        """
[review]
reference = "SAR-TEST-1"
subject = "Adult T"
period_start = 2025-01-01
period_end = 2025-12-31
marking = "OFFICIAL-SENSITIVE"

[analysis]
gap_days = 28
overlap_window_days = 0

[[agencies]]
name = "Testshire Police"
short = "Police"
aliases = ["police", "PC "]
files = ["*police*"]

[[agencies]]
name = "Testshire Adult Social Care"
short = "ASC"
aliases = ["social care", "ASC"]
files = ["*asc*"]

[[agencies]]
name = "Hill Surgery"
short = "GP"
aliases = ["GP", "surgery"]
files = ["*gp*"]
""",
        encoding="utf-8",
    )
    return path


TODAY = dt.date(2026, 11, 27)


def without_values_part(path: Path) -> Path:
    """A combined workbook without its values part (formats/values_part.py): read from its
    sheets, in the reader's worker, as a workbook saved again by a spreadsheet program is."""
    import io
    import zipfile

    from sarkit.formats.values_part import PART

    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist() if info.filename != PART]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path
