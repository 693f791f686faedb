"""Annotated copies of returns, for agencies: every finding's cell filled (red for what must be
corrected, amber for what to check) with a comment in plain words, and a first sheet listing
the findings.

A workbook the agency sent as .xlsx/.xlsm is edited with openpyxl in memory, so what the author
wrote (values, formulas, formats, their own comments) is kept; the original file is never
opened for writing. Other returns (.xls, .ods, .csv, a Word table, an email attachment) get an
.xlsx copy of their table, each value in the cell it came from.

The copies carry no sarkit mark on purpose: an agency corrects the copy and sends it back, and
it must then be read as a return, not skipped as sarkit's own output.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from sarkit.entries import ReturnResult
from sarkit.findings import Finding, Severity
from sarkit.output.agency_wording import advice
from sarkit.output.safe_text import ILLEGAL_XML
from sarkit.raw_tables import RawSheet
from sarkit.wording import plural

FINDINGS_SHEET = "What to fix"
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C"}  # Excel's light red and amber
COMMENT_AUTHOR = "Review team"
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def load_workbook_copy(data: bytes) -> Workbook:
    """A workbook's bytes opened for editing in memory (macros are not carried over)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about features it does not keep
        return openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False,
                                      rich_text=True)


def workbook_from_sheets(sheets: Sequence[RawSheet]) -> Workbook:
    """An .xlsx copy of raw tables, each value in the cell it was read from (text stays text)."""
    book = Workbook()
    book.remove(book.active)
    for raw in sheets:
        if not raw.visible:
            continue  # never read, so never copied
        sheet = book.create_sheet(_sheet_title(raw.name, book.sheetnames))
        for index, values in enumerate(raw.rows):
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                row, column = raw.cell_ref(index, col)
                cell = sheet.cell(row=row, column=column + 1)
                if isinstance(value, str):
                    cell.value = ILLEGAL_XML.sub("\ufffd", value)
                    cell.data_type = "s"  # never a formula, whatever it starts with
                elif isinstance(value, dt.datetime | dt.date | dt.time | int | float | bool):
                    cell.value = value
                    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                        cell.number_format = "dd/mm/yyyy"
                else:
                    cell.value = str(value)
                    cell.data_type = "s"
        for col in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 18
    if not book.sheetnames:
        book.create_sheet("Return")
    return book


