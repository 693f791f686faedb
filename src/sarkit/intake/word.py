"""Word returns (.docx): each table becomes a raw sheet ("Table 1", …); 'Agency: X' lines are details.

Some agencies write their chronology as a table in a Word document (the form the best-known
commercial tool produces). A table is read like a sheet: the chronology code finds its header
row, and findings name the table, row and column. Merged cells (gridSpan, vMerge) keep their
text in the first cell and are listed as merged ranges, as in a workbook.
"""

from __future__ import annotations

import io
import re

from sarkit.raw_tables import RawSheet, RawWorkbook

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DETAIL_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z /&()'’-]{0,40}?)\s*:\s*(\S.*?)\s*$")
DETAIL_PARAGRAPHS = 200


def read_docx(data: bytes, workbook: RawWorkbook) -> dict[str, str]:
    """Fill `workbook.sheets` with the document's tables; returns the 'Label: value' paragraphs."""
    from docx import Document
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    body = document.element.body
    details: dict[str, str] = {}
    seen = 0
    for paragraph in body.iter(W + "p"):
        if _inside(paragraph, W + "tbl", body):
            continue
        seen += 1
        if seen > DETAIL_PARAGRAPHS:
            break
        match = DETAIL_LINE.match(Paragraph(paragraph, document).text)
        if match:
            details.setdefault(match.group(1).strip().lower(), match.group(2).strip())
    number = 0
    for table in body.iter(W + "tbl"):
        if _inside(table, W + "tbl", body):
            continue  # a table nested in a cell is part of that cell, not a chronology
        number += 1
        workbook.sheets.append(_table_sheet(table, f"Table {number}", document))
    return details


def _inside(element, tag: str, stop) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _nearest(element, tags: tuple[str, ...]):
    parent = element.getparent()
    while parent is not None and parent.tag not in tags:
        parent = parent.getparent()
    return parent


def _table_sheet(table, name: str, document) -> RawSheet:
    from docx.text.paragraph import Paragraph

    rows: list[list[object]] = []
    merged: list[tuple[int, int, int, int]] = []
    open_vertical: dict[int, list[int]] = {}  # column -> [first row, last row, width]
    for tr in table.iter(W + "tr"):
        if _nearest(tr, (W + "tbl",)) is not table:
            continue
        row_number = len(rows) + 1
        cells: list[object] = []
        before = tr.find(f"{W}trPr/{W}gridBefore")
        if before is not None:
            cells.extend([None] * _int(before.get(W + "val"), 0))
        continued: set[int] = set()
        for tc in tr.iter(W + "tc"):
            if _nearest(tc, (W + "tr",)) is not tr:
                continue
            col = len(cells)
            props = tc.find(W + "tcPr")
            span = 1
            vmerge = None
            if props is not None:
                grid = props.find(W + "gridSpan")
                span = max(1, min(_int(grid.get(W + "val") if grid is not None else None, 1), 16_384))
                vm = props.find(W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(W + "val") or "continue"
            paragraphs = [p for p in tc.iter(W + "p") if _nearest(p, (W + "tc",)) is tc]
            text = "\n".join(Paragraph(p, document).text for p in paragraphs).strip()
            if vmerge == "continue" and col in open_vertical:
                open_vertical[col][1] = row_number
                continued.add(col)
                cells.append(None)
            else:
                cells.append(text if text else None)
                if vmerge == "restart":
                    open_vertical[col] = [row_number, row_number, span]
                    continued.add(col)
            cells.extend([None] * (span - 1))
            if span > 1 and vmerge is None:
                merged.append((row_number, col, row_number, col + span - 1))
        for col in list(open_vertical):
            if col not in continued:
                _close(merged, col, open_vertical.pop(col))
        rows.append(cells)
    for col, (first, last, width) in open_vertical.items():
        _close(merged, col, [first, last, width])
    return RawSheet(name=name, rows=rows, merged=merged)


def _close(merged: list[tuple[int, int, int, int]], col: int, run: list[int]) -> None:
    first, last, width = run
    if last > first or width > 1:
        merged.append((first, col, last, col + width - 1))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
