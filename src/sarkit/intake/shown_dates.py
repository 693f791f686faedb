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
from collections.abc import Collection
from operator import itemgetter

from sarkit.formats.combined_layout import format_precision
from sarkit.intake.limits import ZipPackage, column_number
from sarkit.lazy_re import lazy_compile
from sarkit.raw_tables import RawSheet

STYLES_XML_LIMIT = 20_000_000
BUILTIN_DATE_FORMATS = {14: "dd/mm/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
                        22: "dd/mm/yyyy hh:mm"}
A_DAY = ("day", False)  # what a date cell shows without a format saying otherwise
_STYLED_CELL = lazy_compile(
    rb'<(?:[\w.-]+:)?c\b(?=[^>]*?\br\s*=\s*["\']([A-Za-z]{1,3})(\d{1,7})["\'])[^>]*?\bs\s*=\s*["\'](\d+)["\']')
# a tag and its attributes as XML reads them: any order, either quote, any whitespace
_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)"""
_ATTRIBUTE = lazy_compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NUM_FMT = lazy_compile(rb"<(?:[\w.-]+:)?numFmt\b" + _ATTRS + b">")
_XF = lazy_compile(rb"<(?:[\w.-]+:)?xf\b" + _ATTRS + b">")
_ROW_OR_CELL = lazy_compile(rb"<(?:[\w.-]+:)?(row|c)\b" + _ATTRS + b">")
# a cell that does not name its place (<c s="3">): it takes the place after the one before
_UNPLACED_CELL = lazy_compile(rb"<(?:[\w.-]+:)?c(?=[\s>/])(?![^>]*?\sr\s*=)")
_REF = lazy_compile(rb"([A-Za-z]{1,3})(\d{1,7})")
_QUOTED_TEXT = lazy_compile(r'"[^"]*"|\\.')  # literal text in a number format: "at", \h


def style_meanings(styles: bytes) -> dict[bytes, tuple[str, bool]]:
    """Style number (as the sheet's s="…" writes it) -> (precision, uncertain) its number format
    shows, for the styles showing other than a certain day."""
    codes = _format_codes(styles)
    return {style: meaning for style, code in _style_formats(styles)
            if (meaning := shown_by(code, codes)) is not None}


def date_styles(styles: bytes) -> set[bytes]:
    """The style numbers whose number format shows a date at all (a day, a month or a year)."""
    codes = _format_codes(styles)
    return {style for style, code in _style_formats(styles) if shows_a_date(code, codes)}


def time_styles(styles: bytes) -> set[bytes]:
    """The style numbers whose number format shows a date with its hour ('dd/mm/yyyy hh:mm')."""
    codes = _format_codes(styles)
    return {style for style, code in _style_formats(styles) if shows_an_hour(code, codes)}


def shows_an_hour(code: int, codes: dict[int, str]) -> bool:
    """Whether number format `code` shows a date and its hour."""
    text = codes.get(code) or BUILTIN_DATE_FORMATS.get(code)
    if not text or format_precision(text) is None:
        return False
    shown = re.sub(r"\[[^\]]*\]", "", _QUOTED_TEXT.sub("", text.split(";")[0])).lower()
    return "h" in shown


def shows_a_date(code: int, codes: dict[int, str]) -> bool:
    """Whether number format `code` shows a date (not only a time, not a plain number)."""
    text = codes.get(code) or BUILTIN_DATE_FORMATS.get(code)
    return bool(text) and format_precision(text) is not None


def _format_codes(styles: bytes) -> dict[int, str]:
    """Number format id -> its format code, from styles.xml's numFmt tags (any attribute order)."""
    codes: dict[int, str] = {}
    for tag in _NUM_FMT.finditer(styles):
        attributes = _attributes(tag.group(1))
        number, code = attributes.get(b"numFmtId", b"").strip(), attributes.get(b"formatCode")
        if number.isdigit() and code is not None:
            codes[int(number)] = html.unescape(code.decode("utf-8", "replace"))
    return codes


def _style_formats(styles: bytes) -> list[tuple[bytes, int]]:
    """(style number, number format) of each cell style (cellXfs)."""
    xfs = re.search(rb"<(?:[\w.-]+:)?cellXfs\b.*?</(?:[\w.-]+:)?cellXfs>", styles, re.S)
    found = []
    for index, xf in enumerate(_XF.finditer(xfs.group(0) if xfs else b"")):
        number = _attributes(xf.group(1)).get(b"numFmtId", b"").strip()
        found.append((str(index).encode(), int(number) if number.isdigit() else 0))
    return found


def _attributes(text: bytes) -> dict[bytes, bytes]:
    """A tag's attributes by local name (its value as written, entities not yet replaced)."""
    return {name.rsplit(b":", 1)[-1]: double if double or not single else single
            for name, double, single in _ATTRIBUTE.findall(text)}


def styled_cells(xml: bytes, wanted: Collection[bytes]) -> dict[tuple[int, int], bytes]:
    """(row, col) -> style of each cell of a sheet's XML whose style is one of `wanted`.
    Cells are found by their `r`; a sheet with cells that do not name their place is walked
    cell by cell, each placed after the one before (as the reader places it)."""
    if _UNPLACED_CELL.search(xml) is None:
        return {(int(number), column_number(letters) - 1): style
                for letters, number, style in _STYLED_CELL.findall(xml) if style in wanted}
    found: dict[tuple[int, int], bytes] = {}
    row, col = 0, 0
    for kind, text in _ROW_OR_CELL.findall(xml):
        attributes = _attributes(text)
        ref = attributes.get(b"r", b"").strip()
        if kind == b"row":
            row, col = int(ref) if ref.isdigit() else row + 1, 0
            continue
        place = _REF.fullmatch(ref)
        if place is not None:
            row, col = int(place.group(2)), column_number(place.group(1).decode()) - 1
        row = max(row, 1)
        style = attributes.get(b"s", b"").strip()
        if style in wanted:
            found[(row, col)] = style
        col += 1
    return found


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
    raw = b"".join(package.stream(styles, count=False))
    by_style = style_meanings(raw)
    suspects = {name: times_among_dates(sheet) for name, (sheet, _) in sheets.items()}
    dated = date_styles(raw) if any(suspects.values()) else set()
    midnights = {name: midnights_among_times(sheet) for name, (sheet, _) in sheets.items()}
    timed = time_styles(raw) if any(midnights.values()) else set()
    if not by_style and not dated and not timed:
        return
    for name, (sheet, part) in sheets.items():
        if not by_style and not suspects[name] and not midnights[name]:
            continue
        info = package.find(part)
        if info is None:
            continue
        xml = b"".join(package.stream(info, count=False))
        styled = styled_cells(xml, by_style.keys() | dated | timed)
        show_cells(sheet, {place: by_style[style] for place, style in styled.items()
                           if style in by_style})
        show_times_as_dates(sheet, {place for place, style in styled.items()
                                    if style in dated and place in suspects[name]})
        sheet.midnights = {place for place, style in styled.items()
                           if style in timed and place in midnights[name]}


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


EXCEL_DAY_ZERO = dt.date(1899, 12, 31)  # serial 0, which Excel shows as 00/01/1900


def times_among_dates(sheet: RawSheet) -> set[tuple[int, int]]:
    """(row, col) of the time cells in a column that also holds date cells: a serial under 1
    (0, or a time of day) whose number format may show a date (then it is a date; see
    show_times_as_dates). A Time column holds no dates, so its cells are never looked at."""
    rows = sheet.rows
    width = max(map(len, rows), default=0)
    if any(len(cells) != width for cells in rows):
        rows = [[*cells, *[None] * (width - len(cells))] for cells in rows]
    found: set[tuple[int, int]] = set()
    for col in range(width):  # column by column: the type checks run in C
        kinds = set(map(type, map(itemgetter(col), rows)))
        if dt.time in kinds and (dt.date in kinds or dt.datetime in kinds):
            found.update((index + sheet.first_row, col) for index, cells in enumerate(rows)
                         if type(cells[col]) is dt.time)
    return found


def midnights_among_times(sheet: RawSheet) -> set[tuple[int, int]]:
    """(row, col) of the date cells in a column that also holds dates with their times: the
    reader gives a date and time of exactly 00:00 as a date, so whether such a cell shows a
    time (a call logged at midnight) is up to its number format (see show_dates_as_written)."""
    rows = sheet.rows
    width = max(map(len, rows), default=0)
    found: set[tuple[int, int]] = set()
    for col in range(width):
        kinds = {type(cells[col]) for cells in rows if col < len(cells)}
        if dt.datetime in kinds and dt.date in kinds:
            found.update((index + sheet.first_row, col) for index, cells in enumerate(rows)
                         if col < len(cells) and type(cells[col]) is dt.date)
    return found


def show_times_as_dates(sheet: RawSheet, cells: set[tuple[int, int]]) -> None:
    """Each time cell of `cells` ((row, col) whose number format shows a date) as the date its
    serial is in Excel: day 0, 31/12/1899 (Excel shows 00/01/1900), with its time of day. The
    readers give a serial under 1 as a time whatever its format; shown as a date, it is a date
    (far outside any review period, which the period check then says)."""
    for number, col in cells:
        index = number - sheet.first_row
        if 0 <= index < len(sheet.rows) and 0 <= col < len(sheet.rows[index]):
            value = sheet.rows[index][col]
            if isinstance(value, dt.time):
                sheet.rows[index][col] = dt.datetime.combine(EXCEL_DAY_ZERO, value)
