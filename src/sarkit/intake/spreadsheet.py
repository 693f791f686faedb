"""Reading workbooks (xlsx, xlsm, xlsb, xls, ods) with python-calamine into raw sheets."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO

import python_calamine as calamine

from sarkit.intake.model import RawSheet, RawWorkbook

_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(?:1|true)\"")


def read_spreadsheet(source: Path | IO[bytes], workbook: RawWorkbook) -> None:
    """Fill `workbook.sheets` from a spreadsheet file or an in-memory file."""
    if isinstance(source, Path) and source.suffix.lower().lstrip(".") == workbook.format:
        book = calamine.CalamineWorkbook.from_path(str(source))
    elif isinstance(source, Path):
        # calamine picks its reader by extension; a misnamed file is read by its content
        with open(source, "rb") as handle:
            book = calamine.CalamineWorkbook.from_filelike(handle)
    else:
        book = calamine.CalamineWorkbook.from_filelike(source)
    try:
        workbook.date1904 = _is_date1904(source, workbook.format)
        for meta in book.sheets_metadata:
            visible = str(meta.visible).endswith("Visible") and "Hidden" not in str(meta.visible)
            is_worksheet = "WorkSheet" in str(meta.typ)
            if not is_worksheet:
                continue
            if not visible:
                workbook.sheets.append(RawSheet(name=meta.name, rows=[], visible=False))
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = [
                (r1 + 1, c1, r2 + 1, c2)
                for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])
            ]
            workbook.sheets.append(RawSheet(name=meta.name, rows=rows, merged=merged))
    finally:
        book.close()


def _is_date1904(source: Path | IO[bytes], fmt: str) -> bool:
    """Whether an Excel 2007+ workbook counts dates from 1904 (calamine does not say)."""
    if fmt not in {"xlsx", "xlsm"}:
        return False
    try:
        if not isinstance(source, Path):
            source.seek(0)
        with zipfile.ZipFile(source) as archive:
            head = archive.open("xl/workbook.xml").read(20000)
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    finally:
        if not isinstance(source, Path):
            source.seek(0)
    return bool(_DATE1904.search(head))
