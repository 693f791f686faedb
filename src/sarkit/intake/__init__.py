"""Reading any input into raw tables with cell coordinates; bad files become findings."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sarkit.findings import finding
from sarkit.intake.delimited import read_delimited
from sarkit.intake.model import RawSheet, RawWorkbook
from sarkit.intake.sniff import is_junk, sniff_format
from sarkit.intake.spreadsheet import read_spreadsheet

__all__ = ["RawSheet", "RawWorkbook", "is_junk", "read_workbook", "sha256_of"]

SPREADSHEETS = {"xlsx", "xlsm", "xlsb", "xls", "ods"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_workbook(path: Path, *, password: str | None = None) -> RawWorkbook:
    """Read one file into raw sheets; a file that cannot be read gets a finding, not an exception."""
    path = Path(path)
    shown = str(path)
    workbook = RawWorkbook(path=shown, format="unknown")
    try:
        workbook.sha256 = sha256_of(path)
        fmt = sniff_format(path)
    except OSError as exc:
        workbook.findings.append(finding(
            "file-unreadable", shown, f"The file cannot be opened ({exc.strerror or 'read error'}).",
        ))
        return workbook
    workbook.format = fmt
    try:
        if fmt in SPREADSHEETS:
            read_spreadsheet(path, workbook)
        elif fmt == "text":
            read_delimited(path.read_bytes(), workbook)
        elif fmt == "ole-encrypted":
            workbook.findings.append(finding(
                "file-encrypted", shown, "The workbook is protected by a password.",
            ))
        else:
            workbook.findings.append(finding("file-unreadable", shown, _unreadable_message(fmt)))
    except Exception as exc:  # noqa: BLE001 - reader libraries raise anything on broken files
        workbook.sheets.clear()
        workbook.findings.append(finding(
            "file-unreadable", shown,
            f"The file looks like {_describe(fmt)} but cannot be read: it may be damaged or "
            f"incomplete ({type(exc).__name__}).",
        ))
    workbook.details = details_from(workbook.sheets)
    return workbook


def _describe(fmt: str) -> str:
    return {
        "xlsx": "an Excel workbook", "xlsm": "an Excel workbook with macros",
        "xlsb": "an Excel binary workbook", "xls": "an Excel 97-2003 workbook",
        "ods": "a LibreOffice spreadsheet", "text": "a text (CSV) file",
        "docx": "a Word document",
    }.get(fmt, "a spreadsheet")


def _unreadable_message(fmt: str) -> str:
    return {
        "empty": "The file is empty (0 bytes).",
        "zip-broken": "The file looks like a zipped Office file but it is damaged or incomplete.",
        "ole-broken": "The file looks like an old Office file but it is damaged or incomplete.",
        "zip": "The file is a zip archive, not a spreadsheet.",
        "ole": "The file is an Office document but not a spreadsheet.",
        "docx": "The file is a Word document; Word tables are not read yet.",
        "msg": "The file is an Outlook email; attachments in emails are not read yet.",
        "eml": "The file is an email; attachments in emails are not read yet.",
        "unknown": "The file is not a spreadsheet, CSV or Word document sarkit can read.",
    }.get(fmt, "The file cannot be read.")


def details_from(sheets: list[RawSheet]) -> dict[str, str]:
    """Label/value pairs ('Agency:' -> 'Northshire Police') from a Details sheet or Part 1 block.

    A label is a cell ending in ':' in the first 40 rows; its value is the next non-blank cell
    on the same row. The Details sheet wins over a block above the table.
    """
    ordered = sorted(
        (s for s in sheets if s.visible or s.name.strip().lower() == "details"),
        key=lambda s: s.name.strip().lower() != "details",
    )
    details: dict[str, str] = {}
    for sheet in ordered:
        for cells in sheet.rows[:40]:
            for index, value in enumerate(cells[:6]):
                if not isinstance(value, str) or not value.strip().endswith(":"):
                    continue
                label = value.strip()[:-1].strip().lower()
                following = next(
                    (v for v in cells[index + 1 : index + 4] if v not in (None, "")), None
                )
                if label and following is not None and label not in details:
                    details[label] = str(following).strip()
                break
    return details