def annotate(book: Workbook, result: ReturnResult, *, file_name: str, reply_by: str = "",
             unprotected: bool = False) -> int:
    """Fill and comment every finding's cell; insert the findings sheet first. Returns how many
    cells were marked."""
    headers = _header_columns(book, result)
    marked: dict[tuple[str, str], list[Finding]] = {}
    for f in result.findings:
        if f.severity == Severity.INFO or not f.sheet or f.sheet not in book.sheetnames:
            continue
        name = f.cell or _cell_for(f, headers)
        if name:
            marked.setdefault((f.sheet, _writable(book[f.sheet], name).coordinate), []).append(f)
    for (sheet_name, cell_name), findings in marked.items():
        cell = book[sheet_name][cell_name]
        worst = min((f.severity for f in findings), key=_RANK.__getitem__)
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        words = "\n\n".join(_comment_text(f) for f in findings)
        if cell.comment is not None and cell.comment.author != COMMENT_AUTHOR:
            words = f"{cell.comment.text}\n\n{COMMENT_AUTHOR}: {words}"
        comment = Comment(words[:30_000], COMMENT_AUTHOR)
        comment.width, comment.height = 320, min(400, 60 + 14 * (len(words) // 45 + 2))
        cell.comment = comment
    _findings_sheet(book, result, file_name=file_name, reply_by=reply_by, unprotected=unprotected)
    return len(marked)


def _writable(sheet, name: str):
    """The cell itself, or the top-left cell of the merged range it lies in (the only one that
    can hold a fill and a comment)."""
    cell = sheet[name]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if name in merged:
                return sheet.cell(row=merged.min_row, column=merged.min_col)
    return cell


def save_workbook(book: Workbook, path: Path) -> None:
    """Save as .xlsx (the caller makes the write atomic)."""
    book.save(str(path))


def _comment_text(f: Finding) -> str:
    said = advice(f)
    return f"{said.level}: {said.what} {said.fix}".strip()


def _header_columns(book: Workbook, result: ReturnResult) -> dict[str, dict[str, str]]:
    """Per sheet, the heading text of the header row -> its column letter (for findings that
    name a row and a column but no cell, as Word tables do)."""
    if not result.sheet or result.sheet not in book.sheetnames or not result.header_row:
        return {}
    sheet = book[result.sheet]
    columns = {}
    for cell in sheet[result.header_row]:
        if cell.value not in (None, ""):
            columns[str(cell.value).strip()] = cell.column_letter
    return {result.sheet: columns}


def _cell_for(f: Finding, headers: dict[str, dict[str, str]]) -> str | None:
    if not f.row:
        return None
    letter = headers.get(f.sheet or "", {}).get((f.column or "").strip())
    return f"{letter or 'A'}{f.row}"


def _findings_sheet(book: Workbook, result: ReturnResult, *, file_name: str, reply_by: str,
                    unprotected: bool) -> None:
    sheet = book.create_sheet(_sheet_title(FINDINGS_SHEET, book.sheetnames), 0)
    book.active = 0
    for other in book.worksheets[1:]:
        other.sheet_view.tabSelected = False
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [f"Your chronology return {file_name}: what to fix",
             _summary(result) + (f" Please send the corrected return by {reply_by}." if reply_by
                                 else " Please send the corrected return back to us.")]
    if unprotected:
        lines.append("This copy is NOT password-protected, although your return was. Keep it "
                     "safe: protect it again before you send it, or send it only by secure email.")
    lines.append("Cells to correct are red, cells to check are amber; each has a comment saying "
                 "what is wrong. This sheet can be deleted before you send the return back.")
    for number, text in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=text)
        cell.data_type = "s"
        cell.font = Font(bold=number == 1, size=12 if number == 1 else 10,
                         color="C00000" if text.startswith("This copy is NOT") else None)
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=4)
        cell.alignment = wrap
        sheet.row_dimensions[number].height = 15 if number == 1 else 30
    top = len(lines) + 2
    for col, (heading, width) in enumerate((("Where", 26), ("How serious", 16),
                                            ("What is wrong", 55), ("How to fix it", 55)), start=1):
        cell = sheet.cell(row=top, column=col, value=heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        sheet.column_dimensions[get_column_letter(col)].width = width
    findings = sorted(result.findings, key=_listing_order)
    for offset, f in enumerate(findings, start=1):
        said = advice(f)
        for col, text in enumerate((said.where, said.level, said.what, said.fix), start=1):
            cell = sheet.cell(row=top + offset, column=col, value=ILLEGAL_XML.sub("\ufffd", text))
            cell.data_type = "s"
            cell.alignment = wrap
            if f.severity in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[f.severity])
        longest = max(len(said.what), len(said.fix))
        sheet.row_dimensions[top + offset].height = 13 * (longest // 50 + 1) + 2
    if not findings:
        sheet.cell(row=top + 1, column=1, value="Nothing to fix.")
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{top}:{top}"


def _listing_order(f: Finding) -> tuple:
    """Most serious first, then as the cells run: by row, then by column."""
    letters = (f.cell or "").rstrip("0123456789")
    return _RANK[f.severity], f.sheet or "", f.row or 0, len(letters), letters


def _summary(result: ReturnResult) -> str:
    errors = sum(1 for f in result.findings if f.severity == Severity.ERROR)
    warnings_ = sum(1 for f in result.findings if f.severity == Severity.WARNING)
    if not errors and not warnings_:
        return "We found nothing that needs correcting."
    return (f"We found {plural(errors, 'thing')} that must be corrected and "
            f"{plural(warnings_, 'thing')} to check.")


def _sheet_title(name: str, taken: Sequence[str]) -> str:
    """A sheet name Excel accepts ([]:*?/\\ removed, 31 characters), not already taken."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in name).strip("'").strip()[:31] or "Sheet"
    title, number = clean, 2
    while title.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        title, number = clean[: 31 - len(suffix)] + suffix, number + 1
    return title
