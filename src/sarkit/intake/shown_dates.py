"""Date cells read as their author sees them: a number format that shows only the month or the
year ('mmm-yy', 'mmmm yyyy', 'yyyy') makes the cell that month or year, not its first day.

Excel turns "Mar 2025" typed into a cell into the date 01/03/2025 shown as 'Mar-25'; read as
a day it would be an entry on the first of the month, closing a gap that was never closed. The
styles are read from styles.xml; only workbooks that have such a format have their sheets'
cells looked at again. A cell whose day is not the first (a full date later formatted to show
the month) keeps its day: that is what it holds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re

from sarkit.formats.combined_layout import format_precision
from sarkit.intake.limits import ZipPackage, column_number
from sarkit.raw_tables import RawSheet

STYLES_XML_LIMIT = 20_000_000
BUILTIN_DATE_FORMATS = {14: "dd/mm/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
                        22: "dd/mm/yyyy hh:mm"}
A_DAY = ("day", False)  # what a date cell shows without a format saying otherwise
_STYLED_CELL = re.compile(
    rb'<(?:[\w.-]+:)?c\b(?=[^>]*?\br\s*=\s*["\']([A-Za-z]{1,3})(\d{1,7})["\'])[^>]*?\bs\s*=\s*["\'](\d+)["\']')


def style_meanings(styles: bytes) -> dict[bytes, tuple[str, bool]]:
    """Style number (as the sheet's s="…" writes it) -> (precision, uncertain) its number format
    shows, for the styles showing other than a certain day."""
    codes = {int(m[1]): html.unescape(m[2].decode("utf-8", "replace")) for m in re.finditer(
        rb'<(?:\w+:)?numFmt\b[^>]*?\bnumFmtId="(\d+)"[^>]*?\bformatCode="([^"]*)"', styles)}
    xfs = re.search(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", styles, re.S)
    by_style: dict[bytes, tuple[str, bool]] = {}
    for index, xf in enumerate(re.finditer(rb"<(?:\w+:)?xf\b[^>]*>", xfs.group(0) if xfs else b"")):
        number = re.search(rb'\bnumFmtId="(\d+)"', xf.group(0))
        meaning = shown_by(int(number.group(1)) if number else 0, codes)
        if meaning is not None:
            by_style[str(index).encode()] = meaning
    return by_style


def shown_by(code: int, codes: dict[int, str]) -> tuple[str, bool] | None:
    """(precision, uncertain) that number format `code` (`codes`: the workbook's own formats,
    else Excel's built-in date ones) shows, when it is other than a certain day; else None."""
    text = codes.get(code) or BUILTIN_DATE_FORMATS.get(code)
    meaning = format_precision(text) if text else None
    return meaning if meaning != A_DAY else None


def as_shown(value: dt.date, precision: str, uncertain: bool) -> str | None:
    """The text a month or year date cell shows ('March 2025', '2025'; '? March 2025' when its
    format marks it uncertain); None when its value holds more than it shows (not the 1st)."""
    if precision == "month" and value.day == 1:
        shown = f"{calendar.month_name[value.month]} {value.year}"
    elif precision == "year" and value.day == 1 and value.month == 1:
        shown = str(value.year)
    else:
        return None
    return f"? {shown}" if uncertain else shown


def show_dates_as_written(package: ZipPackage, sheets: dict[str, tuple[RawSheet, str]]) -> None:
    """Replace, in each sheet (name -> (sheet, its XML part)), every date cell whose number
    format shows only a month or a year with that text, as `as_shown` writes it."""
    styles = package.find("xl/styles.xml")
    if styles is None or styles.file_size > STYLES_XML_LIMIT or not sheets:
        return
    by_style = style_meanings(b"".join(package.stream(styles, count=False)))
    if not by_style:
        return
    for sheet, part in sheets.values():
        info = package.find(part)
        if info is None:
            continue
        xml = b"".join(package.stream(info, count=False))
        show_cells(sheet, {(int(number), column_number(letters) - 1): by_style[style]
                           for letters, number, style in _STYLED_CELL.findall(xml)
                           if style in by_style})


def show_cells(sheet: RawSheet, shown: dict[tuple[int, int], tuple[str, bool]]) -> None:
    """Replace each date cell of `shown` ((row, col) -> (precision, uncertain)) with the month
    or year it shows, as `as_shown` writes it."""
    rows = sheet.rows
    for (number, col), meaning in shown.items():
        index = number - sheet.first_row
        if not (0 <= index < len(rows) and 0 <= col < len(rows[index])):
            continue
        value = rows[index][col]
        if isinstance(value, dt.date):
            text = as_shown(value, *meaning)
            if text is not None:
                rows[index][col] = text
