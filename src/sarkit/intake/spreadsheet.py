"""Reading workbooks (xlsx, xlsm, xlsb, xls, ods) with python-calamine into raw sheets.

Only called once the limits have measured the file (see `limits.py`): calamine allocates a
sheet's whole used range, and a native allocation failure aborts the process.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

import python_calamine as calamine

from sarkit.raw_tables import RawSheet, RawWorkbook


def read_spreadsheet(
    source: Path | IO[bytes] | bytes, workbook: RawWorkbook, *, date1904: bool | None = None
) -> list[tuple[str, str]]:
    """Fill `workbook.sheets` from a spreadsheet; returns every sheet's (name, type).

    Hidden sheets are listed (not read); chart, dialog and macro sheets are not sheets of data.
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    if isinstance(source, Path):
        book = calamine.CalamineWorkbook.from_path(str(source))
    else:
        book = calamine.CalamineWorkbook.from_filelike(source)
    kinds: list[tuple[str, str]] = []
    try:
        if date1904 is not None:
            workbook.date1904 = date1904
        for meta in book.sheets_metadata:
            kind = str(meta.typ).rsplit(".", 1)[-1]
            kinds.append((meta.name, kind))
            if kind != "WorkSheet":
                continue
            visible = str(meta.visible).rsplit(".", 1)[-1] == "Visible"
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
    return kinds
